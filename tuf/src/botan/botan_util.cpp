#include "botan_util.h"

#include <botan/ber_dec.h>
#include <botan/system_rng.h>

#include <exception>

namespace tuf::crypto::botan_util {

Botan::RandomNumberGenerator& system_rng() { return Botan::system_rng(); }

bool is_single_sequence(std::string_view der) {
  try {
    const std::vector<uint8_t> bytes = to_vector(der);
    Botan::BER_Decoder decoder(bytes);
    const Botan::BER_Object object = decoder.get_next_object();
    if (!object.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED)) return false;
    return !decoder.more_items();
  } catch (const std::exception&) {
    return false;
  }
}

bool is_supported_curve(const Botan::OID& curve) {
  // secp256r1, secp384r1, secp521r1: the curves Go's crypto/x509 parses for notary.
  static const Botan::OID kP256 = Botan::OID("1.2.840.10045.3.1.7");
  static const Botan::OID kP384 = Botan::OID("1.3.132.0.34");
  static const Botan::OID kP521 = Botan::OID("1.3.132.0.35");
  return curve == kP256 || curve == kP384 || curve == kP521;
}

const char* botan_padding(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEcdsaSha256Raw:
      // Notary v1: SHA-256 for every curve; with IEEE 1363 format, r||s each padded.
      return "EMSA1(SHA-256)";
    case SignatureScheme::kRsaPssSha256:
      // An explicit salt size makes Botan require exactly that salt on verification.
      return "EMSA4(SHA-256,MGF1,32)";
    case SignatureScheme::kRsaPkcs1v15Sha256:
      return "EMSA3(SHA-256)";
    case SignatureScheme::kEd25519:
      return "Pure";
  }
  return "";
}

}  // namespace tuf::crypto::botan_util
