// Internal: strict JSON parsing (into a flat read-only document, or into an nlohmann tree) and
// notary's canonical encoder. These types stay inside tuf/src; public headers never see them.
#ifndef DTRUST_TUF_SRC_JSON_STRICT_H_
#define DTRUST_TUF_SRC_JSON_STRICT_H_

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"

namespace tuf::internal {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 64;

// Parses `bytes` as one JSON value (through JsonDoc below: one set of strictness rules for
// every parse) into an nlohmann tree. Rejects (kMalformed, role = `role`): invalid JSON or UTF-8,
// trailing bytes, duplicate keys in any object, non-integer numbers and integers outside int64,
// control characters (U+0000-U+001F) in any string or key, nesting deeper than kMaxJsonDepth;
// and (kTooLarge) a document of 4 GiB or more.
Result<Json> parse_strict(std::string_view bytes, std::string_view role);

// Notary's canonical JSON (spec 4.1): members sorted by key bytes, no whitespace, only `"` and
// `\` escaped, integers only. REQUIRES: `value` came from parse_strict or holds only the types
// it produces (objects, arrays, strings, int64, bool, null).
std::string canonical(const Json& value);
void append_canonical(const Json& value, std::string* out);
void append_canonical_string(std::string_view s, std::string* out);

// Exactly tuf::crypto::base64_decode (length a multiple of 4, '=' padding only in the last
// group, unused bits ignored), without its per-byte appends: a 10,000-tag targets file has
// 10,000 digests to decode. Returns false where that returns an error.
// tests/tuf/json_doc_test.cpp compares the two on every short input.
bool decode_base64(std::string_view text, std::string* out);

// ---- The flat document: what the metadata parsers use ----------------------------------------

enum class JsonKind : uint8_t { kNull, kBool, kInteger, kString, kArray, kObject };

struct JsonMember {
  std::string_view key;  // empty for array elements
  uint32_t value;        // index into JsonDoc's values
};

struct JsonValue {  // 24 bytes: a 10,000-tag targets file holds about 40,000 of them
  JsonKind kind = JsonKind::kNull;
  bool boolean = false;
  uint32_t size = 0;   // arrays and objects: number of members; strings: length in bytes
  uint32_t first = 0;  // arrays and objects: index of the first member
  union {
    int64_t integer = 0;
    const char* str;  // strings: the decoded UTF-8 text (size bytes)
  };
  std::string_view text() const { return {str, size}; }  // REQUIRES: kind == kString
};

// One parsed JSON document, held flat: values and members in two vectors, strings as views into
// the input bytes (or, for strings with escapes, into a decoded copy the document owns). Object
// members are sorted by key bytes, so lookups are binary searches and the canonical form is one
// walk. Its rules are the ones listed at parse_strict, which is this parser plus a tree.
// The input bytes must outlive the document. Not copyable (views into its own buffer); movable.
class JsonDoc {
 public:
  JsonDoc() = default;
  JsonDoc(JsonDoc&&) = default;
  JsonDoc& operator=(JsonDoc&&) = default;

  // Parses `bytes`: kMalformed with `role` on any violation, kTooLarge at 4 GiB or more.
  Status parse(std::string_view bytes, std::string_view role);

  const JsonValue& root() const { return values_[0]; }
  const JsonValue& value(uint32_t index) const { return values_[index]; }
  std::span<const JsonMember> members(const JsonValue& v) const {
    return {members_.data() + v.first, v.size};
  }
  // The member `key` of object `obj`, or nullptr. REQUIRES: obj.kind == kObject.
  const JsonValue* find(const JsonValue& obj, std::string_view key) const;
  // Notary's canonical JSON of `v` (same bytes as append_canonical on the equivalent tree).
  void append_canonical(const JsonValue& v, std::string* out) const;

 private:
  friend class DocParser;
  std::vector<JsonValue> values_;
  std::vector<JsonMember> members_;
  std::unique_ptr<char[]> decoded_;  // strings that had escapes, decoded
};

}  // namespace tuf::internal

#endif  // DTRUST_TUF_SRC_JSON_STRICT_H_
