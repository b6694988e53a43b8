// Signature verification: notary's own verifier vectors, Harbor's real metadata, and the
// malformed signatures notary refuses (DER ECDSA, wrong scheme, short RSA keys).
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
using crypto_test::flip_bit;

namespace {

struct VectorKey {
  KeyAlgorithm algorithm;
  std::string bytes;  // DER SPKI, or raw 32 bytes for Ed25519
};

// The key a verifier vector names, the way notary reads keyval.public for its keytype.
VectorKey vector_key(const nlohmann::json& v) {
  const std::string keytype = v["keytype"];
  if (keytype == "ed25519")
    return {KeyAlgorithm::kEd25519, from_hex(v["public_hex"].get<std::string>()).value()};
  if (v.contains("public_pem")) {
    const auto pem = crypto_test::parse_pem(v["public_pem"].get<std::string>());
    return {parse_spki(pem.der).value().algorithm, pem.der};
  }
  const std::string decoded = base64_decode(v["public_b64"].get<std::string>()).value();
  if (keytype.find("x509") != std::string::npos) {
    auto certs = parse_certificate_pem(decoded);
    REQUIRE(certs.ok());
    return {certs->front().key.algorithm, certs->front().spki_der};
  }
  return {parse_spki(decoded).value().algorithm, decoded};
}

SignatureScheme scheme_named(const std::string& method) {
  if (method == "ecdsa") return SignatureScheme::kEcdsaSha256Raw;
  if (method == "rsapkcs1v15") return SignatureScheme::kRsaPkcs1v15Sha256;
  if (method == "eddsa") return SignatureScheme::kEd25519;
  return SignatureScheme::kRsaPssSha256;  // "rsapss", "pycrypto-pkcs#1 pss"
}

}  // namespace

TEST_CASE("verify: notary's verifier vectors", "[crypto]") {
  const auto path = testing::realdata_dir() / "notary-misc" / "verifier_vectors.json";
  CRYPTO_SKIP_UNLESS(std::filesystem::exists(path), "no realdata at " << path);
  const auto doc = nlohmann::json::parse(testing::read_file(path));
  int valid_checked = 0;
  for (const auto& v : doc["vectors"]) {
    const std::string test = v["test"];
    INFO("vector " << test);
    const VectorKey key = vector_key(v);
    const SignatureScheme scheme = scheme_named(v["method"]);
    const std::string message = v["message"];
    const std::string signature = from_hex(v["sig_hex"].get<std::string>()).value();
    const bool invalid_key = test.find("WithInvalidKey") != std::string::npos &&
                             test.find("KeyType") == std::string::npos;
    if (invalid_key) {
      // An RSA signature method with an ECDSA key, or the reverse: refused.
      CHECK_FALSE(verify(key.algorithm, key.bytes, scheme, message, signature));
      continue;
    }
    // The "invalid key type" vectors are rejected by notary for the keytype string alone (a
    // keys.h matter); the note records what the bytes do under the real key type.
    bool expected = v["expected_valid"].get<bool>();
    if (test.find("InvalidKeyType") != std::string::npos) {
      expected = v["note"].get<std::string>().find("verify=True") != std::string::npos;
    }
    CHECK(verify(key.algorithm, key.bytes, scheme, message, signature) == expected);
    if (expected) {
      ++valid_checked;
      CHECK_FALSE(verify(key.algorithm, key.bytes, scheme, message, flip_bit(signature, 17)));
      CHECK_FALSE(verify(key.algorithm, key.bytes, scheme, message + " ", signature));
    }
  }
  // rsapss, rsapkcs1v15 and ecdsa with x509 keys, rsapss (invalid-keytype bytes), ecdsa
  // (invalid-keytype bytes), pycrypto PSS with a salt of 32, eddsa.
  CHECK(valid_checked == 7);
}

TEST_CASE("verify: Harbor's real timestamp signature", "[crypto]") {
  const auto dir = testing::realdata_dir() / "harbor" / "2020-11-25_022fb3f";
  CRYPTO_SKIP_UNLESS(std::filesystem::exists(dir), "no realdata at " << dir);
  const auto root = nlohmann::json::parse(testing::read_file(dir / "root.json"));
  const auto timestamp = nlohmann::json::parse(testing::read_file(dir / "timestamp.json"));
  const auto& sig = timestamp["signatures"][0];
  REQUIRE(sig["method"] == "ecdsa");
  const auto& key = root["signed"]["keys"][sig["keyid"].get<std::string>()];
  REQUIRE(key["keytype"] == "ecdsa");
  const std::string spki = base64_decode(key["keyval"]["public"].get<std::string>()).value();
  const std::string signature = base64_decode(sig["sig"].get<std::string>()).value();
  // Test-only shortcut: nlohmann's dump() (sorted keys, no spaces) equals notary's canonical
  // JSON for this ASCII-only document.
  const std::string canonical = timestamp["signed"].dump();

  CHECK(signature.size() == 64);
  CHECK(parse_spki(spki).value().key_bits == 256);
  CHECK(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, canonical, signature));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw,
                     flip_bit(canonical, 40), signature));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, canonical,
                     flip_bit(signature, 63)));
  // The same signature in ASN.1 DER form is refused (spec 5.3).
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, canonical,
                     crypto_test::ecdsa_raw_to_der(signature)));
}

TEST_CASE("verify: ECDSA accepts only raw r||s of the curve size", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string message = "{\"signed\":\"payload\"}";
  const std::string signature = key.sign(message);
  const std::string spki = key.public_key();
  REQUIRE(signature.size() == 64);
  CHECK(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message, signature));

  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message,
                     crypto_test::ecdsa_raw_to_der(signature)));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message,
                     signature.substr(0, 63)));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message,
                     std::string(1, '\0') + signature));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message, ""));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message,
                     std::string(64, '\0')));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message + "x",
                     signature));
  // Another key does not verify it.
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, PrivateKey::generate_ecdsa_p256().public_key(),
                     SignatureScheme::kEcdsaSha256Raw, message, signature));
}

TEST_CASE("verify: the scheme and algorithm must fit the key", "[crypto]") {
  const PrivateKey ecdsa = PrivateKey::generate_ecdsa_p256();
  const PrivateKey ed = PrivateKey::generate_ed25519();
  const std::string message = "message";
  const std::string ecdsa_sig = ecdsa.sign(message);
  const std::string ed_sig = ed.sign(message);
  REQUIRE(
      verify(KeyAlgorithm::kEd25519, ed.public_key(), SignatureScheme::kEd25519, message, ed_sig));

  // ECDSA key with RSA schemes or a wrong algorithm label.
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, ecdsa.public_key(), SignatureScheme::kRsaPssSha256,
                     message, ecdsa_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, ecdsa.public_key(), SignatureScheme::kRsaPkcs1v15Sha256,
                     message, ecdsa_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kRsa, ecdsa.public_key(), SignatureScheme::kRsaPssSha256,
                     message, ecdsa_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kEd25519, ecdsa.public_key(), SignatureScheme::kEd25519, message,
                     ecdsa_sig));
  // Ed25519: raw 32-byte key only, the SPKI form and ECDSA scheme are refused.
  CHECK_FALSE(verify(KeyAlgorithm::kEd25519, ed.public_spki_der(), SignatureScheme::kEd25519,
                     message, ed_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kEcdsa, ed.public_spki_der(), SignatureScheme::kEcdsaSha256Raw,
                     message, ed_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kEd25519, ed.public_key(), SignatureScheme::kEcdsaSha256Raw,
                     message, ed_sig));
  CHECK_FALSE(verify(KeyAlgorithm::kEd25519, ed.public_key(), SignatureScheme::kEd25519, message,
                     flip_bit(ed_sig, 5)));
  CHECK_FALSE(verify(KeyAlgorithm::kEd25519, ed.public_key(), SignatureScheme::kEd25519, message,
                     ed_sig + "x"));
}

TEST_CASE("verify: garbage keys and signatures give false, never an exception", "[crypto]") {
  const std::string junk[] = {"",
                              "\x30",
                              "\x30\x00",
                              std::string(91, '\x30'),
                              random_bytes(91),
                              random_bytes(32),
                              random_bytes(300)};
  for (const std::string& key : junk) {
    for (KeyAlgorithm algorithm :
         {KeyAlgorithm::kEcdsa, KeyAlgorithm::kRsa, KeyAlgorithm::kEd25519}) {
      for (SignatureScheme scheme :
           {SignatureScheme::kEcdsaSha256Raw, SignatureScheme::kRsaPssSha256,
            SignatureScheme::kRsaPkcs1v15Sha256, SignatureScheme::kEd25519}) {
        CHECK_NOTHROW(verify(algorithm, key, scheme, "m", random_bytes(64)));
        if (algorithm != KeyAlgorithm::kEd25519) {
          CHECK_FALSE(verify(algorithm, key, scheme, "m", random_bytes(64)));
        }
      }
    }
  }
  // A valid SPKI followed by a stray byte is not a key.
  const std::string spki = PrivateKey::generate_ecdsa_p256().public_key();
  CHECK_FALSE(parse_spki(spki + std::string(1, '\0')).ok());
  CHECK(parse_spki(spki).ok());
}

TEST_CASE("parse_spki: algorithm and size of ECDSA, RSA and Ed25519 keys", "[crypto]") {
  const auto p256 = parse_spki(PrivateKey::generate_ecdsa_p256().public_spki_der());
  REQUIRE(p256.ok());
  CHECK(p256->algorithm == KeyAlgorithm::kEcdsa);
  CHECK(p256->key_bits == 256);
  const auto ed = parse_spki(PrivateKey::generate_ed25519().public_spki_der());
  REQUIRE(ed.ok());
  CHECK(ed->algorithm == KeyAlgorithm::kEd25519);
  CHECK(ed->key_bits == 256);
  // notary's P-256 SPKI prefix (spec 3.3).
  CHECK(base64_encode(PrivateKey::generate_ecdsa_p256().public_key())
            .rfind("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", 0) == 0);
  const auto bad = parse_spki("not a key");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == tuf::ErrorKind::kMalformed);
}

// Hidden, run on request: `tuf_tests "[crypto-bench]"`. Verification cost matters for batch work.
TEST_CASE("verify: ECDSA P-256 throughput", "[.][crypto-bench]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string spki = key.public_key();
  const std::string message(400, 'm');
  const std::string signature = key.sign(message);
  constexpr int kRounds = 2000;
  const auto start = std::chrono::steady_clock::now();
  int ok = 0;
  for (int i = 0; i < kRounds; ++i) {
    ok += verify(KeyAlgorithm::kEcdsa, spki, SignatureScheme::kEcdsaSha256Raw, message, signature);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("ECDSA P-256 verify: " << static_cast<int>(kRounds / seconds) << " signatures/second");
  CHECK(ok == kRounds);
  CHECK(kRounds / seconds > 500);  // a floor far below the ~4,000/s measured
}
