// Hashes and encodings of the crypto wrapper: known vectors and strictness.
#include <catch2/catch.hpp>

#include <string>

#include "tuf/crypto.h"

using namespace tuf::crypto;

TEST_CASE("sha256/sha512: FIPS 180 known vectors", "[crypto]") {
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(sha512("abc")) ==
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  CHECK(sha256(std::string(1000000, 'a')) ==
        from_hex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0").value());
  CHECK(sha512("").size() == 64);
}

TEST_CASE("hex: lower-case encoding and strict decoding", "[crypto]") {
  CHECK(to_hex(std::string("\x00\x01\xab\xff", 4)) == "0001abff");
  CHECK(from_hex("0001abff").value() == std::string("\x00\x01\xab\xff", 4));
  CHECK(from_hex("0001ABFF").value() == std::string("\x00\x01\xab\xff", 4));
  CHECK(from_hex("").value().empty());
  CHECK(from_hex("abc").error().kind == tuf::ErrorKind::kMalformed);   // odd length
  CHECK(from_hex("zz").error().kind == tuf::ErrorKind::kMalformed);    // not hex
  CHECK(from_hex("0x00").error().kind == tuf::ErrorKind::kMalformed);  // prefix
  CHECK_FALSE(from_hex("00 1").ok());
}

TEST_CASE("base64: RFC 4648 vectors round trip", "[crypto]") {
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    auto decoded = base64_decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(decoded.value() == plain);
  }
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  CHECK(base64_encode(all_bytes).find_first_of("-_") == std::string::npos);
  CHECK(base64_decode(base64_encode(all_bytes)).value() == all_bytes);
}

TEST_CASE("base64: missing padding, whitespace and foreign characters are rejected", "[crypto]") {
  const char* bad[] = {
      "Zg",            // missing padding
      "Zm8",           // missing padding
      "Zg=",           // short padding
      "Zm9v\n",        // trailing newline
      " Zm9v",         // leading space
      "Zm9v\r\nYg==",  // line break inside
      "Zm9vYg==\n",    // newline after padding
      "Zm9v!mFy",      // not in the alphabet
      "Zm9v-_Fy",      // URL-safe alphabet
      "Zm=v",          // padding in the middle of a group
      "Zg==Zg==",      // padding before the end
      "Z===",          // too much padding
      "====",          // only padding
  };
  for (const char* text : bad) {
    INFO("input: " << text);
    auto decoded = base64_decode(text);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().kind == tuf::ErrorKind::kMalformed);
  }
}

TEST_CASE("constant_time_equal: compares content and length", "[crypto]") {
  CHECK(constant_time_equal("", ""));
  CHECK(constant_time_equal("secret", "secret"));
  CHECK_FALSE(constant_time_equal("secret", "secreT"));
  CHECK_FALSE(constant_time_equal("secret", std::string("secret\0", 7)));
  CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST_CASE("random_bytes: requested size, different every call", "[crypto]") {
  CHECK(random_bytes(0).empty());
  const std::string a = random_bytes(32);
  const std::string b = random_bytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
}
