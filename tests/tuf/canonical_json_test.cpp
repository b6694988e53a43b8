#include <catch2/catch.hpp>

#include "tuf/canonical_json.h"
#include "tuf/metadata.h"

namespace {

std::string canon(std::string_view in) {
  auto r = tuf::canonicalize(in);
  REQUIRE(r.ok());
  return *r;
}

tuf::ErrorKind kind_of(std::string_view in) {
  auto r = tuf::canonicalize(in);
  REQUIRE_FALSE(r.ok());
  return r.error().kind;
}

}  // namespace

TEST_CASE("canonical json: keys sorted by bytes, no whitespace", "[canonical]") {
  CHECK(canon(R"( { "b" : 1, "a" : [ 3 , 2 ], "_t": true, "B": null } )") ==
        R"({"B":null,"_t":true,"a":[3,2],"b":1})");
  // Byte order, not locale order: "Z" (0x5A) < "_" (0x5F) < "a"; multi-byte UTF-8 sorts last.
  CHECK(canon(R"({"ü":1,"a":2,"Z":3,"_":4})") == "{\"Z\":3,\"_\":4,\"a\":2,\"\xC3\xBC\":1}");
}

TEST_CASE("canonical json: only quote and backslash are escaped", "[canonical]") {
  CHECK(canon(R"({"s":"a\"b\\c<d>&e\u00fc\/"})") == "{\"s\":\"a\\\"b\\\\c<d>&e\xC3\xBC/\"}");
  CHECK(canon("\"\\u2028\"") == "\"\xE2\x80\xA8\"");
}

TEST_CASE("canonical json: integers only", "[canonical]") {
  CHECK(canon("[0,-1,9223372036854775807]") == "[0,-1,9223372036854775807]");
  CHECK(kind_of("[1.5]") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("[1.0]") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("[1e3]") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("[9223372036854775808]") == tuf::ErrorKind::kMalformed);
}

TEST_CASE("canonical json: duplicate keys are rejected at any depth", "[canonical]") {
  CHECK(kind_of(R"({"a":1,"a":2})") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of(R"({"x":{"a":1,"b":{"c":1,"c":1}}})") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of(R"([{"a":1},{"b":1,"b":2}])") == tuf::ErrorKind::kMalformed);
  // The same key in sibling objects is fine.
  CHECK(canon(R"([{"a":1},{"a":2}])") == R"([{"a":1},{"a":2}])");
}

TEST_CASE("canonical json: control characters and invalid UTF-8 are rejected", "[canonical]") {
  CHECK(kind_of(R"({"a":"line\nbreak"})") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("{\"a\":\"raw\ttab\"}") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of(R"({"a\u0000":1})") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("{\"a\":\"\xC3\x28\"}") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("{\"a\":\"\xED\xA0\x80\"}") == tuf::ErrorKind::kMalformed);  // surrogate
}

TEST_CASE("canonical json: malformed documents and excessive nesting", "[canonical]") {
  CHECK(kind_of("") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("{\"a\":1} x") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of("{\"a\":1,}") == tuf::ErrorKind::kMalformed);
  CHECK(kind_of(std::string(200, '[') + std::string(200, ']')) == tuf::ErrorKind::kMalformed);
}

TEST_CASE("wire escaping: Go's HTML-safe substitutions and nothing else", "[canonical]") {
  CHECK(tuf::wire_escape("we<i>rd&\xC3\xBC") == "we\\u003ci\\u003erd\\u0026\xC3\xBC");
  CHECK(tuf::wire_escape("a\xE2\x80\xA8z\xE2\x80\xA9") == "a\\u2028z\\u2029");
  CHECK(tuf::wire_escape("\xE2\x80\xAA") == "\xE2\x80\xAA");  // U+202A is left alone
}

TEST_CASE("envelope: signatures in order, canonical signed escaped", "[canonical]") {
  std::vector<tuf::Signature> sigs{{"k1", "ecdsa", std::string("\x01\x02", 2)},
                                   {"k2", "eddsa", "x"}};
  CHECK(tuf::envelope(R"({"a":"<"})", sigs) ==
        R"({"signed":{"a":"\u003c"},"signatures":[{"keyid":"k1","method":"ecdsa","sig":"AQI="},)"
        R"({"keyid":"k2","method":"eddsa","sig":"eA=="}]})");
}
