// Small file-system helpers for private data (internal): 0700 directories, 0600 files written
// atomically, bounded reads. POSIX only.
#ifndef DTRUST_TRUSTCACHE_PRIVATE_FILES_H_
#define DTRUST_TRUSTCACHE_PRIVATE_FILES_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "tuf/result.h"

namespace trustcache {

// mkdir -p, creating each missing directory with mode 0700 (existing ones are left as they
// are). Failures are `kind`, naming the directory.
tuf::Status make_private_dirs(const std::filesystem::path& dir, tuf::ErrorKind kind);

// Replaces `path` with `bytes`: a temporary file in the same directory (mode 0600, name not
// ending in the target's extension) is written, fsynced and renamed over `path`, then the
// directory is fsynced. On failure the temporary file is removed and `path` is untouched (kIo).
tuf::Status write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// The whole file, if it is at most `max_bytes` long (kIo otherwise, or if unreadable).
tuf::Result<std::string> read_small_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_PRIVATE_FILES_H_
