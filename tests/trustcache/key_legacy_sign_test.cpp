// Real legacy key files (notary 0.1 and 0.3, realdata/notary-compat; notary spec 8.3) decrypt
// in place AND sign metadata that the verifying engine accepts.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "test_repo.h"
#include "test_support.h"
#include "trustcache/key_store.h"
#include "tuf/builder.h"
#include "tuf/keys.h"

namespace {

namespace fs = std::filesystem;

struct LegacySet {
  std::string folder;      // under realdata/notary-compat
  std::string passphrase;  // realdata/README.md
  std::vector<std::string> ids;
};

const std::vector<LegacySet>& legacy_sets() {
  static const std::vector<LegacySet> sets = {
      {"notary0.1",
       "randompass",
       {"d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68",
        "7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599",
        "a55ccf652b0be4b6c4d356cbb02d9ea432bb84a2571665be3df7c7396af8e8b8"}},
      {"notary0.3",
       "password",
       {"f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690",
        "041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02",
        "85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc",
        "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3"}},
  };
  return sets;
}

fs::path compat_dir() { return testing::realdata_dir() / "notary-compat"; }

// A fresh repository whose targets role is held by `key` alone, published and signed.
testing::TestRepo repo_signed_by(const tuf::crypto::PrivateKey& key) {
  const tuf::Time now = testing::at("2026-01-01T00:00:00Z");
  testing::TestRepo repo = testing::TestRepo::fresh("example.com/legacy/keys", now);
  const tuf::PublicKey pub = tuf::public_key_of(key);
  for (const std::string& old : repo.root.roles["targets"].keyids) repo.root.keys.erase(old);
  repo.root.keys[pub.id()] = pub;
  repo.root.roles["targets"] = tuf::RoleKeys{{pub.id()}, 1};
  repo.keys["targets"] = {tuf::SigningKey{pub.id(), key}};
  repo.add_target("targets", "legacy-signed", "hello from a legacy key");
  repo.publish();
  return repo;
}

}  // namespace

TEST_CASE(
    "legacy key files: every ECDSA and RSA key decrypts in place and signs verifiable targets",
    "[trustcache][key][legacy][interop]") {
  if (!fs::exists(compat_dir())) {
    WARN("realdata/notary-compat is absent: skipping");
    return;
  }
  int rsa_keys = 0;
  int ecdsa_keys = 0;
  for (const LegacySet& set : legacy_sets()) {
    trustcache::KeyStore store(compat_dir() / set.folder);
    for (const std::string& id : set.ids) {
      INFO(set.folder << " " << id);
      auto info = store.find(id);
      REQUIRE(info.ok());
      CHECK(info->legacy);
      trustcache::FixedPassphraseProvider right(set.passphrase);
      auto loaded = store.load(id, right);
      REQUIRE(loaded.ok());
      const tuf::PublicKey pub = tuf::public_key_of(loaded->key);
      (pub.type == tuf::KeyType::kRsa ? rsa_keys : ecdsa_keys)++;

      testing::TestRepo repo = repo_signed_by(loaded->key);
      const auto verified = repo.verify(repo.now);
      INFO((verified.ok() ? std::string() : verified.error().message()));
      CHECK(verified.ok());

      // The signature really is this key's: targets re-signed by another key is refused.
      repo.keys["targets"] = {
          tuf::SigningKey{pub.id(), tuf::crypto::PrivateKey::generate_ecdsa_p256()}};
      repo.publish();
      const auto forged = repo.verify(repo.now);
      REQUIRE(!forged.ok());
      CHECK((forged.error().kind == tuf::ErrorKind::kThresholdNotMet ||
             forged.error().kind == tuf::ErrorKind::kBadSignature));
    }
  }
  CHECK(rsa_keys == 1);
  CHECK(ecdsa_keys == 6);
}

TEST_CASE("legacy key files: a wrong passphrase is refused and changes nothing",
          "[trustcache][key][legacy]") {
  if (!fs::exists(compat_dir())) {
    WARN("realdata/notary-compat is absent: skipping");
    return;
  }
  for (const LegacySet& set : legacy_sets()) {
    trustcache::KeyStore store(compat_dir() / set.folder);
    trustcache::FixedPassphraseProvider wrong("not-" + set.passphrase);
    auto loaded = store.load(set.ids[1], wrong);
    REQUIRE(!loaded.ok());
    CHECK(loaded.error().kind == tuf::ErrorKind::kBadPassphrase);
  }
}
