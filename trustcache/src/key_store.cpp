// KeyStore: the files under <trust dir>/private (notary spec 8.1-8.3).
#include "trustcache/key_store.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "key_codec.h"
#include "key_layout.h"
#include "private_files.h"
#include "trustcache/pem.h"
#include "tuf/keys.h"

namespace trustcache {
namespace {

namespace fs = std::filesystem;
using tuf::ErrorKind;

using key_layout::kKeySuffix;
using key_layout::kLegacyRootDir;
using key_layout::kLegacyTufDir;
using key_layout::kMaxKeyFileBytes;

tuf::Error key_not_found(std::string_view id) {
  return tuf::make_error(ErrorKind::kKeyNotFound, "", "no private key with ID " + std::string(id));
}

tuf::Error usage(std::string detail) {
  return tuf::make_error(ErrorKind::kUsage, "", std::move(detail));
}

bool is_key_file(const fs::directory_entry& entry) {
  std::error_code ec;
  return entry.is_regular_file(ec) && entry.path().string().ends_with(kKeySuffix) &&
         !entry.path().filename().string().starts_with(".");
}

// The first PEM block of a key file; nullopt when it holds none.
tuf::Result<std::optional<PemBlock>> read_first_block(const fs::path& path) {
  DTRUST_ASSIGN_OR_RETURN(std::string text, read_small_file(path, kMaxKeyFileBytes));
  auto blocks = parse_pem(text);
  if (!blocks.ok()) return std::optional<PemBlock>();
  return std::optional<PemBlock>(std::move(blocks->front()));
}

std::string without_suffix(const fs::path& relative) {
  std::string name = relative.generic_string();
  name.resize(name.size() - kKeySuffix.size());
  return name;
}

// Walks `dir` recursively, calling fn(relative path, entry) for every key file. A missing
// directory is empty. `skip` names top-level subdirectories not to enter.
template <class Fn>
tuf::Status walk_key_files(const fs::path& dir, const std::vector<std::string_view>& skip,
                           Fn&& fn) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  fs::recursive_directory_iterator it(dir, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (it.depth() == 0 && it->is_directory(ec) &&
        std::find(skip.begin(), skip.end(), it->path().filename().string()) != skip.end()) {
      it.disable_recursion_pending();
      continue;
    }
    if (is_key_file(*it)) DTRUST_TRY(fn(it->path().lexically_relative(dir), it->path()));
  }
  if (ec)
    return tuf::make_error(ErrorKind::kIo, "", "cannot list " + dir.string() + ": " + ec.message());
  return {};
}

// Legacy file names (spec 8.3): "<id>_<role>.key" or "<id>.key"; the directories below
// root_keys/ or tuf_keys/ name the GUN.
KeyFileInfo legacy_info(const fs::path& relative, const fs::path& path, const PemBlock& block,
                        std::string_view default_role) {
  KeyFileInfo info;
  const std::string stem = without_suffix(relative.filename());
  const size_t underscore = stem.find('_');
  info.id = stem.substr(0, underscore);
  const std::string suffix_role =
      underscore == std::string::npos ? std::string() : stem.substr(underscore + 1);
  info.role = block.header("role");
  if (info.role.empty()) info.role = suffix_role.empty() ? std::string(default_role) : suffix_role;
  info.gun = block.header("gun");
  if (info.gun.empty()) info.gun = relative.parent_path().generic_string();
  info.path = path;
  info.legacy = true;
  return info;
}

}  // namespace

bool role_has_gun(std::string_view role) {
  return role == "targets" || role == "snapshot" || role == "timestamp";
}

std::string canonical_key_id(const tuf::crypto::PrivateKey& key) {
  return tuf::public_key_of(key).id();
}

KeyStore::KeyStore(fs::path trust_dir) : private_dir_(std::move(trust_dir) / "private") {}

tuf::Result<std::vector<KeyFileInfo>> KeyStore::list() const {
  std::vector<KeyFileInfo> current;
  DTRUST_TRY(walk_key_files(private_dir_, {kLegacyRootDir, kLegacyTufDir},
                            [&](const fs::path& relative, const fs::path& path) -> tuf::Status {
                              DTRUST_ASSIGN_OR_RETURN(auto block, read_first_block(path));
                              if (!block) return {};
                              current.push_back(KeyFileInfo{without_suffix(relative),
                                                            block->header("role"),
                                                            block->header("gun"), path, false});
                              return {};
                            }));
  std::sort(current.begin(), current.end(),
            [](const KeyFileInfo& a, const KeyFileInfo& b) { return a.id < b.id; });

  std::vector<KeyFileInfo> legacy;
  for (std::string_view dir : {kLegacyRootDir, kLegacyTufDir}) {
    const std::string_view default_role = dir == kLegacyRootDir ? "root" : "";
    DTRUST_TRY(walk_key_files(
        private_dir_ / dir, {}, [&](const fs::path& relative, const fs::path& path) -> tuf::Status {
          DTRUST_ASSIGN_OR_RETURN(auto block, read_first_block(path));
          if (block) legacy.push_back(legacy_info(relative, path, *block, default_role));
          return {};
        }));
  }
  std::sort(legacy.begin(), legacy.end(),
            [](const KeyFileInfo& a, const KeyFileInfo& b) { return a.path < b.path; });
  current.insert(current.end(), legacy.begin(), legacy.end());
  return current;
}

tuf::Result<KeyFileInfo> KeyStore::find(std::string_view id) const {
  if (!key_codec::is_safe_id(id)) return key_not_found(id);
  DTRUST_ASSIGN_OR_RETURN(std::vector<KeyFileInfo> keys, list());
  for (auto& info : keys) {
    if (info.id == id) return std::move(info);
  }
  return key_not_found(id);
}

tuf::Result<LoadedKey> KeyStore::load(std::string_view id, PassphraseProvider& passphrases) const {
  DTRUST_ASSIGN_OR_RETURN(KeyFileInfo info, find(id));
  DTRUST_ASSIGN_OR_RETURN(auto block, read_first_block(info.path));
  if (!block) {
    return tuf::make_error(ErrorKind::kMalformed, "", info.path.string() + " holds no pem block");
  }
  auto key = key_codec::decode_asking(*block, passphrases, info.id, info.role);
  if (!key.ok()) return key.error().with_context(info.gun, info.role);
  const std::string actual = canonical_key_id(*key);
  if (actual != info.id) {
    return tuf::Error{ErrorKind::kKeyNotFound, info.gun, info.role,
                      info.path.string() + " holds key " + actual + ", not " + info.id};
  }
  return LoadedKey{std::move(key).value(), std::move(info)};
}

tuf::Result<KeyFileInfo> KeyStore::store(const tuf::crypto::PrivateKey& key, std::string_view role,
                                         std::string_view gun, std::string_view passphrase) const {
  const std::string id = canonical_key_id(key);
  if (passphrase.empty()) {
    return usage("refusing to store key " + id + " without a passphrase");
  }
  if (role.empty()) return usage("refusing to store key " + id + " without a role");
  // Spec 8.2: `gun` only for targets/snapshot/timestamp, omitted for every other role.
  if (role_has_gun(role) && gun.empty()) {
    return usage("cannot store a " + std::string(role) + " key without a gun");
  }
  const PemBlock block =
      key_codec::encrypted_block(key, role, role_has_gun(role) ? gun : "", passphrase);

  DTRUST_TRY(make_private_dirs(private_dir_, ErrorKind::kIo));
  KeyFileInfo info{id, std::string(role), block.header("gun"),
                   private_dir_ / (id + std::string(kKeySuffix)), false};
  DTRUST_TRY(write_file_atomically(info.path, encode_pem(block)));
  return info;
}

tuf::Status KeyStore::remove(std::string_view id) const {
  if (!key_codec::is_safe_id(id)) return key_not_found(id);
  DTRUST_ASSIGN_OR_RETURN(std::vector<KeyFileInfo> keys, list());
  bool removed = false;
  for (const auto& info : keys) {
    if (info.id != id) continue;
    if (::unlink(info.path.c_str()) != 0) {
      return tuf::make_error(ErrorKind::kIo, "",
                             "cannot remove " + info.path.string() + ": " + std::strerror(errno));
    }
    removed = true;
  }
  if (!removed) return key_not_found(id);
  return {};
}

tuf::Result<std::string> KeyStore::read_pem(std::string_view id) const {
  DTRUST_ASSIGN_OR_RETURN(KeyFileInfo info, find(id));
  return read_small_file(info.path, kMaxKeyFileBytes);
}

tuf::Result<KeyFileInfo> KeyStore::change_passphrase(std::string_view id,
                                                     std::string_view old_passphrase,
                                                     std::string_view new_passphrase) const {
  FixedPassphraseProvider current{std::string(old_passphrase)};
  FixedPassphraseProvider fresh{std::string(new_passphrase)};
  return change_passphrase(id, current, fresh);
}

tuf::Result<KeyFileInfo> KeyStore::change_passphrase(std::string_view id,
                                                     PassphraseProvider& current,
                                                     PassphraseProvider& fresh) const {
  DTRUST_ASSIGN_OR_RETURN(LoadedKey loaded, load(id, current));
  const KeyFileInfo& old = loaded.info;
  DTRUST_ASSIGN_OR_RETURN(std::string passphrase,
                          fresh.get(old.id, old.role, /*create_new=*/true, 0));
  if (passphrase.empty()) {
    return usage("refusing to store key " + std::string(id) + " without a passphrase");
  }
  // A legacy file moves to the current layout (spec 8.3), as notary's migration does.
  DTRUST_ASSIGN_OR_RETURN(KeyFileInfo written, store(loaded.key, old.role, old.gun, passphrase));
  if (old.path != written.path && ::unlink(old.path.c_str()) != 0) {
    return tuf::make_error(ErrorKind::kIo, "",
                           "cannot remove " + old.path.string() + ": " + std::strerror(errno));
  }
  return written;
}

}  // namespace trustcache
