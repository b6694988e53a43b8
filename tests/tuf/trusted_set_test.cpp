// The trusted set against attacks on the timestamp, snapshot and targets chain, named
// attack x condition: freeze, rollback, mix-and-match, hashes and lengths, signatures,
// thresholds, key types, load order. Root certificates, pinning and rotation are in
// trusted_set_root_test.cpp. Every bad repository is real notary metadata (fixtures/delegations)
// mutated through the typed model and re-signed.
#include <catch2/catch.hpp>

#include "test_repo.h"
#include "test_support.h"
#include "trusted_set_test_util.h"
#include "tuf/builder.h"

namespace {

using testing::TestRepo;
using trusted_set_test::real_repo;
using trusted_set_test::require_fails;
using tuf::ErrorKind;

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
