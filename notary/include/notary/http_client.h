// The HTTP(S) transport every server call goes through (Boost.Beast/Asio and OpenSSL, kept
// out of this header).
//
// Contract:
//  * HTTP/1.1 with keep-alive. Sequential requests to one origin reuse one pooled connection;
//    concurrent requests get their own. A pooled connection the server has closed is replaced,
//    and a request that failed on a reused connection is retried once on a fresh one when it
//    is idempotent (GET/HEAD) or nothing of it was sent.
//  * Deadlines: connect_timeout bounds resolve + TCP connect + proxy CONNECT + TLS handshake;
//    request_timeout bounds writing the request and reading the whole response.
//  * Limits: the response body is capped in the parser at HttpRequest::max_body_bytes (with or
//    without Content-Length) and headers at kMaxHeaderBytes; nothing beyond is buffered.
//  * TLS (docker-trust-cli spec 5.4): TLS >= 1.2 (1.2 with ECDHE + AES-GCM only), SNI for
//    host names, certificate and host-name (or IP SAN) verification against the system CAs
//    plus TlsOptions::ca_files, optional client certificate.
//  * Proxies: see notary/proxy.h (Go semantics; loopback is never proxied).
//  * Statuses are not errors: any complete response is returned, including 3xx/4xx/5xx.
//
// Errors (tuf::Error, gun/role empty, detail "<host:port>: <reason>"):
//  kNetwork   resolve/connect/TLS failures, resets, timeouts ("timed out after N ms"),
//             truncated or malformed HTTP, proxy refusals
//  kTooLarge  "response body exceeds N bytes" / response header too large
//  kUsage     an unparsable URL or proxy URL, a header with CR/LF
//  kIo        an unreadable CA file, client certificate or key (reported by every send())
//
// Thread-safety: an HttpClient may be used by many threads at once.
#ifndef DTRUST_NOTARY_HTTP_CLIENT_H_
#define DTRUST_NOTARY_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "notary/proxy.h"
#include "tuf/result.h"

namespace notary {

inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;  // status line + all header fields
inline constexpr int kMaxRedirects = 5;

struct TlsOptions {
  std::vector<std::filesystem::path> ca_files;  // extra PEM CA bundles, on top of the system's
  bool use_system_cas = true;                   // OpenSSL's default verify paths
  std::filesystem::path client_cert;            // PEM chain for mTLS; empty = none
  std::filesystem::path client_key;             // PEM private key for client_cert
  // Unsafe: accept any certificate for any name. Off unless the user asked for it.
  bool insecure_skip_verify = false;
};

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{30000};
  std::chrono::milliseconds request_timeout{30000};
  TlsOptions tls;
  std::string user_agent = "dtrust/0.1";
  // Read HTTP(S)_PROXY / NO_PROXY once, when the client is built.
  bool use_proxy_env = true;
  // Explicit proxy settings; when set they are used instead of the environment.
  std::optional<ProxySettings> proxy;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;                                           // absolute http(s) URL
  std::vector<std::pair<std::string, std::string>> headers;  // Host/User-Agent are added
  std::string body;
  std::size_t max_body_bytes = 1 << 20;
  // The body's exact size when the caller knows it in advance (a role fetched by hash, whose
  // length its parent's meta names), 0 when not: the body buffer is then sized once instead of
  // growing by doubling through a chunked response. Never more than max_body_bytes is
  // reserved, and a response of another size is still read (and judged) by the caller.
  std::size_t expected_body_bytes = 0;
  bool follow_redirects = false;  // up to kMaxRedirects, never https -> http
};

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in received order
  std::string body;
  std::string url;  // the URL that produced this response (differs after redirects)

  // The first header with this name (case-insensitive), or nullopt.
  std::optional<std::string> header(std::string_view name) const;
  // Every value of a repeated header (e.g. several WWW-Authenticate lines), in order.
  std::vector<std::string> header_values(std::string_view name) const;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends the request and reads the whole response. With follow_redirects, 301/302/303 turn
  // into GET (HEAD stays HEAD) without a body, 307/308 repeat the request; Authorization is
  // dropped when the origin changes. A redirect that would downgrade https to http, lacks a
  // usable Location, or exceeds kMaxRedirects is not followed: the 3xx response is returned.
  tuf::Result<HttpResponse> send(const HttpRequest& request);

  // OK, or the TLS configuration error (CA file, client certificate or key) that every send()
  // will report. Proxy URLs are checked per request (kUsage from send()).
  tuf::Status config_status() const;

  // Ready once this client's TLS context has been built, or has failed to build: by the first
  // https request, or by config_status(). Never ready while only plain http is used, nor when
  // unreadable TLS files (see config_status) stop every request before the build.
  std::shared_future<void> tls_context_built() const;

  struct Stats {
    int requests = 0;            // requests written to a connection (retries and redirects count)
    int connections_opened = 0;  // TCP connections established
  };
  Stats stats() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_HTTP_CLIENT_H_
