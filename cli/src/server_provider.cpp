#include "server_provider.h"

#include <map>
#include <mutex>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "notary/remote.h"
#include "notary/repository.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

class ServerTrustedRepo : public TrustedRepo {
 public:
  ServerTrustedRepo(std::shared_ptr<notary::HttpClient> http,
                    std::shared_ptr<notary::Authorizer> auth,
                    std::unique_ptr<notary::Remote> remote,
                    std::unique_ptr<notary::Repository> repo)
      : http_(std::move(http)),
        auth_(std::move(auth)),
        remote_(std::move(remote)),
        repo_(std::move(repo)) {}
  tuf::TrustedSet& set() override { return repo_->set(); }
  tuf::Resolver& resolver() override { return repo_->resolver(); }

 private:
  // Declaration order matters: the repository's lazy delegation fetches use the remote, which
  // uses the authorizer and the HTTP client.
  std::shared_ptr<notary::HttpClient> http_;
  std::shared_ptr<notary::Authorizer> auth_;
  std::unique_ptr<notary::Remote> remote_;
  std::unique_ptr<notary::Repository> repo_;
};

class ServerProvider : public RepoProvider {
 public:
  ServerProvider(ServerOptions server, VerifyOptions verify,
                 std::function<void(const std::string&)> warn)
      : server_(std::move(server)), verify_(std::move(verify)), warn_(std::move(warn)) {}

  std::optional<IndexAnswer> quick_lookup(const std::string& gun, const std::string& tag,
                                          bool dct) override {
    if (server_.offline) return std::nullopt;
    std::unique_ptr<notary::Remote> remote = make_remote(gun);
    // When the index cannot answer, open() goes on with this Remote and the timestamp it
    // downloaded. The cache is opened on quick_lookup's helper thread, not before the download.
    auto answer = notary::Repository::quick_lookup(
        *remote, [this] { return cache(); }, gun, tag,
        dct ? notary::IndexKind::kDct : notary::IndexKind::kLookup, sync_options(gun));
    if (!answer.ok() || !answer->has_value()) {
      hand_over(gun, std::move(remote));
      return std::nullopt;
    }
    const trustcache::TagLookup& found = **answer;
    IndexAnswer out;
    out.found = found.outcome == trustcache::TagLookup::Outcome::kFound;
    out.role = found.entry.role;
    out.sha256_hex = found.entry.sha256_hex;
    out.length = found.entry.length;
    return out;
  }

  tuf::Result<std::unique_ptr<TrustedRepo>> open(const std::string& gun) override {
    DTRUST_ASSIGN_OR_RETURN(trustcache::Store * store, cache());
    const notary::SyncOptions options = sync_options(gun);
    std::shared_ptr<notary::HttpClient> http;
    std::shared_ptr<notary::Authorizer> auth;
    std::unique_ptr<notary::Remote> remote;
    if (!server_.offline) {
      http = client();
      auth = authorizer(notary_server_url(server_, gun), gun);
      remote = take_handed_over(gun);
      if (!remote) remote = make_remote(gun);
    }
    DTRUST_ASSIGN_OR_RETURN(auto repo,
                            notary::Repository::sync(remote.get(), *store, gun, options));
    DTRUST_TRY(repo->commit(server_.build_index));
    for (const std::string& w : repo->warnings()) warn_(w);
    if (server_.offline) {
      const int64_t age = options.now.seconds - repo->cache_synced_at();
      warn_(gun + ": answered from the trust cache alone; last verified against " + "the server " +
            std::to_string(age / 60) + " minutes ago (" +
            tuf::format_rfc3339_utc(tuf::Time::from_unix(repo->cache_synced_at())) + ")");
    }
    return std::unique_ptr<TrustedRepo>(new ServerTrustedRepo(std::move(http), std::move(auth),
                                                              std::move(remote), std::move(repo)));
  }

 private:
  notary::SyncOptions sync_options(const std::string& gun) const {
    notary::SyncOptions options;
    options.now = verify_.reference_time;
    options.pin = verify_.pin;
    // A root the user's docker already trusts for this GUN is kept (spec 6.2).
    options.root_import_dirs.push_back(server_.trust_dir / "tuf" / fs::path(gun) / "metadata");
    return options;
  }

  // The lazily built shared pieces are guarded by mu_; the pieces themselves are thread-safe.
  tuf::Result<trustcache::Store*> cache() {
    std::lock_guard lock(mu_);
    if (!store_) {
      DTRUST_ASSIGN_OR_RETURN(store_, open_trust_cache(server_));
    }
    return store_.get();
  }

  std::shared_ptr<notary::HttpClient> client() {
    std::lock_guard lock(mu_);
    if (!http_) {
      http_ = std::make_shared<notary::HttpClient>(notary_http_options(server_));
    }
    return http_;
  }

  std::unique_ptr<notary::Remote> make_remote(const std::string& gun) {
    const std::string url = notary_server_url(server_, gun);
    auto http = client();
    auto auth = authorizer(url, gun);
    return std::make_unique<notary::Remote>(*http, auth.get(), url, gun);
  }

  void hand_over(const std::string& gun, std::unique_ptr<notary::Remote> remote) {
    std::lock_guard lock(mu_);
    handed_over_[gun] = std::move(remote);
  }

  std::unique_ptr<notary::Remote> take_handed_over(const std::string& gun) {
    std::lock_guard lock(mu_);
    auto it = handed_over_.find(gun);
    if (it == handed_over_.end()) return nullptr;
    std::unique_ptr<notary::Remote> remote = std::move(it->second);
    handed_over_.erase(it);
    return remote;
  }

  // One authorizer per (server, credentials): tokens are reused for every GUN of the run.
  std::shared_ptr<notary::Authorizer> authorizer(const std::string& url, const std::string& gun) {
    const notary::Credentials credentials = notary_credentials(server_, gun);
    const std::string key = url + "\n" + credentials.username + "\n" + credentials.identity_token;
    auto http = client();
    std::lock_guard lock(mu_);
    auto& slot = authorizers_[key];
    if (!slot) {
      // No ping: the Remote learns the challenge from the first 401 (see remote.cpp).
      slot = std::make_shared<notary::Authorizer>(*http, url, credentials);
    }
    return slot;
  }

  ServerOptions server_;
  VerifyOptions verify_;
  std::function<void(const std::string&)> warn_;
  std::mutex mu_;
  std::unique_ptr<trustcache::Store> store_;
  std::shared_ptr<notary::HttpClient> http_;
  std::map<std::string, std::shared_ptr<notary::Authorizer>> authorizers_;
  // Remotes of warm look-ups that could not answer, by GUN (declared after what they use).
  std::map<std::string, std::unique_ptr<notary::Remote>> handed_over_;
};

}  // namespace

std::string registry_host_of(const std::string& gun) {
  const auto slash = gun.find('/');
  if (slash == std::string::npos) return "docker.io";
  const std::string first = gun.substr(0, slash);
  if (first.find('.') != std::string::npos || first.find(':') != std::string::npos ||
      first == "localhost") {
    return first;
  }
  return "docker.io";
}

std::string default_server_for(const std::string& gun) {
  const std::string host = registry_host_of(gun);
  if (host == "docker.io") return "https://notary.docker.io";
  return "https://" + host;
}

std::unique_ptr<RepoProvider> make_server_provider(ServerOptions server, VerifyOptions verify,
                                                   std::function<void(const std::string&)> warn) {
  return std::make_unique<ServerProvider>(std::move(server), std::move(verify), std::move(warn));
}

std::string notary_server_url(const ServerOptions& server, const std::string& gun) {
  return server.server_url.empty() ? default_server_for(gun) : server.server_url;
}

tuf::Result<std::unique_ptr<trustcache::Store>> open_trust_cache(const ServerOptions& server) {
  const fs::path dir =
      server.cache_dir.empty() ? trustcache::default_cache_dir(server.trust_dir) : server.cache_dir;
  trustcache::OpenOptions options;
  options.check_at_open = false;
  return trustcache::open_leveldb_store(dir, options);
}

notary::HttpOptions notary_http_options(const ServerOptions& server) {
  notary::HttpOptions options;
  options.request_timeout = server.request_timeout;
  options.tls.ca_files = server.ca_files;
  options.tls.client_cert = server.client_cert;
  options.tls.client_key = server.client_key;
  options.tls.insecure_skip_verify = server.insecure_skip_verify;
  options.user_agent = "dtrust/0.1";
  return options;
}

notary::Credentials notary_credentials(const ServerOptions& server, const std::string& gun) {
  if (!server.notary_auth.empty()) {
    return notary::notary_env_credentials(server.notary_auth)->get("");
  }
  if (server.docker_config_dir) {
    return notary::docker_credentials(*server.docker_config_dir)
        ->get(notary::registry_credential_key(registry_host_of(gun)));
  }
  return {};
}

}  // namespace cli
