#include <catch2/catch.hpp>

#include "go_json.h"

using cli::go_json_quote;

TEST_CASE("go json: plain text and non-ASCII pass through", "[json]") {
  CHECK(go_json_quote("v1.2-rc_3") == "\"v1.2-rc_3\"");
  CHECK(go_json_quote("ünïcödé-日") == "\"ünïcödé-日\"");
  CHECK(go_json_quote("del\x7f") == "\"del\x7f\"");
}

TEST_CASE("go json: HTML characters are escaped as json.Marshal does", "[json]") {
  CHECK(go_json_quote("a>b&&c<d") == "\"a\\u003eb\\u0026\\u0026c\\u003cd\"");
}

TEST_CASE("go json: quotes, backslashes and control characters", "[json]") {
  CHECK(go_json_quote("quote\"back\\slash") == "\"quote\\\"back\\\\slash\"");
  CHECK(go_json_quote("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
  CHECK(go_json_quote(std::string("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
}

TEST_CASE("go json: U+2028/U+2029 escaped, invalid UTF-8 replaced", "[json]") {
  CHECK(go_json_quote("line\xe2\x80\xa8sep\xe2\x80\xa9"
                      "end") == "\"line\\u2028sep\\u2029end\"");
  CHECK(go_json_quote("bad\xff") == "\"bad\\ufffd\"");
  CHECK(go_json_quote("\xc0\xaf") == "\"\\ufffd\\ufffd\"");             // overlong
  CHECK(go_json_quote("\xed\xa0\x80") == "\"\\ufffd\\ufffd\\ufffd\"");  // surrogate
}
