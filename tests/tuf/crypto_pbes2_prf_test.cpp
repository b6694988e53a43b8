// Encrypted PKCS#8 as OpenSSL 3 writes it (run at test time): every PBKDF2 PRF and AES key
// size `openssl pkcs8 -topk8` offers, scrypt, and the weak schemes that are refused by name.
#include <catch2/catch.hpp>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
using crypto_test::quoted;
using crypto_test::run;
namespace fs = std::filesystem;

namespace {

// A fresh openssl key (`genpkey_args`) and its DER SPKI.
struct Generated {
  fs::path pem;
  std::string spki;
};

Generated generate(const fs::path& dir, const std::string& name, const std::string& args) {
  const fs::path pem = dir / (name + ".pem");
  const fs::path pub = dir / (name + ".pub.der");
  REQUIRE(run("openssl genpkey " + args + " -out " + quoted(pem)) == 0);
  REQUIRE(run("openssl pkey -in " + quoted(pem) + " -pubout -outform DER -out " + quoted(pub)) ==
          0);
  return {pem, testing::read_file(pub)};
}

// The DER of `key` encrypted by `openssl pkcs8 -topk8 <pkcs8_args>` with passphrase "pw-1".
std::string encrypt(const fs::path& dir, const fs::path& key, const std::string& pkcs8_args) {
  const fs::path out = dir / "enc.pem";
  REQUIRE(run("PW=pw-1 openssl pkcs8 -topk8 -in " + quoted(key) + " " + pkcs8_args +
              " -passout env:PW -out " + quoted(out)) == 0);
  const auto pem = crypto_test::read_pem(out);
  REQUIRE(pem.label == "ENCRYPTED PRIVATE KEY");
  return pem.der;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("pbes2_decrypt: every PBKDF2 PRF and AES key size openssl writes", "[crypto][pbes2]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const Generated ec = generate(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  for (const std::string prf : {"SHA1", "SHA224", "SHA256", "SHA384", "SHA512"}) {
    for (const std::string bits : {"128", "192", "256"}) {
      INFO("hmacWith" << prf << ", aes-" << bits << "-cbc");
      const std::string der =
          encrypt(dir.path(), ec.pem, "-v2 aes-" + bits + "-cbc -v2prf hmacWith" + prf);
      const auto scheme = key_encryption_of(der);
      REQUIRE(scheme.ok());
      CHECK(scheme->kdf == "PBKDF2-HMAC-" + prf);
      CHECK(scheme->cipher == "AES-" + bits + "-CBC");
      CHECK(scheme->iterations == 2048);
      // Only notary's own scheme can be stored as it is.
      CHECK(scheme->notary_readable == (prf == "SHA1" && bits == "256"));
      const auto plain = pbes2_decrypt(der, "pw-1");
      REQUIRE(plain.ok());
      const auto key = PrivateKey::from_pkcs8(*plain);
      REQUIRE(key.ok());
      CHECK(key->public_spki_der() == ec.spki);
      const auto wrong = pbes2_decrypt(der, "pw-2");
      REQUIRE_FALSE(wrong.ok());
      CHECK(wrong.error().kind == tuf::ErrorKind::kBadPassphrase);
    }
  }
}

TEST_CASE("pbes2_decrypt: OpenSSL 3 defaults for P-384, RSA, Ed25519 and scrypt",
          "[crypto][pbes2]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> algorithms = {
      {"p384", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384"},
      {"rsa", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"},
      {"ed25519", "-algorithm ED25519"}};
  for (const auto& [name, args] : algorithms) {
    INFO(name);
    const Generated generated = generate(dir.path(), name, args);
    // The default is what `openssl genpkey ... -aes256` writes too.
    const std::string der = encrypt(dir.path(), generated.pem, "-v2 aes-256-cbc");
    CHECK(key_encryption_of(der)->describe() ==
          "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)");
    const auto plain = pbes2_decrypt(der, "pw-1");
    REQUIRE(plain.ok());
    CHECK(PrivateKey::from_pkcs8(*plain)->public_spki_der() == generated.spki);
    CHECK(pbes2_decrypt(der, "PW-1").error().kind == tuf::ErrorKind::kBadPassphrase);
  }
  const Generated ec = generate(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  const std::string scrypt = encrypt(dir.path(), ec.pem, "-scrypt");
  const auto scheme = key_encryption_of(scrypt);
  REQUIRE(scheme.ok());
  CHECK(scheme->describe() == "PBES2 (scrypt, N=16384, AES-256-CBC)");
  CHECK_FALSE(scheme->notary_readable);
  const auto plain = pbes2_decrypt(scrypt, "pw-1");
  REQUIRE(plain.ok());
  CHECK(PrivateKey::from_pkcs8(*plain)->public_spki_der() == ec.spki);
  CHECK(pbes2_decrypt(scrypt, "pw-2").error().kind == tuf::ErrorKind::kBadPassphrase);
}

TEST_CASE("pbes2_decrypt: weak and unknown schemes are refused by name, even with the passphrase",
          "[crypto][pbes2]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const Generated ec = generate(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"-v1 PBE-SHA1-3DES", "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"},
      {"-v2 des3", "PBES2 with cipher DES-EDE3-CBC"},
      {"-v2 camellia-256-cbc", "PBES2 with cipher CAMELLIA-256-CBC"},
      {"-v2 aes-256-cbc -iter 999", "PBKDF2 with 999 iterations (fewer than 1000)"},
      {"-v2 aes-256-cbc -v2prf hmacWithSHA512-256", "PBKDF2 with PRF HMAC-SHA512/256"},
      {"-scrypt -scrypt_N 512", "scrypt with N=512, r=8, p=1 (N below 1024)"}};
  for (const auto& [args, name] : refused) {
    INFO(args);
    const std::string der = encrypt(dir.path(), ec.pem, args);
    const auto decrypted = pbes2_decrypt(der, "pw-1");
    REQUIRE_FALSE(decrypted.ok());
    CHECK(decrypted.error().kind == tuf::ErrorKind::kMalformed);
    CHECK(decrypted.error().detail.starts_with("unsupported key encryption: " + name + "; "));
    CHECK(contains(decrypted.error().detail, "openssl pkcs8 -topk8 -v2 aes-256-cbc"));
    const auto scheme = key_encryption_of(der);
    REQUIRE_FALSE(scheme.ok());
    CHECK(scheme.error().detail == decrypted.error().detail);
  }
  CHECK(key_encryption_of("not DER").error().detail == "malformed encrypted private key");
}

TEST_CASE("pbes2_encrypt: still writes notary's scheme, whatever the key came in",
          "[crypto][pbes2]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const Generated ec = generate(dir.path(), "ec", "-algorithm EC -pkeyopt ec_paramgen_curve:P-256");
  const auto plain = pbes2_decrypt(encrypt(dir.path(), ec.pem, "-v2 aes-128-cbc"), "pw-1");
  REQUIRE(plain.ok());
  const auto key = PrivateKey::from_pkcs8(*plain);
  REQUIRE(key.ok());
  const std::string stored = pbes2_encrypt(key->to_pkcs8(), "new-pass");
  const auto scheme = key_encryption_of(stored);
  REQUIRE(scheme.ok());
  CHECK(scheme->describe() == "PBES2 (PBKDF2-HMAC-SHA1, 2048 iterations, AES-256-CBC)");
  CHECK(scheme->notary_readable);
  CHECK(PrivateKey::from_pkcs8(*pbes2_decrypt(stored, "new-pass"))->public_spki_der() == ec.spki);
  // openssl reads it back with the same passphrase.
  testing::write_file(dir.path() / "stored.pem", pem_encode("ENCRYPTED PRIVATE KEY", stored));
  CHECK(run("openssl pkcs8 -in " + quoted(dir.path() / "stored.pem") +
            " -passin pass:new-pass -out " + quoted(dir.path() / "back.pem")) == 0);
  CHECK(PrivateKey::from_pkcs8(crypto_test::read_pem(dir.path() / "back.pem").der)
            ->public_spki_der() == ec.spki);
}
