// Token authentication (notary/auth.h): the token requests an Authorizer sends to a fake token
// service on loopback (query parameters, Basic credentials, the OAuth refresh-token POST), and
// one round trip through the real token service and notary-server. Token answers are tested in
// auth_answers_test.cpp, challenges and the ping in auth_challenges_test.cpp.
// Spec notary-v1-protocol.md 2, test-peers-recipes.md 1.3-1.9.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "auth_test_util.h"
#include "notary/auth.h"
#include "notary/http_client.h"
#include "notary_server.h"
#include "token_service.h"

using namespace auth_test;
using notary::Authorizer;
using notary::Credentials;
using notary::HttpClient;

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
