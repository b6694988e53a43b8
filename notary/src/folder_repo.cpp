#include "notary/folder_repo.h"

#include <fstream>
#include <system_error>

namespace notary {
namespace {

namespace fs = std::filesystem;
using tuf::ErrorKind;
using tuf::make_error;

constexpr std::size_t kMaxRootBytes = 100u << 20;     // spec 1.8
constexpr std::size_t kMaxTimestampBytes = 1u << 20;  // spec 1.8

tuf::Result<std::string> read_capped(const fs::path& path, std::string_view role, std::size_t cap) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) {
    return make_error(
        ec == std::errc::no_such_file_or_directory ? ErrorKind::kNotFound : ErrorKind::kIo,
        std::string(role), "cannot read " + path.string() + ": " + ec.message());
  }
  if (size > cap) {
    return make_error(ErrorKind::kTooLarge, std::string(role),
                      path.string() + " is larger than " + std::to_string(cap) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return make_error(ErrorKind::kIo, std::string(role), "cannot read " + path.string());
  }
  return bytes;
}

std::string sha256_hex_of(const tuf::FileMeta& meta) {
  auto it = meta.hashes.find("sha256");
  return it == meta.hashes.end() ? std::string() : tuf::crypto::to_hex(it->second);
}

// Loads timestamp and snapshot into `set`.
tuf::Status load_timestamp_and_snapshot(tuf::TrustedSet& set, const FolderSource& source,
                                        const std::string& timestamp_bytes) {
  DTRUST_TRY(set.update_timestamp(timestamp_bytes));
  const tuf::FileMeta& meta = set.timestamp()->signed_.meta.at("snapshot");
  auto snapshot = source.read(tuf::kSnapshotRole, sha256_hex_of(meta),
                              static_cast<std::size_t>(meta.length) + 1);
  if (!snapshot.ok()) return snapshot.error().with_context(set.gun(), tuf::kSnapshotRole);
  return set.update_snapshot(*snapshot);
}

}  // namespace

tuf::Result<std::string> FolderSource::read(std::string_view role, std::string_view sha256_hex,
                                            std::size_t cap) const {
  if (!sha256_hex.empty()) {
    const fs::path by_hash = dir_ / (std::string(role) + "." + std::string(sha256_hex) + ".json");
    std::error_code ec;
    if (fs::exists(by_hash, ec)) return read_capped(by_hash, role, cap);
  }
  return read_capped(dir_ / (std::string(role) + ".json"), role, cap);
}

tuf::Result<std::string> FolderSource::read_root_version(int64_t version) const {
  return read_capped(dir_ / (std::to_string(version) + ".root.json"), tuf::kRootRole,
                     kMaxRootBytes);
}

tuf::Result<std::string> FolderSource::fetch_role(std::string_view role,
                                                  const tuf::FileMeta& meta) {
  return read(role, sha256_hex_of(meta), static_cast<std::size_t>(meta.length) + 1);
}

tuf::Result<std::unique_ptr<FolderRepo>> FolderRepo::open(const fs::path& dir,
                                                          const std::string& gun,
                                                          const FolderOptions& options) {
  auto repo = std::unique_ptr<FolderRepo>(new FolderRepo());
  repo->source_ = std::make_unique<FolderSource>(dir);
  const FolderSource& source = *repo->source_;
  auto root = source.read(tuf::kRootRole, "", kMaxRootBytes);
  if (!root.ok()) return root.error().with_context(gun, tuf::kRootRole);
  auto created = tuf::TrustedSet::create(gun, *root, options.reference_time, options.pin);
  if (!created.ok()) return created.error();
  // TUF 5.3: walk newer root versions the folder holds, each signed by its predecessor.
  for (int64_t v = created->root().signed_.version + 1;; ++v) {
    auto next = source.read_root_version(v);
    if (!next.ok()) break;
    DTRUST_TRY(created->update_root(*next));
  }
  auto timestamp = source.read(tuf::kTimestampRole, "", kMaxTimestampBytes);
  if (!timestamp.ok()) return timestamp.error().with_context(gun, tuf::kTimestampRole);

  tuf::TrustedSet set = *created;
  tuf::Status loaded = load_timestamp_and_snapshot(set, source, *timestamp);
  if (!loaded.ok() && loaded.error().kind == ErrorKind::kHashMismatch &&
      loaded.error().role == tuf::kRootRole) {
    // Notary v1 (spec 6.5): the snapshot records a newer root; it must be in the folder under
    // its checksum name and be signed by the root we trust.
    const tuf::FileMeta& snap_meta = set.timestamp()->signed_.meta.at("snapshot");
    auto snapshot_bytes = source.read(tuf::kSnapshotRole, sha256_hex_of(snap_meta),
                                      static_cast<std::size_t>(snap_meta.length) + 1);
    auto unverified = snapshot_bytes.ok()
                          ? tuf::parse_snapshot(*snapshot_bytes)
                          : tuf::Result<tuf::Signed<tuf::Snapshot>>(snapshot_bytes.error());
    if (unverified.ok()) {
      const tuf::FileMeta& root_meta = unverified->signed_.meta.at("root");
      auto newer = source.read(tuf::kRootRole, sha256_hex_of(root_meta), kMaxRootBytes);
      if (newer.ok() && *newer != *root) {
        set = *created;
        DTRUST_TRY(set.update_root(*newer));
        loaded = load_timestamp_and_snapshot(set, source, *timestamp);
      }
    }
  }
  if (!loaded.ok()) return loaded.error();
  const tuf::FileMeta* targets_meta = set.snapshot_meta(tuf::kTargetsRole);
  auto targets = source.read(tuf::kTargetsRole, sha256_hex_of(*targets_meta),
                             static_cast<std::size_t>(targets_meta->length) + 1);
  if (!targets.ok()) return targets.error().with_context(gun, tuf::kTargetsRole);
  DTRUST_TRY(set.update_targets(*targets));
  repo->set_ = std::make_unique<tuf::TrustedSet>(std::move(set));
  repo->resolver_ = std::make_unique<tuf::Resolver>(*repo->set_, *repo->source_);
  return repo;
}

}  // namespace notary
