// The strict JSON parser (JsonDoc, which the metadata parsers and parse_strict use) must accept
// exactly what an independent nlohmann-based strict parser accepts (json_reference_parser.h)
// and produce the same canonical bytes: on every fixture, on every realdata JSON file, on a grid
// of strictness cases and on mutated documents (truncations, byte flips), which must give
// errors, never crashes. parse_strict's nlohmann tree must give the same canonical bytes too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../../tuf/src/json_strict.h"
#include "json_reference_parser.h"
#include "test_support.h"
#include "tuf/crypto.h"
#include "tuf/metadata.h"

namespace {

namespace fs = std::filesystem;
using tuf::internal::JsonDoc;

struct Outcome {
  bool ok = false;
  tuf::ErrorKind kind = tuf::ErrorKind::kMalformed;
  std::string canonical;         // of the whole document
  std::string signed_canonical;  // of its "signed" member, when it is an object holding one
};

// The outcome of a parse into an nlohmann tree (the reference's or parse_strict's).
Outcome outcome_of(const tuf::Result<tuf::internal::Json>& tree) {
  Outcome o;
  if (!tree.ok()) {
    o.kind = tree.error().kind;
    CHECK(tree.error().role == "r");
    return o;
  }
  o.ok = true;
  o.canonical = tuf::internal::canonical(*tree);
  if (tree->is_object() && tree->contains("signed")) {
    o.signed_canonical = tuf::internal::canonical(tree->at("signed"));
  }
  return o;
}

Outcome reference_path(const std::string& bytes) {
  return outcome_of(json_reference::parse(bytes, "r"));
}

// The product's tree path: parse_strict (JsonDoc, then an nlohmann tree) and canonical().
Outcome tree_path(const std::string& bytes) {
  return outcome_of(tuf::internal::parse_strict(bytes, "r"));
}

Outcome new_path(const std::string& bytes) {
  Outcome o;
  JsonDoc doc;
  auto st = doc.parse(bytes, "r");
  if (!st.ok()) {
    o.kind = st.error().kind;
    CHECK(st.error().role == "r");
    return o;
  }
  o.ok = true;
  doc.append_canonical(doc.root(), &o.canonical);
  if (doc.root().kind == tuf::internal::JsonKind::kObject) {
    if (const auto* s = doc.find(doc.root(), "signed"))
      doc.append_canonical(*s, &o.signed_canonical);
  }
  return o;
}

void same_outcome(const std::string& bytes) {
  const Outcome a = reference_path(bytes);
  const Outcome b = new_path(bytes);
  const Outcome c = tree_path(bytes);
  REQUIRE(a.ok == b.ok);
  CHECK(a.kind == b.kind);
  CHECK(a.canonical == b.canonical);
  CHECK(a.signed_canonical == b.signed_canonical);
  REQUIRE(c.ok == b.ok);
  CHECK(c.kind == b.kind);
  CHECK(c.canonical == b.canonical);
  CHECK(c.signed_canonical == b.signed_canonical);
}

std::vector<fs::path> json_files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("json doc: same verdict and canonical bytes as the reference parser on every fixture",
          "[canonical][jsondoc]") {
  const auto files = json_files_under(testing::fixtures_dir());
  REQUIRE(files.size() > 10);
  for (const auto& p : files) {
    INFO(p.string());
    same_outcome(testing::read_file(p));
  }
}

TEST_CASE("json doc: same verdict and canonical bytes as the reference parser on realdata",
          "[canonical][jsondoc][realdata]") {
  if (!testing::have_realdata()) {
    WARN("realdata absent: " << testing::realdata_dir().string() << " (skipped)");
    return;
  }
  const auto files = json_files_under(testing::realdata_dir());
  REQUIRE(files.size() > 50);
  int parsed = 0;
  for (const auto& p : files) {
    INFO(p.string());
    const std::string bytes = testing::read_file(p);
    same_outcome(bytes);
    parsed += reference_path(bytes).ok ? 1 : 0;
  }
  CHECK(parsed > 50);
}

TEST_CASE("json doc: strictness grid agrees with the reference parser", "[canonical][jsondoc]") {
  const std::vector<std::string> cases = {
      R"({"a":1})",
      R"( { "b" : 1, "a" : [ 3 , 2 ], "_t": true, "B": null } )",
      "\xEF\xBB\xBF{\"a\":1}",
      "\xEF\xBB{\"a\":1}",
      R"({"a":1,"a":2})",
      R"({"x":{"a":1,"b":{"c":1,"c":1}}})",
      R"([{"a":1},{"b":1,"b":2}])",
      R"([{"a":1},{"a":2}])",
      R"({"a":"line\nbreak"})",
      R"({"a\u0000":1})",
      R"({"a":"\u001f"})",
      R"({"a":"\u0020"})",
      R"({"s":"a\"b\\c<d>&e\u00fc\/"})",
      R"({"s":"\ud83d\ude00"})",
      R"({"s":"\ud83d"})",
      R"({"s":"\ude00"})",
      R"({"s":"\ud83d\u0041"})",
      R"({"s":"\x"})",
      R"({"s":"\u12"})",
      "{\"s\":\"\xC3\xBC\"}",
      "{\"s\":\"\xC3\"}",
      "{\"s\":\"\xC0\xAF\"}",
      "{\"s\":\"\xED\xA0\x80\"}",
      "{\"s\":\"\xF4\x90\x80\x80\"}",
      "{\"s\":\"\xF0\x9F\x98\x80\"}",
      "{\"s\":\"\xFF\"}",
      "{\"\xC3\xBC\":1,\"a\":2,\"Z\":3}",
      R"({"n":1.5})",
      R"({"n":1e3})",
      R"({"n":1E3})",
      R"({"n":-0})",
      R"({"n":01})",
      R"({"n":-})",
      R"({"n":9223372036854775807})",
      R"({"n":9223372036854775808})",
      R"({"n":-9223372036854775808})",
      R"({"n":-9223372036854775809})",
      R"({"n":18446744073709551616})",
      R"({"n":+1})",
      R"({"a":1} x)",
      R"({"a":1},)",
      R"({"a":1,})",
      R"([1,2,])",
      R"([,])",
      "",
      " ",
      "{",
      "[",
      "\"str\"",
      "42",
      "true",
      "null",
      "nul",
      "tru",
      "[true,false,null]",
      R"({"a" 1})",
      R"({a:1})",
      std::string("{\"a\":\"b\x00"
                  "c\"}",
                  11),
      "{\"a\":\x7F}",
      "{\"a\":\"\x7F\"}",
      "[\t\r\n1\t]",
      "[\f1]",
      "/*c*/{}",
      "{}",
      "[]",
      "[[]]"};
  for (const auto& c : cases) {
    INFO(c);
    same_outcome(c);
  }
  // One deliberate difference: nlohmann's lexer takes a NUL byte for the end of the input, so
  // the reference accepts anything after one; JsonDoc (and so parse_strict) calls that trailing
  // garbage.
  CHECK(reference_path(std::string("{\"a\":1}\x00junk", 12)).ok);
  CHECK_FALSE(new_path(std::string("{\"a\":1}\x00", 8)).ok);
  CHECK_FALSE(new_path(std::string("{\"a\":1}\x00junk", 12)).ok);
  CHECK_FALSE(tree_path(std::string("{\"a\":1}\x00junk", 12)).ok);
  // Nesting: 64 levels parse, 65 do not (both paths).
  for (int depth : {63, 64, 65, 200}) {
    INFO(depth);
    same_outcome(std::string(depth, '[') + std::string(depth, ']'));
  }
  CHECK_FALSE(new_path(std::string(65, '[') + std::string(65, ']')).ok);
  CHECK(new_path(std::string(64, '[') + std::string(64, ']')).ok);
}

TEST_CASE("json doc: truncations and byte flips of real documents agree with the reference",
          "[canonical][jsondoc]") {
  std::vector<std::string> seeds;
  for (const auto& p : json_files_under(testing::fixtures_dir() / "delegations")) {
    seeds.push_back(testing::read_file(p));
    if (seeds.size() == 3) break;
  }
  seeds.push_back(R"({"signed":{"s":"\u00fc\"\\\ud83d\ude00","n":-12,"a":[true,null,{}]},"x":[]})");
  REQUIRE(seeds.size() >= 2);
  static constexpr char kFlips[] = "\x00\x01\"\\{}[],:-.e09aZ\x7F\x80\xC3\xFF ";
  const std::string flips(kFlips, sizeof kFlips - 1);
  for (const std::string& seed : seeds) {
    const std::size_t step = std::max<std::size_t>(1, seed.size() / 300);
    for (std::size_t n = 0; n < seed.size(); n += step) {
      const std::string cut = seed.substr(0, n);
      const Outcome b = new_path(cut);
      CHECK(b.ok == reference_path(cut).ok);
      if (b.ok) same_outcome(cut);
    }
    for (std::size_t i = 0; i < seed.size(); i += step) {
      for (char f : flips) {
        std::string m = seed;
        if (m[i] == f) continue;
        m[i] = f;
        INFO("offset " << i << " byte " << static_cast<int>(static_cast<unsigned char>(f)));
        same_outcome(m);
      }
    }
  }
}

TEST_CASE("json doc: metadata parsers keep every strictness rule on mutated targets",
          "[parse][jsondoc]") {
  const auto files = json_files_under(testing::fixtures_dir() / "delegations");
  REQUIRE_FALSE(files.empty());
  for (const auto& p : files) {
    const std::string bytes = testing::read_file(p);
    if (bytes.find("\"Targets\"") == std::string::npos) continue;
    // Every mutation the JSON layer rejects must be rejected by parse_targets too.
    const std::size_t step = std::max<std::size_t>(1, bytes.size() / 200);
    for (std::size_t i = 0; i < bytes.size(); i += step) {
      std::string m = bytes;
      m[i] = '\x01';
      auto r = tuf::parse_targets(m, "targets");
      CHECK_FALSE(r.ok());
      if (!r.ok()) CHECK(r.error().kind == tuf::ErrorKind::kMalformed);
      auto cut = tuf::parse_targets(std::string_view(bytes).substr(0, i), "targets");
      CHECK_FALSE(cut.ok());
    }
  }
}

TEST_CASE("json doc: decode_base64 is crypto::base64_decode on every short input",
          "[canonical][jsondoc]") {
  // Every string of length 0..8 over characters that are valid, padding, or invalid; 'w' and
  // '/' leave unused bits set when last.
  const std::string alphabet = "Aw/=*";
  std::size_t compared = 0;
  for (std::size_t len = 0; len <= 8; ++len) {
    std::vector<std::size_t> digits(len, 0);
    while (true) {
      std::string text;
      for (std::size_t d : digits) text.push_back(alphabet[d]);
      std::string fast;
      const bool ok = tuf::internal::decode_base64(text, &fast);
      auto reference = tuf::crypto::base64_decode(text);
      INFO(text);
      REQUIRE(ok == reference.ok());
      if (ok) REQUIRE(fast == *reference);
      ++compared;
      std::size_t i = 0;
      while (i < len && ++digits[i] == alphabet.size()) digits[i++] = 0;
      if (i == len) break;
    }
  }
  CHECK(compared > 400000);
  // Real digests round-trip.
  for (const std::string& bytes :
       {std::string(32, '\xAB'), std::string(64, '\x01'), std::string(1, 'x')}) {
    std::string fast;
    REQUIRE(tuf::internal::decode_base64(tuf::crypto::base64_encode(bytes), &fast));
    CHECK(fast == bytes);
  }
}
