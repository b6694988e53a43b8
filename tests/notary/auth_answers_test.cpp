// Token authentication (notary/auth.h): what an Authorizer makes of the token service's answer
// (access_token or token, expires_in and issued_at, errors), how it caches tokens per scope
// and shares one request among concurrent callers, and a token service it cannot use.
// Spec notary-v1-protocol.md 2, test-peers-recipes.md 1.3-1.9.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "auth_test_util.h"
#include "notary/auth.h"
#include "notary/http_client.h"
#include "test_http_server.h"
#include "tuf/result.h"

using namespace std::chrono_literals;
using namespace auth_test;
using notary::Authorizer;
using notary::HttpClient;
using testing::TestReply;
using testing::TestRequest;
using tuf::ErrorKind;

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
