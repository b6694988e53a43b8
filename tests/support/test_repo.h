// A signing test repository: real metadata (from fixtures/) or fresh metadata, with the keys to
// mutate and re-sign it. Negative cases are made by mutating the typed model and re-signing,
// never by hand-editing files (aesthetics "what to absorb" 11).
#ifndef DTRUST_TESTS_SUPPORT_TEST_REPO_H_
#define DTRUST_TESTS_SUPPORT_TEST_REPO_H_

#include <map>
#include <string>
#include <vector>

#include "tuf/builder.h"
#include "tuf/metadata.h"
#include "tuf/resolve.h"
#include "tuf/trusted_set.h"

namespace testing {

class TestRepo {
 public:
  // The fixture set fixtures/<set> made by the real notary CLI, with its private keys
  // (passphrase from MANIFEST.json). Keys the client never held (the server's timestamp key,
  // a server-managed snapshot key) are replaced by fresh test keys, root is re-signed with the
  // real root key, and everything below it is re-signed so the repository verifies again.
  // `original` keeps the untouched fixture bytes.
  static TestRepo from_fixture(const std::string& set);

  // A new repository with fresh ECDSA keys (ed25519 timestamp key) created at `now`.
  static TestRepo fresh(const std::string& gun, tuf::Time now);

  std::string gun;
  tuf::Time now;  // a reference time inside every role's validity window
  tuf::Root root;
  tuf::Targets targets;
  std::map<std::string, tuf::Targets> delegations;  // delegated role -> model
  tuf::Snapshot snapshot;
  tuf::Timestamp timestamp;
  std::map<std::string, std::vector<tuf::SigningKey>> keys;  // role -> its signing keys
  std::map<std::string, std::string> files;                  // role -> current wire bytes
  std::map<std::string, std::string> original;               // fixture bytes as generated

  // Serialises and signs one role's model into files[role] with keys[role] (no meta update).
  void sign(const std::string& role);
  // Re-signs root, targets and every delegation, rebuilds snapshot meta from the files, signs
  // snapshot, then points the timestamp at it and signs it. Versions are left as they are.
  void publish();
  // Adds a delegated role `name` under its parent with a fresh key (threshold 1).
  void add_delegation(const std::string& name, std::vector<std::string> paths);
  // Adds a target entry for `bytes` to `role` (targets or a delegation).
  void add_target(const std::string& role, const std::string& name, std::string_view bytes);

  // Verifies files like a client: root, timestamp, snapshot, targets, then every delegation
  // reachable from targets. Returns the first error.
  tuf::Status verify(tuf::Time at, tuf::RootPin pin = {}, tuf::VersionFloors floors = {}) const;
};

// A RoleSource over an in-memory role -> bytes map.
class MapSource : public tuf::RoleSource {
 public:
  explicit MapSource(std::map<std::string, std::string> files) : files_(std::move(files)) {}
  tuf::Result<std::string> fetch_role(std::string_view role, const tuf::FileMeta& meta) override;

 private:
  std::map<std::string, std::string> files_;
};

// Decrypts a notary private key file (ENCRYPTED PRIVATE KEY with role/gun headers).
tuf::crypto::PrivateKey load_key_file(const std::string& pem_text, const std::string& passphrase);

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_TEST_REPO_H_
