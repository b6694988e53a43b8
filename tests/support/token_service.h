// An in-process Docker-style token service (the "realm") for notary-server's token auth, on
// 127.0.0.1 with an ephemeral port. Spec test-peers-recipes.md §1.4–1.6.
//
// Endpoints (path /token):
//  * GET  ?account=&scope=(repeatable)&service=  with optional `Authorization: Basic`.
//  * POST form  grant_type=refresh_token&refresh_token=&scope=(space-joined)&service=.
// Users: alice/alicepw gets every action she asks for, bob/bobpw only `pull`, anonymous
// callers `pull` (nothing in strict mode). A wrong password or unknown user → 401
// {"details":"bad credentials"}; an unknown refresh token → 400 {"error":"invalid_grant"}.
// `offline_token=true` (docker login) adds a refresh_token "rt-<user>-<n>" to the answer.
//
// Tokens: ES256 JWS with header {"alg":"ES256","typ":"JWT","x5c":[<signing cert>]} and
// claims iss, sub, aud (a string: the requested service), exp (now+300), nbf, iat, jti and
// access; the signature is raw r||s. The self-signed signing certificate is written to
// root_cert_bundle(), which goes into notary-server's `rootcertbundle`.
//
// Tests only: set-up failures throw std::runtime_error. Thread-safe: requests are served on
// several threads and every accessor may be called concurrently with them.
#ifndef DTRUST_TESTS_SUPPORT_TOKEN_SERVICE_H_
#define DTRUST_TESTS_SUPPORT_TOKEN_SERVICE_H_

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.h"

namespace testing {

class TestHttpServer;
struct TestRequest;
struct TestReply;

// A scope split at the first and last ':' (names contain host:port, §1.4).
struct TokenScope {
  std::string type;                  // "repository", "registry"
  std::string name;                  // the full GUN, e.g. "127.0.0.1:5000/test/app"
  std::vector<std::string> actions;  // as sent, e.g. {"push", "pull"} or {"*"}
};
// Parses "<type>:<name>:<actions>"; false when there are fewer than two ':'.
bool parse_token_scope(std::string_view text, TokenScope* out);

// One request the service received, as a test would want to assert on it.
struct TokenRequestRecord {
  std::string method;                                      // GET or POST
  std::string path;                                        // "/token"
  std::string query;                                       // raw query string (without '?')
  std::map<std::string, std::vector<std::string>> params;  // decoded query + form fields
  std::vector<std::string> scopes;  // decoded scope strings (POST: split at spaces)
  std::string account;              // "account" parameter ("" if absent)
  std::string service;
  bool has_authorization = false;  // an Authorization header was present
  std::string user;                // authenticated user, "" = anonymous
  int status = 0;                  // what the service answered
};

struct TokenServiceOptions {
  std::string issuer = "test-token-issuer";
  bool strict = false;  // anonymous callers get no access at all
  int expires_in = 300;
};

class TokenService {
 public:
  explicit TokenService(TokenServiceOptions options = {});
  ~TokenService();
  TokenService(const TokenService&) = delete;
  TokenService& operator=(const TokenService&) = delete;

  // "http://127.0.0.1:<port>/token".
  std::string realm() const;
  std::uint16_t port() const;
  // PEM file with the token-signing certificate.
  const std::filesystem::path& root_cert_bundle() const { return bundle_file_; }
  const std::string& issuer() const { return options_.issuer; }

  void set_strict(bool strict);
  std::vector<TokenRequestRecord> requests() const;
  void clear_requests();
  // Every scope string requested so far, in order (with duplicates).
  std::vector<std::string> requested_scopes() const;

  // The JWT this service would issue to `user` for `service` with these granted scopes.
  std::string make_token(const std::string& user, const std::string& service,
                         const std::vector<TokenScope>& granted) const;

 private:
  struct Signer;
  TestReply handle(const TestRequest& request);
  // The actions `user` ("" = anonymous) gets out of `requested`.
  std::vector<std::string> grant(const std::string& user,
                                 const std::vector<std::string>& requested) const;

  TokenServiceOptions options_;
  TempDir dir_;
  std::filesystem::path bundle_file_;
  std::unique_ptr<Signer> signer_;
  mutable std::mutex mu_;
  bool strict_ = false;                         // GUARDED_BY(mu_)
  std::vector<TokenRequestRecord> records_;     // GUARDED_BY(mu_)
  std::map<std::string, std::string> refresh_;  // token → user; GUARDED_BY(mu_)
  std::uint64_t next_id_ = 1;                   // GUARDED_BY(mu_)
  std::unique_ptr<TestHttpServer> server_;      // last: stopped first
};

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_TOKEN_SERVICE_H_
