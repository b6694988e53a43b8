#include "realdata.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace testing::realdata {

std::filesystem::path path(std::string_view relative) {
  return realdata_dir() / std::filesystem::path(std::string(relative));
}

std::string bytes(std::string_view relative) { return read_file(path(relative)); }

tuf::Time wall_clock_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return tuf::Time::from_unix(
      std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

std::string describe(const tuf::Error& error) {
  return std::string(tuf::kind_name(error.kind)) + " [" + error.role + "]: " + error.message();
}

tuf::Result<std::unique_ptr<notary::FolderRepo>> open_folder(const std::filesystem::path& dir,
                                                             const std::string& gun, tuf::Time at,
                                                             tuf::RootPin pin) {
  const std::filesystem::path full = dir.is_absolute() ? dir : realdata_dir() / dir;
  return notary::FolderRepo::open(full, gun, notary::FolderOptions{at, std::move(pin)});
}

void assemble(const std::filesystem::path& dir,
              const std::vector<std::pair<std::string, std::string>>& files) {
  for (const auto& [destination, source] : files) write_file(dir / destination, bytes(source));
}

std::string document_type(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("signed")) return "";
  const auto& type = doc["signed"]["_type"];
  if (!type.is_string()) return "";
  std::string out = type.get<std::string>();
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

tuf::Result<std::string> rewire(std::string_view text, std::string_view role) {
  if (role == tuf::kRootRole) {
    DTRUST_ASSIGN_OR_RETURN(auto doc, tuf::parse_root(text));
    return tuf::envelope(tuf::canonical_signed(doc.signed_), doc.signatures);
  }
  if (role == tuf::kSnapshotRole) {
    DTRUST_ASSIGN_OR_RETURN(auto doc, tuf::parse_snapshot(text));
    return tuf::envelope(tuf::canonical_signed(doc.signed_), doc.signatures);
  }
  if (role == tuf::kTimestampRole) {
    DTRUST_ASSIGN_OR_RETURN(auto doc, tuf::parse_timestamp(text));
    return tuf::envelope(tuf::canonical_signed(doc.signed_), doc.signatures);
  }
  DTRUST_ASSIGN_OR_RETURN(auto doc, tuf::parse_targets(text, role));
  return tuf::envelope(tuf::canonical_signed(doc.signed_), doc.signatures);
}

std::string sha256_hex(std::string_view data) {
  return tuf::crypto::to_hex(tuf::crypto::sha256(data));
}

std::string sha256_hex(const tuf::FileMeta& meta) {
  auto it = meta.hashes.find("sha256");
  return it == meta.hashes.end() ? std::string() : tuf::crypto::to_hex(it->second);
}

std::string pem_body_der(std::string_view pem, std::string_view label) {
  const std::string begin = "-----BEGIN " + std::string(label) + "-----";
  const std::string end = "-----END " + std::string(label) + "-----";
  const std::size_t b = pem.find(begin);
  const std::size_t e = pem.find(end);
  if (b == std::string_view::npos || e == std::string_view::npos || e < b) {
    throw std::runtime_error("no " + std::string(label) + " block");
  }
  std::string body;
  for (char c : pem.substr(b + begin.size(), e - b - begin.size())) {
    if (!std::isspace(static_cast<unsigned char>(c))) body.push_back(c);
  }
  auto der = tuf::crypto::base64_decode(body);
  if (!der.ok()) throw std::runtime_error("bad base64 in " + std::string(label) + " block");
  return *der;
}

SignatureTally tally_signatures(std::string_view canonical,
                                const std::vector<tuf::Signature>& signatures,
                                const std::map<std::string, tuf::PublicKey>& keys,
                                const std::vector<std::string>& eligible_keyids) {
  SignatureTally tally;
  for (const tuf::Signature& sig : signatures) {
    const bool eligible = std::find(eligible_keyids.begin(), eligible_keyids.end(), sig.keyid) !=
                          eligible_keyids.end();
    auto key = keys.find(sig.keyid);
    if (!eligible || key == keys.end()) {
      ++tally.ignored;
      continue;
    }
    auto scheme = tuf::scheme_for(key->second.type, sig.method);
    auto vk = tuf::verification_key(key->second);
    const bool ok = scheme.ok() && vk.ok() &&
                    tuf::crypto::verify(vk->algorithm, vk->material, *scheme, canonical, sig.sig);
    ++(ok ? tally.valid : tally.invalid);
  }
  return tally;
}

}  // namespace testing::realdata
