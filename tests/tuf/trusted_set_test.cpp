// The trusted set against attacks, named attack x condition. Every bad repository is real
// notary metadata (fixtures/delegations) mutated through the typed model and re-signed.
#include <catch2/catch.hpp>

#include "test_repo.h"
#include "test_support.h"
#include "tuf/builder.h"

namespace {

using testing::TestRepo;
using tuf::ErrorKind;

TestRepo real_repo() {
  static const TestRepo base = TestRepo::from_fixture("delegations");
  return base;
}

void require_fails(const TestRepo& repo, ErrorKind kind, const std::string& role,
                   tuf::VersionFloors floors = {}) {
  tuf::Status s = repo.verify(repo.now, {}, floors);
  REQUIRE_FALSE(s.ok());
  INFO(s.error().message());
  CHECK(s.error().kind == kind);
  CHECK(s.error().role == role);
  CHECK(s.error().gun == repo.gun);
}

tuf::Targets& model(TestRepo& repo, const std::string& role) {
  return role == "targets" ? repo.targets : repo.delegations.at(role);
}

}  // namespace

TEST_CASE("baseline: re-signed real metadata verifies", "[trusted]") {
  TestRepo repo = real_repo();
  tuf::Status s = repo.verify(repo.now);
  INFO((s.ok() ? "" : s.error().message()));
  CHECK(s.ok());
}

TEST_CASE("freeze: each expired role is rejected", "[trusted][attack][freeze]") {
  for (const std::string role :
       {"root", "timestamp", "snapshot", "targets", "targets/releases", "targets/alice/ci"}) {
    SECTION(role) {
      TestRepo repo = real_repo();
      const tuf::DateTime past = tuf::expiry_after(repo.now, -60);
      if (role == "root") repo.root.expires = past;
      if (role == "timestamp") repo.timestamp.expires = past;
      if (role == "snapshot") repo.snapshot.expires = past;
      if (role.starts_with("targets")) model(repo, role).expires = past;
      repo.publish();
      require_fails(repo, ErrorKind::kExpired, role);
    }
  }
}

TEST_CASE("rollback: each role below its trusted version is rejected",
          "[trusted][attack][rollback]") {
  TestRepo repo = real_repo();
  const tuf::VersionFloors base;
  SECTION("root") {
    tuf::VersionFloors f;
    f.root = repo.root.version + 1;
    require_fails(repo, ErrorKind::kRollback, "root", f);
  }
  SECTION("timestamp") {
    tuf::VersionFloors f;
    f.timestamp = repo.timestamp.version + 1;
    require_fails(repo, ErrorKind::kRollback, "timestamp", f);
  }
  SECTION("snapshot") {
    tuf::VersionFloors f;
    f.snapshot = repo.snapshot.version + 1;
    require_fails(repo, ErrorKind::kRollback, "snapshot", f);
  }
  SECTION("targets") {
    tuf::VersionFloors f;
    f.targets = repo.targets.version + 1;
    require_fails(repo, ErrorKind::kRollback, "targets", f);
  }
  SECTION("delegation") {
    tuf::VersionFloors f;
    f.delegations["targets/releases"] = repo.delegations["targets/releases"].version + 1;
    require_fails(repo, ErrorKind::kRollback, "targets/releases", f);
  }
  SECTION("equal versions are accepted (notary allows equal)") {
    tuf::VersionFloors f;
    f.timestamp = repo.timestamp.version;
    f.snapshot = repo.snapshot.version;
    f.targets = repo.targets.version;
    CHECK(repo.verify(repo.now, {}, f).ok());
  }
}

TEST_CASE("mix-and-match: a file from another version is rejected", "[trusted][attack]") {
  TestRepo repo = real_repo();
  SECTION("snapshot from an older version") {
    const std::string old_snapshot = repo.files["snapshot"];
    repo.snapshot.version += 1;
    repo.publish();
    repo.files["snapshot"] = old_snapshot;
    require_fails(repo, ErrorKind::kHashMismatch, "snapshot");
  }
  SECTION("targets from an older version") {
    const std::string old_targets = repo.files["targets"];
    repo.add_target("targets", "new-tag", "new manifest");
    repo.targets.version += 1;
    repo.publish();
    repo.files["targets"] = old_targets;
    require_fails(repo, ErrorKind::kHashMismatch, "targets");
  }
  SECTION("delegation from an older version") {
    const std::string old = repo.files["targets/releases"];
    repo.add_target("targets/releases", "v9", "v9 manifest");
    repo.delegations["targets/releases"].version += 1;
    repo.publish();
    repo.files["targets/releases"] = old;
    require_fails(repo, ErrorKind::kHashMismatch, "targets/releases");
  }
}

TEST_CASE("wrong length or hash in the parent's record is rejected", "[trusted][attack]") {
  TestRepo repo = real_repo();
  SECTION("wrong length, right hashes (targets)") {
    repo.publish();
    repo.snapshot.meta["targets"].length += 1;
    repo.sign("snapshot");
    repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
    repo.sign("timestamp");
    require_fails(repo, ErrorKind::kLengthMismatch, "targets");
  }
  SECTION("wrong length (snapshot)") {
    repo.timestamp.meta["snapshot"].length -= 1;
    repo.sign("timestamp");
    require_fails(repo, ErrorKind::kLengthMismatch, "snapshot");
  }
  SECTION("wrong sha512, right sha256 (delegation)") {
    repo.snapshot.meta["targets/alice"].hashes["sha512"][0] ^= 1;
    repo.sign("snapshot");
    repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
    repo.sign("timestamp");
    require_fails(repo, ErrorKind::kHashMismatch, "targets/alice");
  }
}

TEST_CASE("bad signature: a tampered signature is rejected", "[trusted][attack]") {
  for (const std::string role : {"root", "timestamp", "snapshot", "targets", "targets/alice"}) {
    SECTION(role) {
      TestRepo repo = real_repo();
      auto sigs =
          tuf::sign_canonical(role == "root"        ? tuf::canonical_signed(repo.root)
                              : role == "timestamp" ? tuf::canonical_signed(repo.timestamp)
                              : role == "snapshot"  ? tuf::canonical_signed(repo.snapshot)
                                                    : tuf::canonical_signed(model(repo, role)),
                              repo.keys[role]);
      auto parsed_sigs = sigs;
      parsed_sigs[0].sig[5] ^= 0x40;
      const std::string canonical = role == "root"        ? tuf::canonical_signed(repo.root)
                                    : role == "timestamp" ? tuf::canonical_signed(repo.timestamp)
                                    : role == "snapshot"  ? tuf::canonical_signed(repo.snapshot)
                                                         : tuf::canonical_signed(model(repo, role));
      repo.files[role] = tuf::envelope(canonical, {parsed_sigs[0]});
      // Keep the chain of hashes consistent so only the signature is wrong.
      if (role != "root" && role != "timestamp") {
        if (role != "snapshot") {
          repo.snapshot.meta[role] = tuf::file_meta_for(repo.files[role]);
          repo.sign("snapshot");
        }
        repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
        repo.sign("timestamp");
      }
      require_fails(repo, ErrorKind::kBadSignature, role);
    }
  }
}

TEST_CASE("threshold: not met, duplicate key IDs, one key under two IDs", "[trusted][attack]") {
  TestRepo repo = real_repo();
  SECTION("threshold 2 with one signature") {
    repo.root.roles["targets"].threshold = 2;
    repo.publish();
    require_fails(repo, ErrorKind::kThresholdNotMet, "targets");
  }
  SECTION("the same signature twice does not count twice") {
    repo.root.roles["targets"].threshold = 2;
    repo.publish();
    auto parsed = tuf::parse_targets(repo.files["targets"], "targets");
    REQUIRE(parsed.ok());
    auto sigs = parsed->signatures;
    sigs.push_back(sigs[0]);
    repo.files["targets"] = tuf::envelope(parsed->canonical, sigs);
    repo.snapshot.meta["targets"] = tuf::file_meta_for(repo.files["targets"]);
    repo.sign("snapshot");
    repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
    repo.sign("timestamp");
    require_fails(repo, ErrorKind::kThresholdNotMet, "targets");
  }
  SECTION("one key listed as ecdsa and as a certificate counts once") {
    const tuf::SigningKey plain = repo.keys["targets"][0];
    auto cert = tuf::make_root_certificate_key(plain.key, repo.gun, repo.now);
    REQUIRE(cert.ok());
    repo.root.keys[cert->id()] = *cert;
    repo.root.roles["targets"].keyids.push_back(cert->id());
    repo.root.roles["targets"].threshold = 2;
    repo.keys["targets"].push_back(tuf::SigningKey{cert->id(), plain.key});
    repo.publish();
    require_fails(repo, ErrorKind::kThresholdNotMet, "targets");
    // The public count (what `dtrust cosign` reports) agrees: two signatures, one key.
    auto parsed = tuf::parse_targets(repo.files["targets"], "targets");
    REQUIRE(parsed.ok());
    CHECK(parsed->signatures.size() == 2);
    CHECK(tuf::count_valid_signatures(parsed->canonical, parsed->signatures, repo.root.keys,
                                      repo.root.roles["targets"].keyids) == 1);
  }
  SECTION("two distinct keys meet threshold 2") {
    auto second = tuf::crypto::PrivateKey::generate_ecdsa_p256();
    const tuf::PublicKey pub = tuf::public_key_of(second);
    repo.root.keys[pub.id()] = pub;
    repo.root.roles["targets"].keyids.push_back(pub.id());
    repo.root.roles["targets"].threshold = 2;
    repo.keys["targets"].push_back(tuf::SigningKey{pub.id(), second});
    repo.publish();
    CHECK(repo.verify(repo.now).ok());
  }
  SECTION("a delegation with threshold 2 signed by one of its keys") {
    auto& role = repo.targets.delegations.roles;
    auto it = std::find_if(role.begin(), role.end(),
                           [](const auto& d) { return d.name == "targets/releases"; });
    REQUIRE(it != role.end());
    REQUIRE(it->keyids.size() >= 2);
    it->threshold = 2;
    auto& signers = repo.keys["targets/releases"];
    signers.erase(signers.begin() + 1, signers.end());
    repo.publish();
    require_fails(repo, ErrorKind::kThresholdNotMet, "targets/releases");
  }
}

TEST_CASE("key-type confusion: the verifier follows the trusted key's type", "[trusted][attack]") {
  TestRepo repo = real_repo();
  SECTION("signature method of another algorithm") {
    auto parsed = tuf::parse_targets(repo.files["targets"], "targets");
    REQUIRE(parsed.ok());
    auto sigs = parsed->signatures;
    sigs[0].method = "rsapss";
    repo.files["targets"] = tuf::envelope(parsed->canonical, sigs);
    repo.snapshot.meta["targets"] = tuf::file_meta_for(repo.files["targets"]);
    repo.sign("snapshot");
    repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
    repo.sign("timestamp");
    require_fails(repo, ErrorKind::kBadSignature, "targets");
  }
  SECTION("an ecdsa key declared as rsa") {
    const std::string id = repo.root.roles["targets"].keyids[0];
    tuf::PublicKey k = repo.root.keys[id];
    k.type = tuf::KeyType::kRsa;
    repo.root.keys.erase(id);
    repo.root.keys[k.id()] = k;
    repo.root.roles["targets"].keyids = {k.id()};
    repo.keys["targets"][0].keyid = k.id();
    repo.publish();
    require_fails(repo, ErrorKind::kBadSignature, "targets");
  }
}

TEST_CASE("root certificates: CN must equal the GUN", "[trusted][attack][root]") {
  TestRepo repo = real_repo();
  auto set = tuf::TrustedSet::create("example.com/dtrust/other", repo.files["root"], repo.now);
  REQUIRE_FALSE(set.ok());
  CHECK(set.error().kind == ErrorKind::kBadCertificate);
  CHECK_THAT(set.error().detail, Catch::Contains("CN"));
}

TEST_CASE("root certificates: a plain ecdsa root key is not accepted", "[trusted][attack][root]") {
  TestRepo repo = real_repo();
  const tuf::SigningKey root_key = repo.keys["root"][0];
  const tuf::PublicKey plain = tuf::public_key_of(root_key.key);
  repo.root.keys[plain.id()] = plain;
  repo.root.roles["root"].keyids = {plain.id()};
  repo.keys["root"] = {tuf::SigningKey{plain.id(), root_key.key}};
  repo.publish();
  require_fails(repo, ErrorKind::kBadCertificate, "root");
}

TEST_CASE("root certificates: expired or not yet valid", "[trusted][attack][root]") {
  TestRepo repo =
      TestRepo::fresh("example.com/dtrust/certtime", testing::at("2026-01-01T00:00:00Z"));
  // The certificate is valid for 10 years from 2026-01-01.
  auto later =
      tuf::TrustedSet::create(repo.gun, repo.files["root"], testing::at("2036-01-03T00:00:00Z"));
  REQUIRE_FALSE(later.ok());
  CHECK(later.error().kind == ErrorKind::kBadCertificate);
  auto earlier =
      tuf::TrustedSet::create(repo.gun, repo.files["root"], testing::at("2025-12-30T00:00:00Z"));
  REQUIRE_FALSE(earlier.ok());
  CHECK(earlier.error().kind == ErrorKind::kBadCertificate);
  // One day of clock skew is tolerated (notary).
  CHECK(tuf::TrustedSet::create(repo.gun, repo.files["root"], testing::at("2025-12-31T12:00:00Z"))
            .ok());
}

TEST_CASE("root pinning: by canonical ID or certificate ID, else rejected", "[trusted][root]") {
  TestRepo repo = real_repo();
  const std::string cert_id = repo.root.roles["root"].keyids[0];
  auto canonical = tuf::canonical_key_id(repo.root.keys[cert_id]);
  REQUIRE(canonical.ok());
  CHECK(*canonical != cert_id);
  CHECK(repo.verify(repo.now, tuf::RootPin{{*canonical}}).ok());
  CHECK(repo.verify(repo.now, tuf::RootPin{{cert_id}}).ok());
  tuf::Status s = repo.verify(repo.now, tuf::RootPin{{std::string(64, 'a')}});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::kPinMismatch);
}

TEST_CASE("root rotation: needs the old and the new keys", "[trusted][root]") {
  TestRepo repo = real_repo();
  auto set = tuf::TrustedSet::create(repo.gun, repo.files["root"], repo.now);
  REQUIRE(set.ok());
  auto new_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto cert = tuf::make_root_certificate_key(new_key, repo.gun, repo.now);
  REQUIRE(cert.ok());
  tuf::Root next = repo.root;
  next.version += 1;
  next.keys[cert->id()] = *cert;
  next.roles["root"] = tuf::RoleKeys{{cert->id()}, 1};
  const tuf::SigningKey new_signer{cert->id(), new_key};
  SECTION("signed by old and new key: accepted") {
    CHECK(set->update_root(tuf::sign_role(next, {repo.keys["root"][0], new_signer})).ok());
    CHECK(set->root().signed_.version == next.version);
  }
  SECTION("signed by the new key only: rejected") {
    auto s = set->update_root(tuf::sign_role(next, {new_signer}));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::kThresholdNotMet);
    CHECK(set->root().signed_.version == repo.root.version);  // unchanged
  }
  SECTION("signed by the old key only: rejected") {
    auto s = set->update_root(tuf::sign_role(next, {repo.keys["root"][0]}));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::kThresholdNotMet);
  }
  SECTION("an older version: rollback") {
    next.version = repo.root.version - 1 > 0 ? repo.root.version - 1 : 0;
    if (next.version >= 1) {
      auto s = set->update_root(tuf::sign_role(next, {repo.keys["root"][0], new_signer}));
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().kind == ErrorKind::kRollback);
    }
  }
  SECTION("an expired trusted root can be rotated away from") {
    tuf::Root expired = repo.root;
    expired.expires = tuf::expiry_after(repo.now, -10);
    auto old_set =
        tuf::TrustedSet::create(repo.gun, tuf::sign_role(expired, repo.keys["root"]), repo.now);
    REQUIRE(old_set.ok());
    CHECK(old_set->update_root(tuf::sign_role(next, {repo.keys["root"][0], new_signer})).ok());
  }
}

TEST_CASE("order: roles must be loaded root, timestamp, snapshot, targets", "[trusted]") {
  TestRepo repo = real_repo();
  auto set = tuf::TrustedSet::create(repo.gun, repo.files["root"], repo.now);
  REQUIRE(set.ok());
  CHECK(set->update_snapshot(repo.files["snapshot"]).error().kind == ErrorKind::kOutOfOrder);
  CHECK(set->update_targets(repo.files["targets"]).error().kind == ErrorKind::kOutOfOrder);
  REQUIRE(set->update_timestamp(repo.files["timestamp"]).ok());
  CHECK(set->update_root(repo.files["root"]).error().kind == ErrorKind::kOutOfOrder);
  CHECK(set->update_timestamp(repo.files["timestamp"]).error().kind == ErrorKind::kOutOfOrder);
  CHECK(set->update_delegation("targets/releases", repo.files["targets/releases"]).error().kind ==
        ErrorKind::kOutOfOrder);
}

TEST_CASE("unsigned data outside `signed` changes nothing", "[trusted]") {
  TestRepo repo = real_repo();
  std::string ts = repo.files["timestamp"];
  ts.insert(1, R"("comment":"added by a mirror",)");
  repo.files["timestamp"] = ts;
  CHECK(repo.verify(repo.now).ok());
  // In a hashed file the same edit breaks the hash.
  std::string targets = repo.files["targets"];
  targets.insert(1, R"("comment":"x",)");
  repo.files["targets"] = targets;
  tuf::Status s = repo.verify(repo.now);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().kind == ErrorKind::kHashMismatch);
}

TEST_CASE("missing delegation listed in the snapshot is an error", "[trusted][delegation]") {
  TestRepo repo = real_repo();
  repo.files.erase("targets/alice");
  require_fails(repo, ErrorKind::kNotFound, "targets/alice");
}

TEST_CASE("a newer root recorded by the snapshot is detected", "[trusted][root]") {
  TestRepo repo = real_repo();
  const std::string old_root = repo.files["root"];
  repo.root.version += 1;
  repo.publish();  // the snapshot now records root v+1
  repo.files["root"] = old_root;
  require_fails(repo, ErrorKind::kHashMismatch, "root");
}

TEST_CASE("order: a targets role's signatures are checked before its contents are read",
          "[trusted][attack]") {
  // TUF 5.6.3 before the rest of 5.6: a tampered delegation whose tampering also broke an
  // entry is reported as a bad signature, not as a malformed file.
  TestRepo repo = real_repo();
  const std::string role = "targets/alice";
  const std::string canonical = tuf::canonical_signed(model(repo, role));
  auto sigs = tuf::sign_canonical(canonical, repo.keys[role]);
  const std::string marker = "\"sha256\":\"";
  const auto at = canonical.find(marker);
  REQUIRE(at != std::string::npos);
  std::string tampered = canonical;
  tampered.insert(at + marker.size(), "!");  // no longer base64
  repo.files[role] = tuf::envelope(tampered, sigs);
  repo.snapshot.meta[role] = tuf::file_meta_for(repo.files[role]);
  repo.sign("snapshot");
  repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
  repo.sign("timestamp");
  require_fails(repo, ErrorKind::kBadSignature, role);
  // The same bytes with a signature over them are read, and then refused as malformed.
  repo.files[role] = tuf::envelope(tampered, tuf::sign_canonical(tampered, repo.keys[role]));
  repo.snapshot.meta[role] = tuf::file_meta_for(repo.files[role]);
  repo.sign("snapshot");
  repo.timestamp.meta["snapshot"] = tuf::file_meta_for(repo.files["snapshot"]);
  repo.sign("timestamp");
  require_fails(repo, ErrorKind::kMalformed, role);
}
