// Signing keys for a publish: the keys decrypted ahead of need (KeyPreload) and how
// signing_keys_for uses them. No server: only the key store.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "notary/publisher.h"
#include "test_support.h"
#include "trustcache/key_store.h"
#include "trustcache/passphrase.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace {

using tuf::crypto::PrivateKey;

constexpr char kGun[] = "example.com/preload/app";

// Counts what the key store asks; answers `passphrase` (a retry gets the same answer).
class CountingPassphrases final : public trustcache::PassphraseProvider {
 public:
  explicit CountingPassphrases(std::string passphrase) : passphrase_(std::move(passphrase)) {}
  tuf::Result<std::string> get(std::string_view, std::string_view, bool, int attempt) override {
    ++asked;
    if (attempt > 0) return tuf::make_error(tuf::ErrorKind::kBadPassphrase, "", "wrong");
    return passphrase_;
  }
  int asked = 0;

 private:
  std::string passphrase_;
};

// The same, safe to read while the preload's helper asks.
class AtomicCountingPassphrases final : public trustcache::PassphraseProvider {
 public:
  tuf::Result<std::string> get(std::string_view, std::string_view, bool, int) override {
    ++asked;
    return std::string("right passphrase");
  }
  std::atomic<int> asked{0};
};

struct StoredKeys {
  explicit StoredKeys(const testing::TempDir& dir) : store(dir.path()) {
    REQUIRE(store.store(targets, "targets", kGun, "right passphrase").ok());
    REQUIRE(store.store(snapshot, "snapshot", kGun, "right passphrase").ok());
    REQUIRE(
        store.store(other_gun, "targets", "example.com/preload/other", "right passphrase").ok());
    REQUIRE(store.store(root, "root", "", "right passphrase").ok());
    REQUIRE(store.store(signer, "alice", "", "right passphrase").ok());
  }
  trustcache::KeyStore store;
  PrivateKey targets = PrivateKey::generate_ecdsa_p256();
  PrivateKey snapshot = PrivateKey::generate_ecdsa_p256();
  PrivateKey other_gun = PrivateKey::generate_ecdsa_p256();
  PrivateKey root = PrivateKey::generate_ecdsa_p256();
  PrivateKey signer = PrivateKey::generate_ecdsa_p256();
};

std::string id_of(const PrivateKey& key) { return trustcache::canonical_key_id(key); }

// signing_keys_for(`role`) for the one stored key `key`, asking `passphrases`.
tuf::Result<std::vector<tuf::SigningKey>> sign_with(const StoredKeys& keys, const PrivateKey& key,
                                                    const char* role,
                                                    trustcache::PassphraseProvider& passphrases,
                                                    notary::KeyPreload* preload) {
  const std::map<std::string, tuf::PublicKey> known = {{id_of(key), tuf::public_key_of(key)}};
  return notary::signing_keys_for(keys.store, passphrases, role, known, {id_of(key)}, preload);
}

}  // namespace

TEST_CASE("KeyPreload: the GUN's targets and snapshot keys, nothing else", "[publish][keys]") {
  testing::TempDir dir;
  StoredKeys keys(dir);
  CountingPassphrases passphrases("right passphrase");
  notary::KeyPreload preload(keys.store, passphrases, kGun);
  auto targets = preload.take(id_of(keys.targets));
  REQUIRE(targets.has_value());
  CHECK(targets->public_key() == keys.targets.public_key());
  auto snapshot = preload.take(id_of(keys.snapshot));
  REQUIRE(snapshot.has_value());
  CHECK(snapshot->public_key() == keys.snapshot.public_key());
  // Another repository's key, the root key and a delegation key are not decrypted.
  CHECK_FALSE(preload.take(id_of(keys.other_gun)).has_value());
  CHECK_FALSE(preload.take(id_of(keys.root)).has_value());
  CHECK_FALSE(preload.take(id_of(keys.signer)).has_value());
  CHECK(passphrases.asked == 2);
}

TEST_CASE("KeyPreload: a key that does not decrypt is left to the publish's own load",
          "[publish][keys]") {
  testing::TempDir dir;
  StoredKeys keys(dir);
  CountingPassphrases wrong("wrong passphrase");
  notary::KeyPreload preload(keys.store, wrong, kGun);
  CHECK_FALSE(preload.take(id_of(keys.targets)).has_value());

  // signing_keys_for then asks its own provider: a wrong answer is the usual error...
  CountingPassphrases still_wrong("wrong passphrase");
  auto refused = sign_with(keys, keys.targets, "targets", still_wrong, &preload);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kBadPassphrase);
  // ...and a right one signs.
  CountingPassphrases right("right passphrase");
  auto signing = sign_with(keys, keys.targets, "targets", right, &preload);
  REQUIRE(signing.ok());
  REQUIRE(signing->size() == 1);
  CHECK(signing->front().key.public_key() == keys.targets.public_key());
  CHECK(right.asked == 1);
}

TEST_CASE("signing_keys_for: a preloaded key needs no passphrase", "[publish][keys]") {
  testing::TempDir dir;
  StoredKeys keys(dir);
  CountingPassphrases unattended("right passphrase");
  notary::KeyPreload preload(keys.store, unattended, kGun);
  CountingPassphrases never("not asked");
  auto signing = sign_with(keys, keys.snapshot, "snapshot", never, &preload);
  REQUIRE(signing.ok());
  REQUIRE(signing->size() == 1);
  CHECK(signing->front().keyid == id_of(keys.snapshot));
  CHECK(signing->front().key.public_key() == keys.snapshot.public_key());
  CHECK(never.asked == 0);
}

TEST_CASE("KeyPreload: with start_after, no key is read before it is ready", "[publish][keys]") {
  using std::chrono::steady_clock;
  testing::TempDir dir;
  StoredKeys keys(dir);
  AtomicCountingPassphrases passphrases;
  std::promise<void> tls_ready;
  const auto made = steady_clock::now();
  notary::KeyPreload preload(keys.store, passphrases, kGun, tls_ready.get_future().share());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const int asked_early = passphrases.asked;
  // Unless this thread overslept past the helper's longest wait (a very busy machine).
  if (steady_clock::now() - made < notary::KeyPreload::kMaxStartWait) {
    CHECK(asked_early == 0);
  }
  tls_ready.set_value();
  CHECK(preload.take(id_of(keys.targets)).has_value());
  CHECK(preload.take(id_of(keys.snapshot)).has_value());
  CHECK(passphrases.asked == 2);
}

TEST_CASE("KeyPreload: a start_after that never comes delays the keys by its longest wait only",
          "[publish][keys]") {
  using std::chrono::steady_clock;
  testing::TempDir dir;
  StoredKeys keys(dir);
  AtomicCountingPassphrases passphrases;
  std::promise<void> never;  // e.g. a download that failed before it built its TLS context
  const auto made = steady_clock::now();
  notary::KeyPreload preload(keys.store, passphrases, kGun, never.get_future().share());
  auto targets = preload.take(id_of(keys.targets));
  const auto waited = steady_clock::now() - made;
  REQUIRE(targets.has_value());
  CHECK(id_of(*targets) == id_of(keys.targets));
  CHECK(waited >= notary::KeyPreload::kMaxStartWait);
  CHECK(waited < std::chrono::seconds(10));  // bounded, not forever
}
