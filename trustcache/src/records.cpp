#include "records.h"

#include <charconv>
#include <vector>

namespace trustcache::records {
namespace {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kRole:
      return "role";
    case Kind::kVersion:
      return "version";
    case Kind::kMeta:
      return "meta";
    case Kind::kTag:
      return "tag";
    case Kind::kUploaded:
      return "uploaded";
  }
  return "?";
}

std::optional<Kind> parse_kind(std::string_view name) {
  for (Kind kind : kAllKinds) {
    if (kind_name(kind) == name) return kind;
  }
  return std::nullopt;
}

void append_netstring(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

// Decimal without sign, without leading zeros ("0" itself is fine).
std::optional<uint64_t> parse_count(std::string_view digits) {
  if (digits.empty() || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// Consumes one netstring from the front of `in`.
std::optional<std::string_view> take_netstring(std::string_view& in) {
  const size_t colon = in.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const auto length = parse_count(in.substr(0, colon));
  if (!length || *length > in.size() - colon - 1) return std::nullopt;
  std::string_view value = in.substr(colon + 1, *length);
  in.remove_prefix(colon + 1 + *length);
  return value;
}

// A value made only of netstrings, exactly `count` of them.
std::optional<std::vector<std::string_view>> take_fields(std::string_view in, size_t count) {
  std::vector<std::string_view> fields;
  while (!in.empty()) {
    auto field = take_netstring(in);
    if (!field) return std::nullopt;
    fields.push_back(*field);
  }
  if (fields.size() != count) return std::nullopt;
  return fields;
}

std::optional<int64_t> parse_int64(std::string_view text) {
  if (text.empty() || text == "-0" || (text.size() > 1 && text[0] == '0') ||
      (text.size() > 2 && text[0] == '-' && text[1] == '0')) {
    return std::nullopt;
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string gun_prefix(std::string_view gun) {
  std::string out(kFormatPrefix);
  append_netstring(out, gun);
  out += '/';
  return out;
}

std::string kind_prefix(std::string_view gun, Kind kind) {
  std::string out = gun_prefix(gun);
  out += kind_name(kind);
  out += '/';
  return out;
}

std::string key(std::string_view gun, Kind kind, std::string_view name) {
  std::string out = kind_prefix(gun, kind);
  append_netstring(out, name);
  return out;
}

std::string after_gun(std::string_view gun) {
  std::string out = gun_prefix(gun);
  out.back() = '/' + 1;  // every key of the GUN continues the prefix after its final '/'
  return out;
}

std::optional<DecodedKey> decode_key(std::string_view key) {
  if (!key.starts_with(kFormatPrefix)) return std::nullopt;
  key.remove_prefix(kFormatPrefix.size());
  DecodedKey out;
  auto gun = take_netstring(key);
  if (!gun || !key.starts_with('/')) return std::nullopt;
  key.remove_prefix(1);
  const size_t slash = key.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto kind = parse_kind(key.substr(0, slash));
  if (!kind) return std::nullopt;
  key.remove_prefix(slash + 1);
  auto name = take_netstring(key);
  if (!name || !key.empty()) return std::nullopt;
  out.gun = std::string(*gun);
  out.kind = *kind;
  out.name = std::string(*name);
  return out;
}

std::string encode_meta(const Meta& meta) {
  std::string out;
  append_netstring(out, meta.index_key);
  append_netstring(out, std::to_string(meta.synced_at_unix));
  return out;
}

std::optional<Meta> decode_meta(std::string_view value) {
  auto fields = take_fields(value, 2);
  if (!fields) return std::nullopt;
  auto synced = parse_int64((*fields)[1]);
  if (!synced) return std::nullopt;
  return Meta{std::string((*fields)[0]), *synced};
}

std::string encode_tag(const TagEntry& entry) {
  std::string out;
  append_netstring(out, entry.role);
  append_netstring(out, entry.sha256_hex);
  append_netstring(out, std::to_string(entry.length));
  return out;
}

std::optional<TagEntry> decode_tag(std::string_view value) {
  auto fields = take_fields(value, 3);
  if (!fields) return std::nullopt;
  auto length = parse_int64((*fields)[2]);
  if (!length) return std::nullopt;
  return TagEntry{std::string((*fields)[0]), std::string((*fields)[1]), *length};
}

std::string encode_version(int64_t version) { return std::to_string(version); }

std::optional<int64_t> decode_version(std::string_view value) { return parse_int64(value); }

}  // namespace trustcache::records
