// connaisseur's Go-era synthetic sets (realdata/README.md: connaisseur-go). Every signature in
// them verifies and nothing expires before 2998, yet a strict notary client must reject them:
// the root certificate is a CA certificate, and snapshot (and one timestamp) record wrong
// lengths next to correct hashes. The certificate check comes first in the engine, so the
// length and signature facts are shown with the parsers and the public key primitives.
#include <catch2/catch.hpp>

#include "realdata.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kGun = "securesystems.de";  // the root certificate's CN
constexpr const char* kWire = "connaisseur-go/wire/";
constexpr const char* kOriginal = "connaisseur-go/trust_data/";

const std::vector<std::string>& synthetic_sets() {
  static const std::vector<std::string> sets = {
      "never-expire-image", "never-expire-with-delegations-image",
      "never-expire-with-conflicting-delegations-image", "edge-case-image", "edge-case-err-image"};
  return sets;
}

tuf::Signed<tuf::Root> never_expire_root() {
  auto root = tuf::parse_root(rd::bytes(std::string(kWire) + "never-expire-image/root.json"));
  REQUIRE(root.ok());
  return std::move(root).value();
}

rd::SignatureTally tally_for_role(const tuf::Signed<tuf::Root>& root, const std::string& role,
                                  std::string_view canonical,
                                  const std::vector<tuf::Signature>& signatures) {
  return rd::tally_signatures(canonical, signatures, root.signed_.keys,
                              root.signed_.roles.at(role).keyids);
}

}  // namespace

TEST_CASE("realdata connaisseur-go: the synthetic sets are rejected for their CA root certificate",
          "[realdata][connaisseur-go]") {
  DTRUST_REALDATA_OR_SKIP();
  for (const std::string& set : synthetic_sets()) {
    for (const char* base : {kWire, kOriginal}) {
      for (tuf::Time at : {rd::wall_clock_now(), testing::at("2030-01-01T00:00:00Z")}) {
        auto repo = rd::open_folder(std::string(base) + set, kGun, at);
        INFO("connaisseur-go " << base << set << " at " << tuf::format_rfc3339_utc(at) << ": "
                               << rd::describe(repo));
        REQUIRE_FALSE(repo.ok());
        CHECK(repo.error().kind == ErrorKind::kBadCertificate);
        CHECK(repo.error().role == "root");
      }
    }
  }
}

TEST_CASE("realdata connaisseur-go: snapshot and timestamp record wrong lengths with right hashes",
          "[realdata][connaisseur-go]") {
  DTRUST_REALDATA_OR_SKIP();
  // role -> (recorded length, actual length) for each entry whose length is wrong.
  using Wrong = std::map<std::string, std::pair<int64_t, int64_t>>;
  const std::map<std::string, Wrong> expected = {
      {"never-expire-image", {{"root", {2420, 2540}}}},
      {"never-expire-with-delegations-image", {{"root", {2420, 2540}}, {"targets", {523, 1300}}}},
      {"never-expire-with-conflicting-delegations-image",
       {{"root", {2420, 2540}}, {"targets", {523, 1300}}}},
      {"edge-case-image",
       {{"root", {2420, 2540}}, {"targets", {523, 1477}}, {"snapshot", {1278, 683}}}},
      {"edge-case-err-image", {{"root", {2420, 2540}}, {"targets", {523, 1477}}}},
  };
  for (const std::string& set : synthetic_sets()) {
    const std::string dir = std::string(kWire) + set + "/";
    auto snapshot = tuf::parse_snapshot(rd::bytes(dir + "snapshot.json"));
    auto timestamp = tuf::parse_timestamp(rd::bytes(dir + "timestamp.json"));
    REQUIRE(snapshot.ok());
    REQUIRE(timestamp.ok());
    std::map<std::string, tuf::FileMeta> records = snapshot->signed_.meta;
    records["snapshot"] = timestamp->signed_.meta.at("snapshot");
    Wrong wrong;
    for (const auto& [role, recorded] : records) {
      const std::filesystem::path file = rd::path(dir + role + ".json");
      if (!std::filesystem::exists(file)) continue;  // edge-case-err: delegations not shipped
      const tuf::FileMeta actual = tuf::file_meta_for(testing::read_file(file));
      INFO("connaisseur-go " << set << " " << role);
      CHECK(actual.hashes == recorded.hashes);  // sha256 and sha512 both match
      if (actual.length != recorded.length) wrong[role] = {recorded.length, actual.length};
    }
    INFO("connaisseur-go " << set);
    CHECK(wrong == expected.at(set));
  }
}

TEST_CASE("realdata connaisseur-go: edge-case-err lists delegations it does not ship",
          "[realdata][connaisseur-go]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string dir = std::string(kWire) + "edge-case-err-image/";
  auto snapshot = tuf::parse_snapshot(rd::bytes(dir + "snapshot.json"));
  REQUIRE(snapshot.ok());
  for (const char* role : {"targets/del1", "targets/del2", "targets/releases"}) {
    INFO(role);
    CHECK(snapshot->signed_.meta.count(role) == 1);
    CHECK_FALSE(std::filesystem::exists(rd::path(dir + role + ".json")));
  }
}

TEST_CASE("realdata connaisseur-go: every signature of the synthetic sets verifies",
          "[realdata][connaisseur-go]") {
  DTRUST_REALDATA_OR_SKIP();
  for (const std::string& set : synthetic_sets()) {
    const std::string dir = std::string(kWire) + set + "/";
    auto root = tuf::parse_root(rd::bytes(dir + "root.json"));
    auto timestamp = tuf::parse_timestamp(rd::bytes(dir + "timestamp.json"));
    auto snapshot = tuf::parse_snapshot(rd::bytes(dir + "snapshot.json"));
    auto targets = tuf::parse_targets(rd::bytes(dir + "targets.json"), "targets");
    REQUIRE(root.ok());
    REQUIRE(timestamp.ok());
    REQUIRE(snapshot.ok());
    REQUIRE(targets.ok());
    INFO("connaisseur-go " << set);
    CHECK(tally_for_role(*root, "root", root->canonical, root->signatures).valid == 1);
    CHECK(tally_for_role(*root, "timestamp", timestamp->canonical, timestamp->signatures).valid ==
          1);
    CHECK(tally_for_role(*root, "snapshot", snapshot->canonical, snapshot->signatures).valid == 1);
    CHECK(tally_for_role(*root, "targets", targets->canonical, targets->signatures).valid == 1);
    for (const tuf::DelegatedRole& d : targets->signed_.delegations.roles) {
      const std::filesystem::path file = rd::path(dir + d.name + ".json");
      if (!std::filesystem::exists(file)) continue;
      auto delegated = tuf::parse_targets(testing::read_file(file), d.name);
      REQUIRE(delegated.ok());
      INFO(d.name);
      const auto tally = rd::tally_signatures(delegated->canonical, delegated->signatures,
                                              targets->signed_.delegations.keys, d.keyids);
      CHECK(tally.valid >= d.threshold);
      CHECK(tally.invalid == 0);
    }
  }
}

TEST_CASE("realdata connaisseur-go: 01_expired_root", "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string bytes = rd::bytes(std::string(kOriginal) + "01_expired_root.json");
  // The CA certificate is refused before the root's expiry is ever looked at.
  auto set = tuf::TrustedSet::create(kGun, bytes, testing::at("2026-11-25T00:00:00Z"));
  REQUIRE_FALSE(set.ok());
  INFO(rd::describe(set));
  CHECK(set.error().kind == ErrorKind::kBadCertificate);
  auto root = tuf::parse_root(bytes);
  REQUIRE(root.ok());
  CHECK(root->signed_.expires.instant < testing::at("1990-01-02T00:00:00Z"));
  CHECK(tally_for_role(*root, "root", root->canonical, root->signatures).valid == 1);
}

TEST_CASE("realdata connaisseur-go: 02_invalid_signature_targets",
          "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const auto root = never_expire_root();
  auto bad = tuf::parse_targets(
      rd::bytes(std::string(kOriginal) + "02_invalid_signature_targets.json"), "targets");
  auto good = tuf::parse_targets(rd::bytes(std::string(kWire) + "never-expire-image/targets.json"),
                                 "targets");
  REQUIRE(bad.ok());
  REQUIRE(good.ok());
  const auto tally = tally_for_role(root, "targets", bad->canonical, bad->signatures);
  CHECK(tally.valid == 0);
  CHECK(tally.invalid == 1);  // a TrustedSet says kBadSignature
  CHECK(tally_for_role(root, "targets", good->canonical, good->signatures).valid == 1);
}

TEST_CASE("realdata connaisseur-go: 03_expired_snapshot", "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const auto root = never_expire_root();
  auto snapshot =
      tuf::parse_snapshot(rd::bytes(std::string(kOriginal) + "03_expired_snapshot.json"));
  REQUIRE(snapshot.ok());
  CHECK(snapshot->signed_.expires.instant < testing::at("1991-01-01T00:00:00Z"));
  CHECK(tally_for_role(root, "snapshot", snapshot->canonical, snapshot->signatures).valid == 1);
}

TEST_CASE("realdata connaisseur-go: 04_invalid_signature_delegation and 05_expired_delegation",
          "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  auto parent = tuf::parse_targets(
      rd::bytes(std::string(kWire) + "never-expire-with-delegations-image/targets.json"),
      "targets");
  REQUIRE(parent.ok());
  const tuf::DelegatedRole& del1 = parent->signed_.delegations.roles.front();
  REQUIRE(del1.name == "targets/del1");
  auto invalid = tuf::parse_targets(
      rd::bytes(std::string(kOriginal) + "04_invalid_signature_delegation.json"), "targets/del1");
  auto expired = tuf::parse_targets(
      rd::bytes(std::string(kOriginal) + "05_expired_delegation.json"), "targets/del1");
  REQUIRE(invalid.ok());
  REQUIRE(expired.ok());
  const auto& keys = parent->signed_.delegations.keys;
  const auto bad = rd::tally_signatures(invalid->canonical, invalid->signatures, keys, del1.keyids);
  CHECK(bad.valid == 0);
  CHECK(bad.invalid == 1);
  CHECK(expired->signed_.expires.instant < testing::at("1971-01-01T00:00:00Z"));
  CHECK(rd::tally_signatures(expired->canonical, expired->signatures, keys, del1.keyids).valid ==
        1);
}

TEST_CASE("realdata connaisseur-go: 06_no_signature_root", "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string bytes = rd::bytes(std::string(kOriginal) + "06_no_signature_root.json");
  auto root = tuf::parse_root(bytes);
  REQUIRE(root.ok());
  CHECK(root->signatures.empty());
  CHECK(tally_for_role(*root, "root", root->canonical, root->signatures).valid == 0);
  auto set = tuf::TrustedSet::create(kGun, bytes, testing::at("2026-11-25T00:00:00Z"));
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().kind == ErrorKind::kBadCertificate);  // checked before the signatures
}

TEST_CASE(
    "realdata connaisseur-go: 07_root_multiple_signatures ignores the targets key's signature",
    "[realdata][connaisseur-go]") {
  DTRUST_REALDATA_OR_SKIP();
  auto root =
      tuf::parse_root(rd::bytes(std::string(kOriginal) + "07_root_multiple_signatures.json"));
  REQUIRE(root.ok());
  REQUIRE(root->signatures.size() == 2);
  const auto tally = tally_for_role(*root, "root", root->canonical, root->signatures);
  CHECK(tally.valid == 1);
  CHECK(tally.ignored == 1);
  CHECK(tally.valid >= root->signed_.roles.at("root").threshold);
}

TEST_CASE("realdata connaisseur-go: err-image role files have the wrong _type",
          "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string dir = std::string(kOriginal) + "err-image/";
  auto root = tuf::parse_root(rd::bytes(dir + "root.json"));
  auto snapshot = tuf::parse_snapshot(rd::bytes(dir + "snapshot.json"));
  auto targets = tuf::parse_targets(rd::bytes(dir + "targets.json"), "targets");
  auto timestamp = tuf::parse_timestamp(rd::bytes(dir + "timestamp.json"));
  REQUIRE_FALSE(root.ok());
  REQUIRE_FALSE(snapshot.ok());
  REQUIRE_FALSE(targets.ok());
  REQUIRE_FALSE(timestamp.ok());
  CHECK(root.error().kind == ErrorKind::kWrongType);
  CHECK(snapshot.error().kind == ErrorKind::kWrongType);
  CHECK(targets.error().kind == ErrorKind::kWrongType);
  CHECK(timestamp.error().kind == ErrorKind::kWrongType);

  auto set = tuf::TrustedSet::create("docker.io/phbelitz/alice-image", rd::bytes(dir + "root.json"),
                                     testing::at("2019-10-20T00:00:00Z"));
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().kind == ErrorKind::kWrongType);
  CHECK(set.error().role == "root");
}

TEST_CASE("realdata connaisseur-go: err-image invalid.json is not JSON",
          "[realdata][connaisseur-go][negative]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string bytes = rd::bytes(std::string(kOriginal) + "err-image/invalid.json");
  CHECK(tuf::parse_root(bytes).error().kind == ErrorKind::kMalformed);
  CHECK(tuf::parse_timestamp(bytes).error().kind == ErrorKind::kMalformed);
  CHECK(tuf::parse_snapshot(bytes).error().kind == ErrorKind::kMalformed);
  CHECK(tuf::parse_targets(bytes, "targets").error().kind == ErrorKind::kMalformed);
}
