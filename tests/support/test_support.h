// Shared test helpers: where test data lives, reading files, fixed reference times.
#ifndef DTRUST_TESTS_SUPPORT_TEST_SUPPORT_H_
#define DTRUST_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <filesystem>
#include <string>
#include <string_view>

#include "tuf/time.h"

namespace testing {

// ../shared (read-only test material) and the project's fixtures/ folder.
std::filesystem::path shared_dir();
std::filesystem::path realdata_dir();
std::filesystem::path fixtures_dir();
bool have_realdata();

// Whole file as bytes; throws std::runtime_error if unreadable (tests only).
std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view bytes);

// A parsed RFC 3339 instant; throws on a bad literal (tests only).
tuf::Time at(std::string_view rfc3339);

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_TEST_SUPPORT_H_
