// Proxy selection from HTTP_PROXY / HTTPS_PROXY / NO_PROXY (notary/proxy.h).
#include "notary/proxy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "tuf/crypto.h"

namespace notary {
namespace {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d), like Go's net.IP.
using IpBytes = std::array<unsigned char, 16>;

std::optional<IpBytes> parse_ip(const std::string& text) {
  IpBytes ip{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    ip[10] = ip[11] = 0xff;
    std::memcpy(ip.data() + 12, &v4, 4);
    return ip;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(ip.data(), &v6, 16);
    return ip;
  }
  return std::nullopt;
}

bool is_v4(const IpBytes& ip) {
  static constexpr IpBytes kPrefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::equal(ip.begin(), ip.begin() + 12, kPrefix.begin());
}

bool is_loopback(const IpBytes& ip) {
  if (is_v4(ip)) return ip[12] == 127;
  static constexpr IpBytes kV6Loopback{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return ip == kV6Loopback;
}

// "10.0.0.0/8" or "fd00::/8" contains ip.
bool cidr_contains(const std::string& cidr, const IpBytes& ip) {
  const auto slash = cidr.find('/');
  const auto net = parse_ip(cidr.substr(0, slash));
  const std::string bits_text = cidr.substr(slash + 1);
  if (!net || bits_text.empty() || bits_text.size() > 3 ||
      !std::all_of(bits_text.begin(), bits_text.end(), ::isdigit)) {
    return false;
  }
  int bits = std::atoi(bits_text.c_str());
  if (is_v4(*net)) {
    if (bits > 32 || !is_v4(ip)) return false;
    bits += 96;
  } else if (bits > 128) {
    return false;
  }
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) != ((*net)[i] & mask)) return false;
  }
  return true;
}

std::string trim_lower(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits "host:port" / "[v6]:port" / "host" / "v6" of one NO_PROXY entry.
void split_entry(const std::string& entry, std::string& host, std::string& port) {
  host = entry;
  port.clear();
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    if (close == std::string::npos) return;
    host = entry.substr(1, close - 1);
    if (close + 1 < entry.size() && entry[close + 1] == ':') port = entry.substr(close + 2);
    return;
  }
  const auto colon = entry.find(':');
  if (colon != std::string::npos && colon == entry.rfind(':')) {  // one colon: host:port
    host = entry.substr(0, colon);
    port = entry.substr(colon + 1);
  }
}

// One NO_PROXY entry against the target's host (lower case, no brackets) and port.
bool entry_matches(const std::string& entry, const std::string& host,
                   const std::optional<IpBytes>& host_ip, const std::string& port) {
  if (entry.find('/') != std::string::npos) return host_ip && cidr_contains(entry, *host_ip);
  std::string entry_host, entry_port;
  split_entry(entry, entry_host, entry_port);
  if (entry_host.empty()) return false;
  if (!entry_port.empty() && entry_port != port) return false;
  if (const auto entry_ip = parse_ip(entry_host)) return host_ip && *host_ip == *entry_ip;
  if (entry_host.starts_with("*.")) entry_host.erase(0, 1);
  if (entry_host.front() == '.') return host.ends_with(entry_host);  // subdomains only
  return host == entry_host || host.ends_with("." + entry_host);
}

std::string getenv_any(const char* upper, const char* lower) {
  for (const char* name : {upper, lower}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

tuf::Result<ProxyEndpoint> parse_proxy_url(const std::string& text) {
  std::string full = text.find("://") == std::string::npos ? "http://" + text : text;
  const auto bad = [&](std::string_view why) {
    return tuf::make_error(tuf::ErrorKind::kUsage, "",
                           "invalid proxy address \"" + text + "\": " + std::string(why));
  };
  ProxyEndpoint endpoint;
  const auto authority_start = full.find("://") + 3;
  const auto authority_end = std::min(full.find_first_of("/?#", authority_start), full.size());
  const auto at = full.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority_start) {
    const std::string userinfo = full.substr(authority_start, at - authority_start);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    auto pass = percent_decode(colon == std::string::npos ? "" : userinfo.substr(colon + 1));
    if (!user.ok() || !pass.ok()) return bad("malformed user information");
    endpoint.authorization = "Basic " + tuf::crypto::base64_encode(*user + ":" + *pass);
    full.erase(authority_start, at + 1 - authority_start);
  }
  auto url = Url::parse(full);
  if (!url.ok()) {
    if (full.starts_with("https://")) return bad("only http:// proxies are supported");
    return bad(url.error().detail);
  }
  if (url->scheme != "http") return bad("only http:// proxies are supported");
  endpoint.url = std::move(url).value();
  return endpoint;
}

}  // namespace

ProxySettings ProxySettings::from_environment() {
  ProxySettings settings;
  settings.https_proxy = getenv_any("HTTPS_PROXY", "https_proxy");
  settings.no_proxy = getenv_any("NO_PROXY", "no_proxy");
  // Go (httpoxy, CVE-2016-5385): under CGI, HTTP_PROXY may come from a request header.
  if (std::getenv("REQUEST_METHOD") == nullptr) {
    settings.http_proxy = getenv_any("HTTP_PROXY", "http_proxy");
  }
  return settings;
}

bool ProxySettings::bypasses_proxy(const Url& target) const {
  const std::optional<IpBytes> host_ip = parse_ip(target.host);
  // Go's httpproxy: loopback never goes through a proxy.
  if (target.host == "localhost" || (host_ip && is_loopback(*host_ip))) return true;
  std::size_t pos = 0;
  while (pos <= no_proxy.size()) {
    const auto comma = std::min(no_proxy.find(',', pos), no_proxy.size());
    const std::string entry = trim_lower(std::string_view(no_proxy).substr(pos, comma - pos));
    pos = comma + 1;
    if (entry == "*") return true;
    if (!entry.empty() && entry_matches(entry, target.host, host_ip, target.port)) return true;
  }
  return false;
}

tuf::Result<std::optional<ProxyEndpoint>> ProxySettings::proxy_for(const Url& target) const {
  const std::string& proxy = target.scheme == "https" ? https_proxy : http_proxy;
  if (proxy.empty() || bypasses_proxy(target)) return std::optional<ProxyEndpoint>();
  DTRUST_ASSIGN_OR_RETURN(ProxyEndpoint endpoint, parse_proxy_url(proxy));
  return std::optional<ProxyEndpoint>(std::move(endpoint));
}

}  // namespace notary
