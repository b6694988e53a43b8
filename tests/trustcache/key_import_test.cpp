// import_pem: `docker trust key load` rules, encrypted files included.
#include <catch2/catch.hpp>

#include <filesystem>

#include "test_support.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"

namespace {

using trustcache::FixedPassphraseProvider;
using trustcache::PemBlock;
using tuf::crypto::PrivateKey;

std::string plain_pem(const PrivateKey& key, std::map<std::string, std::string> headers = {}) {
  return trustcache::encode_pem(PemBlock{"PRIVATE KEY", std::move(headers), key.to_pkcs8()});
}

}  // namespace

TEST_CASE("import: an unencrypted key takes the name asked for as its role", "[keystore][import]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider unused("x");
  auto keys = trustcache::import_pem(plain_pem(key), "alice", "", unused);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK(keys->front().role == "alice");
  CHECK(keys->front().gun.empty());
  CHECK(keys->front().id == trustcache::canonical_key_id(key));
  CHECK(keys->front().key.public_key() == key.public_key());
}

TEST_CASE("import: a role header wins over the name asked for", "[keystore][import]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider unused("x");
  auto keys = trustcache::import_pem(plain_pem(key, {{"role", "bob"}}), "alice", "", unused);
  REQUIRE(keys.ok());
  CHECK(keys->front().role == "bob");
}

TEST_CASE("import: base roles need a gun, other roles drop it", "[keystore][import]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider unused("x");
  auto missing = trustcache::import_pem(plain_pem(key, {{"role", "targets"}}), "", "", unused);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == tuf::ErrorKind::kUsage);

  auto from_argument =
      trustcache::import_pem(plain_pem(key, {{"role", "snapshot"}}), "", "example.com/a", unused);
  REQUIRE(from_argument.ok());
  CHECK(from_argument->front().gun == "example.com/a");

  auto from_header = trustcache::import_pem(
      plain_pem(key, {{"role", "targets"}, {"gun", "example.com/h"}}), "", "example.com/a", unused);
  REQUIRE(from_header.ok());
  CHECK(from_header->front().gun == "example.com/h");

  auto root =
      trustcache::import_pem(plain_pem(key, {{"gun", "example.com/h"}}), "root", "", unused);
  REQUIRE(root.ok());
  CHECK(root->front().role == "root");
  CHECK(root->front().gun.empty());
}

TEST_CASE("import: encrypted PKCS#8 is decrypted and imported", "[keystore][import]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string text = trustcache::encode_pem(
      PemBlock{"ENCRYPTED PRIVATE KEY", {}, tuf::crypto::pbes2_encrypt(key.to_pkcs8(), "secret")});
  FixedPassphraseProvider right("secret");
  auto keys = trustcache::import_pem(text, "signer", "", right);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK(keys->front().id == trustcache::canonical_key_id(key));

  FixedPassphraseProvider wrong("not it");
  auto refused = trustcache::import_pem(text, "signer", "", wrong);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kBadPassphrase);
}

TEST_CASE("import: a legacy encrypted EC block (openssl ec -aes256) is imported",
          "[keystore][import]") {
  const auto path = testing::realdata_dir() /
                    "notary-compat/notary0.1/private/root_keys/"
                    "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68_root.key";
  if (!std::filesystem::exists(path)) {
    WARN("realdata notary0.1 not found; skipped");
    return;
  }
  FixedPassphraseProvider pass("randompass");
  auto keys = trustcache::import_pem(testing::read_file(path), "root", "", pass);
  REQUIRE(keys.ok());
  CHECK(keys->front().id == "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68");
  CHECK(keys->front().role == "root");
}

TEST_CASE("import: every block of a file is imported", "[keystore][import]") {
  const PrivateKey a = PrivateKey::generate_ecdsa_p256();
  const PrivateKey b = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider unused("x");
  auto keys =
      trustcache::import_pem(plain_pem(a) + plain_pem(b, {{"role", "bob"}}), "alice", "", unused);
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 2);
  CHECK((*keys)[0].role == "alice");
  CHECK((*keys)[1].role == "bob");
  CHECK((*keys)[1].id == trustcache::canonical_key_id(b));
}

TEST_CASE("import: anything but a private key is refused", "[keystore][import]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider unused("x");
  for (const std::string& text :
       {std::string("not pem"),
        trustcache::encode_pem(PemBlock{"PUBLIC KEY", {}, key.public_spki_der()}),
        plain_pem(key) + trustcache::encode_pem(PemBlock{"CERTIFICATE", {}, "x"})}) {
    auto keys = trustcache::import_pem(text, "alice", "", unused);
    REQUIRE_FALSE(keys.ok());
    CHECK(keys.error().kind == tuf::ErrorKind::kUsage);
  }
  auto garbage = trustcache::import_pem(
      trustcache::encode_pem(PemBlock{"PRIVATE KEY", {}, "not der"}), "alice", "", unused);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().kind == tuf::ErrorKind::kMalformed);
}
