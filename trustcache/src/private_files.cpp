#include "private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

namespace trustcache {
namespace {

namespace fs = std::filesystem;

tuf::Error io_error(tuf::ErrorKind kind, std::string what, int error_number) {
  return tuf::make_error(kind, "", what + ": " + std::strerror(error_number));
}

// Closes a descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

tuf::Status make_private_dirs(const fs::path& dir, tuf::ErrorKind kind) {
  fs::path partial;
  for (const auto& part : dir) {
    partial /= part;
    if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
      return io_error(kind, "cannot create directory " + partial.string(), errno);
    }
  }
  return {};
}

tuf::Status write_file_atomically(const fs::path& path, std::string_view bytes) {
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::string pattern = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  Fd file(::mkstemp(name.data()));  // mode 0600
  if (file.get() < 0)
    return io_error(tuf::ErrorKind::kIo, "cannot write in " + dir.string(), errno);
  const std::string temp(name.data());
  auto fail = [&](std::string what) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return io_error(tuf::ErrorKind::kIo, std::move(what), saved);
  };
  if (::fchmod(file.get(), 0600) != 0) return fail("cannot set the mode of " + temp);
  if (!write_all(file.get(), bytes)) return fail("cannot write " + temp);
  if (::fsync(file.get()) != 0) return fail("cannot sync " + temp);
  if (::close(file.release()) != 0) return fail("cannot close " + temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot replace " + path.string());
  Fd directory(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() >= 0) ::fsync(directory.get());  // best effort: the rename is done
  return {};
}

tuf::Result<std::string> read_small_file(const fs::path& path, std::size_t max_bytes) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return io_error(tuf::ErrorKind::kIo, "cannot read " + path.string(), errno);
  std::string out;
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error(tuf::ErrorKind::kIo, "cannot read " + path.string(), errno);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > max_bytes) {
      return tuf::make_error(
          tuf::ErrorKind::kIo, "",
          path.string() + " is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  return out;
}

}  // namespace trustcache
