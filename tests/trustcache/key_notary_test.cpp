// KeyStore::import_notary, export_pem and the asking change_passphrase: `notary key import`,
// `export` and `passwd` rules (notary spec 8.1-8.3) on a real directory.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "test_support.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"

namespace {

namespace fs = std::filesystem;
using trustcache::FixedPassphraseProvider;
using trustcache::KeyStore;
using trustcache::PemBlock;
using tuf::crypto::PrivateKey;

std::string plain_pem(const PrivateKey& key, std::map<std::string, std::string> headers = {}) {
  return trustcache::encode_pem(PemBlock{"PRIVATE KEY", std::move(headers), key.to_pkcs8()});
}

std::string encrypted_pem(const PrivateKey& key, std::map<std::string, std::string> headers,
                          const std::string& passphrase) {
  return trustcache::encode_pem(PemBlock{"ENCRYPTED PRIVATE KEY", std::move(headers),
                                         tuf::crypto::pbes2_encrypt(key.to_pkcs8(), passphrase)});
}

// Every file below `dir` with its bytes and mode: equal snapshots mean nothing changed.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    const std::string mode = std::to_string(st.st_mode & 07777);
    files[e.path().lexically_relative(dir).string()] =
        mode + ":" + (e.is_regular_file() ? testing::read_file(e.path()) : std::string("<dir>"));
  }
  return files;
}

// Always fails: proves that no passphrase was asked for.
class NoPassphrase final : public trustcache::PassphraseProvider {
 public:
  tuf::Result<std::string> get(std::string_view, std::string_view, bool, int) override {
    return tuf::make_error(tuf::ErrorKind::kBadPassphrase, "", "asked for a passphrase");
  }
};

}  // namespace

TEST_CASE("import_notary: an unencrypted key is stored encrypted with the new passphrase",
          "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  FixedPassphraseProvider chosen("new-pass-1");
  auto written = store.import_notary(plain_pem(key), "targets", "example.com/app", chosen);
  REQUIRE(written.ok());
  REQUIRE(written->size() == 1);
  const auto& info = written->front();
  CHECK(info.id == trustcache::canonical_key_id(key));
  const std::string text = testing::read_file(info.path);
  CHECK(
      text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: example.com/app\n"
                       "role: targets\n\n"));
  CHECK((fs::status(info.path).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK((fs::status(store.private_dir()).permissions() & fs::perms::all) == fs::perms::owner_all);
  FixedPassphraseProvider right("new-pass-1");
  auto loaded = store.load(info.id, right);
  REQUIRE(loaded.ok());
  CHECK(loaded->key.public_key() == key.public_key());
}

TEST_CASE("import_notary: default role is delegation, and a delegation key loses its gun",
          "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  FixedPassphraseProvider chosen("new-pass-1");
  auto written = store.import_notary(plain_pem(PrivateKey::generate_ecdsa_p256()), "",
                                     "example.com/app", chosen);
  REQUIRE(written.ok());
  CHECK(written->front().role == "delegation");
  CHECK(written->front().gun.empty());
  CHECK(testing::read_file(written->front().path).find("gun:") == std::string::npos);
}

TEST_CASE("import_notary: an encrypted block with a path header is stored as it came",
          "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string id = trustcache::canonical_key_id(key);
  const std::string exported = encrypted_pem(key, {{"path", id}, {"role", "root"}}, "file-pass-1");
  NoPassphrase none;
  auto written = store.import_notary(exported, "", "", none);
  REQUIRE(written.ok());
  const std::string text = testing::read_file(written->front().path);
  CHECK(written->front().path.filename() == id + ".key");
  // Only the path header goes; the encrypted body is untouched.
  auto blocks = trustcache::parse_pem(text);
  REQUIRE(blocks.ok());
  CHECK(blocks->front().headers == std::map<std::string, std::string>{{"role", "root"}});
  CHECK(blocks->front().bytes == trustcache::parse_pem(exported)->front().bytes);
}

TEST_CASE("import_notary: a legacy tuf_keys path gives the gun", "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string id = trustcache::canonical_key_id(key);
  NoPassphrase none;
  auto written = store.import_notary(
      encrypted_pem(key, {{"path", "tuf_keys/example.com/old/" + id}, {"role", "snapshot"}}, "p"),
      "", "", none);
  REQUIRE(written.ok());
  CHECK(written->front().gun == "example.com/old");
  CHECK(written->front().path == store.private_dir() / (id + ".key"));
}

TEST_CASE("import_notary: a refused block writes nothing at all", "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  FixedPassphraseProvider chosen("new-pass-1");
  const std::string two = plain_pem(PrivateKey::generate_ecdsa_p256(), {{"role", "root"}}) +
                          plain_pem(PrivateKey::generate_ecdsa_p256(), {{"role", "targets"}});
  auto refused = store.import_notary(two, "", "", chosen);
  REQUIRE(!refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kUsage);
  CHECK(!fs::exists(store.private_dir()));
  FixedPassphraseProvider empty("");
  auto no_pass =
      store.import_notary(plain_pem(PrivateKey::generate_ecdsa_p256()), "root", "", empty);
  REQUIRE(!no_pass.ok());
  CHECK(!fs::exists(store.private_dir()));
}

TEST_CASE("export_pem: notary's path header, legacy files get their migrated headers",
          "[keystore][export][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string id = trustcache::canonical_key_id(key);
  const fs::path legacy = store.private_dir() / "tuf_keys" / "example.com" / "app";
  fs::create_directories(legacy);
  testing::write_file(legacy / (id + "_targets.key"), encrypted_pem(key, {}, "pass-word-1"));
  auto info = store.find(id);
  REQUIRE(info.ok());
  auto exported = store.export_pem(*info);
  REQUIRE(exported.ok());
  auto blocks = trustcache::parse_pem(*exported);
  REQUIRE(blocks.ok());
  CHECK(blocks->front().headers == std::map<std::string, std::string>{{"gun", "example.com/app"},
                                                                      {"path", id},
                                                                      {"role", "targets"}});

  // An unencrypted file is never exported.
  const PrivateKey plain = PrivateKey::generate_ecdsa_p256();
  const std::string plain_id = trustcache::canonical_key_id(plain);
  testing::write_file(store.private_dir() / (plain_id + ".key"),
                      plain_pem(plain, {{"role", "root"}}));
  auto refused = store.export_pem(*store.find(plain_id));
  REQUIRE(!refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kUsage);
}

TEST_CASE("change_passphrase: a wrong old passphrase leaves every file byte-identical",
          "[keystore][passwd][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string id = trustcache::canonical_key_id(key);
  fs::create_directories(store.private_dir() / "root_keys");
  testing::write_file(store.private_dir() / "root_keys" / (id + "_root.key"),
                      encrypted_pem(key, {}, "old-pass-1"));
  const auto before = snapshot(tmp.path());
  FixedPassphraseProvider wrong("wrong-pass");
  FixedPassphraseProvider fresh("new-pass-1");
  auto refused = store.change_passphrase(id, wrong, fresh);
  REQUIRE(!refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kBadPassphrase);
  CHECK(snapshot(tmp.path()) == before);

  // The right one moves the legacy key to the current layout under the new passphrase.
  FixedPassphraseProvider right("old-pass-1");
  auto changed = store.change_passphrase(id, right, fresh);
  REQUIRE(changed.ok());
  CHECK(!changed->legacy);
  CHECK(!fs::exists(store.private_dir() / "root_keys" / (id + "_root.key")));
  FixedPassphraseProvider again("new-pass-1");
  auto loaded = store.load(id, again);
  REQUIRE(loaded.ok());
  CHECK(loaded->info.role == "root");
}

TEST_CASE("import_notary: an encrypted block without a path is decrypted to learn its ID",
          "[keystore][import][notary]") {
  testing::TempDir tmp;
  const KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const std::string pem = encrypted_pem(key, {{"role", "root"}}, "file-pass-1");
  FixedPassphraseProvider wrong("wrong-pass");
  auto refused = store.import_notary(pem, "", "", wrong);
  REQUIRE(!refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kBadPassphrase);
  CHECK(!fs::exists(store.private_dir()));

  FixedPassphraseProvider right("file-pass-1");
  auto written = store.import_notary(pem, "", "", right);
  REQUIRE(written.ok());
  CHECK(written->front().id == trustcache::canonical_key_id(key));
  // Stored as it came: still opens with the file's own passphrase.
  FixedPassphraseProvider again("file-pass-1");
  CHECK(store.load(written->front().id, again).ok());
}
