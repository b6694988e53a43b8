// PrivateKey: generation, the key formats notary reads and writes (spec 8.2, 8.3), signing.
//
// Botan 2's PKCS8::load_key rejects notary's version-1 PKCS#8 (botan2-notes item 2), so the
// PrivateKeyInfo and SEC1 structures are decoded here and the Botan key objects are built
// from their parts. Every loaded key is checked for consistency between its halves.
#include <botan/ber_dec.h>
#include <botan/der_enc.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>
#include <botan/x509_key.h>

#include <exception>
#include <optional>
#include <stdexcept>

#include "botan_util.h"
#include "tuf/crypto.h"

namespace tuf::crypto {
namespace {

using botan_util::system_rng;
using botan_util::to_secure;
using botan_util::to_string;
using ImplPtr = std::shared_ptr<const PrivateKey::Impl>;

Error malformed(std::string detail) {
  return make_error(ErrorKind::kMalformed, "", std::move(detail));
}

ImplPtr make_impl(KeyAlgorithm algorithm, std::unique_ptr<Botan::Private_Key> key) {
  auto impl = std::make_shared<PrivateKey::Impl>();
  impl->algorithm = algorithm;
  impl->key = std::move(key);
  return impl;
}

// SEC1 ECPrivateKey (RFC 5915): SEQUENCE { INTEGER 1, OCTET STRING d, [0] OID curve OPTIONAL,
// [1] BIT STRING public OPTIONAL }. `outer_curve` is the curve named by a PKCS#8
// AlgorithmIdentifier, if any; it must agree with [0] when both are present.
Result<ImplPtr> ecdsa_from_sec1(std::string_view der,
                                const std::optional<Botan::OID>& outer_curve) {
  size_t version = 0;
  Botan::secure_vector<uint8_t> scalar;
  Botan::OID inner_curve;
  Botan::secure_vector<uint8_t> public_bits;
  try {
    Botan::BER_Decoder(to_secure(der))
        .start_cons(Botan::SEQUENCE)
        .decode(version)
        .decode(scalar, Botan::OCTET_STRING)
        .decode_optional(inner_curve, Botan::ASN1_Tag(0), Botan::PRIVATE)
        .decode_optional_string(public_bits, Botan::BIT_STRING, 1, Botan::PRIVATE)
        .end_cons()
        .verify_end();
  } catch (const std::exception&) {
    return malformed("malformed EC private key");
  }
  if (version != 1) return malformed("unsupported EC private key version");

  Botan::OID curve = inner_curve;
  if (outer_curve.has_value()) {
    if (!inner_curve.empty() && inner_curve != *outer_curve) {
      return malformed("EC private key names two different curves");
    }
    curve = *outer_curve;
  }
  if (curve.empty()) return malformed("EC private key does not name its curve");
  if (!botan_util::is_supported_curve(curve)) {
    return malformed("unsupported elliptic curve " + curve.to_string());
  }
  try {
    const Botan::EC_Group group(curve);
    const Botan::BigInt d(scalar);
    // Botan generates a fresh key for d == 0, so the range check is not optional.
    if (d.is_zero() || d >= group.get_order()) return malformed("EC private key out of range");
    auto key = std::make_unique<Botan::ECDSA_PrivateKey>(system_rng(), group, d);
    if (!public_bits.empty() && group.OS2ECP(public_bits) != key->public_point()) {
      return malformed("EC public key does not match the private key");
    }
    return make_impl(KeyAlgorithm::kEcdsa, std::move(key));
  } catch (const std::exception&) {
    return malformed("malformed EC private key");
  }
}

// PKCS#1 RSAPrivateKey, checked for internal consistency (n = p*q, CRT values, primality).
Result<ImplPtr> rsa_from_pkcs1(std::string_view der) {
  if (!botan_util::is_single_sequence(der)) return malformed("malformed RSA private key");
  try {
    auto key =
        std::make_unique<Botan::RSA_PrivateKey>(Botan::AlgorithmIdentifier(), to_secure(der));
    if (!key->check_key(system_rng(), false)) return malformed("inconsistent RSA private key");
    return make_impl(KeyAlgorithm::kRsa, std::move(key));
  } catch (const std::exception&) {
    return malformed("malformed RSA private key");
  }
}

// An Ed25519 key from its 32-byte seed; `expected_public` (if not empty) must match.
Result<ImplPtr> ed25519_from_seed(std::string_view seed, std::string_view expected_public) {
  if (seed.size() != 32) return malformed("Ed25519 seed is not 32 bytes");
  try {
    auto key = std::make_unique<Botan::Ed25519_PrivateKey>(to_secure(seed));
    for (std::size_t offset = 0; offset < expected_public.size(); offset += 32) {
      if (to_string(key->get_public_key()) != expected_public.substr(offset, 32)) {
        return malformed("Ed25519 public key does not match the private key");
      }
    }
    return make_impl(KeyAlgorithm::kEd25519, std::move(key));
  } catch (const std::exception&) {
    return malformed("malformed Ed25519 private key");
  }
}

// Notary's Ed25519 layout: public(32) || seed(32) || public(32).
Result<ImplPtr> ed25519_from_notary_bytes(std::string_view bytes) {
  if (bytes.size() != 96) return malformed("notary Ed25519 private key is not 96 bytes");
  const std::string expected = std::string(bytes.substr(0, 32)) + std::string(bytes.substr(64, 32));
  return ed25519_from_seed(bytes.substr(32, 32), expected);
}

// The curve OID in an ecPublicKey AlgorithmIdentifier's parameters (absent = none).
// Explicit curve parameters are refused, as Go's crypto/x509 refuses them.
Result<std::optional<Botan::OID>> named_curve_parameter(const std::vector<uint8_t>& parameters) {
  if (parameters.empty()) return std::optional<Botan::OID>();
  try {
    Botan::OID curve;
    Botan::BER_Decoder(parameters).decode(curve).verify_end();
    return std::optional<Botan::OID>(curve);
  } catch (const std::exception&) {
    return malformed("EC private key does not use a named curve");
  }
}

Result<ImplPtr> load_pkcs8(std::string_view der) {
  // PrivateKeyInfo / OneAsymmetricKey (RFC 5958): SEQUENCE { INTEGER version (0 or 1),
  // AlgorithmIdentifier, OCTET STRING key, [0] attributes OPTIONAL, [1] public key OPTIONAL }.
  size_t version = 0;
  Botan::AlgorithmIdentifier algorithm;
  Botan::secure_vector<uint8_t> key_bytes;
  try {
    Botan::BER_Decoder(to_secure(der))
        .start_cons(Botan::SEQUENCE)
        .decode(version)
        .decode(algorithm)
        .decode(key_bytes, Botan::OCTET_STRING)
        .discard_remaining()
        .end_cons()
        .verify_end();
  } catch (const std::exception&) {
    return malformed("malformed PKCS#8 private key");
  }
  // Notary writes version 1 for ECDSA (spec 8.2); Go ignores the version.
  if (version > 1) return malformed("unsupported PKCS#8 version");

  const std::string oid = algorithm.get_oid().to_string();
  const std::vector<uint8_t>& parameters = algorithm.get_parameters();
  const std::string_view key(reinterpret_cast<const char*>(key_bytes.data()), key_bytes.size());
  if (oid == botan_util::kOidEcPublicKey) {
    DTRUST_ASSIGN_OR_RETURN(std::optional<Botan::OID> curve, named_curve_parameter(parameters));
    return ecdsa_from_sec1(key, curve);
  }
  if (oid == botan_util::kOidRsaEncryption) {
    const bool null_or_absent = parameters.empty() || (parameters.size() == 2 &&
                                                       parameters[0] == 0x05 && parameters[1] == 0);
    if (!null_or_absent) return malformed("unexpected RSA key parameters");
    return rsa_from_pkcs1(key);
  }
  // Notary's OID is checked first (spec 8.2); its key is the 96 raw bytes.
  if (oid == botan_util::kOidNotaryEd25519) return ed25519_from_notary_bytes(key);
  if (oid == botan_util::kOidEd25519) {
    if (!parameters.empty()) return malformed("unexpected Ed25519 key parameters");
    // RFC 8410: the key is an OCTET STRING holding the 32-byte seed.
    Botan::secure_vector<uint8_t> seed;
    try {
      Botan::BER_Decoder(key_bytes).decode(seed, Botan::OCTET_STRING).verify_end();
    } catch (const std::exception&) {
      return malformed("malformed Ed25519 private key");
    }
    return ed25519_from_seed(to_string(seed), "");
  }
  return malformed("unsupported private key algorithm " + oid);
}

const Botan::Private_Key& botan_key(const std::shared_ptr<const PrivateKey::Impl>& impl) {
  return *impl->key;
}

// The concrete key class; Impl::algorithm always names the class its key was built as.
template <class BotanKey>
const BotanKey& botan_key_as(const std::shared_ptr<const PrivateKey::Impl>& impl) {
  return dynamic_cast<const BotanKey&>(*impl->key);
}

[[noreturn]] void internal_failure(const char* what, const std::exception& e) {
  // Reached only if Botan fails on a key it built itself: a broken invariant, not bad input.
  throw std::runtime_error(std::string("dtrust crypto: ") + what + ": " + e.what());
}

}  // namespace

namespace botan_util {
Result<std::shared_ptr<const PrivateKey::Impl>> load_pkcs8_impl(std::string_view der) {
  return load_pkcs8(der);
}
}  // namespace botan_util

PrivateKey PrivateKey::generate_ecdsa_p256() {
  try {
    return PrivateKey(make_impl(
        KeyAlgorithm::kEcdsa,
        std::make_unique<Botan::ECDSA_PrivateKey>(system_rng(), Botan::EC_Group("secp256r1"))));
  } catch (const std::exception& e) {
    internal_failure("ECDSA key generation", e);
  }
}

PrivateKey PrivateKey::generate_ed25519() {
  try {
    return PrivateKey(make_impl(KeyAlgorithm::kEd25519,
                                std::make_unique<Botan::Ed25519_PrivateKey>(system_rng())));
  } catch (const std::exception& e) {
    internal_failure("Ed25519 key generation", e);
  }
}

Result<PrivateKey> PrivateKey::from_pkcs8(std::string_view der) {
  DTRUST_ASSIGN_OR_RETURN(ImplPtr impl, load_pkcs8(der));
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::from_sec1(std::string_view der) {
  DTRUST_ASSIGN_OR_RETURN(ImplPtr impl, ecdsa_from_sec1(der, std::nullopt));
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::from_pkcs1(std::string_view der) {
  DTRUST_ASSIGN_OR_RETURN(ImplPtr impl, rsa_from_pkcs1(der));
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::from_raw_ed25519(std::string_view bytes) {
  DTRUST_ASSIGN_OR_RETURN(ImplPtr impl, ed25519_from_notary_bytes(bytes));
  return PrivateKey(std::move(impl));
}

KeyAlgorithm PrivateKey::algorithm() const { return impl_->algorithm; }

std::string PrivateKey::public_key() const {
  if (impl_->algorithm == KeyAlgorithm::kEd25519) {
    return to_string(botan_key_as<Botan::Ed25519_PrivateKey>(impl_).get_public_key());
  }
  return public_spki_der();
}

std::string PrivateKey::public_spki_der() const {
  try {
    return to_string(Botan::X509::BER_encode(botan_key(impl_)));
  } catch (const std::exception& e) {
    internal_failure("public key encoding", e);
  }
}

SignatureScheme PrivateKey::scheme() const {
  switch (impl_->algorithm) {
    case KeyAlgorithm::kEcdsa:
      return SignatureScheme::kEcdsaSha256Raw;
    case KeyAlgorithm::kRsa:
      return SignatureScheme::kRsaPssSha256;
    case KeyAlgorithm::kEd25519:
      return SignatureScheme::kEd25519;
  }
  return SignatureScheme::kEcdsaSha256Raw;
}

std::string PrivateKey::sign(std::string_view message) const {
  try {
    // Spec 5.3: IEEE 1363 gives ECDSA's raw r||s, each half padded to the order size.
    Botan::PK_Signer signer(botan_key(impl_), system_rng(), botan_util::botan_padding(scheme()),
                            Botan::IEEE_1363);
    return to_string(signer.sign_message(reinterpret_cast<const uint8_t*>(message.data()),
                                         message.size(), system_rng()));
  } catch (const std::exception& e) {
    internal_failure("signing", e);
  }
}

// Spec 8.2: the PrivateKeyInfo exactly as notary's ConvertPrivateKeyToPKCS8 writes it. The
// AlgorithmIdentifier is a SEQUENCE of OIDs (no NULL for RSA).
std::string PrivateKey::to_pkcs8() const {
  try {
    Botan::DER_Encoder out;
    out.start_cons(Botan::SEQUENCE);
    switch (impl_->algorithm) {
      case KeyAlgorithm::kEcdsa: {
        const auto& key = botan_key_as<Botan::ECDSA_PrivateKey>(impl_);
        const Botan::EC_Group& group = key.domain();
        // SEC1 as Go's MarshalECPrivateKey: d padded to the order size, [0] curve, [1] point.
        const Botan::secure_vector<uint8_t> sec1 =
            Botan::DER_Encoder()
                .start_cons(Botan::SEQUENCE)
                .encode(size_t{1})
                .encode(Botan::BigInt::encode_1363(key.private_value(), group.get_order_bytes()),
                        Botan::OCTET_STRING)
                .start_explicit(0)
                .encode(group.get_curve_oid())
                .end_explicit()
                .start_explicit(1)
                .encode(key.public_point().encode(Botan::PointGFp::UNCOMPRESSED), Botan::BIT_STRING)
                .end_explicit()
                .end_cons()
                .get_contents();
        out.encode(size_t{1})
            .start_cons(Botan::SEQUENCE)
            .encode(Botan::OID(botan_util::kOidEcPublicKey))
            .encode(group.get_curve_oid())
            .end_cons()
            .encode(sec1, Botan::OCTET_STRING);
        break;
      }
      case KeyAlgorithm::kRsa:
        out.encode(size_t{0})
            .start_cons(Botan::SEQUENCE)
            .encode(Botan::OID(botan_util::kOidRsaEncryption))
            .end_cons()
            .encode(botan_key(impl_).private_key_bits(), Botan::OCTET_STRING);
        break;
      case KeyAlgorithm::kEd25519: {
        const auto& key = botan_key_as<Botan::Ed25519_PrivateKey>(impl_);
        // Botan holds seed || public; notary writes public || seed || public.
        const Botan::secure_vector<uint8_t>& seed_public = key.get_private_key();
        Botan::secure_vector<uint8_t> notary_bytes(seed_public.begin() + 32, seed_public.end());
        notary_bytes.insert(notary_bytes.end(), seed_public.begin(), seed_public.end());
        out.encode(size_t{0})
            .start_cons(Botan::SEQUENCE)
            .encode(Botan::OID(botan_util::kOidNotaryEd25519))
            .end_cons()
            .encode(notary_bytes, Botan::OCTET_STRING);
        break;
      }
    }
    out.end_cons();
    return to_string(out.get_contents());
  } catch (const std::exception& e) {
    internal_failure("private key encoding", e);
  }
}

}  // namespace tuf::crypto
