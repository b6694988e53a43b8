// PEM with headers, as Go writes it.
#include <catch2/catch.hpp>

#include "trustcache/pem.h"

using trustcache::PemBlock;

TEST_CASE("pem: encoding follows Go's layout (Proc-Type first, sorted headers, 64-char lines)",
          "[keystore][pem]") {
  PemBlock block;
  block.type = "EC PRIVATE KEY";
  block.headers = {{"role", "targets"},
                   {"gun", "example.com/app"},
                   {"Proc-Type", "4,ENCRYPTED"},
                   {"DEK-Info", "AES-256-CBC,00"}};
  block.bytes = std::string(60, '\x01');  // 80 base64 characters: one full line and a short one
  const std::string text = trustcache::encode_pem(block);
  CHECK(text ==
        "-----BEGIN EC PRIVATE KEY-----\n"
        "Proc-Type: 4,ENCRYPTED\n"
        "DEK-Info: AES-256-CBC,00\n"
        "gun: example.com/app\n"
        "role: targets\n"
        "\n"
        "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB\n"
        "AQEBAQEBAQEBAQEB\n"
        "-----END EC PRIVATE KEY-----\n");

  auto parsed = trustcache::parse_pem(text);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  CHECK(parsed->front().type == block.type);
  CHECK(parsed->front().headers == block.headers);
  CHECK(parsed->front().bytes == block.bytes);
}

TEST_CASE("pem: a block without headers has no blank line", "[keystore][pem]") {
  PemBlock block{"PRIVATE KEY", {}, "abc"};
  CHECK(trustcache::encode_pem(block) ==
        "-----BEGIN PRIVATE KEY-----\nYWJj\n-----END PRIVATE KEY-----\n");
}

TEST_CASE("pem: several blocks, CRLF and text around them are read", "[keystore][pem]") {
  const std::string text =
      "leading text\r\n-----BEGIN A-----\r\nrole: x\r\n\r\nYWJj\r\n-----END A-----\r\n"
      "between\n-----BEGIN B-----\nZGVm\n-----END B-----\ntrailing";
  auto parsed = trustcache::parse_pem(text);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 2);
  CHECK((*parsed)[0].type == "A");
  CHECK((*parsed)[0].header("role") == "x");
  CHECK((*parsed)[0].bytes == "abc");
  CHECK((*parsed)[1].type == "B");
  CHECK((*parsed)[1].header("role").empty());
  CHECK((*parsed)[1].bytes == "def");
}

TEST_CASE("pem: broken input is malformed", "[keystore][pem]") {
  for (const char* text : {"", "no pem here", "-----BEGIN A-----\nYWJj\n",
                           "-----BEGIN A-----\nYWJj\n-----END B-----\n",
                           "-----BEGIN A-----\n!!!!\n-----END A-----\n"}) {
    INFO(text);
    auto parsed = trustcache::parse_pem(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == tuf::ErrorKind::kMalformed);
  }
}
