#include "tuf/keys.h"

#include <algorithm>
#include <cctype>

#include "json_strict.h"

namespace tuf {
namespace {

std::string key_json(std::string_view type_name, std::string_view public_bytes) {
  std::string out = "{\"keytype\":";
  internal::append_canonical_string(type_name, &out);
  out += ",\"keyval\":{\"private\":null,\"public\":";
  internal::append_canonical_string(crypto::base64_encode(public_bytes), &out);
  out += "}}";
  return out;
}

crypto::KeyAlgorithm algorithm_of(KeyType type) {
  switch (type) {
    case KeyType::kEcdsa:
    case KeyType::kEcdsaX509:
      return crypto::KeyAlgorithm::kEcdsa;
    case KeyType::kRsa:
    case KeyType::kRsaX509:
      return crypto::KeyAlgorithm::kRsa;
    case KeyType::kEd25519:
      return crypto::KeyAlgorithm::kEd25519;
  }
  return crypto::KeyAlgorithm::kEcdsa;
}

}  // namespace

std::string_view key_type_name(KeyType type) {
  switch (type) {
    case KeyType::kEcdsa:
      return "ecdsa";
    case KeyType::kEcdsaX509:
      return "ecdsa-x509";
    case KeyType::kRsa:
      return "rsa";
    case KeyType::kRsaX509:
      return "rsa-x509";
    case KeyType::kEd25519:
      return "ed25519";
  }
  return "unknown";
}

Result<KeyType> parse_key_type(std::string_view name) {
  for (KeyType t : {KeyType::kEcdsa, KeyType::kEcdsaX509, KeyType::kRsa, KeyType::kRsaX509,
                    KeyType::kEd25519}) {
    if (key_type_name(t) == name) return t;
  }
  return make_error(ErrorKind::kMalformed, "",
                    "unknown key type \"" + std::string(name.substr(0, 32)) + "\"");
}

bool is_x509(KeyType type) { return type == KeyType::kEcdsaX509 || type == KeyType::kRsaX509; }

std::string PublicKey::canonical_json() const {
  return key_json(key_type_name(type), public_bytes);
}

std::string PublicKey::id() const { return crypto::to_hex(crypto::sha256(canonical_json())); }

Result<VerificationKey> verification_key(const PublicKey& key) {
  const crypto::KeyAlgorithm expected = algorithm_of(key.type);
  VerificationKey out{expected, {}};
  if (key.type == KeyType::kEd25519) {
    if (key.public_bytes.size() != 32) {
      return make_error(ErrorKind::kMalformed, "", "ed25519 key is not 32 bytes");
    }
    out.material = key.public_bytes;
    return out;
  }
  if (is_x509(key.type)) {
    DTRUST_ASSIGN_OR_RETURN(auto certs, crypto::parse_certificate_pem(key.public_bytes));
    out.material = certs.front().spki_der;
  } else {
    out.material = key.public_bytes;
  }
  DTRUST_ASSIGN_OR_RETURN(crypto::SpkiInfo info, crypto::parse_spki(out.material));
  if (info.algorithm != expected) {
    return make_error(
        ErrorKind::kMalformed, "",
        "key type " + std::string(key_type_name(key.type)) + " does not match the key it holds");
  }
  return out;
}

Result<std::string> canonical_key_id(const PublicKey& key) {
  if (!is_x509(key.type)) return key.id();
  DTRUST_ASSIGN_OR_RETURN(VerificationKey vk, verification_key(key));
  const std::string_view bare = key.type == KeyType::kEcdsaX509 ? "ecdsa" : "rsa";
  return crypto::to_hex(crypto::sha256(key_json(bare, vk.material)));
}

PublicKey public_key_of(const crypto::PrivateKey& key) {
  switch (key.algorithm()) {
    case crypto::KeyAlgorithm::kEcdsa:
      return PublicKey{KeyType::kEcdsa, key.public_key()};
    case crypto::KeyAlgorithm::kRsa:
      return PublicKey{KeyType::kRsa, key.public_key()};
    case crypto::KeyAlgorithm::kEd25519:
      return PublicKey{KeyType::kEd25519, key.public_key()};
  }
  return PublicKey{};
}

std::string_view signing_method(crypto::KeyAlgorithm algorithm) {
  switch (algorithm) {
    case crypto::KeyAlgorithm::kEcdsa:
      return "ecdsa";
    case crypto::KeyAlgorithm::kRsa:
      return "rsapss";
    case crypto::KeyAlgorithm::kEd25519:
      return "eddsa";
  }
  return "";
}

Result<crypto::SignatureScheme> scheme_for(KeyType type, std::string_view method) {
  std::string m(method);
  std::transform(m.begin(), m.end(), m.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const crypto::KeyAlgorithm alg = algorithm_of(type);
  if (alg == crypto::KeyAlgorithm::kEcdsa && m == "ecdsa") {
    return crypto::SignatureScheme::kEcdsaSha256Raw;
  }
  if (alg == crypto::KeyAlgorithm::kRsa) {
    // "pycrypto-pkcs#1 pss" is notary's legacy name for the same PSS parameters.
    if (m == "rsapss" || m == "pycrypto-pkcs#1 pss") return crypto::SignatureScheme::kRsaPssSha256;
    if (m == "rsapkcs1v15") return crypto::SignatureScheme::kRsaPkcs1v15Sha256;
  }
  if (alg == crypto::KeyAlgorithm::kEd25519 && (m == "eddsa" || m == "ed25519")) {
    return crypto::SignatureScheme::kEd25519;
  }
  return make_error(ErrorKind::kBadSignature, "",
                    "signature method \"" + m.substr(0, 32) + "\" does not fit a " +
                        std::string(key_type_name(type)) + " key");
}

}  // namespace tuf
