// Offline verification of trust data on disk: a notary cache folder (what docker and notary
// keep under tuf/<GUN>/metadata/) or metadata vendored into a repository.
#ifndef DTRUST_NOTARY_FOLDER_REPO_H_
#define DTRUST_NOTARY_FOLDER_REPO_H_

#include <filesystem>
#include <memory>
#include <string>

#include "tuf/resolve.h"
#include "tuf/trusted_set.h"

namespace notary {

// Reads role files from a folder. A role is found as `<role>.json` or, by checksum, as
// `<role>.<sha256 hex>.json` (Harbor's and notary's consistent names); delegated roles live
// in subfolders (`targets/releases.json`). Reads are capped: a file is never read beyond the
// length its parent recorded plus one byte, and never beyond the given cap.
class FolderSource : public tuf::RoleSource {
 public:
  explicit FolderSource(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // The bytes of `role`, preferring the checksum name when `sha256_hex` is given and present.
  // kNotFound when neither file exists; kTooLarge when larger than `cap`.
  tuf::Result<std::string> read(std::string_view role, std::string_view sha256_hex,
                                std::size_t cap) const;
  // `<version>.root.json`, kNotFound if absent.
  tuf::Result<std::string> read_root_version(int64_t version) const;

  tuf::Result<std::string> fetch_role(std::string_view role, const tuf::FileMeta& meta) override;

  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

struct FolderOptions {
  tuf::Time reference_time;
  tuf::RootPin pin;
};

// A folder whose top-level roles (root, timestamp, snapshot, targets) verified. Delegated
// roles are verified lazily by resolver().
class FolderRepo {
 public:
  // Verifies the folder for `gun`: root (trusted on first use unless pinned), newer roots the
  // folder holds as `<N>.root.json` or by the snapshot's checksum (each must be signed by its
  // predecessor), then timestamp, snapshot and targets. Errors name the GUN and role.
  static tuf::Result<std::unique_ptr<FolderRepo>> open(const std::filesystem::path& dir,
                                                       const std::string& gun,
                                                       const FolderOptions& options);

  tuf::TrustedSet& set() { return *set_; }
  tuf::Resolver& resolver() { return *resolver_; }

 private:
  FolderRepo() = default;
  std::unique_ptr<FolderSource> source_;
  std::unique_ptr<tuf::TrustedSet> set_;
  std::unique_ptr<tuf::Resolver> resolver_;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_FOLDER_REPO_H_
