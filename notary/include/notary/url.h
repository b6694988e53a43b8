// Absolute http(s) URLs and Go-compatible query encoding.
//
// Pure functions, no I/O; safe to call from any thread.
#ifndef DTRUST_NOTARY_URL_H_
#define DTRUST_NOTARY_URL_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tuf/result.h"

namespace notary {

// An absolute http or https URL split into what a request needs. Userinfo and fragments are
// not part of it (a fragment is dropped while parsing; userinfo is rejected).
struct Url {
  std::string scheme;         // "http" or "https", lower case
  std::string host;           // lower case; an IPv6 literal is stored without brackets
  std::string port;           // decimal text; "443" for https and "80" for http when absent
  std::string target;         // path plus "?query"; at least "/"; bytes >= 0x80 percent-encoded
  bool ipv6_literal = false;  // host was written as "[...]"

  // Parses "scheme://host[:port][/path][?query][#fragment]". Errors (kind kUsage, detail
  // naming the text): another scheme, missing or invalid host, port outside 1..65535,
  // userinfo, spaces or control characters.
  static tuf::Result<Url> parse(std::string_view text);

  // "host:port", with brackets around an IPv6 literal ("[::1]:443").
  std::string host_port() const;
  // "scheme://host:port" with the port always present, so equal origins compare equal.
  std::string origin() const;
  // The Host header: host (bracketed if IPv6) plus ":port" unless it is the scheme default.
  std::string host_header() const;
  // The whole URL again: scheme "://" host_header() target.
  std::string str() const;

  bool operator==(const Url&) const = default;
};

// Go's url.QueryEscape: A-Z a-z 0-9 and "-_.~" are kept, space becomes '+', every other
// byte becomes %XX (upper-case hex).
std::string query_escape(std::string_view text);

// Go's url.Values.Encode: "k=v&k2=v2" with keys sorted (stable for repeated keys) and both
// keys and values query-escaped.
std::string encode_query(std::vector<std::pair<std::string, std::string>> params);

// Decodes %XX escapes (and '+' as space when `plus_is_space`). Error (kUsage) on a malformed
// escape.
tuf::Result<std::string> percent_decode(std::string_view text, bool plus_is_space = false);

// Resolves a Location header (absolute URL, "//authority/path", "/path" or a relative path)
// against `base`, per RFC 3986 section 5.2 (dot segments removed, fragment dropped).
tuf::Result<Url> resolve_reference(const Url& base, std::string_view reference);

}  // namespace notary

#endif  // DTRUST_NOTARY_URL_H_
