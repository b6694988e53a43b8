// Helpers for the token authentication tests (notary/auth.h): a fake token service and a fake
// notary server on loopback, the credentials and scopes they use, and bearer_of, which asks an
// Authorizer for the one Authorization header of a scope.
#ifndef DTRUST_TESTS_NOTARY_AUTH_TEST_UTIL_H_
#define DTRUST_TESTS_NOTARY_AUTH_TEST_UTIL_H_

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "test_http_server.h"
#include "tuf/time.h"

namespace auth_test {

using Handler = std::function<testing::TestReply(const testing::TestRequest&)>;

inline constexpr const char* kAliceBasic = "Basic YWxpY2U6YWxpY2Vwdw==";  // alice:alicepw
inline constexpr const char* kPullScope = "repository:localhost:5000/foo/bar:pull";
inline constexpr const char* kPushPullScope = "repository:localhost:5000/foo/bar:push,pull";
inline constexpr const char* kEscapedPull = "repository%3Alocalhost%3A5000%2Ffoo%2Fbar%3Apull";

inline notary::Credentials alice() { return notary::Credentials{"alice", "alicepw", ""}; }

inline notary::HttpOptions fast_options() {
  using namespace std::chrono_literals;
  notary::HttpOptions options;
  options.connect_timeout = 2000ms;
  options.request_timeout = 2000ms;
  options.use_proxy_env = false;
  return options;
}

inline Handler token_json(std::string body) {
  return [body](const testing::TestRequest&) {
    return testing::TestReply::ok(body).header("Content-Type", "application/json");
  };
}

// An RFC 3339 instant `seconds` before now, for issued_at.
inline std::string issued_ago(double seconds) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now().time_since_epoch() - std::chrono::duration<double>(seconds));
  const int64_t count = ns.count();
  return tuf::format_rfc3339_utc(
      tuf::Time{count / 1000000000, static_cast<int32_t>(count % 1000000000)});
}

// A token service on loopback whose answer each test chooses.
class Realm {
 public:
  explicit Realm(Handler reply) : reply_(std::move(reply)) {}
  std::string url() const { return server_.url("/token"); }
  std::vector<testing::TestRequest> requests() const { return server_.requests(); }

 private:
  Handler reply_;  // before server_: alive while the server runs
  testing::TestHttpServer server_{
      [this](const testing::TestRequest& request) { return reply_(request); }};
};

// A notary server whose /v2/ ping answers 401 with `challenge` (200 when it is empty); every
// other request is answered 200 "ok".
class FakeNotary {
 public:
  explicit FakeNotary(std::string challenge) : challenge_(std::move(challenge)) {}
  std::string url() const { return server_.url(""); }
  std::vector<testing::TestRequest> requests() const { return server_.requests(); }

 private:
  testing::TestReply answer(const testing::TestRequest& request) const {
    if (request.target != "/v2/" || challenge_.empty()) return testing::TestReply::ok("{}");
    return testing::TestReply::with_status(
               401, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})")
        .header("Www-Authenticate", challenge_);
  }
  std::string challenge_;
  testing::TestHttpServer server_{
      [this](const testing::TestRequest& request) { return answer(request); }};
};

inline std::string bearer_challenge(const std::string& realm) {
  return "Bearer realm=\"" + realm + "\",service=\"notary-test\",scope=\"registry:catalog:*\"";
}

// A token service plus a notary server that points at it (spec recipes 1.3).
struct BearerPeers {
  explicit BearerPeers(Handler reply = token_json(R"({"token":"tok-1"})"))
      : realm(std::move(reply)), notary(bearer_challenge(realm.url())) {}
  notary::Authorizer authorizer(notary::Credentials credentials = {}) {
    return notary::Authorizer(http, notary.url(), std::move(credentials));
  }
  Realm realm;
  FakeNotary notary;
  notary::HttpClient http{fast_options()};
};

inline std::string bearer_of(notary::Authorizer& authorizer, const std::string& scope) {
  auto headers = authorizer.headers_for(scope);
  if (!headers.ok()) FAIL(headers.error().message());
  REQUIRE(headers->size() == 1);
  CHECK(headers->at(0).first == "Authorization");
  return headers->at(0).second;
}

// A port nothing listens on (a server that was just stopped).
inline std::uint16_t closed_port() {
  testing::TestHttpServer server(
      [](const testing::TestRequest&) { return testing::TestReply::ok(); });
  return server.port();
}

}  // namespace auth_test

#endif  // DTRUST_TESTS_NOTARY_AUTH_TEST_UTIL_H_
