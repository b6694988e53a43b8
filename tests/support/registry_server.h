// A real Debian `docker-registry` (distribution 2.8) on 127.0.0.1, daemonless, for the tests
// of `sign`'s registry look-up, and a pusher that puts an image into it through the Registry
// HTTP API v2 (no docker daemon, no skopeo).
//
// Recipe: spec test-peers-recipes.md §2.1 (config, in-memory storage, `addr: 127.0.0.1:0`
// with the real port read from the log, §0.3), §2.3 (monolithic blob upload: POST, then PUT
// to the Location with `&digest=`, Content-Type application/octet-stream) and §2.4 (manifest
// PUT with the manifest's media type). The registry serves TLS with the shared test PKI of
// test_http_server.h (certificate for DNS:localhost and IP:127.0.0.1), so clients reach it as
// https://localhost:<port>, the way a reference `localhost:<port>/repo:tag` names it.
// Optional htpasswd auth (bcrypt entries made with the `htpasswd` tool, §2.1) or token auth.
//
// Tests only: set-up and push failures throw std::runtime_error carrying the registry log.
// The process is killed and reaped by the destructor. Not thread-safe.
#ifndef DTRUST_TESTS_SUPPORT_REGISTRY_SERVER_H_
#define DTRUST_TESTS_SUPPORT_REGISTRY_SERVER_H_

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace testing {

inline constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";
inline constexpr const char* kHtpasswdBinary = "/usr/bin/htpasswd";

struct RegistryServerOptions {
  bool tls = true;  // false: plain http, as a default `registry:2` serves
  // user -> password pairs for htpasswd (Basic) auth; empty = no htpasswd.
  std::vector<std::pair<std::string, std::string>> users;
  // Docker token auth (§2.1 "Token"; a TokenService provides realm and bundle). Set both or
  // neither; not together with `users`.
  std::string token_realm;
  std::filesystem::path token_root_bundle;
  std::string token_service = "registry-test";
  std::string token_issuer = "test-token-issuer";
};

// What push_image put into the registry.
struct PushedImage {
  std::string manifest;    // the exact manifest bytes PUT
  std::string media_type;  // its Content-Type
  std::string sha256_hex;  // sha256 of `manifest`
  std::int64_t size = 0;   // manifest.size()
};

class RegistryServer {
 public:
  // True when docker-registry is installed (and htpasswd, when `need_htpasswd`).
  static bool available(bool need_htpasswd = false);

  // Starts the registry and waits until GET /v2/ answers (200, or 401 with auth; 5 s limit).
  explicit RegistryServer(RegistryServerOptions options = {});
  ~RegistryServer();
  RegistryServer(const RegistryServer&) = delete;
  RegistryServer& operator=(const RegistryServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "localhost:<port>": the registry part of an image reference.
  std::string host() const { return "localhost:" + std::to_string(port_); }
  std::string url() const { return (options_.tls ? "https://" : "http://") + host(); }
  // The CA of the registry's certificate.
  std::filesystem::path ca_file() const;
  std::string log_text() const;

  // Pushes a schema2 image under `repository:tag`: a config blob and a layer blob (both
  // unique to `repository:tag` and `variant`, so each gets its own digest; pushing another
  // variant moves the tag), then the manifest. `user`/`password` authenticate when the
  // registry has auth (Basic, or a token for `repository:<repository>:pull,push`).
  PushedImage push_image(const std::string& repository, const std::string& tag,
                         const std::string& variant = "", const std::string& user = "",
                         const std::string& password = "");

  // PUTs `manifest` (bytes verbatim) as `repository:tag` with Content-Type `media_type`, e.g. a
  // Docker manifest list or an OCI index whose children are already in the repository (§2.4).
  PushedImage put_manifest(const std::string& repository, const std::string& tag,
                           const std::string& media_type, const std::string& manifest,
                           const std::string& user = "", const std::string& password = "");

 private:
  void stop();

  RegistryServerOptions options_;
  TempDir dir_;
  std::filesystem::path log_file_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_REGISTRY_SERVER_H_
