// Public keys: SubjectPublicKeyInfo parsing and signature verification (spec 3.3, 5.3).
#include <botan/ber_dec.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/oids.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <exception>

#include "botan_util.h"
#include "tuf/crypto.h"

namespace tuf::crypto {
namespace {

// Notary v1 (Go client): RSA keys under 2048 bits are refused for verification.
constexpr std::size_t kMinRsaBits = 2048;

struct LoadedKey {
  std::unique_ptr<Botan::Public_Key> key;
  SpkiInfo info;
};

Error malformed(std::string detail) {
  return make_error(ErrorKind::kMalformed, "", std::move(detail));
}

// The key object for an SPKI's algorithm, or nullptr for an algorithm dtrust does not verify.
// Dispatches on the dotted OID itself, as Go's x509.ParsePKIXPublicKey does: Botan's
// X509::load_key would first build Botan's table of every OID name, which costs a warm
// `lookup` 0.15 ms of its 5.
std::unique_ptr<Botan::Public_Key> key_for_algorithm(const Botan::AlgorithmIdentifier& algorithm,
                                                     const std::vector<uint8_t>& key_bits) {
  const std::string oid = algorithm.get_oid().to_string();
  if (oid == botan_util::kOidEcPublicKey) {
    return std::make_unique<Botan::ECDSA_PublicKey>(algorithm, key_bits);
  }
  if (oid == botan_util::kOidRsaEncryption) {
    return std::make_unique<Botan::RSA_PublicKey>(algorithm, key_bits);
  }
  if (oid == botan_util::kOidEd25519) {
    return std::make_unique<Botan::Ed25519_PublicKey>(algorithm, key_bits);
  }
  return nullptr;
}

// An algorithm dtrust does not verify, named for the error message (Botan's name when it has
// one, else the dotted OID). Only error paths pay for Botan's OID name table.
std::string algorithm_name(const Botan::OID& oid) {
  const std::string name = Botan::OIDS::oid2str_or_empty(oid);
  return name.empty() ? "OID " + oid.to_string() : name;
}

// Decodes a DER SPKI and classifies it. Trailing bytes, explicit curve parameters, curves
// other than P-256/P-384/P-521 and algorithms other than id-ecPublicKey, rsaEncryption and
// Ed25519 are refused, as Go's x509.ParsePKIXPublicKey refuses them.
Result<LoadedKey> load_spki(std::string_view der) {
  if (!botan_util::is_single_sequence(der)) return malformed("malformed public key");
  LoadedKey loaded;
  try {
    // RFC 5280 4.1: SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
    // subjectPublicKey BIT STRING }
    Botan::AlgorithmIdentifier algorithm;
    std::vector<uint8_t> key_bits;
    Botan::BER_Decoder(botan_util::to_vector(der))
        .start_cons(Botan::SEQUENCE)
        .decode(algorithm)
        .decode(key_bits, Botan::BIT_STRING)
        .end_cons()
        .verify_end();
    if (key_bits.empty()) return malformed("malformed public key");
    loaded.key = key_for_algorithm(algorithm, key_bits);
    if (loaded.key == nullptr) {
      return malformed("unsupported public key algorithm " + algorithm_name(algorithm.get_oid()));
    }
  } catch (const std::exception&) {
    return malformed("malformed public key");
  }
  const std::string name = loaded.key->algo_name();
  if (name == "ECDSA") {
    const auto* ec = dynamic_cast<const Botan::ECDSA_PublicKey*>(loaded.key.get());
    if (ec == nullptr || !botan_util::is_supported_curve(ec->domain().get_curve_oid())) {
      return malformed("unsupported elliptic curve");
    }
    loaded.info = SpkiInfo{KeyAlgorithm::kEcdsa, ec->domain().get_p_bits()};
  } else if (name == "RSA") {
    loaded.info = SpkiInfo{KeyAlgorithm::kRsa, loaded.key->key_length()};
  } else {
    loaded.info = SpkiInfo{KeyAlgorithm::kEd25519, 256};
  }
  return loaded;
}

bool scheme_fits(KeyAlgorithm algorithm, SignatureScheme scheme) {
  switch (algorithm) {
    case KeyAlgorithm::kEcdsa:
      return scheme == SignatureScheme::kEcdsaSha256Raw;
    case KeyAlgorithm::kRsa:
      return scheme == SignatureScheme::kRsaPssSha256 ||
             scheme == SignatureScheme::kRsaPkcs1v15Sha256;
    case KeyAlgorithm::kEd25519:
      return scheme == SignatureScheme::kEd25519;
  }
  return false;
}

// The key as a Botan object plus the exact signature length the scheme allows, or nullptr.
std::unique_ptr<Botan::Public_Key> verification_key(KeyAlgorithm algorithm, std::string_view key,
                                                    std::size_t* signature_size) {
  if (algorithm == KeyAlgorithm::kEd25519) {
    if (key.size() != 32) return nullptr;
    *signature_size = 64;
    return std::make_unique<Botan::Ed25519_PublicKey>(reinterpret_cast<const uint8_t*>(key.data()),
                                                      key.size());
  }
  Result<LoadedKey> loaded = load_spki(key);
  if (!loaded.ok() || loaded->info.algorithm != algorithm) return nullptr;
  if (algorithm == KeyAlgorithm::kEcdsa) {
    // Spec 5.3: raw r||s, each padded to the order size; a DER signature has another length.
    const auto& ec = dynamic_cast<const Botan::EC_PublicKey&>(*loaded->key);
    *signature_size = 2 * ec.domain().get_order_bytes();
  } else {
    if (loaded->info.key_bits < kMinRsaBits) return nullptr;
    // Go's rsa.VerifyPSS/VerifyPKCS1v15 want a modulus-sized signature.
    *signature_size = (loaded->info.key_bits + 7) / 8;
  }
  return std::move(loaded->key);
}

}  // namespace

Result<SpkiInfo> parse_spki(std::string_view spki_der) {
  DTRUST_ASSIGN_OR_RETURN(LoadedKey loaded, load_spki(spki_der));
  return loaded.info;
}

bool verify(KeyAlgorithm algorithm, std::string_view key, SignatureScheme scheme,
            std::string_view message, std::string_view signature) {
  if (!scheme_fits(algorithm, scheme)) return false;
  try {
    std::size_t signature_size = 0;
    const std::unique_ptr<Botan::Public_Key> public_key =
        verification_key(algorithm, key, &signature_size);
    if (public_key == nullptr || signature.size() != signature_size) return false;
    // RSA-PSS "EMSA4(SHA-256,MGF1,32)": Botan requires the salt to be exactly 32 bytes.
    Botan::PK_Verifier verifier(*public_key, botan_util::botan_padding(scheme), Botan::IEEE_1363);
    return verifier.verify_message(reinterpret_cast<const uint8_t*>(message.data()), message.size(),
                                   reinterpret_cast<const uint8_t*>(signature.data()),
                                   signature.size());
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace tuf::crypto
