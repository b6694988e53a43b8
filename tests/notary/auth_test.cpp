// Token authentication (notary/auth.h) against fake notary servers and token services on
// loopback, and one round trip through the real token service and notary-server. The
// credential lookup itself is tested in auth_credentials_test.cpp.
// Spec notary-v1-protocol.md 2, test-peers-recipes.md 1.3-1.9.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "notary_server.h"
#include "test_http_server.h"
#include "test_support.h"
#include "token_service.h"
#include "tuf/time.h"

using namespace std::chrono_literals;
using notary::Authorizer;
using notary::Credentials;
using notary::HttpClient;
using testing::TempDir;
using testing::TestHttpServer;
using testing::TestReply;
using testing::TestRequest;
using tuf::ErrorKind;
namespace fs = std::filesystem;

namespace {

using Handler = std::function<TestReply(const TestRequest&)>;

constexpr const char* kAliceBasic = "Basic YWxpY2U6YWxpY2Vwdw==";  // alice:alicepw
constexpr const char* kPullScope = "repository:localhost:5000/foo/bar:pull";
constexpr const char* kPushPullScope = "repository:localhost:5000/foo/bar:push,pull";
constexpr const char* kEscapedPull = "repository%3Alocalhost%3A5000%2Ffoo%2Fbar%3Apull";

Credentials alice() { return Credentials{"alice", "alicepw", ""}; }

notary::HttpOptions fast_options() {
  notary::HttpOptions options;
  options.connect_timeout = 2000ms;
  options.request_timeout = 2000ms;
  options.use_proxy_env = false;
  return options;
}

Handler token_json(std::string body) {
  return [body](const TestRequest&) {
    return TestReply::ok(body).header("Content-Type", "application/json");
  };
}

// An RFC 3339 instant `seconds` before now, for issued_at.
std::string issued_ago(double seconds) {
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
  std::vector<TestRequest> requests() const { return server_.requests(); }

 private:
  Handler reply_;  // before server_: alive while the server runs
  TestHttpServer server_{[this](const TestRequest& request) { return reply_(request); }};
};

// A notary server whose /v2/ ping answers 401 with `challenge` (200 when it is empty); every
// other request is answered 200 "ok".
class FakeNotary {
 public:
  explicit FakeNotary(std::string challenge) : challenge_(std::move(challenge)) {}
  std::string url() const { return server_.url(""); }
  std::vector<TestRequest> requests() const { return server_.requests(); }

 private:
  TestReply answer(const TestRequest& request) const {
    if (request.target != "/v2/" || challenge_.empty()) return TestReply::ok("{}");
    return TestReply::with_status(
               401, R"({"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]})")
        .header("Www-Authenticate", challenge_);
  }
  std::string challenge_;
  TestHttpServer server_{[this](const TestRequest& request) { return answer(request); }};
};

std::string bearer_challenge(const std::string& realm) {
  return "Bearer realm=\"" + realm + "\",service=\"notary-test\",scope=\"registry:catalog:*\"";
}

// A token service plus a notary server that points at it (spec recipes 1.3).
struct BearerPeers {
  explicit BearerPeers(Handler reply = token_json(R"({"token":"tok-1"})"))
      : realm(std::move(reply)), notary(bearer_challenge(realm.url())) {}
  Authorizer authorizer(Credentials credentials = {}) {
    return Authorizer(http, notary.url(), std::move(credentials));
  }
  Realm realm;
  FakeNotary notary;
  HttpClient http{fast_options()};
};

std::string bearer_of(Authorizer& authorizer, const std::string& scope) {
  auto headers = authorizer.headers_for(scope);
  if (!headers.ok()) FAIL(headers.error().message());
  REQUIRE(headers->size() == 1);
  CHECK(headers->at(0).first == "Authorization");
  return headers->at(0).second;
}

// A port nothing listens on (a server that was just stopped).
std::uint16_t closed_port() {
  TestHttpServer server([](const TestRequest&) { return TestReply::ok(); });
  return server.port();
}

}  // namespace

// ---- Token requests ------------------------------------------------------------------------

TEST_CASE("auth: token request with user and password has account, sorted query and Basic",
          "[auth]") {
  BearerPeers peers;
  Authorizer authorizer = peers.authorizer(alice());
  REQUIRE(authorizer.ping().ok());
  CHECK(bearer_of(authorizer, kPushPullScope) == "Bearer tok-1");

  const auto requests = peers.realm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].target ==
        "/token?account=alice&scope=repository%3Alocalhost%3A5000%2Ffoo%2Fbar%3Apush%2Cpull"
        "&service=notary-test");
  CHECK(requests[0].header("Authorization") == kAliceBasic);
  // The ping itself goes out without credentials.
  const auto pings = peers.notary.requests();
  REQUIRE(pings.size() == 1);
  CHECK(pings[0].target == "/v2/");
  CHECK(pings[0].header("Authorization").empty());
}

TEST_CASE("auth: anonymous token request has only scope and service", "[auth]") {
  const Credentials no_password{"alice", "", ""};  // Basic needs both user and password
  for (const Credentials& credentials : {Credentials{}, no_password}) {
    BearerPeers peers;
    Authorizer authorizer = peers.authorizer(credentials);
    CHECK(bearer_of(authorizer, kPullScope) == "Bearer tok-1");
    const auto requests = peers.realm.requests();
    REQUIRE(requests.size() == 1);
    CHECK(requests[0].target ==
          std::string("/token?scope=") + kEscapedPull + "&service=notary-test");
    CHECK(requests[0].header("Authorization").empty());
  }
}

TEST_CASE("auth: delete scope is escaped as Go escapes it", "[auth]") {
  BearerPeers peers;
  Authorizer authorizer = peers.authorizer(alice());
  bearer_of(authorizer, "repository:localhost:5000/foo/gone:*");
  const auto requests = peers.realm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target ==
        "/token?account=alice&scope=repository%3Alocalhost%3A5000%2Ffoo%2Fgone%3A%2A"
        "&service=notary-test");
}

TEST_CASE("auth: query parameters of the realm are kept and sorted in", "[auth]") {
  Realm realm(token_json(R"({"token":"t"})"));
  FakeNotary notary(bearer_challenge(realm.url() + "?zone=eu&audience=x+y"));
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url(), {});
  bearer_of(authorizer, kPullScope);
  const auto requests = realm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target ==
        std::string("/token?audience=x+y&scope=") + kEscapedPull + "&service=notary-test&zone=eu");
}

TEST_CASE("auth: identity token is sent as an OAuth refresh-token POST and wins over Basic",
          "[auth]") {
  BearerPeers peers(token_json(R"({"access_token":"oauth-tok","refresh_token":"rt-2"})"));
  Authorizer authorizer = peers.authorizer(Credentials{"alice", "alicepw", "rt-alice"});
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer oauth-tok");

  const auto requests = peers.realm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].target == "/token");
  CHECK(requests[0].header("Content-Type") == "application/x-www-form-urlencoded");
  CHECK(requests[0].header("Authorization").empty());
  CHECK(requests[0].body == std::string("client_id=docker&grant_type=refresh_token"
                                        "&refresh_token=rt-alice&scope=") +
                                kEscapedPull + "&service=notary-test");
}

// ---- Token answers and caching ---------------------------------------------------------------

TEST_CASE("auth: a token is fetched once per scope and reused", "[auth]") {
  int issued = 0;
  std::mutex mu;
  BearerPeers peers([&](const TestRequest&) {
    std::lock_guard lock(mu);
    return TestReply::ok(R"({"token":"tok-)" + std::to_string(++issued) + R"("})");
  });
  Authorizer authorizer = peers.authorizer(alice());
  for (int i = 0; i < 5; ++i) CHECK(bearer_of(authorizer, kPullScope) == "Bearer tok-1");
  CHECK(authorizer.token_requests() == 1);

  CHECK(bearer_of(authorizer, kPushPullScope) == "Bearer tok-2");
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer tok-1");
  CHECK(bearer_of(authorizer, kPushPullScope) == "Bearer tok-2");
  CHECK(authorizer.token_requests() == 2);
  CHECK(peers.realm.requests().size() == 2);
  CHECK(peers.notary.requests().size() == 1);  // one ping, done lazily by headers_for
}

TEST_CASE("auth: concurrent callers for one scope share one token request", "[auth]") {
  BearerPeers peers([](const TestRequest&) {
    TestReply reply = TestReply::ok(R"({"token":"slow"})");
    reply.delay = 200ms;
    return reply;
  });
  Authorizer authorizer = peers.authorizer();
  REQUIRE(authorizer.ping().ok());
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto headers = authorizer.headers_for(kPullScope);
      if (headers.ok() && headers->size() == 1 && headers->at(0).second == "Bearer slow") ++good;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 8);
  CHECK(peers.realm.requests().size() == 1);
}

TEST_CASE("auth: access_token wins over token", "[auth]") {
  BearerPeers peers(token_json(R"({"token":"garbage","access_token":"good","expires_in":300})"));
  Authorizer authorizer = peers.authorizer(alice());
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer good");
}

TEST_CASE("auth: expires_in below 60 s counts as 60 s from issued_at", "[auth]") {
  SECTION("1 s issued 30 s ago is still valid") {
    BearerPeers peers(
        token_json(R"({"token":"t","expires_in":1,"issued_at":")" + issued_ago(30) + "\"}"));
    Authorizer authorizer = peers.authorizer();
    bearer_of(authorizer, kPullScope);
    bearer_of(authorizer, kPullScope);
    CHECK(authorizer.token_requests() == 1);
  }
  SECTION("omitted expires_in, issued 61 s ago, is expired at once") {
    BearerPeers peers(token_json(R"({"token":"t","issued_at":")" + issued_ago(61) + "\"}"));
    Authorizer authorizer = peers.authorizer();
    bearer_of(authorizer, kPullScope);
    bearer_of(authorizer, kPullScope);
    CHECK(authorizer.token_requests() == 2);
  }
  SECTION("300 s issued 299 s ago runs out a second later") {
    BearerPeers peers(
        token_json(R"({"token":"t","expires_in":300,"issued_at":")" + issued_ago(298.8) + "\"}"));
    Authorizer authorizer = peers.authorizer();
    bearer_of(authorizer, kPullScope);
    bearer_of(authorizer, kPullScope);
    CHECK(authorizer.token_requests() == 1);
    std::this_thread::sleep_for(1500ms);
    bearer_of(authorizer, kPullScope);
    CHECK(authorizer.token_requests() == 2);
  }
}

TEST_CASE("auth: token answer errors", "[auth]") {
  struct Case {
    const char* name;
    TestReply reply;
    ErrorKind kind;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {"bad credentials", TestReply::with_status(401, R"({"details":"bad credentials"})"),
       ErrorKind::kUnauthorized, "unauthorized: bad credentials"},
      {"401 without details", TestReply::with_status(401, "nope"), ErrorKind::kUnauthorized,
       "unauthorized: authentication required"},
      {"unknown refresh token", TestReply::with_status(400, R"({"error":"invalid_grant"})"),
       ErrorKind::kUnauthorized, "unauthorized: invalid_grant"},
      {"server error", TestReply::with_status(503, "down"), ErrorKind::kServerError,
       "token service returned HTTP status 503"},
      {"no token", TestReply::ok(R"({"expires_in":300})"), ErrorKind::kMalformed,
       "authorization server did not include a token in the response"},
      {"empty tokens", TestReply::ok(R"({"token":"","access_token":""})"), ErrorKind::kMalformed,
       "authorization server did not include a token in the response"},
      {"not JSON", TestReply::ok("<html>"), ErrorKind::kMalformed,
       "unable to decode token response: not a JSON object"},
      {"issued_at not RFC 3339", TestReply::ok(R"({"token":"t","issued_at":"25 Nov 2026 12:00"})"),
       ErrorKind::kMalformed, ""},
      {"expires_in not an integer", TestReply::ok(R"({"token":"t","expires_in":"300"})"),
       ErrorKind::kMalformed, "unable to decode token response: expires_in is not an integer"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    BearerPeers peers([reply = c.reply](const TestRequest&) { return reply; });
    Authorizer authorizer = peers.authorizer(alice());
    auto headers = authorizer.headers_for(kPullScope);
    REQUIRE_FALSE(headers.ok());
    CHECK(headers.error().kind == c.kind);
    if (!c.detail.empty()) CHECK(headers.error().detail == c.detail);
  }
}

TEST_CASE("auth: a refused token is not cached", "[auth]") {
  std::atomic<int> calls{0};
  BearerPeers peers([&](const TestRequest&) {
    if (++calls == 1) return TestReply::with_status(401, R"({"details":"bad credentials"})");
    return TestReply::ok(R"({"token":"second"})");
  });
  Authorizer authorizer = peers.authorizer(alice());
  CHECK_FALSE(authorizer.headers_for(kPullScope).ok());
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer second");
  CHECK(authorizer.token_requests() == 2);
}

TEST_CASE("auth: unreachable token service is a network error", "[auth]") {
  const std::string realm = "http://127.0.0.1:" + std::to_string(closed_port()) + "/token";
  FakeNotary notary(bearer_challenge(realm));
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url(), alice());
  auto headers = authorizer.headers_for(kPullScope);
  REQUIRE_FALSE(headers.ok());
  CHECK(headers.error().kind == ErrorKind::kNetwork);
}

TEST_CASE("auth: bearer challenge without realm is a server error", "[auth]") {
  FakeNotary notary("Bearer service=\"notary-test\"");
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url(), alice());
  auto headers = authorizer.headers_for(kPullScope);
  REQUIRE_FALSE(headers.ok());
  CHECK(headers.error().kind == ErrorKind::kServerError);
}

// ---- Challenges and the ping -----------------------------------------------------------------

TEST_CASE("auth: Basic challenge gets Basic credentials and no token request", "[auth]") {
  FakeNotary notary("Basic realm=\"notary\"");
  HttpClient http(fast_options());
  Authorizer with_credentials(http, notary.url(), alice());
  REQUIRE(with_credentials.ping().ok());
  CHECK(bearer_of(with_credentials, kPullScope) == kAliceBasic);
  CHECK(with_credentials.token_requests() == 0);

  Authorizer anonymous(http, notary.url(), {});
  auto headers = anonymous.headers_for(kPullScope);
  REQUIRE(headers.ok());
  CHECK(headers->empty());
}

TEST_CASE("auth: Bearer is preferred when the server offers Basic too", "[auth]") {
  Realm realm(token_json(R"({"token":"b"})"));
  FakeNotary notary("Basic realm=\"x\", " + bearer_challenge(realm.url()));
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url(), alice());
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer b");
}

TEST_CASE("auth: a server that does not challenge gets no headers", "[auth]") {
  FakeNotary notary("");  // /v2/ answers 200
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url(), alice());
  REQUIRE(authorizer.ping().ok());
  auto headers = authorizer.headers_for(kPushPullScope);
  REQUIRE(headers.ok());
  CHECK(headers->empty());
  CHECK(authorizer.token_requests() == 0);
}

TEST_CASE("auth: ping failures are errors, and afterwards requests carry no headers", "[auth]") {
  HttpClient http(fast_options());
  SECTION("transport failure") {
    Authorizer authorizer(http, "http://127.0.0.1:" + std::to_string(closed_port()), alice());
    auto status = authorizer.ping();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ErrorKind::kNetwork);
    auto headers = authorizer.headers_for(kPullScope);
    REQUIRE(headers.ok());
    CHECK(headers->empty());
  }
  SECTION("unexpected status") {
    TestHttpServer notary([](const TestRequest&) { return TestReply::with_status(502); });
    Authorizer authorizer(http, notary.url(""), alice());
    auto status = authorizer.ping();
    REQUIRE_FALSE(status.ok());
    CHECK(status.error().kind == ErrorKind::kServerError);
  }
  SECTION("headers_for without ping reports the ping's error") {
    Authorizer authorizer(http, "http://127.0.0.1:" + std::to_string(closed_port()), alice());
    auto headers = authorizer.headers_for(kPullScope);
    REQUIRE_FALSE(headers.ok());
    CHECK(headers.error().kind == ErrorKind::kNetwork);
  }
}

TEST_CASE("auth: the ping follows redirects and keeps the server URL's path prefix", "[auth]") {
  Realm realm(token_json(R"({"token":"r"})"));
  const std::string challenge = bearer_challenge(realm.url());
  TestHttpServer notary([&](const TestRequest& request) {
    if (request.target == "/prefix/v2/") {
      return TestReply::with_status(307).header("Location", "/real/v2/");
    }
    return TestReply::with_status(401).header("Www-Authenticate", challenge);
  });
  HttpClient http(fast_options());
  Authorizer authorizer(http, notary.url("/prefix"), {});
  REQUIRE(authorizer.ping().ok());
  CHECK(bearer_of(authorizer, kPullScope) == "Bearer r");
  const auto requests = notary.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[1].target == "/real/v2/");
}

TEST_CASE("credentials: config.json credentials drive the token request end to end", "[auth]") {
  TempDir dir;
  BearerPeers peers;
  testing::write_file(dir.path() / "config.json",
                      R"({"auths":{"https://localhost:5000":{"auth":"YWxpY2U6YWxpY2Vwdw=="}}})");
  const Credentials c = notary::docker_credentials(dir.path().string())
                            ->get(notary::registry_credential_key("localhost:5000"));
  Authorizer authorizer = peers.authorizer(c);
  bearer_of(authorizer, kPullScope);
  const auto requests = peers.realm.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target ==
        std::string("/token?account=alice&scope=") + kEscapedPull + "&service=notary-test");
  CHECK(requests[0].header("Authorization") == kAliceBasic);
}

// ---- The real token service and notary-server ------------------------------------------------

TEST_CASE("auth: a token from the real token service opens the real notary-server", "[auth]") {
  if (!testing::NotaryServer::available()) {
    WARN("skipped: /usr/bin/notary-server is not installed");
    return;
  }
  testing::TokenService tokens;
  testing::NotaryServerOptions options;
  options.token_auth = true;
  options.token_realm = tokens.realm();
  options.token_root_bundle = tokens.root_cert_bundle();
  testing::NotaryServer server(options);
  HttpClient http(fast_options());
  Authorizer authorizer(http, server.url(), alice());
  REQUIRE(authorizer.ping().ok());

  const std::string gun = "localhost:5000/auth/real";
  auto headers = authorizer.headers_for("repository:" + gun + ":pull");
  if (!headers.ok()) FAIL(headers.error().message());
  REQUIRE(headers->size() == 1);
  CHECK(tokens.requested_scopes() == std::vector<std::string>{"repository:" + gun + ":pull"});

  notary::HttpRequest request;
  request.url = server.url() + "/v2/" + gun + "/_trust/tuf/root.json";
  auto without = http.send(request);
  REQUIRE(without.ok());
  CHECK(without->status == 401);
  request.headers = *headers;
  auto with = http.send(request);
  REQUIRE(with.ok());
  INFO(server.log_text());
  CHECK(with->status == 404);  // authorised; the repository does not exist yet
  CHECK(authorizer.token_requests() == 1);
}
