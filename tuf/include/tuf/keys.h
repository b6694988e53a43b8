// TUF public keys in Notary's dialect and their two identities (spec 5.1, 5.2).
#ifndef DTRUST_TUF_KEYS_H_
#define DTRUST_TUF_KEYS_H_

#include <string>
#include <string_view>

#include "tuf/crypto.h"
#include "tuf/result.h"

namespace tuf {

enum class KeyType { kEcdsa, kEcdsaX509, kRsa, kRsaX509, kEd25519 };

// "ecdsa", "ecdsa-x509", "rsa", "rsa-x509", "ed25519".
std::string_view key_type_name(KeyType type);
// Exact wire names only; anything else is kMalformed.
Result<KeyType> parse_key_type(std::string_view name);
bool is_x509(KeyType type);

// A key as it appears in metadata: {"keytype":T,"keyval":{"private":null,"public":B64(bytes)}}.
struct PublicKey {
  KeyType type = KeyType::kEcdsa;
  // Decoded keyval.public: DER SPKI (ecdsa, rsa), PEM certificate text (…-x509), or the raw
  // 32-byte key (ed25519).
  std::string public_bytes;

  friend bool operator==(const PublicKey&, const PublicKey&) = default;

  // Canonical JSON of the key object with "private":null (what key IDs hash).
  std::string canonical_json() const;
  // TUF key ID: lower-case hex SHA-256 of canonical_json() (spec 5.1).
  std::string id() const;
};

// The key a signature is checked with: algorithm plus SPKI DER (raw bytes for Ed25519).
struct VerificationKey {
  crypto::KeyAlgorithm algorithm = crypto::KeyAlgorithm::kEcdsa;
  std::string material;
};

// Resolves a metadata key to the key that verifies: the key itself, or the leaf certificate's
// key for x509 types (the first certificate of the bundle). The key type must agree with the
// algorithm found (an "ecdsa" keytype holding an RSA key is kMalformed: key-type confusion).
Result<VerificationKey> verification_key(const PublicKey& key);

// Canonical key ID (spec 5.2): for x509 types, the TUF ID of the bare certified key as
// {"keytype":"ecdsa"|"rsa", public: SPKI}; for other types the TUF ID itself. This is what
// private key files are named by and what Docker Official Images publish as root key IDs.
Result<std::string> canonical_key_id(const PublicKey& key);

// The public key of a private key, as TUF metadata lists it (ecdsa / rsa / ed25519).
PublicKey public_key_of(const crypto::PrivateKey& key);

// Notary signature method names for a key algorithm: "ecdsa", "rsapss", "eddsa".
std::string_view signing_method(crypto::KeyAlgorithm algorithm);

// Maps a wire `method` (lower-cased) to the scheme to check for a key of `type`. The verifier
// is chosen by the trusted key's type; a method that does not belong to it is kBadSignature.
Result<crypto::SignatureScheme> scheme_for(KeyType type, std::string_view method);

}  // namespace tuf

#endif  // DTRUST_TUF_KEYS_H_
