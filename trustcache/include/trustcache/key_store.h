// The private-key store under <trust dir>/private, compatible with notary and docker
// (notary spec 8, docker-trust-cli 4.2).
//
// Current layout: private/<canonical key id>.key, one PEM block, `ENCRYPTED PRIVATE KEY`
// (PKCS#8 PBES2), headers `gun` (only for targets/snapshot/timestamp) and `role`. The legacy
// layouts of notary 0.1-0.3 are read in place and never migrated by reading:
//   private/root_keys/<id>_root.key, private/root_keys/<id>.key,
//   private/tuf_keys/<GUN>/<id>_<role>.key, private/tuf_keys/<GUN>/<id>.key,
//   private/tuf_keys/<id>.key
//
// Errors: kKeyNotFound (no file for an ID, or the file holds another key), kBadPassphrase (did
// not decrypt within kMaxPassphraseAttempts, or the provider's own error), kMalformed (a file or
// text that is not a usable key), kUsage (refused arguments: no passphrase, a base role
// without a GUN), kIo (the file system). Nothing is written when an operation fails.
//
// Thread-safety: a KeyStore holds only its path; concurrent calls are safe as far as the file
// system is (writes are atomic renames).
#ifndef DTRUST_TRUSTCACHE_KEY_STORE_H_
#define DTRUST_TRUSTCACHE_KEY_STORE_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "trustcache/passphrase.h"
#include "tuf/crypto.h"
#include "tuf/result.h"

namespace trustcache {

// How many passphrases load() tries for one key before giving up (notary's limit).
inline constexpr int kMaxPassphraseAttempts = 3;

// A key file found in the store (its headers only; nothing decrypted).
struct KeyFileInfo {
  std::string id;    // canonical key ID: the file name (legacy: the part before "_")
  std::string role;  // `role` header, else the legacy "_<role>" suffix, else ""
  std::string gun;   // `gun` header, else the legacy tuf_keys/<GUN>/ directory, else ""
  std::filesystem::path path;
  bool legacy = false;  // under root_keys/ or tuf_keys/
};

// A decrypted key with what its file says about it.
struct LoadedKey {
  tuf::crypto::PrivateKey key;
  KeyFileInfo info;
};

// A key taken from PEM text, ready to be stored (see import_pem).
struct ImportedKey {
  tuf::crypto::PrivateKey key;
  std::string id;    // canonical key ID
  std::string role;  // the block's `role` header, else the role asked for
  std::string gun;   // only for targets/snapshot/timestamp, else ""
};

// True for the roles whose key files carry a `gun` header: targets, snapshot, timestamp.
bool role_has_gun(std::string_view role);

// The canonical ID a key file is named after: the TUF key ID of the bare public key.
std::string canonical_key_id(const tuf::crypto::PrivateKey& key);

class KeyStore {
 public:
  // A store over <trust_dir>/private. Nothing is touched until a call needs it.
  explicit KeyStore(std::filesystem::path trust_dir);

  const std::filesystem::path& private_dir() const { return private_dir_; }

  // Every key file, current layout first (sorted by ID), then legacy ones (sorted by path).
  // A missing private/ is an empty list; files that hold no PEM block are skipped.
  tuf::Result<std::vector<KeyFileInfo>> list() const;

  // The file for `id` (the current layout wins over a legacy copy). kKeyNotFound if none.
  tuf::Result<KeyFileInfo> find(std::string_view id) const;

  // Decrypts the key `id`, asking `passphrases` (create_new = false) up to
  // kMaxPassphraseAttempts times, and checks that its public half has that canonical ID.
  // Unencrypted files need no passphrase.
  tuf::Result<LoadedKey> load(std::string_view id, PassphraseProvider& passphrases) const;

  // Writes private/<canonical id>.key encrypted with `passphrase` (PBES2), with a `role` header
  // and, for targets/snapshot/timestamp, a `gun` header (then required). Atomic: a temporary
  // file in private/ (0600) is synced and renamed over the target; directories are made 0700.
  // An existing file for the same key is replaced. An empty passphrase is refused (kUsage):
  // this store never writes an unencrypted key.
  tuf::Result<KeyFileInfo> store(const tuf::crypto::PrivateKey& key, std::string_view role,
                                 std::string_view gun, std::string_view passphrase) const;

  // Deletes every file holding `id` (current and legacy). kKeyNotFound if there is none.
  tuf::Status remove(std::string_view id) const;

  // The exact text of the key file (for export; still encrypted).
  tuf::Result<std::string> read_pem(std::string_view id) const;

  // Re-encrypts `id` with `new_passphrase` into the current layout. A legacy file is removed
  // once its replacement is written. A wrong `old_passphrase` is kBadPassphrase, writes nothing.
  tuf::Result<KeyFileInfo> change_passphrase(std::string_view id, std::string_view old_passphrase,
                                             std::string_view new_passphrase) const;

  // The same with asked passphrases (`notary key passwd`): `current` decrypts (create_new =
  // false, up to kMaxPassphraseAttempts), then `fresh` is asked once with create_new = true.
  // Use two providers so a remembered answer for the old passphrase is not reused as the new
  // one. Nothing is written unless both answers are usable.
  tuf::Result<KeyFileInfo> change_passphrase(std::string_view id, PassphraseProvider& current,
                                             PassphraseProvider& fresh) const;

  // Every PEM block of the file `info` as `notary key export` writes it (notary spec 8.2):
  // Go's pem.Encode with a `path: <id>` header added and, for a legacy file, the `role` and
  // `gun` headers notary's migration would have given it. Still encrypted: a file holding an
  // unencrypted block is refused (kUsage), so no export ever contains a plain private key.
  tuf::Result<std::string> export_pem(const KeyFileInfo& info) const;

  // `notary key import`: the blocks of `pem_text` written to private/<id>.key, notary's rules:
  //   * a `path` header names the file (a legacy "tuf_keys/<GUN>/<id>" path also gives the GUN);
  //   * a missing `gun` header is `gun`, a missing `role` header is `role`, else "delegation";
  //   * targets/snapshot/timestamp keys need a GUN (kUsage), other roles lose their `gun`;
  //   * encrypted blocks (PKCS#8 or legacy Proc-Type) are stored as they are, only their
  //     headers changed; without a `path` header they are decrypted with `passphrases` to learn
  //     the key ID (notary refuses such blocks);
  //   * unencrypted blocks (PKCS#8, SEC1, PKCS#1) are encrypted (PBES2) with a passphrase from
  //     `passphrases` (create_new = true); an empty answer is kUsage.
  // Consecutive blocks for the same ID share one file. All-or-nothing: every block is checked
  // and every passphrase asked before the first file is written (notary writes as it goes).
  tuf::Result<std::vector<KeyFileInfo>> import_notary(std::string_view pem_text,
                                                      std::string_view role, std::string_view gun,
                                                      PassphraseProvider& passphrases) const;

 private:
  std::filesystem::path private_dir_;
};

// Writes `bytes` to `path` as the store writes key files: a 0600 temporary file in the same
// directory, synced and renamed over `path` (for `key export -o`). kIo on failure, and then
// `path` is untouched.
tuf::Status write_private_file(const std::filesystem::path& path, std::string_view bytes);

// The keys in `pem_text`, following `docker trust key load` (docker-trust-cli 1.5 steps 4-6)
// and notary's `key import`, without writing anything:
//   * every block must be one of PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY,
//     RSA PRIVATE KEY, ED25519 PRIVATE KEY (otherwise kUsage: not a supported private key);
//   * encrypted blocks are decrypted with `passphrases` (key_id "", role "encrypted") and
//     imported too (docker 28.2.2 silently imported nothing);
//   * role = the block's `role` header if any, else `role`; gun = the block's `gun` header,
//     else `gun`; a targets/snapshot/timestamp key without a GUN is kUsage, other roles drop it.
// The caller stores each key (KeyStore::store) with a passphrase it chooses.
tuf::Result<std::vector<ImportedKey>> import_pem(std::string_view pem_text, std::string_view role,
                                                 std::string_view gun,
                                                 PassphraseProvider& passphrases);

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_KEY_STORE_H_
