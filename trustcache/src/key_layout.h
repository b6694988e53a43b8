// The key store's files (internal): notary's <trust dir>/private layout (notary spec 8.1-8.3).
#ifndef DTRUST_TRUSTCACHE_KEY_LAYOUT_H_
#define DTRUST_TRUSTCACHE_KEY_LAYOUT_H_

#include <cstddef>
#include <string_view>

namespace trustcache::key_layout {

// A key file is read only up to this size.
inline constexpr std::size_t kMaxKeyFileBytes = 1 << 20;
inline constexpr std::string_view kKeySuffix = ".key";
// Folders of notary before 0.4: root keys, and the others under tuf_keys/<GUN>/.
inline constexpr std::string_view kLegacyRootDir = "root_keys";
inline constexpr std::string_view kLegacyTufDir = "tuf_keys";

}  // namespace trustcache::key_layout

#endif  // DTRUST_TRUSTCACHE_KEY_LAYOUT_H_
