// The key-file exchange of the Go notary CLI: `notary key export` and `notary key import`
// (notary spec 8.1-8.3), on top of the KeyStore layout.
#include <filesystem>
#include <string>
#include <vector>

#include "key_codec.h"
#include "key_layout.h"
#include "private_files.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"

namespace trustcache {
namespace {

namespace fs = std::filesystem;
using tuf::ErrorKind;

using key_layout::kLegacyTufDir;
using key_layout::kMaxKeyFileBytes;
constexpr std::string_view kDefaultImportRole = "delegation";  // notary.DefaultImportRole

tuf::Error usage(std::string role, std::string detail) {
  return tuf::Error{ErrorKind::kUsage, "", std::move(role), std::move(detail)};
}

// Notary's handleLegacyPath: a `path` header with directories was written by a notary before
// 0.4; "tuf_keys/<GUN>/<id>" gives the GUN. Only the base name is kept.
void apply_legacy_path(PemBlock& block) {
  const std::string raw = block.header("path");
  if (raw.empty()) return;
  const fs::path path(raw);
  if (path.filename() == path) return;
  const std::string dir = path.parent_path().generic_string();
  if (dir.starts_with(kLegacyTufDir)) {
    std::string gun = dir.substr(kLegacyTufDir.size());
    while (!gun.empty() && gun.front() == '/') gun.erase(0, 1);
    while (!gun.empty() && gun.back() == '/') gun.pop_back();
    if (!gun.empty()) block.headers["gun"] = gun;
  }
  block.headers["path"] = path.filename().string();
}

// Notary's setFallbacks and checkValidity: the block's role and GUN after defaults.
tuf::Status apply_role_and_gun(PemBlock& block, std::string_view role, std::string_view gun) {
  if (block.header("gun").empty() && !gun.empty()) block.headers["gun"] = std::string(gun);
  if (block.header("role").empty()) {
    block.headers["role"] = role.empty() ? std::string(kDefaultImportRole) : std::string(role);
  }
  const std::string key_role = block.header("role");
  if (!role_has_gun(key_role)) {
    block.headers.erase("gun");
  } else if (block.header("gun").empty()) {
    return usage(key_role,
                 "cannot have canonical role key without a gun, don't know what gun it belongs to");
  }
  return {};
}

// One file to write: its ID and the encoded blocks that go into it.
struct PlannedFile {
  std::string id;
  std::string role;
  std::string gun;
  std::string text;
};

// The file name and final text of one block.
tuf::Result<PlannedFile> plan_block(PemBlock block, std::string_view role, std::string_view gun,
                                    PassphraseProvider& passphrases) {
  if (!key_codec::is_private_key_type(block.type)) {
    return usage("", "pem block " + block.type + " is not a supported private key");
  }
  apply_legacy_path(block);
  DTRUST_TRY(apply_role_and_gun(block, role, gun));
  PlannedFile file{block.header("path"), block.header("role"), block.header("gun"), ""};
  block.headers.erase("path");
  if (key_codec::is_encrypted(block) && !key_codec::notary_readable(block)) {
    // Off-notary: a PBES2 scheme notary cannot read (OpenSSL 3's default PBKDF2-HMAC-SHA256,
    // AES-128, ...) is decrypted and stored in notary's scheme under the same passphrase, so
    // notary and docker can use the file; a scheme dtrust refuses fails here, naming it.
    auto decoded = key_codec::decode_asking_keeping_passphrase(block, passphrases, "", file.role);
    if (!decoded.ok()) return decoded.error().with_context(file.gun, file.role);
    const std::string id = canonical_key_id(decoded->key);
    if (!file.id.empty() && file.id != id) {
      return tuf::Error{ErrorKind::kMalformed, file.gun, file.role,
                        "path header names key " + file.id + " but the block holds key " + id};
    }
    if (decoded->passphrase.empty()) {
      return usage(file.role, "refusing to store key " + id + " without a passphrase");
    }
    file.id = id;
    file.text = encode_pem(
        key_codec::encrypted_block(decoded->key, file.role, file.gun, decoded->passphrase));
    return file;
  }
  if (key_codec::is_encrypted(block)) {
    if (file.id.empty()) {
      // Off-notary: notary refuses an encrypted block without a path header; we decrypt it to
      // learn the ID, and still store the block as it came.
      auto key = key_codec::decode_asking(block, passphrases, "", file.role);
      if (!key.ok()) return key.error().with_context(file.gun, file.role);
      file.id = canonical_key_id(*key);
    }
    if (!key_codec::is_safe_id(file.id)) return usage(file.role, "bad path header " + file.id);
    file.text = encode_pem(block);
    return file;
  }
  DTRUST_ASSIGN_OR_RETURN(tuf::crypto::PrivateKey key, key_codec::decode(block, ""));
  const std::string id = canonical_key_id(key);
  if (!file.id.empty() && file.id != id) {
    return tuf::Error{ErrorKind::kMalformed, file.gun, file.role,
                      "path header names key " + file.id + " but the block holds key " + id};
  }
  file.id = id;
  DTRUST_ASSIGN_OR_RETURN(std::string passphrase,
                          passphrases.get(id, file.role, /*create_new=*/true, 0));
  if (passphrase.empty()) {
    return usage(file.role, "refusing to store key " + id + " without a passphrase");
  }
  file.text = encode_pem(key_codec::encrypted_block(key, file.role, file.gun, passphrase));
  return file;
}

}  // namespace

tuf::Status write_private_file(const fs::path& path, std::string_view bytes) {
  return write_file_atomically(path, bytes);
}

tuf::Result<std::string> KeyStore::export_pem(const KeyFileInfo& info) const {
  DTRUST_ASSIGN_OR_RETURN(std::string text, read_small_file(info.path, kMaxKeyFileBytes));
  DTRUST_ASSIGN_OR_RETURN(std::vector<PemBlock> blocks, parse_pem(text));
  std::string out;
  for (PemBlock& block : blocks) {
    if (!key_codec::is_encrypted(block)) {
      return tuf::Error{ErrorKind::kUsage, info.gun, info.role,
                        "refusing to export key " + info.id + ": its file is not encrypted"};
    }
    if (info.legacy) {
      // Spec 8.3: what notary's migration writes before its export reads the file.
      if (block.header("role").empty() && !info.role.empty()) block.headers["role"] = info.role;
      if (block.header("gun").empty() && !info.gun.empty()) block.headers["gun"] = info.gun;
    }
    block.headers["path"] = info.id;
    out += encode_pem(block);
  }
  return out;
}

tuf::Result<std::vector<KeyFileInfo>> KeyStore::import_notary(
    std::string_view pem_text, std::string_view role, std::string_view gun,
    PassphraseProvider& passphrases) const {
  auto blocks = parse_pem(pem_text);
  if (!blocks.ok()) return usage("", "no private key found (" + blocks.error().detail + ")");
  std::vector<PlannedFile> files;
  for (PemBlock& block : *blocks) {
    DTRUST_ASSIGN_OR_RETURN(PlannedFile file, plan_block(std::move(block), role, gun, passphrases));
    // Notary's ImportKeys: consecutive blocks for one location share its file.
    if (!files.empty() && files.back().id == file.id) {
      files.back().text += file.text;
    } else {
      files.push_back(std::move(file));
    }
  }
  DTRUST_TRY(make_private_dirs(private_dir_, ErrorKind::kIo));
  std::vector<KeyFileInfo> written;
  for (const PlannedFile& file : files) {
    KeyFileInfo info{file.id, file.role, file.gun, private_dir_ / (file.id + ".key"), false};
    DTRUST_TRY(make_private_dirs(info.path.parent_path(), ErrorKind::kIo));
    DTRUST_TRY(write_file_atomically(info.path, file.text));
    written.push_back(std::move(info));
  }
  return written;
}

}  // namespace trustcache
