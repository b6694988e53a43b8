// Online: repositories verified against a Notary server through the LevelDB trust cache
// (issue 3). Also the cache-only (--offline) mode.
#ifndef DTRUST_CLI_SERVER_PROVIDER_H_
#define DTRUST_CLI_SERVER_PROVIDER_H_

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "repo_provider.h"
#include "trustcache/store.h"

namespace cli {

struct ServerOptions {
  std::string server_url;  // "https://host[:port]"; "" = derive from the GUN as docker does
  std::vector<std::filesystem::path> ca_files;    // --tlscacert and $DOCKER_CONFIG/tls/<host>/*.crt
  std::filesystem::path client_cert, client_key;  // mTLS pair from $DOCKER_CONFIG/tls/<host>/
  bool insecure_skip_verify = false;              // docker: loopback registries
  std::filesystem::path trust_dir;                // ~/.docker/trust unless -d
  std::filesystem::path cache_dir;                // <trust dir>/dtrust-cache unless set
  std::optional<std::string> docker_config_dir;   // credentials from config.json
  std::string notary_auth;                        // NOTARY_AUTH (notary family)
  bool offline = false;                           // answer from the cache alone
  bool build_index = false;  // build the tag index on sync (lookup/resolve use it next time)
  std::chrono::milliseconds request_timeout{30000};
};

// The registry host of a GUN: its first component when that looks like a host (docker's rule:
// it contains "." or ":", or is "localhost"), else "docker.io".
std::string registry_host_of(const std::string& gun);

// Where the Notary server for `gun` is when none was given (docker-trust-cli.md 5.3):
// https://notary.docker.io for docker.io GUNs, else https://<registry host[:port]>.
std::string default_server_for(const std::string& gun);

// The server flags' URL (-s / DOCKER_CONTENT_TRUST_SERVER), else default_server_for(gun).
std::string notary_server_url(const ServerOptions& server, const std::string& gun);

// The trust cache the server flags name (--trust-dir's dtrust-cache unless a cache folder was
// given). It is not opened until its first operation, a read in every command that syncs or
// publishes, which reports a corrupt or locked cache.
tuf::Result<std::unique_ptr<trustcache::Store>> open_trust_cache(const ServerOptions& server);

// The HTTP client the server flags ask for: timeout, extra CAs, client pair, user agent.
notary::HttpOptions notary_http_options(const ServerOptions& server);

// The credentials for `gun`'s notary server as docker finds them: NOTARY_AUTH, else the
// image registry's entry in config.json (never the notary host's); none without either.
notary::Credentials notary_credentials(const ServerOptions& server, const std::string& gun);

// A provider that syncs each GUN with the server (spec 6.4), commits what verified to the
// trust cache in one batch, and returns the verified view. Warnings (cached timestamp used,
// skipped delegations, answer age in offline mode) go to `warn`, one line each.
std::unique_ptr<RepoProvider> make_server_provider(ServerOptions server, VerifyOptions verify,
                                                   std::function<void(const std::string&)> warn);

}  // namespace cli

#endif  // DTRUST_CLI_SERVER_PROVIDER_H_
