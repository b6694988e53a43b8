#include <system_error>

#include "notary/folder_repo.h"
#include "repo_provider.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

class FolderTrustedRepo : public TrustedRepo {
 public:
  explicit FolderTrustedRepo(std::unique_ptr<notary::FolderRepo> repo) : repo_(std::move(repo)) {}
  tuf::TrustedSet& set() override { return repo_->set(); }
  tuf::Resolver& resolver() override { return repo_->resolver(); }

 private:
  std::unique_ptr<notary::FolderRepo> repo_;
};

// A GUN used as a relative path must stay inside the trust dir.
bool is_safe_relative(const std::string& gun) {
  if (gun.empty() || gun.front() == '/') return false;
  std::size_t start = 0;
  while (true) {
    const auto slash = gun.find('/', start);
    const std::string part = gun.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

class FolderProvider : public RepoProvider {
 public:
  FolderProvider(fs::path dir, VerifyOptions options)
      : dir_(std::move(dir)), options_(std::move(options)) {}

  tuf::Result<std::unique_ptr<TrustedRepo>> open(const std::string& gun) override {
    std::error_code ec;
    fs::path metadata = dir_;
    if (!fs::exists(dir_ / "root.json", ec)) {
      if (!is_safe_relative(gun)) {
        return tuf::Error{tuf::ErrorKind::kUsage,
                          gun,
                          {},
                          "cannot be used as a path under the trust dir " + dir_.string()};
      }
      metadata = dir_ / "tuf" / fs::path(gun) / "metadata";
    }
    notary::FolderOptions folder_options{options_.reference_time, options_.pin};
    DTRUST_ASSIGN_OR_RETURN(auto repo, notary::FolderRepo::open(metadata, gun, folder_options));
    return std::unique_ptr<TrustedRepo>(new FolderTrustedRepo(std::move(repo)));
  }

 private:
  fs::path dir_;
  VerifyOptions options_;
};

}  // namespace

std::unique_ptr<RepoProvider> make_folder_provider(fs::path dir, VerifyOptions options) {
  return std::make_unique<FolderProvider>(std::move(dir), std::move(options));
}

}  // namespace cli
