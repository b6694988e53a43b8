// The trust cache's record layout, shared by every backend (internal).
//
// Keys (format "v1"), where ns(s) is the netstring "<decimal length>:<s>":
//   v1/ns(gun)/role/ns(role)       -> the role's exact verified bytes
//   v1/ns(gun)/version/ns(role)    -> decimal highest version
//   v1/ns(gun)/meta/ns("")         -> ns(index_key) ns(decimal synced_at_unix)
//   v1/ns(gun)/tag/ns(tag)         -> ns(role) ns(sha256 hex) ns(decimal length)
//   v1/ns(gun)/uploaded/ns(role)   -> exact bytes this machine uploaded for the role (unverified)
// The length prefix makes the encoding injective for arbitrary bytes (a GUN "a/b" and a GUN "a"
// with a role "b/..." give different keys), and every key of a GUN starts with
// gun_prefix(gun), which no key of any other GUN starts with ("a" vs "ab", "a/b" vs "a/b/c").
#ifndef DTRUST_TRUSTCACHE_RECORDS_H_
#define DTRUST_TRUSTCACHE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trustcache/store.h"

namespace trustcache::records {

enum class Kind { kRole, kVersion, kMeta, kTag, kUploaded };
// Every kind: erasing a GUN and decoding keys go through this one list.
inline constexpr Kind kAllKinds[] = {Kind::kRole, Kind::kVersion, Kind::kMeta, Kind::kTag,
                                     Kind::kUploaded};

inline constexpr std::string_view kFormatPrefix = "v1/";

// "v1/" ns(gun) "/": the prefix of every key of `gun`.
std::string gun_prefix(std::string_view gun);
// gun_prefix(gun) + kind + "/": the prefix of every key of one kind.
std::string kind_prefix(std::string_view gun, Kind kind);
std::string key(std::string_view gun, Kind kind, std::string_view name);
// The smallest key greater than every key starting with gun_prefix(gun).
std::string after_gun(std::string_view gun);

struct DecodedKey {
  std::string gun;
  Kind kind = Kind::kRole;
  std::string name;
};
// Strict inverse of key(); nullopt for anything key() cannot produce.
std::optional<DecodedKey> decode_key(std::string_view key);

struct Meta {
  std::string index_key;
  int64_t synced_at_unix = 0;
};
std::string encode_meta(const Meta& meta);
std::optional<Meta> decode_meta(std::string_view value);

std::string encode_tag(const TagEntry& entry);
std::optional<TagEntry> decode_tag(std::string_view value);

std::string encode_version(int64_t version);
std::optional<int64_t> decode_version(std::string_view value);

}  // namespace trustcache::records

#endif  // DTRUST_TRUSTCACHE_RECORDS_H_
