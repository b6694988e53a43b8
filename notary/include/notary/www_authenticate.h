// WWW-Authenticate challenges (RFC 7235 section 4.1), as the Docker registry and
// notary-server send them (protocol spec 2.1):
//   Bearer realm="https://auth.example/token",service="notary",scope="repository:a/b:push,pull"
//
// Pure function, no I/O; safe to call from any thread.
#ifndef DTRUST_NOTARY_WWW_AUTHENTICATE_H_
#define DTRUST_NOTARY_WWW_AUTHENTICATE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace notary {

struct AuthChallenge {
  std::string scheme;                         // lower case: "bearer", "basic", ...
  std::map<std::string, std::string> params;  // keys lower case; values unquoted and unescaped
  std::string token68;                        // "Negotiate abc==" style credentials, if any

  // The value of a parameter, or "" when absent.
  std::string param(const std::string& key) const;
};

// Parses one header value into its challenges, in order. Quoted strings may contain commas,
// '=' and backslash escapes. Parsing is lenient like docker/distribution's: it stops at the
// first malformed challenge and returns the complete ones before it (possibly none). Several
// WWW-Authenticate header lines are parsed one at a time by the caller.
std::vector<AuthChallenge> parse_www_authenticate(std::string_view header);

}  // namespace notary

#endif  // DTRUST_NOTARY_WWW_AUTHENTICATE_H_
