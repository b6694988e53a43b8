// HTTP proxy selection with the semantics of Go's net/http ProxyFromEnvironment
// (golang.org/x/net/http/httpproxy), because the peers we must match (the notary CLI and
// docker) are Go programs (docker-trust-cli spec 5.4: "HTTP proxy: taken from the
// environment").
//
//  * https:// requests use HTTPS_PROXY, http:// requests use HTTP_PROXY; there is no fallback
//    from one to the other. Upper-case names win over lower-case ones; empty means unset.
//  * A proxy value without "scheme://" is taken as "http://<value>". Only http:// proxies are
//    supported (HTTPS is tunnelled with CONNECT); user:pass in the proxy URL becomes
//    "Proxy-Authorization: Basic ...".
//  * Deliberate Go behaviour: "localhost" and loopback IPs (127.0.0.0/8, ::1) never use a
//    proxy, whatever NO_PROXY says (curl would proxy them unless NO_PROXY lists them).
//  * NO_PROXY is a comma list of: "*" (no proxy at all), IP addresses, CIDR ranges
//    ("10.0.0.0/8"), domain names ("example.com" matches it and its subdomains,
//    ".example.com" and "*.example.com" only subdomains), each optionally with ":port".
//  * When the CGI variable REQUEST_METHOD is set, HTTP_PROXY is ignored (Go's httpoxy guard).
//
// Pure apart from from_environment(); safe to share between threads once built.
#ifndef DTRUST_NOTARY_PROXY_H_
#define DTRUST_NOTARY_PROXY_H_

#include <optional>
#include <string>

#include "notary/url.h"
#include "tuf/result.h"

namespace notary {

// Where to send a request instead of the origin server.
struct ProxyEndpoint {
  Url url;                    // http://host:port of the proxy (target is unused)
  std::string authorization;  // "Basic <base64(user:pass)>" or "" when the URL had no user
};

struct ProxySettings {
  std::string http_proxy;   // proxy URL for http:// requests
  std::string https_proxy;  // proxy URL for https:// requests
  std::string no_proxy;     // exemption list, see above

  // Reads HTTP_PROXY/http_proxy, HTTPS_PROXY/https_proxy, NO_PROXY/no_proxy and
  // REQUEST_METHOD.
  static ProxySettings from_environment();

  // The proxy for a request to `target`, or nullopt to connect directly. Errors (kUsage):
  // a proxy URL that does not parse or whose scheme is not http.
  tuf::Result<std::optional<ProxyEndpoint>> proxy_for(const Url& target) const;

  // True when `target` must be reached directly: loopback, or exempted by no_proxy.
  bool bypasses_proxy(const Url& target) const;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_PROXY_H_
