// URL parsing and query encoding (notary/url.h).
#include "notary/url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace notary {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

tuf::Error url_error(std::string_view text, std::string_view why) {
  return tuf::make_error(tuf::ErrorKind::kUsage, "",
                         "invalid URL \"" + std::string(text) + "\": " + std::string(why));
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool valid_reg_name(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
  });
}

// Parses "host", "host:port", "[v6]" or "[v6]:port" into url (port defaulted by caller).
tuf::Status parse_authority(std::string_view text, std::string_view authority, Url& url) {
  if (authority.find('@') != std::string_view::npos) {
    return url_error(text, "userinfo is not supported");
  }
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return url_error(text, "unterminated IPv6 literal");
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return url_error(text, "junk after IPv6 literal");
      port = rest.substr(1);
    }
    in6_addr addr{};
    if (inet_pton(AF_INET6, std::string(host).c_str(), &addr) != 1) {
      return url_error(text, "invalid IPv6 literal");
    }
    url.ipv6_literal = true;
  } else {
    const auto colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port = authority.substr(colon + 1);
    }
    if (!valid_reg_name(host)) return url_error(text, "missing or invalid host");
  }
  url.host = to_lower(host);
  if (!port.empty()) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return url_error(text, "invalid port");
    }
    url.port = std::to_string(value);
  }
  return {};
}

// Checks the path+query for bytes that would break the request line and percent-encodes
// non-ASCII bytes.
tuf::Result<std::string> clean_target(std::string_view text, std::string_view raw) {
  std::string out;
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return url_error(text, "space or control character");
    if (c >= 0x80) {
      out += '%';
      out += kHexUpper[c >> 4];
      out += kHexUpper[c & 15];
    } else {
      out += ch;
    }
  }
  if (out.empty() || out.front() == '?') out.insert(out.begin(), '/');
  return out;
}

// RFC 3986 5.2.4: removes "." and ".." segments from an absolute path.
std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t pos = 1;  // skip the leading '/'
  while (pos <= path.size()) {
    const auto next = std::min(path.find('/', pos), path.size());
    const std::string_view seg = path.substr(pos, next - pos);
    const bool last = next == path.size();
    if (seg == "..") {
      if (!segments.empty()) segments.pop_back();
      if (last) segments.emplace_back();
    } else if (seg == ".") {
      if (last) segments.emplace_back();
    } else {
      segments.push_back(seg);
    }
    pos = next + 1;
  }
  std::string out;
  for (const auto seg : segments) {
    out += '/';
    out += seg;
  }
  return out.empty() ? "/" : out;
}

}  // namespace

tuf::Result<Url> Url::parse(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return url_error(text, "not an absolute URL");
  Url url;
  url.scheme = to_lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    return url_error(text, "scheme must be http or https");
  }
  std::string_view rest = text.substr(sep + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto authority_end = std::min(rest.find_first_of("/?"), rest.size());
  DTRUST_TRY(parse_authority(text, rest.substr(0, authority_end), url));
  if (url.port.empty()) url.port = url.scheme == "https" ? "443" : "80";
  DTRUST_ASSIGN_OR_RETURN(url.target, clean_target(text, rest.substr(authority_end)));
  return url;
}

std::string Url::host_port() const { return (ipv6_literal ? "[" + host + "]" : host) + ":" + port; }

std::string Url::origin() const { return scheme + "://" + host_port(); }

std::string Url::host_header() const {
  const bool default_port =
      (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  if (!default_port) return host_port();
  return ipv6_literal ? "[" + host + "]" : host;
}

std::string Url::str() const { return scheme + "://" + host_header() + target; }

std::string query_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHexUpper[c >> 4];
      out += kHexUpper[c & 15];
    }
  }
  return out;
}

std::string encode_query(std::vector<std::pair<std::string, std::string>> params) {
  std::stable_sort(params.begin(), params.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += query_escape(key) + "=" + query_escape(value);
  }
  return out;
}

tuf::Result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      const bool complete = i + 2 < text.size();
      const int hi = complete ? hex_value(text[i + 1]) : -1;
      const int lo = complete ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return tuf::make_error(tuf::ErrorKind::kUsage, "",
                               "malformed percent-escape in \"" + std::string(text) + "\"");
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

tuf::Result<Url> resolve_reference(const Url& base, std::string_view reference) {
  if (reference.find("://") != std::string_view::npos &&
      reference.find("://") < reference.find_first_of("/?")) {
    return Url::parse(reference);
  }
  if (reference.starts_with("//")) return Url::parse(base.scheme + ":" + std::string(reference));
  std::string_view ref = reference.substr(0, std::min(reference.find('#'), reference.size()));
  Url url = base;
  if (ref.empty()) return url;
  std::string target;
  if (ref.front() == '/') {
    target = std::string(ref);
  } else if (ref.front() == '?') {
    target = base.target.substr(0, std::min(base.target.find('?'), base.target.size())) +
             std::string(ref);
  } else {
    const std::string base_path = base.target.substr(0, base.target.find('?'));
    target = base_path.substr(0, base_path.rfind('/') + 1) + std::string(ref);
  }
  const auto query = std::min(target.find('?'), target.size());
  target = remove_dot_segments(std::string_view(target).substr(0, query)) + target.substr(query);
  DTRUST_ASSIGN_OR_RETURN(url.target, clean_target(reference, target));
  return url;
}

}  // namespace notary
