// HttpClient: connection pool, retry of stale keep-alive connections, proxies and redirects
// (notary/http_client.h). The wire work is in connection.cpp.
#include "notary/http_client.h"

#include <fstream>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>

#include "http/connection.h"
#include "http/tls_context.h"

namespace notary {
namespace {

constexpr std::size_t kMaxIdlePerOrigin = 4;
constexpr auto kIdleTimeout = std::chrono::seconds(90);  // Go's IdleConnTimeout

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool has_header(const std::vector<std::pair<std::string, std::string>>& headers,
                std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return iequals(h.first, name); });
}

void remove_header(std::vector<std::pair<std::string, std::string>>& headers,
                   std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return iequals(h.first, name); });
}

// Header names are tokens; values must not smuggle CR/LF into the request.
tuf::Status check_headers(const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    const bool bad_name =
        name.empty() || std::any_of(name.begin(), name.end(), [](unsigned char c) {
          return c <= 0x20 || c >= 0x7f || c == ':';
        });
    const bool bad_value = value.find_first_of("\r\n") != std::string::npos;
    if (bad_name || bad_value) {
      return tuf::make_error(tuf::ErrorKind::kUsage, "", "invalid HTTP header \"" + name + "\"");
    }
  }
  return {};
}

bool is_idempotent(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpResponse::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) values.push_back(value);
  }
  return values;
}

// Every configured TLS file must be readable (kIo otherwise), checked without OpenSSL.
tuf::Status check_tls_files(const TlsOptions& tls) {
  auto readable = [](const std::filesystem::path& path, const char* what) -> tuf::Status {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return tuf::make_error(tuf::ErrorKind::kIo, "",
                             std::string("cannot read ") + what + " " + path.string());
    }
    return {};
  };
  for (const auto& file : tls.ca_files) DTRUST_TRY(readable(file, "CA file"));
  if (!tls.client_cert.empty()) DTRUST_TRY(readable(tls.client_cert, "client certificate"));
  if (!tls.client_key.empty()) DTRUST_TRY(readable(tls.client_key, "client key"));
  return {};
}

class HttpClient::Impl {
 public:
  explicit Impl(HttpOptions options) : options_(std::move(options)) {
    if (options_.proxy) {
      proxy_ = *options_.proxy;
    } else if (options_.use_proxy_env) {
      proxy_ = ProxySettings::from_environment();
    }
    // The OpenSSL context is built on the first https request: creating one costs OpenSSL 3
    // milliseconds, which a plain-http or cache-only run should not pay. Unreadable TLS files
    // are still reported by every send(), as the contract says.
    config_ = check_tls_files(options_.tls);
  }

  tuf::Result<HttpResponse> send(const HttpRequest& request);
  // Also builds the TLS context, so that a bad CA or client certificate shows up here.
  tuf::Status config_status() {
    DTRUST_TRY(config_);
    auto tls = tls_context();
    if (!tls.ok()) return tls.error();
    return {};
  }
  Stats stats() const { return Stats{requests_.load(), connections_.load()}; }
  std::shared_future<void> tls_context_built() const { return tls_built_future_; }

 private:
  using Pool = std::map<std::string, std::vector<std::unique_ptr<http::Connection>>>;

  tuf::Result<HttpResponse> send_once(const Url& url, const HttpRequest& request);
  http::WireRequest wire_request(const Url& url, const HttpRequest& request,
                                 const std::optional<ProxyEndpoint>& proxy) const;
  std::unique_ptr<http::Connection> take_idle(const std::string& key);
  void put_idle(const std::string& key, std::unique_ptr<http::Connection> conn);

  // The TLS context, built once on first use. Thread-safe.
  tuf::Result<boost::asio::ssl::context*> tls_context() {
    std::call_once(tls_once_, [this] {
      auto tls = http::make_tls_context(options_.tls);
      if (tls.ok()) {
        tls_ = std::move(tls).value();
      } else {
        tls_status_ = tls.error();
      }
      tls_built_.set_value();
    });
    if (!tls_status_.ok()) return tls_status_.error();
    return tls_.get();
  }

  const HttpOptions options_;
  ProxySettings proxy_;
  std::once_flag tls_once_;
  std::promise<void> tls_built_;  // set once, inside tls_once_
  const std::shared_future<void> tls_built_future_ = tls_built_.get_future().share();
  std::shared_ptr<boost::asio::ssl::context> tls_;
  tuf::Status tls_status_;
  tuf::Status config_;
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  Pool idle_;  // GUARDED_BY(mu_)
};

http::WireRequest HttpClient::Impl::wire_request(const Url& url, const HttpRequest& request,
                                                 const std::optional<ProxyEndpoint>& proxy) const {
  http::WireRequest wire;
  wire.method = request.method;
  // RFC 9112 3.2.2: plain-HTTP requests to a proxy use the absolute form.
  const bool absolute_form = proxy && url.scheme == "http";
  wire.target = absolute_form ? url.str() : url.target;
  wire.headers.emplace_back("Host", url.host_header());
  for (const auto& header : request.headers) {
    if (!iequals(header.first, "Host")) wire.headers.push_back(header);
  }
  if (!has_header(request.headers, "User-Agent")) {
    wire.headers.emplace_back("User-Agent", options_.user_agent);
  }
  if (absolute_form && !proxy->authorization.empty()) {
    wire.headers.emplace_back("Proxy-Authorization", proxy->authorization);
  }
  wire.body = request.body;
  wire.max_body_bytes = request.max_body_bytes;
  wire.expected_body_bytes = request.expected_body_bytes;
  wire.timeout = options_.request_timeout;
  return wire;
}

std::unique_ptr<http::Connection> HttpClient::Impl::take_idle(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = idle_.find(key);
  while (it != idle_.end() && !it->second.empty()) {
    auto conn = std::move(it->second.back());  // most recently used first
    it->second.pop_back();
    if (http::Clock::now() - conn->idle_since() < kIdleTimeout && conn->idle_and_open()) {
      return conn;
    }
  }
  return nullptr;
}

void HttpClient::Impl::put_idle(const std::string& key, std::unique_ptr<http::Connection> conn) {
  std::unique_ptr<http::Connection> evicted;
  conn->mark_idle();
  std::lock_guard lock(mu_);
  auto& slot = idle_[key];
  if (slot.size() >= kMaxIdlePerOrigin) {
    evicted = std::move(slot.front());
    slot.erase(slot.begin());
  }
  slot.push_back(std::move(conn));
}

tuf::Result<HttpResponse> HttpClient::Impl::send_once(const Url& url, const HttpRequest& request) {
  DTRUST_ASSIGN_OR_RETURN(const std::optional<ProxyEndpoint> proxy, proxy_.proxy_for(url));
  const std::string key = url.origin() + (proxy ? " via " + proxy->url.origin() : "");
  const http::WireRequest wire = wire_request(url, request, proxy);
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<http::Connection> conn = attempt == 0 ? take_idle(key) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      DTRUST_ASSIGN_OR_RETURN(conn,
                              http::Connection::open(
                                  url, proxy, [this] { return tls_context(); },
                                  !options_.tls.insecure_skip_verify, options_.connect_timeout));
      ++connections_;
    }
    ++requests_;
    http::Exchange exchange = conn->exchange(wire);
    if (exchange.result.ok()) {
      if (exchange.reusable) put_idle(key, std::move(conn));
      HttpResponse response = std::move(exchange.result).value();
      response.url = url.str();
      return response;
    }
    // The server may have closed a kept-alive connection just as we reused it (RFC 9112 9.3.1):
    // retry once on a fresh connection when that cannot duplicate a side effect.
    const bool retryable =
        reused && !exchange.timed_out &&
        (exchange.nothing_sent || (is_idempotent(request.method) && !exchange.got_response_bytes));
    if (!retryable || exchange.result.error().kind != tuf::ErrorKind::kNetwork) {
      return exchange.result.error();
    }
  }
}

tuf::Result<HttpResponse> HttpClient::Impl::send(const HttpRequest& request) {
  DTRUST_TRY(config_);
  DTRUST_TRY(check_headers(request.headers));
  DTRUST_ASSIGN_OR_RETURN(Url url, Url::parse(request.url));
  HttpRequest current = request;
  for (int redirects = 0;; ++redirects) {
    DTRUST_ASSIGN_OR_RETURN(HttpResponse response, send_once(url, current));
    if (!request.follow_redirects || !is_redirect(response.status) || redirects >= kMaxRedirects) {
      return response;
    }
    const auto location = response.header("Location");
    if (!location) return response;
    auto next = resolve_reference(url, *location);
    if (!next.ok() || (url.scheme == "https" && next->scheme == "http")) return response;
    // RFC 9110 15.4: 301/302/303 become GET (HEAD stays HEAD) without a body.
    if (response.status <= 303 && current.method != "HEAD") {
      current.method = "GET";
      current.body.clear();
      remove_header(current.headers, "Content-Type");
    }
    const bool same_host = next->host_port() == url.host_port() ||
                           (next->host == url.host && url.scheme == "http" && url.port == "80" &&
                            next->scheme == "https" && next->port == "443");
    if (!same_host) remove_header(current.headers, "Authorization");
    url = std::move(next).value();
  }
}

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

tuf::Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  return impl_->send(request);
}

tuf::Status HttpClient::config_status() const { return impl_->config_status(); }

HttpClient::Stats HttpClient::stats() const { return impl_->stats(); }

std::shared_future<void> HttpClient::tls_context_built() const {
  return impl_->tls_context_built();
}

}  // namespace notary
