// WWW-Authenticate parsing (notary/www_authenticate.h), RFC 7235 section 2.1 / 4.1:
//   challenge  = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//   auth-param = token BWS "=" BWS ( token / quoted-string )
#include "notary/www_authenticate.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace notary {
namespace {

bool is_tchar(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
}

bool is_token68_char(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return std::isalnum(c) || std::string_view("-._~+/").find(ch) != std::string_view::npos;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  std::size_t pos() const { return pos_; }
  void reset(std::size_t pos) { pos_ = pos; }
  void skip_ws() {
    while (!done() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  // Skips whitespace and list separators.
  void skip_ws_and_commas() {
    while (!done() && (peek() == ' ' || peek() == '\t' || peek() == ',')) ++pos_;
  }
  template <class Pred>
  std::string take_while(Pred pred) {
    const std::size_t start = pos_;
    while (!done() && pred(peek())) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  // A quoted-string starting at the current '"'; nullopt if unterminated.
  std::optional<std::string> quoted_string() {
    ++pos_;  // opening quote
    std::string out;
    while (!done()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && !done()) {
        out += text_[pos_++];
      } else {
        out += c;
      }
    }
    return std::nullopt;
  }
  // True when only whitespace remains before the end or a comma.
  bool at_item_end() {
    skip_ws();
    return done() || peek() == ',';
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Tries to read a token68 right after the scheme ("Basic dXNlcg=="). Leaves the cursor
// untouched and returns false when the text is an auth-param list instead.
bool read_token68(Cursor& in, AuthChallenge& challenge) {
  const std::size_t start = in.pos();
  std::string value = in.take_while(is_token68_char);
  value += in.take_while([](char c) { return c == '='; });
  if (!value.empty() && in.at_item_end()) {
    challenge.token68 = value;
    return true;
  }
  in.reset(start);
  return false;
}

// Reads "key=value" pairs until the next challenge starts. Returns false on malformed input.
bool read_params(Cursor& in, AuthChallenge& challenge) {
  while (true) {
    in.skip_ws_and_commas();
    if (in.done()) return true;
    const std::size_t start = in.pos();
    const std::string key = in.take_while(is_tchar);
    if (key.empty()) return false;
    in.skip_ws();
    if (in.peek() != '=') {  // a new challenge's scheme
      in.reset(start);
      return true;
    }
    in.reset(in.pos() + 1);
    in.skip_ws();
    std::string value;
    if (in.peek() == '"') {
      auto quoted = in.quoted_string();
      if (!quoted) return false;
      value = std::move(*quoted);
    } else {
      value = in.take_while(is_tchar);
    }
    challenge.params[lower(key)] = std::move(value);
    if (!in.at_item_end()) return false;
  }
}

}  // namespace

std::string AuthChallenge::param(const std::string& key) const {
  const auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

std::vector<AuthChallenge> parse_www_authenticate(std::string_view header) {
  std::vector<AuthChallenge> challenges;
  Cursor in(header);
  while (true) {
    in.skip_ws_and_commas();
    if (in.done()) break;
    AuthChallenge challenge;
    challenge.scheme = lower(in.take_while(is_tchar));
    if (challenge.scheme.empty()) break;
    if (!in.done() && in.peek() != ' ' && in.peek() != '\t' && in.peek() != ',') break;
    in.skip_ws();
    if (!read_token68(in, challenge) && !read_params(in, challenge)) break;
    challenges.push_back(std::move(challenge));
  }
  return challenges;
}

}  // namespace notary
