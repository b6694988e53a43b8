// The private-key store: real notary key files (current and legacy layouts), writing, and
// passphrase handling.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "test_support.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"

namespace {

namespace fs = std::filesystem;
using trustcache::FixedPassphraseProvider;
using trustcache::KeyFileInfo;
using trustcache::KeyStore;
using tuf::crypto::PrivateKey;

// Answers from a list, recording every request.
class ScriptedPassphrases final : public trustcache::PassphraseProvider {
 public:
  explicit ScriptedPassphrases(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  tuf::Result<std::string> get(std::string_view key_id, std::string_view role, bool create_new,
                               int attempt) override {
    requests.push_back({std::string(key_id), std::string(role), create_new, attempt});
    if (requests.size() > answers_.size()) {
      return tuf::make_error(tuf::ErrorKind::kCancelled, "", "no more answers");
    }
    return answers_[requests.size() - 1];
  }
  struct Request {
    std::string key_id;
    std::string role;
    bool create_new;
    int attempt;
  };
  std::vector<Request> requests;

 private:
  std::vector<std::string> answers_;
};

// Every file below `dir`, relative, with its bytes.
std::map<std::string, std::string> snapshot_tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[entry.path().lexically_relative(dir).generic_string()] =
          testing::read_file(entry.path());
    }
  }
  return files;
}

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

// A trust dir holding a copy of realdata's notary-compat/<name>/private, or nullopt to skip.
std::optional<fs::path> copy_legacy_private(const testing::TempDir& tmp, const std::string& name) {
  const fs::path source = testing::realdata_dir() / "notary-compat" / name / "private";
  if (!fs::is_directory(source)) return std::nullopt;
  fs::create_directories(tmp.path() / "trust");
  fs::copy(source, tmp.path() / "trust" / "private", fs::copy_options::recursive);
  return tmp.path() / "trust";
}

std::map<std::string, KeyFileInfo> by_id(const std::vector<KeyFileInfo>& keys) {
  std::map<std::string, KeyFileInfo> out;
  for (const auto& key : keys) out.emplace(key.id, key);
  return out;
}

}  // namespace

TEST_CASE("keystore: notary 0.1 legacy keys are listed and decrypted in place", "[keystore]") {
  testing::TempDir tmp;
  auto trust = copy_legacy_private(tmp, "notary0.1");
  if (!trust) {
    WARN("realdata notary0.1 not found; skipped");
    return;
  }
  const auto before = snapshot_tree(*trust);
  KeyStore store(*trust);
  auto keys = store.list();
  REQUIRE(keys.ok());
  auto found = by_id(*keys);
  REQUIRE(found.size() == 3);
  const std::string gun = "docker.com/notary0.1/samplerepo";
  const auto& root = found.at("d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68");
  CHECK(root.role == "root");
  CHECK(root.gun.empty());
  CHECK(root.legacy);
  const auto& targets =
      found.at("7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599");
  CHECK(targets.role == "targets");
  CHECK(targets.gun == gun);
  const auto& snapshot =
      found.at("a55ccf652b0be4b6c4d356cbb02d9ea432bb84a2571665be3df7c7396af8e8b8");
  CHECK(snapshot.role == "snapshot");
  CHECK(snapshot.gun == gun);

  for (const auto& [id, info] : found) {
    INFO(id);
    FixedPassphraseProvider pass("randompass");
    auto loaded = store.load(id, pass);
    REQUIRE(loaded.ok());
    CHECK(loaded->key.algorithm() == tuf::crypto::KeyAlgorithm::kEcdsa);
    CHECK(trustcache::canonical_key_id(loaded->key) == id);
    CHECK(loaded->info.role == info.role);
  }
  CHECK(snapshot_tree(*trust) == before);  // read in place: nothing migrated or deleted
}

TEST_CASE("keystore: notary 0.3 legacy keys are listed and decrypted in place", "[keystore]") {
  testing::TempDir tmp;
  auto trust = copy_legacy_private(tmp, "notary0.3");
  if (!trust) {
    WARN("realdata notary0.3 not found; skipped");
    return;
  }
  const auto before = snapshot_tree(*trust);
  KeyStore store(*trust);
  auto keys = store.list();
  REQUIRE(keys.ok());
  auto found = by_id(*keys);
  REQUIRE(found.size() == 4);
  const std::string gun = "docker.com/notary0.3/tst";
  CHECK(found.at("f4eaf871a74aa3b3a0ff95cef2455a1e4d461639f5625418e76756fc5c948690").role ==
        "root");
  const auto& delegation =
      found.at("fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3");
  CHECK(delegation.role == "targets/releases");
  CHECK(delegation.gun.empty());
  CHECK(found.at("85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc").role ==
        "snapshot");
  CHECK(found.at("85559599cf3cf681ff193f432a7ca6d128182bd1cfa8ede2c70761deac8bc2dc").gun == gun);
  CHECK(found.at("041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02").role ==
        "targets");

  for (const auto& [id, info] : found) {
    INFO(id);
    FixedPassphraseProvider pass("password");
    auto loaded = store.load(id, pass);
    REQUIRE(loaded.ok());
    CHECK(trustcache::canonical_key_id(loaded->key) == id);
  }
  FixedPassphraseProvider pass("password");
  CHECK(store.load("fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3", pass)
            ->key.algorithm() == tuf::crypto::KeyAlgorithm::kRsa);
  CHECK(snapshot_tree(*trust) == before);
}

TEST_CASE("keystore: keys written by notary 0.7 load with their file's ID", "[keystore]") {
  const fs::path fixtures = testing::fixtures_dir();
  int checked = 0;
  if (fs::is_directory(fixtures)) {
    for (const auto& set : fs::directory_iterator(fixtures)) {
      if (!fs::is_directory(set.path() / "private")) continue;
      KeyStore store(set.path());
      auto keys = store.list();
      REQUIRE(keys.ok());
      for (const auto& info : *keys) {
        INFO(info.path);
        CHECK_FALSE(info.legacy);
        CHECK_FALSE(info.role.empty());
        CHECK(info.gun.empty() == !trustcache::role_has_gun(info.role));
        FixedPassphraseProvider pass("dtrust-fixture-pass");
        auto loaded = store.load(info.id, pass);
        REQUIRE(loaded.ok());
        CHECK(trustcache::canonical_key_id(loaded->key) == info.id);
        ++checked;
      }
    }
  }
  if (checked == 0) WARN("no fixtures/*/private keys found; skipped");
}

TEST_CASE("keystore: a stored key has notary's exact file layout and modes", "[keystore]") {
  testing::TempDir tmp;
  const fs::path trust = tmp.path() / "trust";
  KeyStore store(trust);
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  auto written = store.store(key, "targets", "example.com/app", "correct horse");
  REQUIRE(written.ok());
  const std::string id = trustcache::canonical_key_id(key);
  CHECK(written->id == id);
  CHECK(written->path == trust / "private" / (id + ".key"));
  CHECK(mode_of(written->path) == 0600);
  CHECK(mode_of(trust / "private") == 0700);
  CHECK(mode_of(trust) == 0700);
  CHECK(snapshot_tree(trust).size() == 1);  // no temporary file left behind

  const std::string text = testing::read_file(written->path);
  const std::string head =
      "-----BEGIN ENCRYPTED PRIVATE KEY-----\ngun: example.com/app\nrole: targets\n\n";
  REQUIRE(text.starts_with(head));
  REQUIRE(text.ends_with("\n-----END ENCRYPTED PRIVATE KEY-----\n"));
  std::string body = text.substr(head.size());
  body.resize(body.size() - std::string("-----END ENCRYPTED PRIVATE KEY-----\n").size());
  std::vector<std::string> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t lf = body.find('\n', start);
    lines.push_back(body.substr(start, lf - start));
    start = lf + 1;
  }
  REQUIRE(lines.size() >= 2);
  for (size_t i = 0; i + 1 < lines.size(); ++i) CHECK(lines[i].size() == 64);
  CHECK(lines.back().size() <= 64);
  CHECK_FALSE(lines.back().empty());

  FixedPassphraseProvider pass("correct horse");
  auto loaded = store.load(id, pass);
  REQUIRE(loaded.ok());
  CHECK(loaded->key.public_key() == key.public_key());
  CHECK(loaded->info.role == "targets");
  CHECK(loaded->info.gun == "example.com/app");

  // OpenSSL reads it once the header lines are gone (docker-trust-cli 4.2).
  if (std::system("openssl version >/dev/null 2>&1") != 0) {
    WARN("openssl not installed; skipped the openssl check");
    return;
  }
  testing::write_file(tmp.path() / "bare.pem", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body +
                                                   "-----END ENCRYPTED PRIVATE KEY-----\n");
  const std::string command = "openssl pkcs8 -in '" + (tmp.path() / "bare.pem").string() +
                              "' -passin 'pass:correct horse' -outform DER -out '" +
                              (tmp.path() / "plain.der").string() + "' 2>/dev/null";
  REQUIRE(std::system(command.c_str()) == 0);
  // OpenSSL 3 writes the decrypted EC key in SEC1 ("traditional") form.
  auto reparsed = PrivateKey::from_sec1(testing::read_file(tmp.path() / "plain.der"));
  REQUIRE(reparsed.ok());
  CHECK(reparsed->public_key() == key.public_key());
}

TEST_CASE("keystore: the gun header is written only for targets, snapshot and timestamp",
          "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const std::map<std::string, bool> roles = {
      {"root", false},     {"targets", true},           {"snapshot", true},
      {"timestamp", true}, {"targets/releases", false}, {"alice", false}};
  for (const auto& [role, has_gun] : roles) {
    INFO(role);
    const PrivateKey key = PrivateKey::generate_ecdsa_p256();
    auto written = store.store(key, role, "example.com/app", "passphrase");
    REQUIRE(written.ok());
    auto blocks = trustcache::parse_pem(testing::read_file(written->path));
    REQUIRE(blocks.ok());
    CHECK(blocks->front().header("role") == role);
    CHECK(blocks->front().headers.count("gun") == (has_gun ? 1u : 0u));
    CHECK(written->gun == (has_gun ? "example.com/app" : ""));
  }
}

TEST_CASE("keystore: refused stores write nothing", "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  auto unencrypted = store.store(key, "alice", "", "");
  REQUIRE_FALSE(unencrypted.ok());
  CHECK(unencrypted.error().kind == tuf::ErrorKind::kUsage);
  auto no_gun = store.store(key, "targets", "", "passphrase");
  REQUIRE_FALSE(no_gun.ok());
  CHECK(no_gun.error().kind == tuf::ErrorKind::kUsage);
  CHECK(snapshot_tree(tmp.path()).empty());
}

TEST_CASE("keystore: a wrong passphrase is retried, then kBadPassphrase", "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  REQUIRE(store.store(key, "root", "", "right passphrase").ok());
  const std::string id = trustcache::canonical_key_id(key);
  const auto before = snapshot_tree(tmp.path());

  SECTION("three wrong answers") {
    ScriptedPassphrases answers({"wrong1", "wrong2", "wrong3", "right passphrase"});
    auto loaded = store.load(id, answers);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().kind == tuf::ErrorKind::kBadPassphrase);
    REQUIRE(answers.requests.size() == trustcache::kMaxPassphraseAttempts);
    for (int i = 0; i < trustcache::kMaxPassphraseAttempts; ++i) {
      CHECK(answers.requests[i].attempt == i);
      CHECK(answers.requests[i].key_id == id);
      CHECK(answers.requests[i].role == "root");
      CHECK_FALSE(answers.requests[i].create_new);
    }
  }
  SECTION("right on the second try") {
    ScriptedPassphrases answers({"wrong1", "right passphrase"});
    REQUIRE(store.load(id, answers).ok());
    CHECK(answers.requests.size() == 2);
  }
  SECTION("the provider's own error ends the retries") {
    ScriptedPassphrases answers({});
    auto loaded = store.load(id, answers);
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().kind == tuf::ErrorKind::kCancelled);
  }
  SECTION("a wrong old passphrase changes nothing") {
    auto changed = store.change_passphrase(id, "wrong", "new passphrase");
    REQUIRE_FALSE(changed.ok());
    CHECK(changed.error().kind == tuf::ErrorKind::kBadPassphrase);
  }
  CHECK(snapshot_tree(tmp.path()) == before);
}

TEST_CASE("keystore: a file named after another key is refused", "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  auto written = store.store(key, "alice", "", "passphrase");
  REQUIRE(written.ok());
  const std::string fake_id(64, 'e');
  fs::copy_file(written->path, tmp.path() / "private" / (fake_id + ".key"));
  FixedPassphraseProvider pass("passphrase");
  auto loaded = store.load(fake_id, pass);
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().kind == tuf::ErrorKind::kKeyNotFound);
  CHECK(store.load("../private/" + written->id, pass).error().kind == tuf::ErrorKind::kKeyNotFound);
}

TEST_CASE("keystore: unencrypted notary files load without a passphrase", "[keystore]") {
  testing::TempDir tmp;
  const PrivateKey key = PrivateKey::generate_ed25519();
  const std::string id = trustcache::canonical_key_id(key);
  trustcache::PemBlock block{"PRIVATE KEY", {{"role", "timestamp"}, {"gun", "g"}}, key.to_pkcs8()};
  testing::write_file(tmp.path() / "private" / (id + ".key"), trustcache::encode_pem(block));
  KeyStore store(tmp.path());
  ScriptedPassphrases none({});
  auto loaded = store.load(id, none);
  REQUIRE(loaded.ok());
  CHECK(none.requests.empty());
  CHECK(loaded->key.algorithm() == tuf::crypto::KeyAlgorithm::kEd25519);
  CHECK(loaded->info.gun == "g");
}

TEST_CASE("keystore: changing a passphrase re-encrypts in place", "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  REQUIRE(store.store(key, "targets", "g", "old passphrase").ok());
  const std::string id = trustcache::canonical_key_id(key);
  auto changed = store.change_passphrase(id, "old passphrase", "new passphrase");
  REQUIRE(changed.ok());
  CHECK(changed->gun == "g");
  FixedPassphraseProvider old_pass("old passphrase");
  FixedPassphraseProvider new_pass("new passphrase");
  CHECK(store.load(id, old_pass).error().kind == tuf::ErrorKind::kBadPassphrase);
  CHECK(store.load(id, new_pass).ok());
  CHECK(snapshot_tree(tmp.path()).size() == 1);
}

TEST_CASE("keystore: changing a legacy key's passphrase moves it to the current layout",
          "[keystore]") {
  testing::TempDir tmp;
  auto trust = copy_legacy_private(tmp, "notary0.3");
  if (!trust) {
    WARN("realdata notary0.3 not found; skipped");
    return;
  }
  KeyStore store(*trust);
  const std::string id = "041b64dab281324ef2b62fd2d04f4758269e120ff063b7bc78709272821a0a02";
  auto changed = store.change_passphrase(id, "password", "new passphrase");
  REQUIRE(changed.ok());
  CHECK_FALSE(changed->legacy);
  CHECK(changed->role == "targets");
  CHECK(changed->gun == "docker.com/notary0.3/tst");
  CHECK_FALSE(fs::exists(*trust / "private/tuf_keys/docker.com/notary0.3/tst" / (id + ".key")));
  auto keys = store.list();
  REQUIRE(keys.ok());
  CHECK(keys->size() == 4);
}

TEST_CASE("keystore: remove and read_pem", "[keystore]") {
  testing::TempDir tmp;
  KeyStore store(tmp.path());
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  auto written = store.store(key, "alice", "", "passphrase");
  REQUIRE(written.ok());
  auto pem = store.read_pem(written->id);
  REQUIRE(pem.ok());
  CHECK(*pem == testing::read_file(written->path));
  REQUIRE(store.remove(written->id).ok());
  CHECK_FALSE(fs::exists(written->path));
  CHECK(store.remove(written->id).error().kind == tuf::ErrorKind::kKeyNotFound);
  CHECK(store.read_pem(written->id).error().kind == tuf::ErrorKind::kKeyNotFound);
  auto keys = store.list();
  REQUIRE(keys.ok());
  CHECK(keys->empty());
}
