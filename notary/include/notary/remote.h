// The Notary v1 server API for one GUN (spec notary-v1-protocol.md 1): metadata downloads by
// name, checksum and version, the server-managed keys, publish and delete.
#ifndef DTRUST_NOTARY_REMOTE_H_
#define DTRUST_NOTARY_REMOTE_H_

#include <atomic>
#include <cstddef>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notary/auth.h"
#include "notary/background.h"
#include "notary/http_client.h"
#include "tuf/keys.h"
#include "tuf/result.h"

namespace notary {

// Download caps the Go client enforces (spec 1.8).
inline constexpr std::size_t kMaxTimestampBytes = 1u << 20;
inline constexpr std::size_t kMaxUnknownSizeBytes = 100u << 20;  // root.json, <v>.root.json
inline constexpr std::size_t kMaxKeyBytes = 256u << 10;
inline constexpr std::size_t kMaxErrorBodyBytes = 1u << 10;

// A file to upload: the role name (no ".json") and its exact bytes.
struct RoleFile {
  std::string role;
  std::string bytes;
};

// Thread-safe if the HttpClient and Authorizer are (they are).
class Remote {
 public:
  // `server_url` as the user gave it ("https://notary.example.com[:port][/prefix]"); a trailing
  // "/" is dropped. `auth` may be null (no authentication). Both must outlive the Remote.
  Remote(HttpClient& http, Authorizer* auth, std::string server_url, std::string gun);

  // GET <role>.json. Status mapping (spec 1.3): 404 -> kNotFound, 401/403 -> kUnauthorized,
  // others -> kServerError; a body over `max_bytes` -> kTooLarge. Errors name GUN and role.
  tuf::Result<std::string> get_role(std::string_view role, std::size_t max_bytes);
  // Starts get_role(role, max_bytes) on a background thread, so the download overlaps the
  // caller's local work (the warm path verifies the cached root meanwhile). The next
  // get_role(role, max_bytes) returns that result instead of sending again; it is used once. A
  // second prefetch of a role still pending or unused is a no-op. The Remote's destructor waits
  // for an unused prefetch to finish.
  void prefetch_role(std::string_view role, std::size_t max_bytes);
  // Hands `bytes`, just downloaded by get_role(role, max_bytes), to the next such call, which
  // then sends nothing: a caller that fetched a role and then falls back to a full sync.
  void offer_role(std::string_view role, std::size_t max_bytes, std::string bytes);
  // Drops an unused prefetch or offer of `role` (waiting for a download still running): the
  // operation that started it is over, and a later get_role must not see an old answer.
  void discard_prefetch(std::string_view role);
  // GET <role>.<sha256 hex>.json (consistent name). `max_bytes` is the length the parent's meta
  // names: the body may not exceed it, and the buffer is sized for it up front.
  tuf::Result<std::string> get_role_by_hash(std::string_view role, std::string_view sha256_hex,
                                            std::size_t max_bytes);
  // GET <version>.root.json.
  tuf::Result<std::string> get_root_version(int64_t version);
  // GET timestamp.key / snapshot.key: the server's public key for that role (creates one).
  tuf::Result<tuf::PublicKey> get_server_key(std::string_view role);
  // POST <role>.key: a new pending server key (rotation).
  tuf::Result<tuf::PublicKey> rotate_server_key(std::string_view role);
  // One multipart POST of all files (spec 1.4). 400 VERSION -> kConflict; other 400 ->
  // kRejected with the server's validation message.
  tuf::Status publish(const std::vector<RoleFile>& files);
  // DELETE the GUN's trust data.
  tuf::Status delete_all();

  const std::string& gun() const { return gun_; }
  const std::string& server_url() const { return server_url_; }
  // host:port of the server, as notary names it in "does not have trust data" messages.
  std::string server_host_port() const;
  int requests() const { return requests_.load(); }
  // Ready once the HTTP client's TLS context exists or failed to build (see
  // HttpClient::tls_context_built); nullopt when the server URL is not https.
  std::optional<std::shared_future<void>> tls_context_built() const;

 private:
  // One request for <server>/v2/<gun>/_trust/tuf/<file>.
  struct Call {
    std::string_view method;
    std::string file;
    std::string_view scope_actions;  // of the token scope repository:<gun>:<actions>
    std::size_t max_bytes;           // cap on the response body
    std::size_t expected_bytes = 0;  // the body's exact length when known (0: not known)
    std::string body = {};
    std::string content_type = {};
  };
  tuf::Result<HttpResponse> send(Call call);
  tuf::Error status_error(const HttpResponse& response, std::string_view role) const;
  tuf::Result<std::string> fetch_role(std::string_view role, std::size_t max_bytes);

  HttpClient& http_;
  Authorizer* auth_;
  std::string server_url_;
  std::string gun_;
  std::atomic<int> requests_{0};

  struct Prefetch {
    std::size_t max_bytes;
    Background<tuf::Result<std::string>> result;
  };
  std::mutex prefetch_mu_;
  // Declared last, destroyed first: an unused prefetch finishes before the members it uses go.
  std::map<std::string, Prefetch, std::less<>> prefetched_;
};

// Discards the Remote's unused prefetch of a role when the scope that started it ends (a null
// Remote: nothing to do).
class PrefetchScope {
 public:
  PrefetchScope(Remote* remote, std::string_view role) : remote_(remote), role_(role) {}
  ~PrefetchScope() {
    if (remote_ != nullptr) remote_->discard_prefetch(role_);
  }
  PrefetchScope(const PrefetchScope&) = delete;
  PrefetchScope& operator=(const PrefetchScope&) = delete;

 private:
  Remote* remote_;
  std::string role_;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_REMOTE_H_
