// import_pem: the keys of a PEM text, following `docker trust key load` (docker-trust-cli 1.5)
// and notary's `key import`, minus docker 28.2.2's bug of importing nothing from encrypted
// files.
#include "key_codec.h"
#include "trustcache/key_store.h"
#include "trustcache/pem.h"

namespace trustcache {

tuf::Result<std::vector<ImportedKey>> import_pem(std::string_view pem_text, std::string_view role,
                                                 std::string_view gun,
                                                 PassphraseProvider& passphrases) {
  auto blocks = parse_pem(pem_text);
  // Step 4: the first block decides whether this is a private key at all.
  if (!blocks.ok() || !key_codec::is_private_key_type(blocks->front().type)) {
    return tuf::make_error(tuf::ErrorKind::kUsage, "", "not a supported private key");
  }
  std::vector<ImportedKey> keys;
  for (const PemBlock& block : *blocks) {
    if (!key_codec::is_private_key_type(block.type)) {
      return tuf::make_error(tuf::ErrorKind::kUsage, "",
                             "pem block " + block.type + " is not a supported private key");
    }
    // Step 6: an existing role header wins over the name asked for.
    std::string key_role = block.header("role");
    if (key_role.empty()) key_role = std::string(role);
    if (key_role.empty()) return tuf::make_error(tuf::ErrorKind::kUsage, "", "key without a role");
    std::string key_gun;
    if (role_has_gun(key_role)) {
      key_gun = block.header("gun");
      if (key_gun.empty()) key_gun = std::string(gun);
      if (key_gun.empty()) {
        return tuf::Error{tuf::ErrorKind::kUsage, "", key_role,
                          "cannot have canonical role key without a gun, don't know what gun "
                          "it belongs to"};
      }
    }
    // Step 5, fixed: an encrypted block is decrypted and then imported like the others.
    auto key = key_codec::decode_asking(block, passphrases, "", "encrypted");
    if (!key.ok()) return key.error().with_context(key_gun, key_role);
    std::string id = canonical_key_id(*key);
    keys.push_back(ImportedKey{std::move(key).value(), std::move(id), std::move(key_role),
                               std::move(key_gun)});
  }
  return keys;
}

}  // namespace trustcache
