// Strict parsing: each rejection names the role and the field. Documents are produced by
// signing mutated models (test_repo.h) or by re-signing mutated canonical text.
#include <catch2/catch.hpp>

#include "test_repo.h"
#include "test_support.h"
#include "tuf/builder.h"
#include "tuf/canonical_json.h"

namespace {

using testing::TestRepo;

// Signs `canonical_text` (possibly not canonical at all) with the role's keys.
std::string sign_text(const TestRepo& repo, const std::string& role, const std::string& text) {
  return tuf::envelope(text, tuf::sign_canonical(text, repo.keys.at(role)));
}

// Replaces the first occurrence of `from` in `s`.
std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

tuf::Error parse_error_of(const std::string& role, const std::string& bytes) {
  if (role == "root") return tuf::parse_root(bytes).error();
  if (role == "snapshot") return tuf::parse_snapshot(bytes).error();
  if (role == "timestamp") return tuf::parse_timestamp(bytes).error();
  return tuf::parse_targets(bytes, role).error();
}

}  // namespace

TEST_CASE("parse: a fresh repository's documents parse back to their models", "[parse]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/ok", testing::at("2026-01-01T00:00:00Z"));
  repo.add_target("targets", "v1", "manifest");
  repo.publish();
  auto targets = tuf::parse_targets(repo.files["targets"], "targets");
  REQUIRE(targets.ok());
  CHECK(targets->signed_.targets.at("v1") == tuf::file_meta_for("manifest"));
  CHECK(targets->canonical == tuf::canonical_signed(repo.targets));
  CHECK(targets->raw == repo.files["targets"]);
  // Handing the bytes over (no copy kept by the caller) parses to the same document.
  auto taken = tuf::parse_targets(std::string(repo.files["targets"]), "targets");
  REQUIRE(taken.ok());
  CHECK(taken->raw == repo.files["targets"]);
  CHECK(taken->canonical == targets->canonical);
  CHECK(taken->signed_.targets == targets->signed_.targets);
}

TEST_CASE("parse: duplicate JSON keys inside signed are rejected", "[parse][attack]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/dup", testing::at("2026-01-01T00:00:00Z"));
  const std::string canonical = tuf::canonical_signed(repo.targets);
  // A second "version" member: a parser keeping the last one would see version 99.
  const std::string dup = replace(canonical, "\"version\":1", "\"version\":1,\"version\":99");
  tuf::Error e = parse_error_of("targets", sign_text(repo, "targets", dup));
  CHECK(e.kind == tuf::ErrorKind::kMalformed);
  CHECK(e.role == "targets");
  CHECK_THAT(e.detail, Catch::Contains("duplicate key"));
}

TEST_CASE("parse: fields are typed and checked", "[parse]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/fields", testing::at("2026-01-01T00:00:00Z"));
  const std::string ts = tuf::canonical_signed(repo.timestamp);
  const std::string root = tuf::canonical_signed(repo.root);
  struct Case {
    const char* role;
    std::string text;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"timestamp", replace(ts, "\"version\":1", "\"version\":0"), "signed.version"},
      {"timestamp", replace(ts, "\"version\":1", "\"version\":\"1\""), "signed.version"},
      {"timestamp", replace(ts, "\"version\":1", "\"version\":1.5"), "non-integer"},
      {"timestamp", replace(ts, "\"expires\":\"", "\"expires\":\"x"), "signed.expires"},
      {"timestamp", replace(ts, "\"_type\":\"Timestamp\",", ""), "signed._type"},
      {"timestamp", replace(ts, "\"length\":", "\"length\":-"), "length"},
      {"root", replace(root, "\"threshold\":1", "\"threshold\":0"), "threshold"},
      {"root", replace(root, "\"keytype\":\"ed25519\"", "\"keytype\":\"ed448\""), "keytype"},
      {"root", replace(root, "\"keyval\":{\"private\":null", "\"keyval\":{\"private\":\"AA==\""),
       "private"},
      {"root", replace(root, "\"timestamp\":{\"keyids\":[\"", "\"timestamp\":{\"keyids\":[\"00"),
       "unknown key ID"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    tuf::Error e = parse_error_of(c.role, sign_text(repo, c.role, c.text));
    CHECK(e.role == c.role);
    CHECK_THAT(e.detail, Catch::Contains(c.field));
  }
}

TEST_CASE("parse: unknown _type is kWrongType", "[parse]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/type", testing::at("2026-01-01T00:00:00Z"));
  tuf::Error e = tuf::parse_snapshot(repo.files["timestamp"]).error();
  CHECK(e.kind == tuf::ErrorKind::kWrongType);
  CHECK(e.role == "snapshot");
  const std::string text =
      replace(tuf::canonical_signed(repo.targets), "\"Targets\"", "\"targets\"");
  CHECK(parse_error_of("targets", sign_text(repo, "targets", text)).kind ==
        tuf::ErrorKind::kWrongType);
}

TEST_CASE("parse: a key listed under an ID that is not its own is rejected", "[parse][attack]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/keyid", testing::at("2026-01-01T00:00:00Z"));
  const tuf::PublicKey ts_key = repo.root.keys.at(repo.root.roles.at("timestamp").keyids[0]);
  const tuf::PublicKey other = tuf::public_key_of(tuf::crypto::PrivateKey::generate_ed25519());
  // Same ID, different key material.
  repo.root.keys[ts_key.id()] = other;
  repo.sign("root");
  tuf::Error e = tuf::parse_root(repo.files["root"]).error();
  CHECK(e.kind == tuf::ErrorKind::kMalformed);
  CHECK_THAT(e.detail, Catch::Contains("key ID does not match"));
}

TEST_CASE("parse: too many signatures are rejected", "[parse][attack]") {
  TestRepo repo = TestRepo::fresh("example.com/parse/sigs", testing::at("2026-01-01T00:00:00Z"));
  const std::string canonical = tuf::canonical_signed(repo.timestamp);
  std::vector<tuf::Signature> sigs(tuf::kMaxSignatures + 1,
                                   tuf::sign_canonical(canonical, repo.keys["timestamp"])[0]);
  tuf::Error e = tuf::parse_timestamp(tuf::envelope(canonical, sigs)).error();
  CHECK(e.kind == tuf::ErrorKind::kMalformed);
  CHECK_THAT(e.detail, Catch::Contains("signatures"));
}

TEST_CASE("parse: delegation names must be valid direct children", "[parse][delegation]") {
  CHECK(tuf::is_delegation_name("targets/releases"));
  CHECK(tuf::is_delegation_name("targets/a/b-c_9"));
  for (const char* bad : {"targets", "targets/", "targets/A", "targets/a//b", "targets/a/",
                          "targets/../x", "targets/./x", "targets/a.b", "root/x", "targets/a b"}) {
    INFO(bad);
    CHECK_FALSE(tuf::is_delegation_name(bad));
  }
  TestRepo repo = TestRepo::fresh("example.com/parse/deleg", testing::at("2026-01-01T00:00:00Z"));
  repo.add_delegation("targets/a", {""});
  repo.targets.delegations.roles.back().name = "targets/a/b";  // grandchild listed by targets
  repo.sign("targets");
  tuf::Error e = tuf::parse_targets(repo.files["targets"], "targets").error();
  CHECK(e.kind == tuf::ErrorKind::kMalformed);
  CHECK_THAT(e.detail, Catch::Contains("direct child"));
}
