// WWW-Authenticate challenge parsing (protocol spec 2.1, 2.2).
#include <catch2/catch.hpp>

#include "notary/www_authenticate.h"

using notary::parse_www_authenticate;

TEST_CASE("www-authenticate: notary-server bearer challenge with commas in quotes",
          "[http][auth]") {
  const auto challenges =
      parse_www_authenticate(R"(Bearer realm="http://127.0.0.1:1/token",service="notary-test",)"
                             R"(scope="repository:localhost:5000/foo/bar:push,pull")");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].scheme == "bearer");
  CHECK(challenges[0].params.size() == 3);
  CHECK(challenges[0].param("realm") == "http://127.0.0.1:1/token");
  CHECK(challenges[0].param("service") == "notary-test");
  CHECK(challenges[0].param("scope") == "repository:localhost:5000/foo/bar:push,pull");
  CHECK(challenges[0].param("error") == "");
}

TEST_CASE("www-authenticate: several challenges in one header", "[http][auth]") {
  const auto challenges = parse_www_authenticate(
      R"(Basic realm="Registry Realm", Bearer realm="https://auth.docker.io/token",)"
      R"(service="registry.docker.io",error="invalid_token")");
  REQUIRE(challenges.size() == 2);
  CHECK(challenges[0].scheme == "basic");
  CHECK(challenges[0].param("realm") == "Registry Realm");
  CHECK(challenges[1].scheme == "bearer");
  CHECK(challenges[1].param("realm") == "https://auth.docker.io/token");
  CHECK(challenges[1].param("service") == "registry.docker.io");
  CHECK(challenges[1].param("error") == "invalid_token");
}

TEST_CASE("www-authenticate: case, whitespace, tokens and escapes", "[http][auth]") {
  const auto challenges =
      parse_www_authenticate("  BEARER  Realm = \"a \\\"quoted\\\" realm\" ,  Service=tok.en , ,");
  REQUIRE(challenges.size() == 1);
  CHECK(challenges[0].scheme == "bearer");
  CHECK(challenges[0].param("realm") == "a \"quoted\" realm");
  CHECK(challenges[0].param("service") == "tok.en");
}

TEST_CASE("www-authenticate: schemes without parameters and token68", "[http][auth]") {
  const auto challenges = parse_www_authenticate("Negotiate abc+/9==, Basic, Bearer realm=x");
  REQUIRE(challenges.size() == 3);
  CHECK(challenges[0].scheme == "negotiate");
  CHECK(challenges[0].token68 == "abc+/9==");
  CHECK(challenges[0].params.empty());
  CHECK(challenges[1].scheme == "basic");
  CHECK(challenges[1].params.empty());
  CHECK(challenges[2].param("realm") == "x");
}

TEST_CASE("www-authenticate: malformed input keeps only complete challenges", "[http][auth]") {
  CHECK(parse_www_authenticate("").empty());
  CHECK(parse_www_authenticate("   ").empty());
  CHECK(parse_www_authenticate("Bearer realm=\"unterminated").empty());
  const auto partial =
      parse_www_authenticate("Basic realm=\"ok\", Bearer realm=\"http://x\"junk=1");
  REQUIRE(partial.size() == 1);
  CHECK(partial[0].scheme == "basic");
  CHECK(parse_www_authenticate("=oops").empty());
}
