// Interop with the openssl CLI (run at test time in a temp dir): keys and signatures made by
// one side are read and checked by the other.
#include <catch2/catch.hpp>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
using crypto_test::quoted;
using crypto_test::run;
namespace fs = std::filesystem;

namespace {

// A key openssl generated, as PEM, plus the DER SPKI openssl derives from it.
struct OpensslKey {
  crypto_test::PemFile pem;
  std::string spki;
};

OpensslKey openssl_key(const fs::path& dir, const std::string& name,
                       const std::string& genpkey_args) {
  const fs::path key = dir / (name + ".pem");
  const fs::path pub = dir / (name + ".pub.der");
  REQUIRE(run("openssl genpkey " + genpkey_args + " -out " + quoted(key)) == 0);
  REQUIRE(run("openssl pkey -in " + quoted(key) + " -pubout -outform DER -out " + quoted(pub)) ==
          0);
  return {crypto_test::read_pem(key), testing::read_file(pub)};
}

// openssl's verdict on a signature over `message`; `digest_args` selects hash and padding.
bool openssl_verifies(const fs::path& dir, const std::string& spki, const std::string& message,
                      const std::string& signature, const std::string& digest_args) {
  testing::write_file(dir / "v.pub.der", spki);
  testing::write_file(dir / "v.msg", message);
  testing::write_file(dir / "v.sig", signature);
  return run("openssl dgst " + digest_args + " -keyform DER -verify " + quoted(dir / "v.pub.der") +
             " -signature " + quoted(dir / "v.sig") + " " + quoted(dir / "v.msg")) == 0;
}

std::string openssl_sign(const fs::path& dir, const fs::path& key, const std::string& message,
                         const std::string& digest_args) {
  testing::write_file(dir / "s.msg", message);
  REQUIRE(run("openssl dgst " + digest_args + " -sign " + quoted(key) + " -out " +
              quoted(dir / "s.sig") + " " + quoted(dir / "s.msg")) == 0);
  return testing::read_file(dir / "s.sig");
}

constexpr const char* kPss32 = "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32";

}  // namespace

TEST_CASE("openssl: pkcs8 decrypts our PBES2 key files", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  testing::write_file(
      dir.path() / "enc.pem",
      pem_encode("ENCRYPTED PRIVATE KEY", pbes2_encrypt(key.to_pkcs8(), "s3cret pass")));
  REQUIRE(run("openssl pkcs8 -in " + quoted(dir.path() / "enc.pem") +
              " -passin 'pass:s3cret pass' -out " + quoted(dir.path() / "plain.pem")) == 0);
  const crypto_test::PemFile plain = crypto_test::read_pem(dir.path() / "plain.pem");
  CHECK(plain.label == "PRIVATE KEY");
  // openssl re-encodes the key it decrypted (version 0, no curve inside SEC1): same key.
  CHECK(PrivateKey::from_pkcs8(plain.der).value().public_key() == key.public_key());
  testing::write_file(dir.path() / "plain.der", plain.der);
  std::string asn1;
  REQUIRE(run("openssl asn1parse -in " + quoted(dir.path() / "enc.pem"), &asn1) == 0);
  CHECK(asn1.find("PBES2") != std::string::npos);
  CHECK(asn1.find(":0800") != std::string::npos);  // 2048 iterations
  CHECK(asn1.find("aes-256-cbc") != std::string::npos);
  CHECK(asn1.find("hmacWith") == std::string::npos);  // PRF left at its HMAC-SHA1 default
  // openssl derives the same public key from our version-1 PKCS#8.
  REQUIRE(run("openssl pkey -inform DER -in " + quoted(dir.path() / "plain.der") +
              " -pubout -outform DER -out " + quoted(dir.path() / "pub.der")) == 0);
  CHECK(testing::read_file(dir.path() / "pub.der") == key.public_spki_der());
  CHECK(run("openssl pkcs8 -in " + quoted(dir.path() / "enc.pem") + " -passin pass:wrong") != 0);
}

TEST_CASE("openssl: PBES2 files openssl writes, HMAC-SHA1 and its HMAC-SHA256 default read",
          "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const OpensslKey key =
      openssl_key(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  const fs::path in = dir.path() / "ec.pem";
  REQUIRE(run("openssl pkcs8 -topk8 -in " + quoted(in) + " -v2 aes-256-cbc -v2prf hmacWithSHA1 " +
              "-iter 2048 -passout pass:pw -out " + quoted(dir.path() / "sha1.pem")) == 0);
  REQUIRE(run("openssl pkcs8 -topk8 -in " + quoted(in) + " -v2 aes-256-cbc -passout pass:pw -out " +
              quoted(dir.path() / "sha256.pem")) == 0);

  const auto plain = pbes2_decrypt(crypto_test::read_pem(dir.path() / "sha1.pem").der, "pw");
  REQUIRE(plain.ok());
  const auto loaded = PrivateKey::from_pkcs8(*plain);
  REQUIRE(loaded.ok());
  CHECK(loaded->public_spki_der() == key.spki);
  CHECK(pbes2_decrypt(crypto_test::read_pem(dir.path() / "sha1.pem").der, "pW").error().kind ==
        tuf::ErrorKind::kBadPassphrase);

  // OpenSSL 3's default PRF is read too (crypto_pbes2_prf_test.cpp has the other schemes).
  const auto sha256 = pbes2_decrypt(crypto_test::read_pem(dir.path() / "sha256.pem").der, "pw");
  REQUIRE(sha256.ok());
  CHECK(PrivateKey::from_pkcs8(*sha256)->public_spki_der() == key.spki);
}

TEST_CASE("openssl: ECDSA keys and signatures on P-256 and P-384", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  for (const auto& [curve, signature_size] : {std::pair<std::string, std::size_t>{"P-256", 64},
                                              std::pair<std::string, std::size_t>{"P-384", 96}}) {
    INFO(curve);
    const OpensslKey generated =
        openssl_key(dir.path(), curve, "-algorithm EC -pkeyopt ec_paramgen_curve:" + curve);
    const auto key = PrivateKey::from_pkcs8(generated.pem.der);  // OpenSSL's PKCS#8 is version 0
    REQUIRE(key.ok());
    CHECK(key->public_spki_der() == generated.spki);
    const std::string message = "canonical bytes";
    const std::string raw = key->sign(message);
    CHECK(raw.size() == signature_size);
    CHECK(verify(KeyAlgorithm::kEcdsa, generated.spki, SignatureScheme::kEcdsaSha256Raw, message,
                 raw));
    // Notary uses SHA-256 on every curve; openssl agrees once the signature is in DER.
    CHECK(openssl_verifies(dir.path(), generated.spki, message, crypto_test::ecdsa_raw_to_der(raw),
                           "-sha256"));
    CHECK_FALSE(openssl_verifies(dir.path(), generated.spki, message + ".",
                                 crypto_test::ecdsa_raw_to_der(raw), "-sha256"));
  }
  // secp256k1 is not a curve notary's Go code accepts.
  const OpensslKey k1 =
      openssl_key(dir.path(), "k1", "-algorithm EC -pkeyopt ec_paramgen_curve:secp256k1");
  CHECK(PrivateKey::from_pkcs8(k1.pem.der).error().kind == tuf::ErrorKind::kMalformed);
  CHECK_FALSE(parse_spki(k1.spki).ok());
}

TEST_CASE("openssl: RSA keys, PSS salt 32 only, PKCS#1 v1.5, 2048-bit minimum", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const fs::path pkcs1 = dir.path() / "rsa1.pem";
  REQUIRE(run("openssl genrsa -traditional -out " + quoted(pkcs1) + " 2048") == 0);
  REQUIRE(run("openssl pkey -in " + quoted(pkcs1) + " -pubout -outform DER -out " +
              quoted(dir.path() / "rsa.pub.der")) == 0);
  const std::string spki = testing::read_file(dir.path() / "rsa.pub.der");
  const auto key = PrivateKey::from_pkcs1(crypto_test::read_pem(pkcs1).der);
  REQUIRE(key.ok());
  CHECK(key->algorithm() == KeyAlgorithm::kRsa);
  CHECK(key->scheme() == SignatureScheme::kRsaPssSha256);
  CHECK(key->public_spki_der() == spki);
  CHECK(parse_spki(spki).value().key_bits == 2048);

  // to_pkcs8: version 0, AlgorithmIdentifier without NULL (spec 8.2); openssl reads it.
  const std::string pkcs8 = key->to_pkcs8();
  CHECK(pkcs8.find(from_hex("020100300b06092a864886f70d0101010482").value()) == 4);
  testing::write_file(dir.path() / "rsa8.der", pkcs8);
  REQUIRE(run("openssl pkey -inform DER -in " + quoted(dir.path() / "rsa8.der") +
              " -pubout -outform DER -out " + quoted(dir.path() / "rsa8.pub.der")) == 0);
  CHECK(testing::read_file(dir.path() / "rsa8.pub.der") == spki);

  const std::string message = "signed bytes";
  const std::string ours = key->sign(message);
  CHECK(ours.size() == 256);
  CHECK(openssl_verifies(dir.path(), spki, message, ours, kPss32));
  CHECK(verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPssSha256, message, ours));
  // Go wants exactly the modulus size: the same number with a leading zero byte is refused.
  CHECK_FALSE(verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPssSha256, message,
                     std::string(1, '\0') + ours));
  CHECK(verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPssSha256, message,
               openssl_sign(dir.path(), pkcs1, message, kPss32)));
  // Notary's verifier requires a salt of exactly 32 bytes.
  CHECK_FALSE(
      verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPssSha256, message,
             openssl_sign(dir.path(), pkcs1, message,
                          "-sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:20")));
  const std::string v15 = openssl_sign(dir.path(), pkcs1, message, "-sha256");
  CHECK(verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPkcs1v15Sha256, message, v15));
  CHECK_FALSE(verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPssSha256, message, v15));
  CHECK_FALSE(
      verify(KeyAlgorithm::kRsa, spki, SignatureScheme::kRsaPkcs1v15Sha256, message + "!", v15));

  // The PKCS#8 form openssl writes (with the NULL parameter) loads too.
  const OpensslKey rsa8 =
      openssl_key(dir.path(), "rsa8", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048");
  CHECK(PrivateKey::from_pkcs8(rsa8.pem.der).value().public_spki_der() == rsa8.spki);

  // A valid signature by a 1024-bit key is still refused.
  const OpensslKey small =
      openssl_key(dir.path(), "small", "-algorithm RSA -pkeyopt rsa_keygen_bits:1024");
  const auto small_key = PrivateKey::from_pkcs8(small.pem.der);
  REQUIRE(small_key.ok());
  CHECK(parse_spki(small.spki).value().key_bits == 1024);
  const std::string small_sig = small_key->sign(message);
  CHECK(openssl_verifies(dir.path(), small.spki, message, small_sig, kPss32));
  CHECK_FALSE(
      verify(KeyAlgorithm::kRsa, small.spki, SignatureScheme::kRsaPssSha256, message, small_sig));
}

TEST_CASE("openssl: public keys Go's x509 does not parse are refused by name", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  // RSASSA-PSS keys (OID 1.2.840.113549.1.1.10) are RSA to Botan's loader but unknown to Go's
  // ParsePKIXPublicKey, which only takes rsaEncryption; X25519 keys cannot sign at all.
  const struct {
    const char* name;
    const char* genpkey_args;
    const char* expected;
  } cases[] = {
      {"pss", "-algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048",
       "unsupported public key algorithm RSA/EMSA4"},
      {"x25519", "-algorithm X25519", "unsupported public key algorithm"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const OpensslKey generated = openssl_key(dir.path(), c.name, c.genpkey_args);
    const auto parsed = parse_spki(generated.spki);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().kind == tuf::ErrorKind::kMalformed);
    CHECK(parsed.error().detail.rfind(c.expected, 0) == 0);
  }
}

TEST_CASE("openssl: RFC 8410 Ed25519 keys load and sign", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const OpensslKey generated = openssl_key(dir.path(), "ed", "-algorithm ed25519");
  const auto key = PrivateKey::from_pkcs8(generated.pem.der);
  REQUIRE(key.ok());
  CHECK(key->algorithm() == KeyAlgorithm::kEd25519);
  CHECK(key->public_spki_der() == generated.spki);
  CHECK(key->public_key() == generated.spki.substr(12));
  const std::string message = "ed25519 message";
  const std::string signature = key->sign(message);
  testing::write_file(dir.path() / "ed.msg", message);
  testing::write_file(dir.path() / "ed.sig", signature);
  testing::write_file(dir.path() / "ed.pub.der", generated.spki);
  CHECK(run("openssl pkeyutl -verify -pubin -keyform DER -inkey " +
            quoted(dir.path() / "ed.pub.der") + " -rawin -in " + quoted(dir.path() / "ed.msg") +
            " -sigfile " + quoted(dir.path() / "ed.sig")) == 0);
}

TEST_CASE("openssl: legacy AES-128-CBC EC PRIVATE KEY decrypts", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const OpensslKey generated =
      openssl_key(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  REQUIRE(run("openssl ec -in " + quoted(dir.path() / "ec.pem") +
              " -aes128 -passout pass:legacy -out " + quoted(dir.path() / "legacy.pem")) == 0);
  const crypto_test::PemFile pem = crypto_test::read_pem(dir.path() / "legacy.pem");
  REQUIRE(pem.label == "EC PRIVATE KEY");
  REQUIRE(pem.headers.at("DEK-Info").rfind("AES-128-CBC,", 0) == 0);
  const auto plain = legacy_pem_decrypt(pem.der, pem.headers.at("DEK-Info"), "legacy");
  REQUIRE(plain.ok());
  CHECK(PrivateKey::from_sec1(*plain).value().public_spki_der() == generated.spki);
  CHECK(legacy_pem_decrypt(pem.der, pem.headers.at("DEK-Info"), "Legacy").error().kind ==
        tuf::ErrorKind::kBadPassphrase);
}
