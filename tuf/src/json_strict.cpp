#include "json_strict.h"

#include <string>

namespace tuf::internal {
namespace {

// The nlohmann tree of `v`. Recursion is bounded by the document's nesting (kMaxJsonDepth).
Json tree_of(const JsonDoc& doc, const JsonValue& v) {
  switch (v.kind) {
    case JsonKind::kNull:
      return Json(nullptr);
    case JsonKind::kBool:
      return Json(v.boolean);
    case JsonKind::kInteger:
      return Json(v.integer);
    case JsonKind::kString:
      return Json(std::string(v.text()));
    case JsonKind::kArray: {
      Json array = Json::array();
      for (const JsonMember& m : doc.members(v)) array.push_back(tree_of(doc, doc.value(m.value)));
      return array;
    }
    case JsonKind::kObject: {
      Json object = Json::object();
      for (const JsonMember& m : doc.members(v)) {
        object.emplace(std::string(m.key), tree_of(doc, doc.value(m.value)));
      }
      return object;
    }
  }
  return Json(nullptr);
}

}  // namespace

Result<Json> parse_strict(std::string_view bytes, std::string_view role) {
  JsonDoc doc;
  DTRUST_TRY(doc.parse(bytes, role));
  return tree_of(doc, doc.root());
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
