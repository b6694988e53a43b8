// Token authentication (notary/auth.h): the server's challenge (Bearer, Basic or none) and the
// /v2/ ping that finds it, against fake notary servers and token services on loopback, and
// config.json credentials driving a token request end to end. The credential lookup itself is
// tested in auth_credentials_test.cpp.
// Spec notary-v1-protocol.md 2, test-peers-recipes.md 1.3-1.9.
#include <catch2/catch.hpp>
#include <string>

#include "auth_test_util.h"
#include "notary/auth.h"
#include "notary/http_client.h"
#include "test_http_server.h"
#include "test_support.h"
#include "tuf/result.h"

using namespace auth_test;
using notary::Authorizer;
using notary::Credentials;
using notary::HttpClient;
using testing::TempDir;
using testing::TestHttpServer;
using testing::TestReply;
using testing::TestRequest;
using tuf::ErrorKind;

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
