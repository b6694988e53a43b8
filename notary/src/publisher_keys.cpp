// Finding the private keys that sign a role, and adding signatures to a signed role file
// (spec notary-v1-protocol.md 5.2, 7.2 steps 3-5).
#include <algorithm>

#include "notary/publisher.h"

namespace notary {

using tuf::ErrorKind;

KeyPreload::KeyPreload(const trustcache::KeyStore& store,
                       trustcache::PassphraseProvider& passphrases, std::string gun,
                       std::optional<std::shared_future<void>> start_after)
    : pending_([&store, &passphrases, gun = std::move(gun), start_after = std::move(start_after)] {
        if (start_after) start_after->wait_for(kMaxStartWait);
        std::map<std::string, tuf::crypto::PrivateKey, std::less<>> keys;
        auto files = store.list();
        if (!files.ok()) return keys;
        for (const trustcache::KeyFileInfo& file : *files) {
          if (file.gun != gun ||
              (file.role != tuf::kTargetsRole && file.role != tuf::kSnapshotRole))
            continue;
          if (keys.count(file.id) != 0) continue;  // a legacy copy of a key already loaded
          auto loaded = store.load(file.id, passphrases);
          if (loaded.ok()) keys.emplace(file.id, std::move(loaded->key));
        }
        return keys;
      }) {}

std::optional<tuf::crypto::PrivateKey> KeyPreload::take(std::string_view id) {
  if (pending_.valid()) keys_ = pending_.get();
  if (!keys_) return std::nullopt;
  auto it = keys_->find(id);
  if (it == keys_->end()) return std::nullopt;
  return it->second;
}

tuf::Result<std::vector<tuf::SigningKey>> signing_keys_for(
    const trustcache::KeyStore& store, trustcache::PassphraseProvider& passphrases,
    std::string_view role, const std::map<std::string, tuf::PublicKey>& keys,
    const std::vector<std::string>& keyids, KeyPreload* preload) {
  std::vector<tuf::SigningKey> out;
  std::vector<std::string> wanted;  // canonical IDs, for the error message
  for (const std::string& keyid : keyids) {
    auto key = keys.find(keyid);
    if (key == keys.end()) continue;
    // Spec 5.2: key files are named by the canonical ID (the bare key of an x509 entry).
    auto canonical = tuf::canonical_key_id(key->second);
    if (!canonical.ok()) continue;
    wanted.push_back(*canonical);
    if (!store.find(*canonical).ok()) continue;
    if (preload != nullptr) {
      if (auto ready = preload->take(*canonical)) {
        out.push_back(tuf::SigningKey{keyid, std::move(*ready)});
        continue;
      }
    }
    auto loaded = store.load(*canonical, passphrases);
    if (!loaded.ok()) {
      if (loaded.error().kind == ErrorKind::kKeyNotFound) continue;
      return loaded.error().with_context("", role);
    }
    out.push_back(tuf::SigningKey{keyid, std::move(loaded->key)});
  }
  if (out.empty()) {
    std::string list;
    for (const auto& id : wanted) list += (list.empty() ? "" : ", ") + id;
    return tuf::make_error(ErrorKind::kKeyNotFound, std::string(role),
                           "could not find necessary signing keys, at least one of these keys "
                           "must be available: " +
                               list);
  }
  return out;
}

tuf::Result<std::string> sign_role_file(std::string_view bytes, std::string_view role,
                                        const std::vector<tuf::SigningKey>& keys) {
  DTRUST_ASSIGN_OR_RETURN(tuf::Signed<tuf::Targets> parsed, tuf::parse_targets(bytes, role));
  std::vector<tuf::SigningKey> fresh;
  for (const auto& key : keys) {
    const bool signed_already =
        std::any_of(parsed.signatures.begin(), parsed.signatures.end(),
                    [&](const tuf::Signature& s) { return s.keyid == key.keyid; });
    if (!signed_already) fresh.push_back(key);
  }
  // Signatures are over the canonical form of the `signed` tree, which every holder shares.
  std::vector<tuf::Signature> signatures = parsed.signatures;
  for (auto& s : tuf::sign_canonical(parsed.canonical, fresh)) signatures.push_back(std::move(s));
  return tuf::envelope(parsed.canonical, signatures);
}

}  // namespace notary
