// Where verified repositories come from. Commands ask a RepoProvider for a GUN and get the
// trusted set plus a resolver over its delegations; they never know whether the data came from
// a folder (--from) or, later, from a server through the trust cache.
#ifndef DTRUST_CLI_REPO_PROVIDER_H_
#define DTRUST_CLI_REPO_PROVIDER_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "tuf/resolve.h"
#include "tuf/result.h"
#include "tuf/trusted_set.h"

namespace cli {

// A repository whose top-level roles verified. Delegations load lazily through resolver().
class TrustedRepo {
 public:
  virtual ~TrustedRepo() = default;
  virtual tuf::TrustedSet& set() = 0;
  virtual tuf::Resolver& resolver() = 0;
};

// A tag answered from the trust cache's index without a full sync.
struct IndexAnswer {
  bool found = false;
  std::string role;
  std::string sha256_hex;
  int64_t length = 0;
};

class RepoProvider {
 public:
  virtual ~RepoProvider() = default;
  // The warm path for one tag (notary lookup semantics, or DCT with `dct`): verifies only the
  // current timestamp and answers from the cache's index when it is current. nullopt when this
  // provider cannot answer that way (then call open()).
  virtual std::optional<IndexAnswer> quick_lookup(const std::string& /*gun*/,
                                                  const std::string& /*tag*/, bool /*dct*/) {
    return std::nullopt;
  }
  // Verifies the trust data of `gun`. Errors name the GUN and role (tuf::Error::message()).
  virtual tuf::Result<std::unique_ptr<TrustedRepo>> open(const std::string& gun) = 0;
};

struct VerifyOptions {
  tuf::Time reference_time;
  tuf::RootPin pin;
};

// Offline: a notary cache folder. `dir` is either a metadata folder (it has root.json) used for
// every GUN, or a trust dir whose `tuf/<GUN>/metadata` folder holds each GUN's data.
std::unique_ptr<RepoProvider> make_folder_provider(std::filesystem::path dir,
                                                   VerifyOptions options);

}  // namespace cli

#endif  // DTRUST_CLI_REPO_PROVIDER_H_
