// Turning one PEM block into a private key (internal): the block types notary and docker
// write, plain or encrypted (notary spec 8.2, 8.3).
#ifndef DTRUST_TRUSTCACHE_KEY_CODEC_H_
#define DTRUST_TRUSTCACHE_KEY_CODEC_H_

#include <string>
#include <string_view>

#include "trustcache/passphrase.h"
#include "trustcache/pem.h"
#include "tuf/crypto.h"
#include "tuf/result.h"

namespace trustcache::key_codec {

inline constexpr std::string_view kEncryptedPkcs8 = "ENCRYPTED PRIVATE KEY";

// PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC/RSA/ED25519 PRIVATE KEY.
bool is_private_key_type(std::string_view type);

// ENCRYPTED PRIVATE KEY, or a legacy block with `Proc-Type: 4,ENCRYPTED`.
bool is_encrypted(const PemBlock& block);

// The key in `block`, decrypted with `passphrase` when the block is encrypted. A passphrase
// that does not decrypt (bad padding or garbage plaintext) is kBadPassphrase; an unusable
// structure is kMalformed.
tuf::Result<tuf::crypto::PrivateKey> decode(const PemBlock& block, std::string_view passphrase);

// decode(), asking `passphrases` (create_new = false) up to kMaxPassphraseAttempts times when
// the block is encrypted.
tuf::Result<tuf::crypto::PrivateKey> decode_asking(const PemBlock& block,
                                                   PassphraseProvider& passphrases,
                                                   std::string_view key_id, std::string_view role);

// decode_asking(), also handing back the passphrase that decrypted the block ("" when the
// block is not encrypted), so the key can be re-encrypted under the same passphrase.
struct Decoded {
  tuf::crypto::PrivateKey key;
  std::string passphrase;
};
tuf::Result<Decoded> decode_asking_keeping_passphrase(const PemBlock& block,
                                                      PassphraseProvider& passphrases,
                                                      std::string_view key_id,
                                                      std::string_view role);

// False for an ENCRYPTED PRIVATE KEY block in a scheme notary and docker cannot decrypt (such
// as OpenSSL 3's default PBKDF2-HMAC-SHA256), which has to be re-encrypted before it is
// stored; true for every other block (notary's PBES2 scheme, legacy and plain blocks).
bool notary_readable(const PemBlock& block);

// An ENCRYPTED PRIVATE KEY block (PBES2) for `key` with a `role` header and, when `gun` is not
// empty, a `gun` header (notary spec 8.2). REQUIRES: a non-empty passphrase.
PemBlock encrypted_block(const tuf::crypto::PrivateKey& key, std::string_view role,
                         std::string_view gun, std::string_view passphrase);

// A key ID usable as a file name below private/: a relative path without "." or ".." parts
// (spec 8.1 allows subdirectories).
bool is_safe_id(std::string_view id);

}  // namespace trustcache::key_codec

#endif  // DTRUST_TRUSTCACHE_KEY_CODEC_H_
