// Url parsing, Go-compatible query escaping and reference resolution.
#include <catch2/catch.hpp>

#include "notary/url.h"

using notary::Url;

TEST_CASE("url: https URL with port, path and query is split", "[http][url]") {
  auto url = Url::parse(
      "HTTPS://Notary.Example.COM:4443/v2/docker.io/library/alpine/_trust/tuf/"
      "root.json?x=1#frag");
  REQUIRE(url.ok());
  CHECK(url->scheme == "https");
  CHECK(url->host == "notary.example.com");
  CHECK(url->port == "4443");
  CHECK(url->target == "/v2/docker.io/library/alpine/_trust/tuf/root.json?x=1");
  CHECK_FALSE(url->ipv6_literal);
  CHECK(url->host_port() == "notary.example.com:4443");
  CHECK(url->origin() == "https://notary.example.com:4443");
  CHECK(url->host_header() == "notary.example.com:4443");
}

TEST_CASE("url: default ports are filled in and left out of the Host header", "[http][url]") {
  auto https = Url::parse("https://notary.docker.io");
  REQUIRE(https.ok());
  CHECK(https->port == "443");
  CHECK(https->target == "/");
  CHECK(https->host_header() == "notary.docker.io");
  CHECK(https->origin() == "https://notary.docker.io:443");
  CHECK(https->str() == "https://notary.docker.io/");

  auto http = Url::parse("http://localhost?q=1");
  REQUIRE(http.ok());
  CHECK(http->port == "80");
  CHECK(http->target == "/?q=1");
}

TEST_CASE("url: IPv6 literals keep brackets only where HTTP needs them", "[http][url]") {
  auto url = Url::parse("https://[::1]:4443/v2/");
  REQUIRE(url.ok());
  CHECK(url->ipv6_literal);
  CHECK(url->host == "::1");
  CHECK(url->host_port() == "[::1]:4443");
  CHECK(url->host_header() == "[::1]:4443");

  auto default_port = Url::parse("http://[2001:DB8::1]/");
  REQUIRE(default_port.ok());
  CHECK(default_port->host == "2001:db8::1");
  CHECK(default_port->host_header() == "[2001:db8::1]");
}

TEST_CASE("url: unusable URLs are rejected as usage errors", "[http][url]") {
  for (const char* text :
       {"ftp://example.com/", "example.com/path", "https://", "https:///path", "https://host:0/",
        "https://host:65536/", "https://host:12a/", "https://user:pw@host/", "https://[::1/",
        "https://[not-v6]/", "https://ho st/", "https://host/a b", "https://host/a\r\nX: y",
        "https://host]/"}) {
    INFO(text);
    auto url = Url::parse(text);
    REQUIRE_FALSE(url.ok());
    CHECK(url.error().kind == tuf::ErrorKind::kUsage);
  }
}

TEST_CASE("url: non-ASCII path bytes are percent-encoded", "[http][url]") {
  auto url = Url::parse("https://h/\xC3\xA9t\xC3\xA9");
  REQUIRE(url.ok());
  CHECK(url->target == "/%C3%A9t%C3%A9");
}

TEST_CASE("url: query_escape follows Go's url.QueryEscape", "[http][url]") {
  CHECK(notary::query_escape("repository:localhost:5000/foo/bar:push,pull") ==
        "repository%3Alocalhost%3A5000%2Ffoo%2Fbar%3Apush%2Cpull");
  CHECK(notary::query_escape("a b+c") == "a+b%2Bc");
  CHECK(notary::query_escape("AZaz09-_.~") == "AZaz09-_.~");
  CHECK(notary::query_escape("*") == "%2A");
  CHECK(notary::query_escape(std::string("\x00\xff", 2)) == "%00%FF");
  CHECK(notary::query_escape("") == "");
}

TEST_CASE("url: encode_query sorts keys like Go's Values.Encode", "[http][url]") {
  // Captured from the notary CLI (protocol spec 2.2).
  CHECK(notary::encode_query({{"service", "notary-server"},
                              {"scope", "repository:example.com/org/repo:push,pull"},
                              {"account", "alice"}}) ==
        "account=alice&scope=repository%3Aexample.com%2Forg%2Frepo%3Apush%2Cpull&service=notary-"
        "server");
  // Repeated keys keep their order.
  CHECK(notary::encode_query({{"scope", "b"}, {"a", "1"}, {"scope", "a"}}) ==
        "a=1&scope=b&scope=a");
}

TEST_CASE("url: percent_decode reverses escapes and rejects malformed ones", "[http][url]") {
  CHECK(*notary::percent_decode("p%40ss%3Aword") == "p@ss:word");
  CHECK(*notary::percent_decode("a+b", true) == "a b");
  CHECK(*notary::percent_decode("a+b") == "a+b");
  for (const char* bad : {"%", "%4", "%zz", "abc%g1"}) {
    INFO(bad);
    CHECK_FALSE(notary::percent_decode(bad).ok());
  }
}

TEST_CASE("url: redirect locations resolve against the request URL", "[http][url]") {
  const Url base = *Url::parse("https://reg.example:5000/v2/a/b?x=1");
  CHECK(notary::resolve_reference(base, "https://auth.example/token")->str() ==
        "https://auth.example/token");
  CHECK(notary::resolve_reference(base, "//other.example/p")->str() == "https://other.example/p");
  CHECK(notary::resolve_reference(base, "/v2/")->str() == "https://reg.example:5000/v2/");
  CHECK(notary::resolve_reference(base, "c")->str() == "https://reg.example:5000/v2/a/c");
  CHECK(notary::resolve_reference(base, "../c?y=2#f")->str() ==
        "https://reg.example:5000/v2/c?y=2");
  CHECK(notary::resolve_reference(base, "?y=2")->str() == "https://reg.example:5000/v2/a/b?y=2");
  CHECK(notary::resolve_reference(base, "/../../x")->str() == "https://reg.example:5000/x");
  CHECK_FALSE(notary::resolve_reference(base, "ftp://x/").ok());
}
