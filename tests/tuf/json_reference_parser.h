// A second, independent strict JSON parser, for differential tests of the product's one
// (JsonDoc in tuf/src/json_doc.cpp, which parse_strict also goes through): nlohmann's SAX parser
// with a handler that refuses what nlohmann itself would accept (duplicate keys, floats,
// integers outside int64, control characters, nesting deeper than kMaxJsonDepth). This was the
// product's parse_strict until the two were merged; it stays here as the oracle.
#ifndef DTRUST_TESTS_TUF_JSON_REFERENCE_PARSER_H_
#define DTRUST_TESTS_TUF_JSON_REFERENCE_PARSER_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../../tuf/src/json_strict.h"

namespace json_reference {

using tuf::internal::Json;
using tuf::internal::kMaxJsonDepth;

inline bool has_control_character(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20) return true;
  }
  return false;
}

// A SAX handler that builds the tree itself so it can refuse what nlohmann would accept:
// duplicate keys (nlohmann keeps the last), floats, out-of-range integers, control characters.
class StrictBuilder {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(number_integer_t v) { return put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) {
    if (v > static_cast<number_unsigned_t>(std::numeric_limits<int64_t>::max())) {
      return fail("integer out of int64 range");
    }
    return put(Json(static_cast<int64_t>(v)));
  }
  bool number_float(number_float_t, const string_t& text) {
    return fail("non-integer number " + text.substr(0, 32));
  }
  bool string(string_t& v) {
    if (has_control_character(v)) return fail("control character in string");
    return put(Json(std::move(v)));
  }
  bool binary(binary_t&) { return fail("binary value"); }

  bool start_object(std::size_t) { return open(Json::object()); }
  bool key(string_t& k) {
    if (has_control_character(k)) return fail("control character in object key");
    // The object under construction is itself the set of keys seen so far (a std::map).
    if (frames_.back().value.contains(k)) {
      return fail("duplicate key \"" + k.substr(0, 64) + "\"");
    }
    pending_key_ = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_array() { return close(); }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
    if (error_.empty()) error_ = "invalid JSON at byte " + std::to_string(position);
    return false;
  }

  const std::string& error() const { return error_; }
  Json take_root() { return std::move(root_); }

 private:
  struct Frame {
    Json value;
    std::string key_in_parent;  // for objects inside objects
  };

  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  bool put(Json v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return true;
    }
    Json& top = frames_.back().value;
    if (top.is_object()) {
      top.emplace(std::move(pending_key_), std::move(v));
    } else {
      top.push_back(std::move(v));
    }
    return true;
  }

  bool open(Json container) {
    if (static_cast<int>(frames_.size()) >= kMaxJsonDepth) return fail("nesting too deep");
    Frame& f = frames_.emplace_back();
    f.value = std::move(container);
    if (frames_.size() > 1 && frames_[frames_.size() - 2].value.is_object()) {
      f.key_in_parent = std::move(pending_key_);
    }
    return true;
  }

  bool close() {
    Frame f = std::move(frames_.back());
    frames_.pop_back();
    pending_key_ = std::move(f.key_in_parent);
    return put(std::move(f.value));
  }

  std::vector<Frame> frames_;
  std::string pending_key_;
  Json root_;
  std::string error_;
};

// kMalformed naming `role` on any violation, like tuf::internal::parse_strict.
inline tuf::Result<Json> parse(std::string_view bytes, std::string_view role) {
  StrictBuilder builder;
  bool ok = false;
  try {
    ok = Json::sax_parse(bytes.begin(), bytes.end(), &builder, Json::input_format_t::json, true);
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    std::string why = builder.error().empty() ? "invalid JSON" : builder.error();
    return tuf::make_error(tuf::ErrorKind::kMalformed, std::string(role), std::move(why));
  }
  return builder.take_root();
}

}  // namespace json_reference

#endif  // DTRUST_TESTS_TUF_JSON_REFERENCE_PARSER_H_
