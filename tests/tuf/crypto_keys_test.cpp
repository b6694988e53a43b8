// Private keys: generation, notary's PKCS#8 shapes, PBES2, and the key files real clients
// wrote (notary 0.1/0.3 legacy PEM, connaisseur's keys, notary 0.7 fixtures).
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
namespace fs = std::filesystem;

namespace {

constexpr const char* kFixturePassphrase = "dtrust-fixture-pass";

// Signs, verifies, and checks that a changed message fails.
void check_signs(const PrivateKey& key) {
  const std::string message = "{\"signed\":{\"_type\":\"Targets\"}}";
  const std::string signature = key.sign(message);
  CHECK(verify(key.algorithm(), key.public_key(), key.scheme(), message, signature));
  CHECK_FALSE(verify(key.algorithm(), key.public_key(), key.scheme(), message + " ", signature));
}

std::string keytype_of(const PrivateKey& key) {
  return key.algorithm() == KeyAlgorithm::kRsa ? "rsa" : "ecdsa";
}

// Every public key (DER SPKI) a legacy trust dir's metadata names, certificates unwrapped.
std::set<std::string> metadata_spkis(const fs::path& metadata_dir) {
  std::set<std::string> out;
  auto add_keys = [&](const nlohmann::json& keys) {
    for (const auto& [id, key] : keys.items()) {
      const std::string keytype = key["keytype"];
      const std::string bytes = base64_decode(key["keyval"]["public"].get<std::string>()).value();
      if (keytype.find("x509") != std::string::npos) {
        const auto certs = parse_certificate_pem(bytes);
        REQUIRE(certs.ok());
        for (const auto& cert : *certs) out.insert(cert.spki_der);
      } else {
        out.insert(bytes);
      }
    }
  };
  for (const auto& entry : fs::recursive_directory_iterator(metadata_dir)) {
    if (entry.path().extension() != ".json") continue;
    const auto doc = nlohmann::json::parse(testing::read_file(entry.path()));
    const auto& signed_part = doc["signed"];
    if (signed_part.contains("keys")) add_keys(signed_part["keys"]);
    if (signed_part.contains("delegations")) add_keys(signed_part["delegations"]["keys"]);
  }
  return out;
}

std::vector<fs::path> key_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() == ".key") out.push_back(entry.path());
  }
  return out;
}

// A legacy (notary 0.1-0.3) key file, decrypted and loaded by its PEM label.
tuf::Result<PrivateKey> load_legacy(const crypto_test::PemFile& pem, std::string_view passphrase) {
  auto plain = legacy_pem_decrypt(pem.der, pem.headers.at("DEK-Info"), passphrase);
  if (!plain.ok()) return plain.error();
  if (pem.label == "EC PRIVATE KEY") return PrivateKey::from_sec1(*plain);
  if (pem.label == "RSA PRIVATE KEY") return PrivateKey::from_pkcs1(*plain);
  return PrivateKey::from_raw_ed25519(*plain);
}

}  // namespace

TEST_CASE("private key: generated ECDSA P-256 signs as notary does", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  CHECK(key.algorithm() == KeyAlgorithm::kEcdsa);
  CHECK(key.scheme() == SignatureScheme::kEcdsaSha256Raw);
  CHECK(key.public_key().size() == 91);
  CHECK(key.public_key() == key.public_spki_der());
  CHECK(key.sign("x").size() == 64);
  check_signs(key);
  CHECK(PrivateKey::generate_ecdsa_p256().public_key() != key.public_key());
}

TEST_CASE("private key: generated Ed25519 has a raw public key", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ed25519();
  CHECK(key.algorithm() == KeyAlgorithm::kEd25519);
  CHECK(key.scheme() == SignatureScheme::kEd25519);
  CHECK(key.public_key().size() == 32);
  CHECK(key.public_spki_der().size() == 44);
  CHECK(key.public_spki_der().substr(12) == key.public_key());
  CHECK(key.sign("x").size() == 64);
  check_signs(key);
}

TEST_CASE("to_pkcs8: ECDSA in notary's version-1 shape", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string der = key.to_pkcs8();
  // SEQUENCE { INTEGER 1, SEQUENCE { ecPublicKey, prime256v1 }, OCTET STRING { SEQUENCE {
  //   INTEGER 1, OCTET STRING d(32), [0] { prime256v1 }, [1] { BIT STRING point } } } }
  const std::string prefix =
      from_hex("308193020101301306072a8648ce3d020106082a8648ce3d030107047930770201010420").value();
  REQUIRE(der.size() == 150);
  CHECK(der.substr(0, prefix.size()) == prefix);
  CHECK(der.substr(68, 16) == from_hex("a00a06082a8648ce3d030107a1440342").value());
  CHECK(der.substr(84) == std::string(1, '\0') + key.public_key().substr(26));
  const auto back = PrivateKey::from_pkcs8(der);
  REQUIRE(back.ok());
  CHECK(back->public_key() == key.public_key());
  CHECK(back->to_pkcs8() == der);
}

TEST_CASE("to_pkcs8: Ed25519 under notary's OID with 96 bytes", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ed25519();
  const std::string der = key.to_pkcs8();
  // SEQUENCE { INTEGER 0, SEQUENCE { 1.3.6.1.4.1.11591.15.1 }, OCTET STRING (96) }
  const std::string prefix = from_hex("3072020100300b06092b06010401da470f010460").value();
  REQUIRE(der.size() == prefix.size() + 96);
  CHECK(der.substr(0, prefix.size()) == prefix);
  const std::string raw = der.substr(prefix.size());
  CHECK(raw.substr(0, 32) == key.public_key());
  CHECK(raw.substr(64) == key.public_key());

  const auto from_raw = PrivateKey::from_raw_ed25519(raw);
  REQUIRE(from_raw.ok());
  CHECK(from_raw->public_key() == key.public_key());
  check_signs(*from_raw);
  const auto back = PrivateKey::from_pkcs8(der);
  REQUIRE(back.ok());
  CHECK(back->to_pkcs8() == der);
  // A public half that does not belong to the seed is refused.
  std::string wrong = raw;
  wrong[70] ^= 1;
  CHECK(PrivateKey::from_raw_ed25519(wrong).error().kind == tuf::ErrorKind::kMalformed);
  CHECK_FALSE(PrivateKey::from_raw_ed25519(raw.substr(0, 64)).ok());
}

TEST_CASE("private key: malformed DER is refused as malformed", "[crypto]") {
  const PrivateKey a = PrivateKey::generate_ecdsa_p256();
  const PrivateKey b = PrivateKey::generate_ecdsa_p256();
  const std::string der_a = a.to_pkcs8();
  const std::string der_b = b.to_pkcs8();
  // Key a's scalar with key b's public point.
  const std::string swapped = der_a.substr(0, 84) + der_b.substr(84);
  const std::string version_two = der_a.substr(0, 5) + "\x02" + der_a.substr(6);
  const std::string sec1 = der_a.substr(29);
  const std::string sec1_without_curve = from_hex("30250201010420").value() + sec1.substr(7, 32);
  const std::string zero_scalar = der_a.substr(0, 36) + std::string(32, '\0') + der_a.substr(68);

  const std::string bad[] = {"",      "garbage",   der_a.substr(0, 100), der_a + "x",
                             swapped, version_two, zero_scalar};
  for (const std::string& der : bad) {
    const auto key = PrivateKey::from_pkcs8(der);
    REQUIRE_FALSE(key.ok());
    CHECK(key.error().kind == tuf::ErrorKind::kMalformed);
  }
  CHECK(PrivateKey::from_sec1(sec1).ok());
  CHECK(PrivateKey::from_sec1(sec1).value().public_key() == a.public_key());
  CHECK(PrivateKey::from_sec1(sec1_without_curve).error().kind == tuf::ErrorKind::kMalformed);
  CHECK_FALSE(PrivateKey::from_pkcs1(sec1).ok());
  CHECK_FALSE(PrivateKey::from_sec1("").ok());
}

TEST_CASE("pbes2: encrypt then decrypt round trips every key type", "[crypto]") {
  std::vector<PrivateKey> keys = {PrivateKey::generate_ecdsa_p256(),
                                  PrivateKey::generate_ed25519()};
  const auto rsa_file = testing::realdata_dir() / "notary-compat" / "notary0.3" / "private" /
                        "tuf_keys" /
                        "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3.key";
  if (fs::exists(rsa_file)) {
    keys.push_back(load_legacy(crypto_test::read_pem(rsa_file), "password").value());
  }
  for (const PrivateKey& key : keys) {
    const std::string encrypted = pbes2_encrypt(key.to_pkcs8(), "correct horse");
    // Spec 8.2 header: PBES2 { PBKDF2 { OCTET STRING salt(8), INTEGER 2048 }, aes256-CBC }.
    CHECK(encrypted.find(from_hex("06092a864886f70d01050d").value()) != std::string::npos);
    CHECK(encrypted.find(from_hex("06092a864886f70d01050c300e0408").value()) != std::string::npos);
    CHECK(encrypted.find(from_hex("02020800301d060960864801650304012a0410").value()) !=
          std::string::npos);
    CHECK(pbes2_encrypt(key.to_pkcs8(), "correct horse") != encrypted);  // fresh salt and IV

    const auto plain = pbes2_decrypt(encrypted, "correct horse");
    REQUIRE(plain.ok());
    CHECK(plain.value() == key.to_pkcs8());
    const auto back = PrivateKey::from_pkcs8(*plain);
    REQUIRE(back.ok());
    CHECK(back->public_key() == key.public_key());
    check_signs(*back);
    const auto wrong = pbes2_decrypt(encrypted, "correct horse ");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().kind == tuf::ErrorKind::kBadPassphrase);
  }
}

TEST_CASE("pbes2: every wrong passphrase is a bad passphrase, even with valid padding",
          "[crypto]") {
  const std::string encrypted =
      pbes2_encrypt(PrivateKey::generate_ecdsa_p256().to_pkcs8(), "right");
  // About 1 in 256 wrong keys leaves valid CBC padding (botan2-notes item 3); 1000 tries hit
  // that case with probability ~0.98.
  const auto start = std::chrono::steady_clock::now();
  int bad_passphrase = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto result = pbes2_decrypt(encrypted, "wrong-" + std::to_string(i));
    bad_passphrase += !result.ok() && result.error().kind == tuf::ErrorKind::kBadPassphrase;
  }
  CHECK(bad_passphrase == 1000);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  CHECK(pbes2_decrypt(encrypted, "right").ok());
}

TEST_CASE("pbes2: malformed containers are malformed, not a bad passphrase", "[crypto]") {
  const std::string encrypted = pbes2_encrypt(PrivateKey::generate_ecdsa_p256().to_pkcs8(), "pw");
  for (const std::string& der :
       {std::string(), std::string("junk"), encrypted.substr(0, encrypted.size() - 1),
        encrypted + std::string(1, '\0'), PrivateKey::generate_ecdsa_p256().to_pkcs8()}) {
    const auto result = pbes2_decrypt(der, "pw");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == tuf::ErrorKind::kMalformed);
  }
}

TEST_CASE("legacy PEM: notary 0.1 and 0.3 keys decrypt and match their metadata", "[crypto]") {
  const auto compat = testing::realdata_dir() / "notary-compat";
  CRYPTO_SKIP_UNLESS(fs::exists(compat), "no realdata at " << compat);
  const std::pair<const char*, const char*> sets[] = {{"notary0.1", "randompass"},
                                                      {"notary0.3", "password"}};
  int loaded = 0;
  for (const auto& [set, passphrase] : sets) {
    const std::set<std::string> known = metadata_spkis(compat / set / "tuf");
    for (const fs::path& file : key_files(compat / set / "private")) {
      INFO(file);
      const crypto_test::PemFile pem = crypto_test::read_pem(file);
      REQUIRE(pem.headers.at("Proc-Type") == "4,ENCRYPTED");
      const auto key = load_legacy(pem, passphrase);
      REQUIRE(key.ok());
      CHECK(known.count(key->public_spki_der()) == 1);
      // The file is named by the canonical key ID (spec 5.2), before any "_<role>" suffix.
      const std::string stem = file.stem().string();
      CHECK(crypto_test::key_id(keytype_of(*key), key->public_key()) ==
            stem.substr(0, stem.find('_')));
      check_signs(*key);
      const auto wrong = legacy_pem_decrypt(pem.der, pem.headers.at("DEK-Info"), "not-it");
      REQUIRE_FALSE(wrong.ok());
      CHECK(wrong.error().kind == tuf::ErrorKind::kBadPassphrase);
      ++loaded;
    }
  }
  CHECK(loaded == 7);
}

TEST_CASE("legacy PEM: wrong passphrases and bad DEK-Info headers", "[crypto]") {
  const auto file = testing::realdata_dir() / "notary-compat" / "notary0.1" / "private" /
                    "root_keys" /
                    "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68_root.key";
  CRYPTO_SKIP_UNLESS(fs::exists(file), "no realdata at " << file);
  const crypto_test::PemFile pem = crypto_test::read_pem(file);
  const std::string dek = pem.headers.at("DEK-Info");
  // The MD5 key derivation is cheap, so many tries cover the valid-padding case ~16 times.
  int bad_passphrase = 0;
  for (int i = 0; i < 4000; ++i) {
    const auto result = legacy_pem_decrypt(pem.der, dek, "guess" + std::to_string(i));
    bad_passphrase += !result.ok() && result.error().kind == tuf::ErrorKind::kBadPassphrase;
  }
  CHECK(bad_passphrase == 4000);
  CHECK(legacy_pem_decrypt(pem.der, dek, "randompass").ok());
  for (const std::string& header :
       {std::string("DES-EDE3-CBC,") + dek.substr(12), std::string("AES-256-CBC"),
        dek.substr(0, dek.size() - 2), std::string("AES-256-CBC,zz") + dek.substr(14)}) {
    const auto result = legacy_pem_decrypt(pem.der, header, "randompass");
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == tuf::ErrorKind::kMalformed);
  }
  CHECK(legacy_pem_decrypt(pem.der.substr(1), dek, "randompass").error().kind ==
        tuf::ErrorKind::kMalformed);
}

TEST_CASE("private key: connaisseur's unencrypted PKCS#8 and SEC1 keys", "[crypto]") {
  const auto dir = testing::realdata_dir() / "connaisseur-go" / "trust_data" / "keys";
  CRYPTO_SKIP_UNLESS(fs::exists(dir), "no realdata at " << dir);
  int loaded = 0;
  for (const fs::path& file : key_files(dir)) {
    INFO(file);
    const crypto_test::PemFile pem = crypto_test::read_pem(file);
    // Some are labelled "PRIVATE KEY" but hold SEC1: try PKCS#8 first, as notary does.
    auto key = PrivateKey::from_pkcs8(pem.der);
    if (!key.ok()) key = PrivateKey::from_sec1(pem.der);
    REQUIRE(key.ok());
    const fs::path pub = fs::path(file).replace_extension(".pub");
    CHECK(key->public_spki_der() == crypto_test::read_pem(pub).der);
    check_signs(*key);
    ++loaded;
  }
  CHECK(loaded == 6);
}

TEST_CASE("private key: notary 0.7 fixture keys decrypt and re-encode byte for byte", "[crypto]") {
  std::vector<fs::path> files;
  if (fs::is_directory(testing::fixtures_dir())) {
    for (const auto& set : fs::directory_iterator(testing::fixtures_dir())) {
      for (const fs::path& file : key_files(set.path() / "private")) files.push_back(file);
    }
  }
  CRYPTO_SKIP_UNLESS(!files.empty(), "no fixture keys under " << testing::fixtures_dir());
  for (const fs::path& file : files) {
    INFO(file);
    const crypto_test::PemFile pem = crypto_test::read_pem(file);
    REQUIRE(pem.label == "ENCRYPTED PRIVATE KEY");
    CHECK(pem.headers.count("role") == 1);
    const auto plain = pbes2_decrypt(pem.der, kFixturePassphrase);
    REQUIRE(plain.ok());
    const auto key = PrivateKey::from_pkcs8(*plain);
    REQUIRE(key.ok());
    CHECK(crypto_test::key_id(keytype_of(*key), key->public_key()) == file.stem().string());
    // Our encoder writes exactly what notary wrote (spec 8.2) ...
    CHECK(key->to_pkcs8() == *plain);
    // ... and our encryption has the same shape: equal length, equal bytes outside the salt,
    // the IV and the ciphertext (which is as long as notary's: same plaintext).
    const std::string ours = pbes2_encrypt(*plain, kFixturePassphrase);
    REQUIRE(ours.size() == pem.der.size());
    const std::size_t salt = pem.der.find(from_hex("300e0408").value()) + 4;
    const std::size_t iv = pem.der.find(from_hex("060960864801650304012a0410").value()) + 13;
    const std::size_t ciphertext = pem.der.size() - (plain->size() / 16 + 1) * 16;
    REQUIRE(salt < iv);
    REQUIRE(iv + 16 < ciphertext);
    CHECK(ours.substr(0, salt) == pem.der.substr(0, salt));
    CHECK(ours.substr(salt + 8, iv - salt - 8) == pem.der.substr(salt + 8, iv - salt - 8));
    CHECK(ours.substr(iv + 16, ciphertext - iv - 16) ==
          pem.der.substr(iv + 16, ciphertext - iv - 16));
    check_signs(*key);
    CHECK(pbes2_decrypt(pem.der, "dtrust-fixture-pas").error().kind ==
          tuf::ErrorKind::kBadPassphrase);
  }
}
