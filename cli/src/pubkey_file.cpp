#include "pubkey_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include "tuf/crypto.h"

namespace cli {
namespace {

tuf::Error bad(const std::string& why) { return tuf::Error{tuf::ErrorKind::kUsage, "", "", why}; }

struct PemBlock {
  std::string label;
  std::string body;  // between the BEGIN and END lines
};

std::optional<PemBlock> first_block(std::string_view text) {
  const auto begin = text.find("-----BEGIN ");
  if (begin == std::string_view::npos) return std::nullopt;
  const auto label_end = text.find("-----", begin + 11);
  if (label_end == std::string_view::npos) return std::nullopt;
  PemBlock block{std::string(text.substr(begin + 11, label_end - begin - 11)), ""};
  const auto end = text.find("-----END " + block.label + "-----", label_end);
  if (end == std::string_view::npos) return std::nullopt;
  block.body = std::string(text.substr(label_end + 5, end - label_end - 5));
  return block;
}

// The base64 of a block body without its headers (`role: alice`) and line breaks.
tuf::Result<std::string> block_der(const PemBlock& block) {
  std::istringstream lines(block.body);
  std::string line, b64;
  while (std::getline(lines, line)) {
    if (line.find(':') != std::string::npos) continue;
    for (char c : line) {
      if (c != '\r' && c != ' ' && c != '\t') b64 += c;
    }
  }
  auto der = tuf::crypto::base64_decode(b64);
  if (!der.ok()) return bad("no valid public key found");
  return *der;
}

tuf::Result<tuf::PublicKey> spki_key(const std::string& der) {
  auto info = tuf::crypto::parse_spki(der);
  if (!info.ok()) return bad("unable to parse pem encoded public key: " + info.error().detail);
  tuf::PublicKey key;
  switch (info->algorithm) {
    case tuf::crypto::KeyAlgorithm::kEcdsa:
      key.type = tuf::KeyType::kEcdsa;
      break;
    case tuf::crypto::KeyAlgorithm::kRsa:
      key.type = tuf::KeyType::kRsa;
      break;
    case tuf::crypto::KeyAlgorithm::kEd25519:
      return bad("unsupported public key type ed25519, expected ECDSA or RSA");
  }
  key.public_bytes = der;
  return key;
}

tuf::Result<tuf::PublicKey> certificate_key(const std::string& der, tuf::Time now) {
  const std::string pem = tuf::crypto::pem_encode("CERTIFICATE", der);
  auto certs = tuf::crypto::parse_certificate_pem(pem);
  if (!certs.ok() || certs->empty()) return bad("unable to parse certificate");
  const tuf::crypto::CertificateInfo& cert = certs->front();
  if (cert.sha1_signature) return bad("certificate is signed with SHA-1");
  if (cert.key.algorithm == tuf::crypto::KeyAlgorithm::kRsa && cert.key.key_bits < 2048)
    return bad("RSA bit length is too short");
  if (now < cert.not_before)
    return bad("certificate with CN " + cert.common_name + " is not valid yet");
  if (cert.not_after < now) return bad("certificate with CN " + cert.common_name + " is expired");
  tuf::PublicKey key;
  switch (cert.key.algorithm) {
    case tuf::crypto::KeyAlgorithm::kEcdsa:
      key.type = tuf::KeyType::kEcdsaX509;
      break;
    case tuf::crypto::KeyAlgorithm::kRsa:
      key.type = tuf::KeyType::kRsaX509;
      break;
    case tuf::crypto::KeyAlgorithm::kEd25519:
      return bad("unsupported certificate key type ed25519, expected ECDSA or RSA");
  }
  key.public_bytes = pem;
  return key;
}

}  // namespace

tuf::Result<tuf::PublicKey> parse_public_key_pem(std::string_view text, tuf::Time now) {
  auto block = first_block(text);
  if (!block) return bad("no valid public key found");
  if (block->label != "PUBLIC KEY" && block->label != "CERTIFICATE") {
    return bad("unsupported PEM block type \"" + block->label +
               "\", expected CERTIFICATE or PUBLIC KEY");
  }
  DTRUST_ASSIGN_OR_RETURN(std::string der, block_der(*block));
  if (block->label == "PUBLIC KEY") return spki_key(der);
  return certificate_key(der, now);
}

tuf::Result<tuf::PublicKey> read_public_key_file(const std::string& path, tuf::Time now) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    const int err = errno;
    return tuf::Error{tuf::ErrorKind::kIo, "", "", "open " + path + ": " + std::strerror(err)};
  }
  std::stringstream s;
  s << f.rdbuf();
  return parse_public_key_pem(s.str(), now);
}

}  // namespace cli
