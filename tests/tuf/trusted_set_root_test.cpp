// The trusted set's root: certificates (CN, validity, plain keys), pinning, rotation, and a newer
// root recorded by the snapshot. Every bad repository is real notary metadata
// (fixtures/delegations) mutated through the typed model and re-signed.
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

}  // namespace

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

TEST_CASE("a newer root recorded by the snapshot is detected", "[trusted][root]") {
  TestRepo repo = real_repo();
  const std::string old_root = repo.files["root"];
  repo.root.version += 1;
  repo.publish();  // the snapshot now records root v+1
  repo.files["root"] = old_root;
  require_fails(repo, ErrorKind::kHashMismatch, "root");
}
