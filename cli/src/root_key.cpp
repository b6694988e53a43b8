#include "root_key.h"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace cli {
namespace {

using tuf::ErrorKind;

constexpr std::size_t kMaxKeyFileBytes = 1u << 20;

tuf::Error malformed(std::string detail) {
  return tuf::Error{ErrorKind::kMalformed, {}, {}, std::move(detail)};
}

bool is_key_id(std::string_view value) {
  return value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  return out;
}

std::string trim(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  return std::string(line);
}

tuf::Result<tuf::KeyType> bare_type(tuf::crypto::KeyAlgorithm algorithm) {
  switch (algorithm) {
    case tuf::crypto::KeyAlgorithm::kEcdsa:
      return tuf::KeyType::kEcdsa;
    case tuf::crypto::KeyAlgorithm::kRsa:
      return tuf::KeyType::kRsa;
    case tuf::crypto::KeyAlgorithm::kEd25519:
      break;
  }
  return malformed("an ed25519 key cannot be a notary root key (root keys are ecdsa or rsa)");
}

tuf::Result<std::vector<std::string>> ids_of_public_key(const std::string& spki_der) {
  DTRUST_ASSIGN_OR_RETURN(tuf::crypto::SpkiInfo info, tuf::crypto::parse_spki(spki_der));
  DTRUST_ASSIGN_OR_RETURN(tuf::KeyType type, bare_type(info.algorithm));
  return std::vector<std::string>{tuf::PublicKey{type, spki_der}.id()};
}

tuf::Result<std::vector<std::string>> ids_of_certificate(const std::string& der) {
  const std::string pem = tuf::crypto::pem_encode("CERTIFICATE", der);
  DTRUST_ASSIGN_OR_RETURN(auto certs, tuf::crypto::parse_certificate_pem(pem));
  const tuf::crypto::CertificateInfo& cert = certs.front();
  DTRUST_ASSIGN_OR_RETURN(tuf::KeyType type, bare_type(cert.key.algorithm));
  const tuf::KeyType x509 =
      type == tuf::KeyType::kEcdsa ? tuf::KeyType::kEcdsaX509 : tuf::KeyType::kRsaX509;
  return std::vector<std::string>{tuf::PublicKey{x509, pem}.id(),
                                  tuf::PublicKey{type, cert.spki_der}.id()};
}

}  // namespace

tuf::Result<std::vector<PemBlock>> parse_pem_blocks(std::string_view text) {
  std::vector<PemBlock> blocks;
  std::istringstream in{std::string(text)};
  std::string line;
  std::optional<PemBlock> open;
  std::string body;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!open) {
      if (line.starts_with("-----BEGIN ") && line.ends_with("-----")) {
        open = PemBlock{line.substr(11, line.size() - 16), {}};
        body.clear();
      }
      continue;
    }
    if (line == "-----END " + open->label + "-----") {
      auto der = tuf::crypto::base64_decode(body);
      if (!der.ok()) return malformed("invalid base64 in the " + open->label + " block");
      open->der = std::move(*der);
      blocks.push_back(std::move(*open));
      open.reset();
    } else if (line.find(':') == std::string::npos) {
      body += line;
    }
  }
  if (open) return malformed("unterminated " + open->label + " block");
  return blocks;
}

tuf::Result<std::vector<std::string>> root_key_ids_from_pem(std::string_view pem_text) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<PemBlock> blocks, parse_pem_blocks(pem_text));
  std::vector<std::string> ids;
  for (const PemBlock& block : blocks) {
    tuf::Result<std::vector<std::string>> found = std::vector<std::string>{};
    if (block.label == "PUBLIC KEY") {
      found = ids_of_public_key(block.der);
    } else if (block.label == "CERTIFICATE") {
      found = ids_of_certificate(block.der);
    } else {
      continue;
    }
    if (!found.ok()) return malformed(block.label + ": " + found.error().detail);
    ids.insert(ids.end(), found->begin(), found->end());
  }
  if (ids.empty()) return malformed("no PUBLIC KEY or CERTIFICATE block");
  return ids;
}

tuf::Result<std::vector<std::string>> root_key_ids(std::string_view value) {
  if (is_key_id(value)) return std::vector<std::string>{lower(value)};
  const std::string path(value);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return tuf::Error{ErrorKind::kIo,
                      {},
                      {},
                      "--root-key " + path + ": not a 64-hex key ID and not a readable file"};
  }
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxKeyFileBytes) {
    return malformed("--root-key " + path + ": file larger than 1 MiB");
  }
  auto ids = root_key_ids_from_pem(text);
  if (!ids.ok()) return malformed("--root-key " + path + ": " + ids.error().detail);
  return ids;
}

}  // namespace cli
