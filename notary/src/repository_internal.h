// Internal: what the full sync (repository.cpp) and the warm look-up (quick_lookup.cpp) share.
#ifndef DTRUST_NOTARY_SRC_REPOSITORY_INTERNAL_H_
#define DTRUST_NOTARY_SRC_REPOSITORY_INTERNAL_H_

#include <cstdint>
#include <map>
#include <string>

#include "tuf/metadata.h"
#include "tuf/trusted_set.h"

namespace notary::internal {

// The lower-case hex sha256 a file meta lists ("" when it lists none).
std::string sha256_hex_of(const tuf::FileMeta& meta);

// The trust cache's highest versions seen, as the engine's rollback floors.
tuf::VersionFloors floors_from(const std::map<std::string, int64_t>& versions);

// Whether a tag index whose key is `key` ("<snapshot sha256 hex>/<earliest expiry, Unix
// seconds>") answers for the snapshot `snapshot_hex` at `now`.
bool index_key_usable(const std::string& key, const std::string& snapshot_hex, tuf::Time now);

}  // namespace notary::internal

#endif  // DTRUST_NOTARY_SRC_REPOSITORY_INTERNAL_H_
