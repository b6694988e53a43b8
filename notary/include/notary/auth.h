// Docker registry token authentication for Notary servers (spec notary-v1-protocol.md 2,
// docker-trust-cli.md 5.5): ping /v2/, remember the challenge, fetch and cache bearer tokens
// for the scope an operation needs, and add Authorization headers proactively.
#ifndef DTRUST_NOTARY_AUTH_H_
#define DTRUST_NOTARY_AUTH_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "notary/http_client.h"
#include "tuf/result.h"

namespace notary {

// Registry credentials as docker stores them.
struct Credentials {
  std::string username;
  std::string password;
  std::string identity_token;  // OAuth refresh token ("<token>" helper user / identitytoken)
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// Where credentials come from. Implementations: docker's config.json (auths, credHelpers,
// credsStore), notary's NOTARY_AUTH, fixed values for tests.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // Credentials for a registry key (docker: "https://index.docker.io/v1/" for Docker Hub,
  // else "host[:port]"), or empty Credentials when there are none. Never fails: a missing or
  // broken helper means anonymous, as in docker.
  virtual Credentials get(const std::string& registry_key) = 0;
};

// Per-process authorizer for one Notary server. Thread-safe: tokens are cached per scope
// and shared between threads; a token is fetched once per scope per process (refetched when
// it expires).
class Authorizer {
 public:
  // `server_url` is the Notary base URL (scheme://host[:port][/prefix]); `credentials` are the
  // ones for the image's registry (docker looks them up under the registry, not the notary
  // host). The HttpClient must outlive the Authorizer.
  Authorizer(HttpClient& http, std::string server_url, Credentials credentials);

  // GET <server_url>/v2/ (the URL is used verbatim, redirects followed) and records the
  // challenge of a 401 answer; only its realm and service are used (a Bearer challenge is
  // preferred over Basic). 2xx = no auth needed. A transport failure (kNetwork etc., as
  // HttpClient reports it) or another status (kServerError) is returned as an error and
  // leaves no challenge recorded: the caller decides between offline mode (notary) and going
  // on without auth (docker). The deadlines are the HttpClient's (docker pings within 5 s;
  // give the client a 5 s request_timeout to match). Calling ping() again re-pings.
  tuf::Status ping();

  // Headers to add to a request that needs `scope` (e.g. "repository:<gun>:pull" or
  // "repository:<gun>:push,pull"): `Authorization: Bearer <token>` for a Bearer challenge
  // (token fetched from the realm with GET ?account=&scope=&service= and Basic credentials,
  // or an OAuth POST with the identity token), `Authorization: Basic ...` for a Basic
  // challenge with username and password, nothing when the server did not challenge (or
  // there are no usable credentials for Basic). If ping() was never called, it is called
  // first and its error returned; after a failed ping() the answer is "no headers".
  // Tokens are cached per scope string until issued_at + max(expires_in, 60 s).
  // Errors: kUnauthorized ("unauthorized: <details>") when the token service refuses (401/403,
  // or 400 with an OAuth error such as invalid_grant), kServerError for other statuses or a
  // challenge without a usable realm, kNetwork (or the HttpClient's other kinds) when it
  // cannot be reached, kMalformed for an answer without a token or with badly typed fields.
  tuf::Result<std::vector<std::pair<std::string, std::string>>> headers_for(
      const std::string& scope);

  // Whether a challenge is known (from ping() or learn_challenge()).
  bool challenge_known() const;

  // Records the challenge of a 401 response to an ordinary request, as an alternative to
  // ping(): lets a client skip the ping against servers that need no auth, and learn the
  // realm from the first refused request otherwise. False when the response carries none.
  bool learn_challenge(const HttpResponse& response);

  // Number of token requests sent, failed ones included (tests and benchmarks count them).
  int token_requests() const;

  struct Impl;  // defined in auth.cpp; copies of an Authorizer share one Impl (and its cache)

 private:
  std::shared_ptr<Impl> impl_;
};

// Docker's credential lookup in <docker_config_dir>/config.json (the caller resolves
// $DOCKER_CONFIG or ~/.docker): credHelpers[key] -> run `docker-credential-<name> get` from
// PATH with the key on stdin; else credsStore likewise; else auths[key] (`auth` =
// base64(user:pass), or username/password fields; `identitytoken`). auths keys are
// normalised (scheme and path stripped) as docker does. A helper answering "credentials not
// found in native keychain" means anonymous; any other helper failure (missing executable,
// bad output, killed after 60 s) falls back to auths, as docker's native store does. The
// file is read once, here; a missing or unparsable file means no credentials. Each key's
// answer is cached for the life of the source. Thread-safe.
std::unique_ptr<CredentialSource> docker_credentials(const std::string& docker_config_dir);

// notary CLI: NOTARY_AUTH = base64(user:password) (password trimmed), the same for every
// key. Undecodable text, no ':' or an empty user name gives empty Credentials.
std::unique_ptr<CredentialSource> notary_env_credentials(const std::string& notary_auth_value);

// The registry key docker uses for credentials of an image's registry host:
// "docker.io" (or "index.docker.io") -> "https://index.docker.io/v1/", else the
// host[:port] as written.
std::string registry_credential_key(const std::string& registry_host);

}  // namespace notary

#endif  // DTRUST_NOTARY_AUTH_H_
