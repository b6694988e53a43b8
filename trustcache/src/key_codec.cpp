#include "key_codec.h"

#include <filesystem>

#include "trustcache/key_store.h"

namespace trustcache::key_codec {
namespace {

using tuf::ErrorKind;
using tuf::crypto::PrivateKey;

tuf::Error did_not_decrypt(std::string_view type) {
  return tuf::make_error(ErrorKind::kBadPassphrase, "",
                         "the passphrase does not decrypt the " + std::string(type) + " block");
}

// The inner DER of a legacy (OpenSSL "traditional") block, decrypted if it says so.
tuf::Result<std::string> legacy_der(const PemBlock& block, std::string_view passphrase) {
  if (!is_encrypted(block)) return block.bytes;
  const std::string dek_info = block.header("DEK-Info");
  if (dek_info.empty()) {
    return tuf::make_error(ErrorKind::kMalformed, "",
                           block.type + " block is encrypted but has no DEK-Info header");
  }
  return tuf::crypto::legacy_pem_decrypt(block.bytes, dek_info, passphrase);
}

tuf::Result<PrivateKey> parse_legacy(const PemBlock& block, std::string_view der) {
  if (block.type == "EC PRIVATE KEY") return PrivateKey::from_sec1(der);
  if (block.type == "RSA PRIVATE KEY") return PrivateKey::from_pkcs1(der);
  return PrivateKey::from_raw_ed25519(der);
}

}  // namespace

bool is_private_key_type(std::string_view type) {
  return type == "PRIVATE KEY" || type == kEncryptedPkcs8 || type == "EC PRIVATE KEY" ||
         type == "RSA PRIVATE KEY" || type == "ED25519 PRIVATE KEY";
}

bool is_encrypted(const PemBlock& block) {
  return block.type == kEncryptedPkcs8 || block.header("Proc-Type") == "4,ENCRYPTED";
}

tuf::Result<PrivateKey> decode(const PemBlock& block, std::string_view passphrase) {
  if (!is_private_key_type(block.type)) {
    return tuf::make_error(ErrorKind::kMalformed, "",
                           "pem block " + block.type + " is not a private key");
  }
  if (block.type == "PRIVATE KEY") return PrivateKey::from_pkcs8(block.bytes);
  if (block.type == kEncryptedPkcs8) {
    DTRUST_ASSIGN_OR_RETURN(std::string der, tuf::crypto::pbes2_decrypt(block.bytes, passphrase));
    auto key = PrivateKey::from_pkcs8(der);
    if (!key.ok()) return did_not_decrypt(block.type);  // padding matched by chance
    return key;
  }
  DTRUST_ASSIGN_OR_RETURN(std::string der, legacy_der(block, passphrase));
  auto key = parse_legacy(block, der);
  if (!key.ok() && is_encrypted(block)) return did_not_decrypt(block.type);
  return key;
}

tuf::Result<Decoded> decode_asking_keeping_passphrase(const PemBlock& block,
                                                      PassphraseProvider& passphrases,
                                                      std::string_view key_id,
                                                      std::string_view role) {
  if (!is_encrypted(block)) {
    DTRUST_ASSIGN_OR_RETURN(PrivateKey key, decode(block, ""));
    return Decoded{std::move(key), ""};
  }
  for (int attempt = 0; attempt < kMaxPassphraseAttempts; ++attempt) {
    DTRUST_ASSIGN_OR_RETURN(std::string passphrase,
                            passphrases.get(key_id, role, /*create_new=*/false, attempt));
    auto key = decode(block, passphrase);
    if (key.ok()) return Decoded{std::move(key).value(), std::move(passphrase)};
    if (key.error().kind != ErrorKind::kBadPassphrase) return key.error();
  }
  std::string detail = "key";
  if (!key_id.empty()) detail += " " + std::string(key_id.substr(0, 7));
  detail +=
      " did not decrypt after " + std::to_string(kMaxPassphraseAttempts) + " passphrase attempts";
  return tuf::Error{ErrorKind::kBadPassphrase, "", std::string(role), std::move(detail)};
}

tuf::Result<PrivateKey> decode_asking(const PemBlock& block, PassphraseProvider& passphrases,
                                      std::string_view key_id, std::string_view role) {
  DTRUST_ASSIGN_OR_RETURN(Decoded decoded,
                          decode_asking_keeping_passphrase(block, passphrases, key_id, role));
  return std::move(decoded.key);
}

bool notary_readable(const PemBlock& block) {
  if (block.type != kEncryptedPkcs8) return true;
  auto scheme = tuf::crypto::key_encryption_of(block.bytes);
  return scheme.ok() && scheme->notary_readable;
}

PemBlock encrypted_block(const PrivateKey& key, std::string_view role, std::string_view gun,
                         std::string_view passphrase) {
  PemBlock block;
  block.type = std::string(kEncryptedPkcs8);
  block.headers["role"] = std::string(role);
  if (!gun.empty()) block.headers["gun"] = std::string(gun);
  block.bytes = tuf::crypto::pbes2_encrypt(key.to_pkcs8(), passphrase);
  return block;
}

bool is_safe_id(std::string_view id) {
  if (id.empty() || id.front() == '/' || id.find('\0') != std::string_view::npos) return false;
  for (const auto& part : std::filesystem::path(std::string(id))) {
    if (part == "." || part == ".." || part.empty()) return false;
  }
  return true;
}

}  // namespace trustcache::key_codec
