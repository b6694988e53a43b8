// Interop with the real Go notary CLI (Debian package `notary`): it must decrypt the private
// key files dtrust writes (botan2-notes item 4). Skipped when the binary is absent.
#include <catch2/catch.hpp>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
using crypto_test::quoted;
namespace fs = std::filesystem;

TEST_CASE("notary CLI: re-encrypts a key file dtrust wrote", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::run("notary version") == 0, "notary CLI not found");
  testing::TempDir dir;
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string id = crypto_test::key_id("ecdsa", key.public_key());
  // Spec 8.2: PEM headers gun/role, then the PBES2 EncryptedPrivateKeyInfo.
  const std::string pem =
      pem_encode("ENCRYPTED PRIVATE KEY", pbes2_encrypt(key.to_pkcs8(), "old-pass"));
  const std::string with_headers =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
      "gun: example.com/org/repo\nrole: targets\n\n" +
      pem.substr(pem.find('\n') + 1);
  const fs::path file = dir.path() / "private" / (id + ".key");
  testing::write_file(file, with_headers);

  // `key passwd` decrypts with the old passphrase and writes the key under the new one; the
  // notary CLI takes both from the role's environment variable.
  std::string out;
  REQUIRE(crypto_test::run("NOTARY_TARGETS_PASSPHRASE=old-pass notary -d " + quoted(dir.path()) +
                               " key passwd " + id,
                           &out) == 0);
  CHECK(out.find("Successfully updated passphrase") != std::string::npos);

  const crypto_test::PemFile rewritten = crypto_test::read_pem(file);
  CHECK(rewritten.headers.at("role") == "targets");
  CHECK(rewritten.der != crypto_test::parse_pem(with_headers).der);  // new salt, IV
  const auto plain = pbes2_decrypt(rewritten.der, "old-pass");
  REQUIRE(plain.ok());
  CHECK(*plain == key.to_pkcs8());  // notary wrote back the very bytes dtrust encodes
}
