#include <catch2/catch.hpp>

#include "tuf/time.h"

TEST_CASE("rfc3339: Go's forms round-trip exactly", "[time]") {
  for (const char* text : {"2036-11-22T11:48:14.304332064Z", "2116-07-03T17:56:36.027379879-05:00",
                           "2026-12-09T11:48:48.67891502Z", "2020-02-29T00:00:00Z",
                           "2998-01-01T00:00:00+02:00", "1970-01-01T00:00:00.1Z"}) {
    auto t = tuf::parse_rfc3339(text);
    REQUIRE(t.ok());
    CHECK(t->to_rfc3339() == text);
  }
}

TEST_CASE("rfc3339: offsets denote the same instant", "[time]") {
  auto a = tuf::parse_rfc3339("2020-01-01T00:00:00Z");
  auto b = tuf::parse_rfc3339("2019-12-31T19:00:00-05:00");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->instant == b->instant);
  CHECK(a->instant.seconds == 1577836800);
  CHECK(tuf::format_rfc3339_utc(b->instant) == "2020-01-01T00:00:00Z");
}

TEST_CASE("rfc3339: years beyond 2262 keep their order", "[time]") {
  auto late = tuf::parse_rfc3339("2999-12-31T23:59:59Z");
  auto early = tuf::parse_rfc3339("2998-01-01T00:00:00Z");
  REQUIRE(late.ok());
  REQUIRE(early.ok());
  CHECK(early->instant < late->instant);
}

TEST_CASE("rfc3339: bad dates are rejected", "[time]") {
  for (const char* text : {"2020-15-15T00:00:00Z", "2021-02-29T00:00:00Z", "2020-01-01T24:00:00Z",
                           "2020-01-01T00:00:00", "2020-01-01 00:00:00Z", "2020-01-01T00:00:00.Z",
                           "2020-01-01T00:00:00.1234567891Z", "2020-01-01T00:00:00+0100",
                           "2020-01-01T00:00:00Zjunk", ""}) {
    INFO(text);
    auto t = tuf::parse_rfc3339(text);
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().kind == tuf::ErrorKind::kMalformed);
  }
}
