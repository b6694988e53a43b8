// Internal: strict JSON parsing into an nlohmann tree and notary's canonical encoder.
// nlohmann types stay inside tuf/src; public headers never see them.
#ifndef DTRUST_TUF_SRC_JSON_STRICT_H_
#define DTRUST_TUF_SRC_JSON_STRICT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "tuf/result.h"

namespace tuf::internal {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 64;

// Parses `bytes` as one JSON value. Rejects (kMalformed, role = `role`): invalid JSON or UTF-8,
// trailing bytes, duplicate keys in any object, non-integer numbers and integers outside int64,
// control characters (U+0000-U+001F) in any string or key, nesting deeper than kMaxJsonDepth.
Result<Json> parse_strict(std::string_view bytes, std::string_view role);

// Notary's canonical JSON (spec 4.1): members sorted by key bytes, no whitespace, only `"` and
// `\` escaped, integers only. REQUIRES: `value` came from parse_strict or holds only the types
// it produces (objects, arrays, strings, int64, bool, null).
std::string canonical(const Json& value);
void append_canonical(const Json& value, std::string* out);
void append_canonical_string(std::string_view s, std::string* out);

}  // namespace tuf::internal

#endif  // DTRUST_TUF_SRC_JSON_STRICT_H_
