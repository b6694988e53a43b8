#include "tuf/canonical_json.h"

#include "json_strict.h"

namespace tuf {

Result<std::string> canonicalize(std::string_view json_bytes) {
  internal::JsonDoc doc;
  DTRUST_TRY(doc.parse(json_bytes, ""));
  std::string out;
  doc.append_canonical(doc.root(), &out);
  return out;
}

std::string wire_escape(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 16);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < in.size() && in[i + 1] == '\x80' &&
               (in[i + 2] == '\xA8' || in[i + 2] == '\xA9')) {
      out += in[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace tuf
