#include "test_support.h"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace testing {

std::filesystem::path shared_dir() { return DTRUST_SHARED_DIR; }
std::filesystem::path realdata_dir() { return shared_dir() / "realdata"; }
std::filesystem::path fixtures_dir() {
  return std::filesystem::path(DTRUST_SOURCE_DIR) / "fixtures";
}
bool have_realdata() { return std::filesystem::is_directory(realdata_dir()); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

tuf::Time at(std::string_view rfc3339) {
  auto t = tuf::parse_rfc3339(rfc3339);
  if (!t.ok()) throw std::runtime_error("bad time literal " + std::string(rfc3339));
  return t->instant;
}

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("dtrust-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace testing
