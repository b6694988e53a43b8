// `dtrust key load` and `dtrust key import` with keys OpenSSL 3 encrypts by default
// (PBKDF2-HMAC-SHA256) and its variants, made with the openssl binary at test time: imported,
// stored in notary's scheme, and then decrypted by the Go notary client.

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "cli_test_util.h"
#include "test_support.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"
#include "tuf/builder.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace {

namespace fs = std::filesystem;
using clitest::run_process;
using clitest::RunResult;

bool have_openssl() { return run_process({"/bin/sh", "-c", "openssl version"}).exit_code == 0; }

// `openssl genpkey <genpkey_args> | openssl pkcs8 -topk8 <pkcs8_args>` with passphrase
// `passphrase`, into a 0600 file; returns the DER SPKI of the key.
std::string openssl_key(const fs::path& file, const std::string& genpkey_args,
                        const std::string& pkcs8_args, const std::string& passphrase) {
  const fs::path plain = file.string() + ".plain";
  const fs::path pub = file.string() + ".pub";
  auto made =
      run_process({"/bin/sh", "-c",
                   "umask 077 && openssl genpkey " + genpkey_args + " -out '" + plain.string() +
                       "' && openssl pkcs8 -topk8 -in '" + plain.string() + "' " + pkcs8_args +
                       " -passout env:PW -out '" + file.string() + "' && openssl pkey -in '" +
                       plain.string() + "' -pubout -outform DER -out '" + pub.string() + "'"},
                  {"PW=" + passphrase});
  REQUIRE(made.exit_code == 0);
  fs::remove(plain);
  return testing::read_file(pub);
}

constexpr const char* kP256 = "-algorithm EC -pkeyopt ec_paramgen_curve:P-256";

// Every file below `dir` with its mode and bytes: equal snapshots mean nothing changed.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  return clitest::tree_with_modes(dir);
}

// The encryption of the single ENCRYPTED PRIVATE KEY block in `file`.
tuf::crypto::KeyEncryption scheme_of(const fs::path& file) {
  auto blocks = trustcache::parse_pem(testing::read_file(file));
  REQUIRE(blocks.ok());
  REQUIRE(blocks->size() == 1);
  REQUIRE(blocks->front().type == "ENCRYPTED PRIVATE KEY");
  auto scheme = tuf::crypto::key_encryption_of(blocks->front().bytes);
  REQUIRE(scheme.ok());
  return *scheme;
}

// `dtrust key load --name NAME FILE` with DOCKER_CONFIG=config and the repository passphrase.
RunResult key_load(const fs::path& config, const std::string& name, const fs::path& file,
                   const std::string& passphrase) {
  return run_process({DTRUST_BINARY, "key", "load", "--name", name, file.string()},
                     {"DOCKER_CONFIG=" + config.string(),
                      "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=" + passphrase});
}

// The Go notary on trust dir `dir` with an unreachable server.
RunResult notary(const fs::path& dir, const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
  std::vector<std::string> argv = {clitest::kNotaryBinary, "-s", "http://127.0.0.1:1", "-d",
                                   dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env);
}

// Proof that notary decrypts key `id` in `trust_dir` with `passphrase` (and only with it):
// `notary key passwd` must decrypt it to re-encrypt it. Afterwards dtrust loads notary's file
// and signs with it; the signature verifies against openssl's public key.
void check_notary_decrypts(const fs::path& trust_dir, const std::string& id,
                           const std::string& passphrase, const std::string& spki) {
  auto wrong =
      notary(trust_dir, {"key", "passwd", id}, {"NOTARY_DELEGATION_PASSPHRASE=not-" + passphrase});
  CHECK(wrong.exit_code != 0);
  auto right =
      notary(trust_dir, {"key", "passwd", id}, {"NOTARY_DELEGATION_PASSPHRASE=" + passphrase});
  INFO(right.out << right.err);
  REQUIRE(right.exit_code == 0);
  CHECK(right.out.find("Successfully updated passphrase for key ID: " + id) != std::string::npos);

  trustcache::FixedPassphraseProvider pass(passphrase);
  auto loaded = trustcache::KeyStore(trust_dir).load(id, pass);
  REQUIRE(loaded.ok());
  CHECK(loaded->key.public_spki_der() == spki);
  const tuf::PublicKey pub = tuf::public_key_of(loaded->key);
  const std::string signed_bytes = "{\"_type\":\"Targets\",\"version\":2}";
  auto sigs = tuf::sign_canonical(signed_bytes, {tuf::SigningKey{pub.id(), loaded->key}});
  REQUIRE(sigs.size() == 1);
  using tuf::crypto::SignatureScheme;
  const std::map<std::string, SignatureScheme> schemes = {
      {"ecdsa", SignatureScheme::kEcdsaSha256Raw},
      {"rsapss", SignatureScheme::kRsaPssSha256},
      {"eddsa", SignatureScheme::kEd25519}};
  REQUIRE(schemes.count(sigs[0].method) == 1);
  const SignatureScheme scheme = schemes.at(sigs[0].method);
  const auto algorithm = loaded->key.algorithm();
  CHECK(tuf::crypto::verify(algorithm, pub.public_bytes, scheme, signed_bytes, sigs[0].sig));
  CHECK_FALSE(
      tuf::crypto::verify(algorithm, pub.public_bytes, scheme, signed_bytes + " ", sigs[0].sig));
}

bool have_tools() {
  if (!have_openssl()) {
    WARN("the openssl binary is not installed: skipping");
    return false;
  }
  if (!clitest::have_notary()) {
    WARN("the Go notary client is not installed: skipping");
    return false;
  }
  return true;
}

}  // namespace

TEST_CASE("key load: OpenSSL 3's encrypted PKCS#8 variants are stored in notary's scheme",
          "[cli][publish][key][openssl][notary]") {
  if (!have_tools()) return;
  testing::TempDir tmp;
  struct Case {
    std::string name;
    std::string genpkey;
    std::string pkcs8;
  };
  const std::vector<Case> cases = {
      {"p256-sha256", kP256, "-v2 aes-256-cbc"},  // OpenSSL 3's default PRF
      {"p256-sha512", kP256, "-v2 aes-256-cbc -v2prf hmacWithSHA512"},
      {"p256-aes128", kP256, "-v2 aes-128-cbc"},
      {"p384-scrypt", "-algorithm EC -pkeyopt ec_paramgen_curve:P-384", "-scrypt"},
      {"rsa2048", "-algorithm RSA -pkeyopt rsa_keygen_bits:2048", "-v2 aes-256-cbc"},
      {"ed25519", "-algorithm ED25519", "-v2 aes-256-cbc -v2prf hmacWithSHA384"}};
  for (const Case& c : cases) {
    INFO(c.name);
    const fs::path config = tmp.path() / c.name;
    const fs::path file = tmp.path() / (c.name + ".pem");
    const std::string spki = openssl_key(file, c.genpkey, c.pkcs8, "file-pass-1");
    CHECK_FALSE(scheme_of(file).notary_readable);

    // A wrong passphrase: refused, nothing written.
    auto wrong = key_load(config, c.name, file, "wrong-pass-1");
    CHECK(wrong.exit_code == 1);
    CHECK(wrong.err == "error importing key from " + file.string() +
                           ": cannot load key from provided file " + file.string() +
                           ": could not decrypt key\n");
    CHECK(snapshot(config).empty());

    auto ok = key_load(config, c.name, file, "file-pass-1");
    INFO(ok.err);
    REQUIRE(ok.exit_code == 0);
    CHECK(ok.out == "Loading key from \"" + file.string() +
                        "\"...\nSuccessfully imported key from " + file.string() + "\n");
    auto keys = trustcache::KeyStore(config / "trust").list();
    REQUIRE(keys.ok());
    REQUIRE(keys->size() == 1);
    const trustcache::KeyFileInfo info = keys->front();
    CHECK(info.role == c.name);
    CHECK(testing::read_file(info.path).starts_with(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: " + c.name + "\n"));
    CHECK(scheme_of(info.path).describe() ==
          "PBES2 (PBKDF2-HMAC-SHA1, 2048 iterations, AES-256-CBC)");

    // A second load of another key with a wrong passphrase changes nothing on disk.
    const auto before = snapshot(config);
    const fs::path other = tmp.path() / (c.name + "-other.pem");
    openssl_key(other, kP256, "-v2 aes-256-cbc", "other-pass-1");
    CHECK(key_load(config, c.name + "-b", other, "file-pass-1").exit_code == 1);
    CHECK(snapshot(config) == before);

    check_notary_decrypts(config / "trust", info.id, "file-pass-1", spki);
  }
}

TEST_CASE("key load: PBES1 and weak PBES2 files are refused naming the scheme",
          "[cli][publish][key][openssl]") {
  if (!have_openssl()) {
    WARN("the openssl binary is not installed: skipping");
    return;
  }
  testing::TempDir tmp;
  const fs::path config = tmp.path() / "cfg";
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"-v1 PBE-SHA1-3DES", "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"},
      {"-v2 des3", "PBES2 with cipher DES-EDE3-CBC"},
      {"-v2 aes-256-cbc -iter 100", "PBKDF2 with 100 iterations (fewer than 1000)"}};
  for (const auto& [args, name] : refused) {
    INFO(args);
    const fs::path file = tmp.path() / "weak.pem";
    fs::remove(file);
    openssl_key(file, kP256, args, "file-pass-1");
    auto r = key_load(config, "weak", file, "file-pass-1");
    CHECK(r.exit_code == 1);
    CHECK(r.err.starts_with("error importing key from " + file.string() +
                            ": unsupported key encryption: " + name + "; dtrust reads PBES2"));
    CHECK(snapshot(config).empty());
  }
}

TEST_CASE("key import: an OpenSSL 3 default key is re-encrypted under its passphrase for notary",
          "[cli][key][openssl][notary]") {
  if (!have_tools()) return;
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust";
  const fs::path file = tmp.path() / "ci.pem";
  const std::string spki = openssl_key(file, kP256, "-v2 aes-192-cbc", "import-pass-1");
  // Three wrong passphrases from the environment: refused, nothing written.
  auto wrong = run_process(
      {DTRUST_BINARY, "key", "import", "-d", dir.string(), "-r", "targets/ci", file.string()},
      {"NOTARY_DELEGATION_PASSPHRASE=nope-pass-1"});
  CHECK(wrong.exit_code == 1);
  CHECK(snapshot(dir).empty());

  auto ok = run_process(
      {DTRUST_BINARY, "key", "import", "-d", dir.string(), "-r", "targets/ci", file.string()},
      {"NOTARY_DELEGATION_PASSPHRASE=import-pass-1"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  auto keys = trustcache::KeyStore(dir).list();
  REQUIRE(keys.ok());
  REQUIRE(keys->size() == 1);
  CHECK(keys->front().role == "targets/ci");
  CHECK(scheme_of(keys->front().path).notary_readable);
  CHECK(notary(dir, {"key", "list"}, {}).out.find(keys->front().id) != std::string::npos);
  check_notary_decrypts(dir, keys->front().id, "import-pass-1", spki);
}
