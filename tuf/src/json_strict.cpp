#include "json_strict.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace tuf::internal {
namespace {

bool has_control_character(std::string_view s) {
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

}  // namespace

Result<Json> parse_strict(std::string_view bytes, std::string_view role) {
  StrictBuilder builder;
  bool ok = false;
  try {
    ok = Json::sax_parse(bytes.begin(), bytes.end(), &builder, Json::input_format_t::json, true);
  } catch (const std::exception&) {
    ok = false;
  }
  if (!ok) {
    std::string why = builder.error().empty() ? "invalid JSON" : builder.error();
    return make_error(ErrorKind::kMalformed, std::string(role), std::move(why));
  }
  return builder.take_root();
}

void append_canonical_string(std::string_view s, std::string* out) {
  out->push_back('"');
  // Runs without `"` or `\` are appended whole: a targets file is mostly such runs.
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"' || s[i] == '\\') {
      out->append(s.data() + start, i - start);
      out->push_back('\\');
      start = i;
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

void append_canonical(const Json& value, std::string* out) {
  switch (value.type()) {
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      // nlohmann's default object is a std::map<std::string, ...>: byte-ordered keys.
      for (const auto& [k, v] : value.items()) {
        if (!first) out->push_back(',');
        first = false;
        append_canonical_string(k, out);
        out->push_back(':');
        append_canonical(v, out);
      }
      out->push_back('}');
      break;
    }
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& v : value) {
        if (!first) out->push_back(',');
        first = false;
        append_canonical(v, out);
      }
      out->push_back(']');
      break;
    }
    case Json::value_t::string:
      append_canonical_string(value.get_ref<const std::string&>(), out);
      break;
    case Json::value_t::number_integer:
      out->append(std::to_string(value.get<int64_t>()));
      break;
    case Json::value_t::number_unsigned:
      out->append(std::to_string(value.get<uint64_t>()));
      break;
    case Json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      break;
    default:  // null; floats and binary never come out of parse_strict
      out->append("null");
      break;
  }
}

std::string canonical(const Json& value) {
  std::string out;
  append_canonical(value, &out);
  return out;
}

}  // namespace tuf::internal
