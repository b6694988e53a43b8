// connaisseur-py's single-file negatives and orphans (realdata/README.md: "Negative and partial
// files"). Each is judged the way the engine meets it: a root through TrustedSet::create, other
// roles through the parsers, and a signer check through the public key primitives where the
// bytes could never reach a signature check (they fail the snapshot's hash first).
#include <catch2/catch.hpp>

#include "realdata.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kDir = "connaisseur-py/trust_data/";
constexpr const char* kSampleGun = "docker.io/phbelitz/sample";
const char* const kSampleTime = "2020-01-20T00:00:00Z";

std::string file(std::string_view name) { return rd::bytes(std::string(kDir) + std::string(name)); }

}  // namespace

TEST_CASE("realdata connaisseur-py files: the committed sample root verifies as a first root",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  // A root is trusted by its signature over the canonical form, so pretty-printing is harmless
  // here (only roles whose bytes a parent records are hash-checked).
  auto set =
      tuf::TrustedSet::create(kSampleGun, file("sample_root.json"), testing::at(kSampleTime));
  INFO(rd::describe(set));
  CHECK(set.ok());
}

TEST_CASE("realdata connaisseur-py files: wrong_signature.json is a bad root signature",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  auto set =
      tuf::TrustedSet::create(kSampleGun, file("wrong_signature.json"), testing::at(kSampleTime));
  REQUIRE_FALSE(set.ok());
  INFO(rd::describe(set));
  CHECK(set.error().kind == ErrorKind::kBadSignature);
  CHECK(set.error().role == "root");
}

TEST_CASE("realdata connaisseur-py files: missing_keys_root.json is malformed",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  auto set =
      tuf::TrustedSet::create(kSampleGun, file("missing_keys_root.json"), testing::at(kSampleTime));
  REQUIRE_FALSE(set.ok());
  INFO(rd::describe(set));
  CHECK(set.error().kind == ErrorKind::kMalformed);
  CHECK(set.error().role == "root");
}

TEST_CASE("realdata connaisseur-py files: redos_targets.json has an invalid delegation name",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  auto targets = tuf::parse_targets(file("redos_targets.json"), "targets");
  REQUIRE_FALSE(targets.ok());
  INFO(rd::describe(targets));
  CHECK(targets.error().kind == ErrorKind::kMalformed);
  CHECK(targets.error().role == "targets");
}

TEST_CASE("realdata connaisseur-py files: wrong_key_format.json has an unusable delegation key",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  // "iamwrong" decodes as base64, so the key's ID no longer matches it.
  auto targets = tuf::parse_targets(file("wrong_key_format.json"), "targets");
  REQUIRE_FALSE(targets.ok());
  INFO(rd::describe(targets));
  CHECK(targets.error().kind == ErrorKind::kMalformed);
  CHECK(targets.error().role == "targets");
}

TEST_CASE("realdata connaisseur-py files: wrong_time_timestamp.json does not parse",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  auto timestamp = tuf::parse_timestamp(file("wrong_time_timestamp.json"));
  REQUIRE_FALSE(timestamp.ok());
  INFO(rd::describe(timestamp));
  CHECK(timestamp.error().kind == ErrorKind::kMalformed);
  CHECK(timestamp.error().role == "timestamp");
}

TEST_CASE("realdata connaisseur-py files: sample3_targets.json is not signed by a root key",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  auto root = tuf::parse_root(file("sample_root.json"));
  auto targets = tuf::parse_targets(file("sample3_targets.json"), "targets");
  REQUIRE(root.ok());
  REQUIRE(targets.ok());
  const tuf::RoleKeys& targets_role = root->signed_.roles.at("targets");
  const rd::SignatureTally tally = rd::tally_signatures(targets->canonical, targets->signatures,
                                                        root->signed_.keys, targets_role.keyids);
  CHECK(tally.valid == 0);
  CHECK(tally.valid < targets_role.threshold);  // a TrustedSet says kThresholdNotMet
  CHECK(tally.ignored == 1);
  CHECK(root->signed_.keys.count(targets->signatures.front().keyid) == 0);

  // Offered to a verified sample set, it fails the snapshot's record before any signature.
  const std::string wire = "connaisseur-py/wire/sample/";
  auto set =
      tuf::TrustedSet::create(kSampleGun, rd::bytes(wire + "root.json"), testing::at(kSampleTime));
  REQUIRE(set.ok());
  REQUIRE(set->update_timestamp(rd::bytes(wire + "timestamp.json")).ok());
  REQUIRE(set->update_snapshot(rd::bytes(wire + "snapshot.json")).ok());
  tuf::Status loaded = set->update_targets(file("sample3_targets.json"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == ErrorKind::kHashMismatch);
  CHECK(set->targets("targets") == nullptr);
}

TEST_CASE("realdata connaisseur-py files: the orphan documents parse",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  SECTION("missing_path.json: a delegation without paths is accepted and delegates nothing") {
    auto targets = tuf::parse_targets(file("missing_path.json"), "targets");
    INFO(rd::describe(targets));
    REQUIRE(targets.ok());
    const auto& roles = targets->signed_.delegations.roles;
    REQUIRE(roles.size() == 3);
    CHECK(roles[2].name == "targets/new");
    CHECK(roles[2].paths.empty());
    CHECK(roles[1].paths == std::vector<std::string>{""});
  }
  SECTION("sample4_targets.json") {
    auto targets = tuf::parse_targets(file("sample4_targets.json"), "targets");
    INFO(rd::describe(targets));
    REQUIRE(targets.ok());
    CHECK(targets->signed_.targets.count("v1.0.0-alpha") == 1);
  }
  SECTION("sample7 snapshot and targets") {
    auto snapshot = tuf::parse_snapshot(file("sample7_snapshot.json"));
    auto targets = tuf::parse_targets(file("sample7_targets.json"), "targets");
    INFO(rd::describe(snapshot) << " / " << rd::describe(targets));
    REQUIRE(snapshot.ok());
    REQUIRE(targets.ok());
    CHECK(snapshot->signed_.meta.count("targets/my-signer") == 1);
    CHECK(targets->signed_.delegations.roles.size() == 2);
  }
}

TEST_CASE("realdata connaisseur-py files: sample5_root.json is a self-consistent root",
          "[realdata][connaisseur][files]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string root = file("sample5_root.json");
  auto set = tuf::TrustedSet::create("registry.example.local:5000/snake", root,
                                     testing::at("2020-01-01T00:00:00Z"));
  INFO(rd::describe(set));
  CHECK(set.ok());
  auto other = tuf::TrustedSet::create(kSampleGun, root, testing::at("2020-01-01T00:00:00Z"));
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().kind == ErrorKind::kBadCertificate);
}
