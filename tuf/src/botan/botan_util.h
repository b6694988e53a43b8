// Internal helpers shared by the Botan wrapper files (tuf/src/botan/ only; never installed).
//
// Conversions between our byte strings (std::string of raw bytes) and Botan's vectors, the
// process-wide system RNG, and the few ASN.1 constants the key formats need.
#ifndef DTRUST_TUF_SRC_BOTAN_BOTAN_UTIL_H_
#define DTRUST_TUF_SRC_BOTAN_BOTAN_UTIL_H_

#include <botan/asn1_oid.h>
#include <botan/pk_keys.h>
#include <botan/rng.h>
#include <botan/secmem.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/crypto.h"

namespace tuf::crypto {

// The private half of PrivateKey. Immutable once built, so a PrivateKey can be copied freely.
struct PrivateKey::Impl {
  KeyAlgorithm algorithm = KeyAlgorithm::kEcdsa;
  std::unique_ptr<Botan::Private_Key> key;
};

namespace botan_util {

// OIDs used by the key formats (spec 8.2, RFC 5480, RFC 8410, RFC 8018).
inline constexpr const char* kOidEcPublicKey = "1.2.840.10045.2.1";
inline constexpr const char* kOidRsaEncryption = "1.2.840.113549.1.1.1";
inline constexpr const char* kOidEd25519 = "1.3.101.112";
inline constexpr const char* kOidNotaryEd25519 = "1.3.6.1.4.1.11591.15.1";
inline constexpr const char* kOidPbes2 = "1.2.840.113549.1.5.13";
inline constexpr const char* kOidPbkdf2 = "1.2.840.113549.1.5.12";
inline constexpr const char* kOidHmacSha1 = "1.2.840.113549.2.7";
inline constexpr const char* kOidAes256Cbc = "2.16.840.1.101.3.4.1.42";

// The system RNG (thread-safe; reads the kernel's generator).
Botan::RandomNumberGenerator& system_rng();

inline std::vector<uint8_t> to_vector(std::string_view bytes) {
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}
inline Botan::secure_vector<uint8_t> to_secure(std::string_view bytes) {
  return Botan::secure_vector<uint8_t>(bytes.begin(), bytes.end());
}
template <class Container>
std::string to_string(const Container& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// True if `der` is exactly one DER/BER object (no trailing bytes) with the SEQUENCE tag.
// Never throws.
bool is_single_sequence(std::string_view der);

// The key's named curve, if it is one dtrust accepts for ECDSA (P-256, P-384, P-521).
bool is_supported_curve(const Botan::OID& curve);

// Decodes a PKCS#8 PrivateKeyInfo as PrivateKey::from_pkcs8 does (private_key_botan.cpp).
Result<std::shared_ptr<const PrivateKey::Impl>> load_pkcs8_impl(std::string_view der);

// The signature scheme name Botan's PK_Signer/PK_Verifier take for `scheme` (spec 5.3).
const char* botan_padding(SignatureScheme scheme);

}  // namespace botan_util
}  // namespace tuf::crypto

#endif  // DTRUST_TUF_SRC_BOTAN_BOTAN_UTIL_H_
