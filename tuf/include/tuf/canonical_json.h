// Canonical JSON in notary's dialect (docker/go canonical/json) and the wire form Go's
// encoder derives from it (spec 4.1, 4.3).
#ifndef DTRUST_TUF_CANONICAL_JSON_H_
#define DTRUST_TUF_CANONICAL_JSON_H_

#include <string>
#include <string_view>

#include "tuf/result.h"

namespace tuf {

// Parses `json_bytes` strictly (duplicate keys, non-integers, control characters and invalid
// UTF-8 are kMalformed; 4 GiB or more is kTooLarge) and returns its canonical form: members sorted
// by key bytes, no whitespace, only `"` and `\` escaped, integers only.
Result<std::string> canonicalize(std::string_view json_bytes);

// Go's HTML-safe escaping of canonical bytes: `<` `>` `&` U+2028 U+2029 become \u003c \u003e
// \u0026 \u2028 \u2029; every other byte is copied.
std::string wire_escape(std::string_view canonical_json);

}  // namespace tuf

#endif  // DTRUST_TUF_CANONICAL_JSON_H_
