// kolide/updater's data from a real private notary server (realdata/README.md: kolide-updater):
// an update sequence with root rotations, nested and path-restricted delegations with orphan
// roles, a pretty-printed root, and a negative set. The source tests freeze the clock at
// 2017-07-02; the sets signed before that use a time inside their own windows.
#include <catch2/catch.hpp>

#include "realdata.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kLinux = "kolide-updater/kolide/agent/linux/";
constexpr const char* kLinuxGun = "kolide/agent/linux";
constexpr const char* kDarwinGun = "kolide/greeter/darwin";
const char* const kFrozen = "2017-07-02T00:00:00Z";

// Sequence state N as a notary folder (root.N.json -> root.json, ...).
void assemble_state(const std::filesystem::path& dir, int n) {
  const std::string suffix = "." + std::to_string(n) + ".json";
  rd::assemble(dir, {{"root.json", kLinux + std::string("root") + suffix},
                     {"timestamp.json", kLinux + std::string("timestamp") + suffix},
                     {"snapshot.json", kLinux + std::string("snapshot") + suffix},
                     {"targets.json", kLinux + std::string("targets") + suffix}});
}

std::string state_file(const char* role, int n) {
  return rd::bytes(kLinux + std::string(role) + "." + std::to_string(n) + ".json");
}

// Expected target entry from a blob: its sha256 and size, computed here, not by the engine.
struct Blob {
  std::string sha256;
  int64_t length;
};
Blob blob(std::string_view relative) {
  const std::string data = rd::bytes(relative);
  return {rd::sha256_hex(data), static_cast<int64_t>(data.size())};
}

void check_entry(const tuf::FileMeta& meta, const Blob& expected) {
  CHECK(rd::sha256_hex(meta) == expected.sha256);
  CHECK(meta.length == expected.length);
}

std::vector<std::string> roles_of(const std::vector<tuf::TargetHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.role);
  return out;
}

// A client that verified state `from` (its versions are now floors) and updates to `to`.
tuf::Status update_sequence(const std::string& gun, int from, int to, bool rotate_root) {
  auto before = tuf::TrustedSet::create(gun, state_file("root", from), testing::at(kFrozen));
  if (!before.ok()) return before.error();
  DTRUST_TRY(before->update_timestamp(state_file("timestamp", from)));
  DTRUST_TRY(before->update_snapshot(state_file("snapshot", from)));
  DTRUST_TRY(before->update_targets(state_file("targets", from)));
  tuf::VersionFloors floors;
  floors.root = before->root().signed_.version;
  floors.timestamp = before->timestamp()->signed_.version;
  floors.snapshot = before->snapshot()->signed_.version;
  floors.targets = before->targets("targets")->signed_.version;

  auto after =
      tuf::TrustedSet::create(gun, state_file("root", from), testing::at(kFrozen), {}, floors);
  if (!after.ok()) return after.error();
  if (rotate_root) DTRUST_TRY(after->update_root(state_file("root", to)));
  DTRUST_TRY(after->update_timestamp(state_file("timestamp", to)));
  DTRUST_TRY(after->update_snapshot(state_file("snapshot", to)));
  return after->update_targets(state_file("targets", to));
}

}  // namespace

TEST_CASE("realdata kolide agent/linux: states 0-2 verify at 2017-07-02", "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  // targets.0 -> target.0.4 + target.1.0; targets.1 and 2 -> target.0.1 + target.1.1.
  const std::vector<std::pair<Blob, Blob>> expected = {
      {blob(std::string(kLinux) + "target.0.4"), blob(std::string(kLinux) + "target.1.0")},
      {blob(std::string(kLinux) + "target.0.1"), blob(std::string(kLinux) + "target.1.1")},
      {blob(std::string(kLinux) + "target.0.1"), blob(std::string(kLinux) + "target.1.1")},
  };
  for (int n = 0; n <= 2; ++n) {
    testing::TempDir dir;
    assemble_state(dir.path(), n);
    auto repo = rd::open_folder(dir.path(), kLinuxGun, testing::at(kFrozen));
    INFO("kolide agent/linux state " << n << ": " << rd::describe(repo));
    REQUIRE(repo.ok());
    auto all = (*repo)->resolver().all(std::nullopt);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK((*all)[0].name == "somedir/target.0");
    CHECK((*all)[1].name == "somedir/target.1");
    check_entry((*all)[0].meta, expected[n].first);
    check_entry((*all)[1].meta, expected[n].second);
  }
}

TEST_CASE("realdata kolide agent/linux: states 3-4 carry a kolide/greeter/darwin certificate",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  const Blob latest = blob(std::string(kLinux) + "target.0.4");
  for (int n = 3; n <= 4; ++n) {
    testing::TempDir dir;
    assemble_state(dir.path(), n);
    auto wrong_gun = rd::open_folder(dir.path(), kLinuxGun, testing::at(kFrozen));
    INFO("kolide agent/linux state " << n << " as " << kLinuxGun << ": "
                                     << rd::describe(wrong_gun));
    REQUIRE_FALSE(wrong_gun.ok());
    CHECK(wrong_gun.error().kind == ErrorKind::kBadCertificate);
    CHECK(wrong_gun.error().role == "root");

    auto repo = rd::open_folder(dir.path(), kDarwinGun, testing::at(kFrozen));
    INFO("as " << kDarwinGun << ": " << rd::describe(repo));
    REQUIRE(repo.ok());
    auto hit = (*repo)->resolver().find_dct("latest/target");
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    check_entry((*hit)->meta, latest);
  }
}

TEST_CASE("realdata kolide agent/linux: a client updates through the sequence",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  SECTION("0 -> 1: the same root, newer timestamp, snapshot and targets") {
    tuf::Status s = update_sequence(kLinuxGun, 0, 1, true);
    INFO(rd::describe(s));
    CHECK(s.ok());
  }
  SECTION("1 -> 2: root v2 rotates the snapshot key") {
    tuf::Status s = update_sequence(kLinuxGun, 1, 2, true);
    INFO(rd::describe(s));
    CHECK(s.ok());
    // Without the new root the new snapshot key is unknown.
    tuf::Status stale = update_sequence(kLinuxGun, 1, 2, false);
    REQUIRE_FALSE(stale.ok());
    INFO(rd::describe(stale));
    CHECK(stale.error().kind == ErrorKind::kThresholdNotMet);
    CHECK(stale.error().role == "snapshot");
  }
  SECTION("3 -> 4: root v2 rotates the timestamp key") {
    tuf::Status s = update_sequence(kDarwinGun, 3, 4, true);
    INFO(rd::describe(s));
    CHECK(s.ok());
    tuf::Status stale = update_sequence(kDarwinGun, 3, 4, false);
    REQUIRE_FALSE(stale.ok());
    INFO(rd::describe(stale));
    CHECK(stale.error().kind == ErrorKind::kThresholdNotMet);
    CHECK(stale.error().role == "timestamp");
  }
  SECTION("going back from 2 to 1 is a rollback") {
    auto set = tuf::TrustedSet::create(kLinuxGun, state_file("root", 2), testing::at(kFrozen));
    REQUIRE(set.ok());
    tuf::Status s = set->update_root(state_file("root", 1));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::kRollback);
  }
}

TEST_CASE("realdata kolide agent/linux: a folder holding the old root finds the rotated one",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  struct Rotation {
    const char* gun;
    int state;
  };
  // 1 -> 2 rotates the snapshot key, 3 -> 4 the timestamp key.
  for (const Rotation& r : {Rotation{kLinuxGun, 2}, Rotation{kDarwinGun, 4}}) {
    testing::TempDir dir;
    assemble_state(dir.path(), r.state);
    testing::write_file(dir.path() / "root.json", state_file("root", r.state - 1));
    testing::write_file(dir.path() / "2.root.json", state_file("root", r.state));
    auto repo = rd::open_folder(dir.path(), r.gun, testing::at(kFrozen));
    INFO("kolide state " << r.state << " with root." << r.state - 1 << " as root.json and root."
                         << r.state << " as 2.root.json: " << rd::describe(repo));
    REQUIRE(repo.ok());
    CHECK((*repo)->set().root().signed_.version == 2);
  }
}

TEST_CASE("realdata kolide agent/linux: a rotated snapshot key hides the root checksum",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  // Spec 6.5 step 1: the newer root's checksum is learned only from a snapshot that verified.
  // Here the snapshot is signed by the key root v2 introduces, so under root v1 it never
  // verifies, and a root v2 stored only under its checksum name is not found (notary would
  // fetch root.json, which in this folder is v1).
  const std::string root2 = state_file("root", 2);
  for (bool with_checksum_copy : {false, true}) {
    testing::TempDir dir;
    assemble_state(dir.path(), 2);
    testing::write_file(dir.path() / "root.json", state_file("root", 1));
    if (with_checksum_copy) {
      testing::write_file(dir.path() / ("root." + rd::sha256_hex(root2) + ".json"), root2);
    }
    auto repo = rd::open_folder(dir.path(), kLinuxGun, testing::at(kFrozen));
    INFO("checksum-named root v2 present: " << with_checksum_copy << ": " << rd::describe(repo));
    REQUIRE_FALSE(repo.ok());
    CHECK(repo.error().kind == ErrorKind::kThresholdNotMet);
    CHECK(repo.error().role == "snapshot");
  }
}

TEST_CASE("realdata kolide verify: the pretty root is not the root the snapshot records",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string dir = std::string(kLinux) + "verify";
  const tuf::Time at = testing::at("2017-06-20T00:00:00Z");  // timestamp ends 2017-06-30
  auto as_committed = rd::open_folder(dir, kLinuxGun, at);
  REQUIRE_FALSE(as_committed.ok());
  INFO("kolide verify/ as committed: " << rd::describe(as_committed));
  CHECK(as_committed.error().kind == ErrorKind::kHashMismatch);
  CHECK(as_committed.error().role == "root");

  // With the compact form of the same root (what the server served), it verifies.
  auto compact = rd::rewire(rd::bytes(dir + "/root.json"), "root");
  REQUIRE(compact.ok());
  auto snapshot = tuf::parse_snapshot(rd::bytes(dir + "/snapshot.json"));
  REQUIRE(snapshot.ok());
  CHECK(tuf::file_meta_for(*compact) == snapshot->signed_.meta.at("root"));
  testing::TempDir fixed;
  rd::assemble(fixed.path(), {{"timestamp.json", dir + "/timestamp.json"},
                              {"snapshot.json", dir + "/snapshot.json"},
                              {"targets.json", dir + "/targets.json"}});
  testing::write_file(fixed.path() / "root.json", *compact);
  auto repo = rd::open_folder(fixed.path(), kLinuxGun, at);
  INFO("kolide verify/ with the compact root: " << rd::describe(repo));
  REQUIRE(repo.ok());
  auto hit = (*repo)->resolver().find_dct("bin/notary");
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  CHECK((*hit)->sha256_hex().rfind("57df4ed4", 0) == 0);
  CHECK((*hit)->meta.length == 9562228);
}

TEST_CASE("realdata kolide delegation: nested and path-restricted delegations",
          "[realdata][kolide][delegation]") {
  DTRUST_REALDATA_OR_SKIP();
  const Blob v04 = blob(std::string(kLinux) + "target.0.4");
  const Blob v01 = blob(std::string(kLinux) + "target.0.1");
  const Blob edge = blob("kolide-updater/mirror/2/edge/target");
  CHECK(blob("kolide-updater/mirror/3/latest/target").sha256 == edge.sha256);
  struct State {
    Blob role_latest;
    Blob foo_edge;
    Blob bar_latest;
  };
  const std::vector<State> states = {
      {v01, v04, v04}, {v01, v04, v04}, {v04, edge, v04}, {v04, edge, edge}};
  for (int n = 0; n < 4; ++n) {
    const std::string dir = "kolide-updater/delegation/" + std::to_string(n);
    auto repo = rd::open_folder(dir, kDarwinGun, testing::at(kFrozen));
    INFO("kolide " << dir << ": " << rd::describe(repo));
    REQUIRE(repo.ok());
    tuf::Resolver& resolver = (*repo)->resolver();

    auto delegations = resolver.delegations();
    INFO(rd::describe(delegations));
    REQUIRE(delegations.ok());
    REQUIRE(delegations->size() == 3);
    CHECK((*delegations)[0].name == "targets/role");
    CHECK((*delegations)[0].effective_paths == std::vector<std::string>{""});
    CHECK((*delegations)[1].name == "targets/bar");
    CHECK((*delegations)[1].effective_paths == std::vector<std::string>{"edge", "latest"});
    CHECK((*delegations)[2].name == "targets/role/foo");
    CHECK((*delegations)[2].effective_paths == std::vector<std::string>{"edge", "v1"});

    auto top = resolver.find_dct("latest/target");
    REQUIRE(top.ok());
    REQUIRE(top->has_value());
    CHECK((*top)->role == "targets");
    check_entry((*top)->meta, v04);

    auto latest = resolver.all("latest/target");
    REQUIRE(latest.ok());
    CHECK(roles_of(*latest) == std::vector<std::string>{"targets", "targets/role", "targets/bar"});
    REQUIRE(latest->size() == 3);
    check_entry((*latest)[1].meta, states[n].role_latest);
    check_entry((*latest)[2].meta, states[n].bar_latest);

    // edge/target lives two levels down; targets/role passes the walk on to targets/role/foo.
    auto nested = resolver.find("edge/target", {"targets/role"});
    REQUIRE(nested.ok());
    REQUIRE(nested->has_value());
    CHECK((*nested)->role == "targets/role/foo");
    check_entry((*nested)->meta, states[n].foo_edge);
    // targets/bar may sign edge/... but does not; foo's paths do not cover latest/...
    auto bar_edge = resolver.find("edge/target", {"targets/bar"});
    REQUIRE(bar_edge.ok());
    CHECK_FALSE(bar_edge->has_value());
    auto foo_latest = resolver.find("latest/target", {"targets/role/foo"});
    REQUIRE(foo_latest.ok());
    CHECK_FALSE(foo_latest->has_value());
    auto outside = resolver.find("somewhere/else", {"targets/bar"});
    REQUIRE(outside.ok());
    CHECK_FALSE(outside->has_value());
    CHECK(resolver.warnings().empty());
  }
}

TEST_CASE("realdata kolide delegation: orphan roles in the snapshot are never loaded",
          "[realdata][kolide][delegation]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder("kolide-updater/delegation/0", kDarwinGun, testing::at(kFrozen));
  REQUIRE(repo.ok());
  tuf::TrustedSet& set = (*repo)->set();
  CHECK(set.snapshot_meta("targets/project") != nullptr);
  CHECK(set.snapshot_meta("targets/publisher") != nullptr);
  auto all = (*repo)->resolver().all(std::nullopt);
  REQUIRE(all.ok());
  for (const auto& hit : *all) {
    CHECK(hit.role != "targets/project");
    CHECK(hit.role != "targets/publisher");
  }
  CHECK(set.targets("targets/project") == nullptr);
  CHECK(set.targets("targets/publisher") == nullptr);
  CHECK_FALSE(set.delegation("targets/project").has_value());
  // Offered directly, the set refuses a role its parent does not delegate.
  tuf::Status orphan = set.update_delegation(
      "targets/publisher", rd::bytes("kolide-updater/delegation/0/targets/publisher.json"));
  REQUIRE_FALSE(orphan.ok());
  CHECK(orphan.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("realdata kolide delegation: the orphan project role is signed by an RSA-4096 key",
          "[realdata][kolide][delegation]") {
  DTRUST_REALDATA_OR_SKIP();
  auto project = tuf::parse_targets(rd::bytes("kolide-updater/delegation/0/targets/project.json"),
                                    "targets/project");
  INFO(rd::describe(project));
  REQUIRE(project.ok());
  REQUIRE(project->signatures.size() == 1);
  CHECK(project->signatures.front().method == "rsapss");
  const auto& keys = project->signed_.delegations.keys;
  const std::string signer = project->signatures.front().keyid;
  REQUIRE(keys.count(signer) == 1);
  CHECK(keys.at(signer).type == tuf::KeyType::kRsaX509);
  auto certs = tuf::crypto::parse_certificate_pem(keys.at(signer).public_bytes);
  REQUIRE(certs.ok());
  CHECK(certs->front().key.key_bits == 4096);
  const auto tally = rd::tally_signatures(project->canonical, project->signatures, keys, {signer});
  CHECK(tally.valid == 1);
}

TEST_CASE("realdata kolide data: targets is not the version the snapshot records",
          "[realdata][kolide]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string dir = "kolide-updater/data/";
  const std::string gun = "kolide/agent";
  const tuf::Time at = testing::at("2017-06-20T00:00:00Z");  // timestamp ends 2017-06-26

  SECTION("as committed (pretty-printed), the snapshot is already larger than recorded") {
    auto repo = rd::open_folder(dir, gun, at);
    REQUIRE_FALSE(repo.ok());
    INFO(rd::describe(repo));
    CHECK(repo.error().kind == ErrorKind::kTooLarge);
    CHECK(repo.error().role == "snapshot");
  }
  SECTION("in wire form, root, timestamp and snapshot verify and targets does not") {
    std::map<std::string, std::string> wire;
    for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
      auto w = rd::rewire(rd::bytes(dir + role + ".json"), role);
      INFO(dir << role << ".json: " << rd::describe(w));
      REQUIRE(w.ok());
      wire[role] = *w;
    }
    auto set = tuf::TrustedSet::create(gun, wire["root"], at);
    INFO(rd::describe(set));
    REQUIRE(set.ok());
    REQUIRE(set->update_timestamp(wire["timestamp"]).ok());
    tuf::Status snapshot = set->update_snapshot(wire["snapshot"]);
    INFO(rd::describe(snapshot));
    REQUIRE(snapshot.ok());
    tuf::Status targets = set->update_targets(wire["targets"]);
    REQUIRE_FALSE(targets.ok());
    INFO(rd::describe(targets));
    CHECK(targets.error().kind == ErrorKind::kHashMismatch);
    CHECK(targets.error().role == "targets");
    CHECK(set->snapshot_meta("targets")->length != static_cast<int64_t>(wire["targets"].size()));
  }
}
