// JsonDoc (json_strict.h): a strict recursive-descent parser into flat vectors, the parser
// every metadata document goes through; and the base64 decoding of digests.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "json_strict.h"

namespace tuf::internal {

// RFC 8259 grammar with the strictness rules listed at parse_strict (json_strict.h), the one
// strict parser dtrust has. tests/tuf/json_doc_test.cpp compares it with an independent
// nlohmann-based reference (tests/tuf/json_reference_parser.h) on every fixture and on mutated
// inputs.
class DocParser {
 public:
  DocParser(std::string_view bytes, JsonDoc* doc)
      : begin_(bytes.data()), p_(bytes.data()), end_(bytes.data() + bytes.size()), doc_(doc) {}

  bool run() {
    // nlohmann accepts (and skips) a UTF-8 byte order mark at the very start; so do we.
    if (end_ - p_ >= 3 && p_[0] == '\xEF' && p_[1] == '\xBB' && p_[2] == '\xBF') p_ += 3;
    doc_->values_.reserve(static_cast<std::size_t>(end_ - p_) / 16 + 4);
    doc_->members_.reserve(static_cast<std::size_t>(end_ - p_) / 20 + 4);
    doc_->values_.emplace_back();
    skip_ws();
    if (!parse_value(0)) return false;
    skip_ws();
    if (p_ != end_) return syntax();
    return true;
  }
  std::string take_error() { return std::move(error_); }

 private:
  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }
  bool syntax() { return fail("invalid JSON at byte " + std::to_string(p_ - begin_)); }

  void skip_ws() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return syntax();
    }
    p_ += word.size();
    return true;
  }

  bool parse_value(uint32_t index) {
    if (p_ == end_) return syntax();
    switch (*p_) {
      case '{':
        return parse_container(index, true);
      case '[':
        return parse_container(index, false);
      case '"': {
        std::string_view s;
        if (!parse_string(&s, "string")) return false;
        JsonValue& v = doc_->values_[index];
        v.kind = JsonKind::kString;
        v.str = s.data();
        v.size = static_cast<uint32_t>(s.size());
        return true;
      }
      case 't':
        doc_->values_[index].kind = JsonKind::kBool;
        doc_->values_[index].boolean = true;
        return literal("true");
      case 'f':
        doc_->values_[index].kind = JsonKind::kBool;
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return parse_number(index);
    }
  }

  bool parse_number(uint32_t index) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return syntax();
    uint64_t magnitude = 0;
    bool overflow = false;
    if (*p_ == '0') {
      ++p_;
    } else {
      while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
        const uint64_t digit = static_cast<uint64_t>(*p_ - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) overflow = true;
        magnitude = magnitude * 10 + digit;
        ++p_;
      }
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) {
      return fail("non-integer number " +
                  std::string(start, std::min<std::ptrdiff_t>(end_ - start, 32)));
    }
    const uint64_t limit = negative ? uint64_t{1} << 63 : uint64_t{INT64_MAX};
    if (overflow || magnitude > limit) return fail("integer out of int64 range");
    JsonValue& v = doc_->values_[index];
    v.kind = JsonKind::kInteger;
    v.integer = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    return true;
  }

  // Length of the well-formed UTF-8 sequence starting at p (lead byte >= 0x80), or 0.
  std::size_t utf8_length(const char* p) const {
    const auto b = [&](std::ptrdiff_t i) { return static_cast<unsigned char>(p[i]); };
    const std::ptrdiff_t left = end_ - p;
    const unsigned char c = b(0);
    auto cont = [&](std::ptrdiff_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
      return i < left && b(i) >= lo && b(i) <= hi;
    };
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }

  bool hex4(uint32_t* out) {
    if (end_ - p_ < 4) return syntax();
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = *p_++;
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        --p_;
        return syntax();
      }
    }
    *out = v;
    return true;
  }

  // p_ at the opening quote. Strings without escapes are views into the input; the others are
  // decoded into the document's buffer (never longer than the input).
  bool parse_string(std::string_view* out, const char* what) {
    ++p_;
    const char* start = p_;
    while (true) {
      if (p_ == end_) return syntax();
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        *out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c == '\\') break;
      if (c < 0x20) return fail(std::string("control character in ") + what);
      if (c < 0x80) {
        ++p_;
        continue;
      }
      const std::size_t n = utf8_length(p_);
      if (n == 0) return fail("invalid UTF-8 at byte " + std::to_string(p_ - begin_));
      p_ += n;
    }
    // Slow path: copy what we have, then decode escapes.
    if (!doc_->decoded_) {
      // Not zeroed: pages never written are never touched.
      doc_->decoded_.reset(new char[static_cast<std::size_t>(end_ - begin_)]);
      decoded_end_ = doc_->decoded_.get();
    }
    char* const dstart = decoded_end_;
    char* d = decoded_end_;
    d = std::copy(start, p_, d);
    while (true) {
      if (p_ == end_) return syntax();
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        break;
      }
      if (c < 0x20) return fail(std::string("control character in ") + what);
      if (c >= 0x80) {
        const std::size_t n = utf8_length(p_);
        if (n == 0) return fail("invalid UTF-8 at byte " + std::to_string(p_ - begin_));
        d = std::copy(p_, p_ + n, d);
        p_ += n;
        continue;
      }
      if (c != '\\') {
        *d++ = *p_++;
        continue;
      }
      ++p_;
      if (p_ == end_) return syntax();
      const char e = *p_++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          *d++ = e;
          continue;
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
          return fail(std::string("control character in ") + what);
        case 'u':
          break;
        default:
          --p_;
          return syntax();
      }
      uint32_t cp = 0;
      if (!hex4(&cp)) return false;
      if (cp >= 0xDC00 && cp <= 0xDFFF) return syntax();  // lone low surrogate
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return syntax();
        p_ += 2;
        uint32_t low = 0;
        if (!hex4(&low)) return false;
        if (low < 0xDC00 || low > 0xDFFF) return syntax();
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      }
      if (cp < 0x20) return fail(std::string("control character in ") + what);
      // Every escape is 6 input bytes (12 for a pair) and decodes to at most 4: the buffer the
      // size of the input is never overrun.
      if (cp < 0x80) {
        *d++ = static_cast<char>(cp);
      } else if (cp < 0x800) {
        *d++ = static_cast<char>(0xC0 | (cp >> 6));
        *d++ = static_cast<char>(0x80 | (cp & 0x3F));
      } else if (cp < 0x10000) {
        *d++ = static_cast<char>(0xE0 | (cp >> 12));
        *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *d++ = static_cast<char>(0x80 | (cp & 0x3F));
      } else {
        *d++ = static_cast<char>(0xF0 | (cp >> 18));
        *d++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        *d++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        *d++ = static_cast<char>(0x80 | (cp & 0x3F));
      }
    }
    decoded_end_ = d;
    *out = std::string_view(dstart, static_cast<std::size_t>(d - dstart));
    return true;
  }

  bool parse_container(uint32_t index, bool object) {
    if (depth_ >= kMaxJsonDepth) return fail("nesting too deep");
    ++depth_;
    ++p_;
    const std::size_t base = scratch_.size();
    skip_ws();
    const char close = object ? '}' : ']';
    if (p_ != end_ && *p_ == close) {
      ++p_;
    } else {
      while (true) {
        std::string_view key;
        if (object) {
          if (p_ == end_ || *p_ != '"') return syntax();
          if (!parse_string(&key, "object key")) return false;
          skip_ws();
          if (p_ == end_ || *p_ != ':') return syntax();
          ++p_;
          skip_ws();
        }
        const auto child = static_cast<uint32_t>(doc_->values_.size());
        doc_->values_.emplace_back();
        if (!parse_value(child)) return false;
        scratch_.push_back({key, child});
        skip_ws();
        if (p_ == end_) return syntax();
        if (*p_ == ',') {
          ++p_;
          skip_ws();
          continue;
        }
        if (*p_ != close) return syntax();
        ++p_;
        break;
      }
    }
    const auto first = scratch_.begin() + static_cast<std::ptrdiff_t>(base);
    if (object) {
      const auto by_key = [](const JsonMember& a, const JsonMember& b) { return a.key < b.key; };
      if (!std::is_sorted(first, scratch_.end(), by_key)) std::sort(first, scratch_.end(), by_key);
      const auto dup = std::adjacent_find(
          first, scratch_.end(),
          [](const JsonMember& a, const JsonMember& b) { return a.key == b.key; });
      if (dup != scratch_.end()) {
        return fail("duplicate key \"" + std::string(dup->key.substr(0, 64)) + "\"");
      }
    }
    JsonValue& v = doc_->values_[index];
    v.kind = object ? JsonKind::kObject : JsonKind::kArray;
    v.first = static_cast<uint32_t>(doc_->members_.size());
    v.size = static_cast<uint32_t>(scratch_.size() - base);
    doc_->members_.insert(doc_->members_.end(), first, scratch_.end());
    scratch_.resize(base);
    --depth_;
    return true;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  JsonDoc* doc_;
  char* decoded_end_ = nullptr;
  std::vector<JsonMember> scratch_;
  int depth_ = 0;
  std::string error_;
};

namespace {

constexpr std::array<int8_t, 256> make_base64_table() {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 26; ++i) {
    t['A' + i] = static_cast<int8_t>(i);
    t['a' + i] = static_cast<int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<int8_t>(52 + i);
  t['+'] = 62;
  t['/'] = 63;
  return t;
}
constexpr std::array<int8_t, 256> kBase64Table = make_base64_table();

}  // namespace

bool decode_base64(std::string_view text, std::string* out) {
  if (text.size() % 4 != 0) return false;
  std::size_t pad = 0;
  if (!text.empty() && text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  out->resize(text.size() / 4 * 3 - pad);
  char* d = out->data();
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const std::size_t n = i + 4 == text.size() ? 4 - pad : 4;  // characters that carry bits
    uint32_t group = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      int v = 0;
      if (j < n) {
        v = kBase64Table[static_cast<unsigned char>(text[i + j])];
        if (v < 0) return false;
      }
      group = group << 6 | static_cast<uint32_t>(v);
    }
    *d++ = static_cast<char>(group >> 16);
    if (n > 2) *d++ = static_cast<char>(group >> 8 & 0xff);
    if (n > 3) *d++ = static_cast<char>(group & 0xff);
  }
  return true;
}

Status JsonDoc::parse(std::string_view bytes, std::string_view role) {
  values_.clear();
  members_.clear();
  decoded_.reset();
  if (bytes.size() > UINT32_MAX) {  // sizes and indexes are 32-bit
    return make_error(ErrorKind::kTooLarge, std::string(role), "JSON document larger than 4 GiB");
  }
  DocParser parser(bytes, this);
  if (!parser.run()) {
    values_.clear();
    members_.clear();
    std::string why = parser.take_error();
    return make_error(ErrorKind::kMalformed, std::string(role),
                      why.empty() ? "invalid JSON" : std::move(why));
  }
  return {};
}

const JsonValue* JsonDoc::find(const JsonValue& obj, std::string_view key) const {
  const auto m = members(obj);
  auto it = std::lower_bound(m.begin(), m.end(), key,
                             [](const JsonMember& a, std::string_view k) { return a.key < k; });
  if (it == m.end() || it->key != key) return nullptr;
  return &values_[it->value];
}

void JsonDoc::append_canonical(const JsonValue& v, std::string* out) const {
  switch (v.kind) {
    case JsonKind::kObject:
    case JsonKind::kArray: {
      const bool object = v.kind == JsonKind::kObject;
      out->push_back(object ? '{' : '[');
      bool first = true;
      for (const JsonMember& m : members(v)) {  // object members are sorted by key bytes
        if (!first) out->push_back(',');
        first = false;
        if (object) {
          append_canonical_string(m.key, out);
          out->push_back(':');
        }
        append_canonical(values_[m.value], out);
      }
      out->push_back(object ? '}' : ']');
      break;
    }
    case JsonKind::kString:
      append_canonical_string(v.text(), out);
      break;
    case JsonKind::kInteger: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.integer);
      out->append(buf, r.ptr);
      break;
    }
    case JsonKind::kBool:
      out->append(v.boolean ? "true" : "false");
      break;
    case JsonKind::kNull:
      out->append("null");
      break;
  }
}

}  // namespace tuf::internal
