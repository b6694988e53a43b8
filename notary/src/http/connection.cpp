// One HTTP/1.1 connection over Beast (see connection.h). Every Beast/OpenSSL error_code is
// translated here, once, into a tuf::Error.
#include "http/connection.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>

#include "http/tls_context.h"

namespace notary::http {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

tuf::Error network_error(const std::string& label, const std::string& what) {
  return tuf::make_error(tuf::ErrorKind::kNetwork, "", label + ": " + what);
}

std::string ms(std::chrono::milliseconds timeout) {
  return std::to_string(timeout.count()) + " ms";
}

bool is_ip_literal(const Url& url) {
  in_addr v4{};
  return url.ipv6_literal || inet_pton(AF_INET, url.host.c_str(), &v4) == 1;
}

// OpenSSL's reason without Asio's " (library)" suffix.
std::string tls_reason(const error_code& ec) {
  load_openssl_error_strings();
  if (ec.category() == net::error::get_ssl_category()) {
    if (const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()))) {
      return reason;
    }
  }
  if (ec == ssl::error::stream_truncated) return "connection closed without TLS close_notify";
  return ec.message();
}

// A failed read or write of a request/response, as one line.
std::string transfer_reason(const error_code& ec, std::chrono::milliseconds timeout) {
  if (ec == beast::error::timeout) return "request timed out after " + ms(timeout);
  if (ec == bhttp::error::end_of_stream) return "connection closed before a response";
  if (ec == bhttp::error::partial_message) {
    return "connection closed before the response was complete";
  }
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category()) {
    return "malformed HTTP response: " + ec.message();
  }
  if (ec.category() == net::error::get_ssl_category() || ec == ssl::error::stream_truncated) {
    return "TLS error: " + tls_reason(ec);
  }
  return ec.message();
}

}  // namespace

Connection::Connection(std::string label) : label_(std::move(label)) {}

Connection::~Connection() {
  error_code ignored;
  if (tcp_ || tls_) lowest().socket().close(ignored);
}

beast::tcp_stream& Connection::lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *tcp_; }

void Connection::run() {
  ioc_.restart();
  ioc_.run();
}

tuf::Result<std::unique_ptr<Connection>> Connection::open(
    const Url& origin, const std::optional<ProxyEndpoint>& proxy, const TlsContextSource& tls,
    bool verify_peer, std::chrono::milliseconds connect_timeout) {
  const Clock::time_point deadline = Clock::now() + connect_timeout;
  std::unique_ptr<Connection> conn(new Connection(origin.host_port()));
  const bool https = origin.scheme == "https";
  ssl::context* context = nullptr;
  auto build_tls = [&]() -> tuf::Status {
    if (!https) return {};
    DTRUST_ASSIGN_OR_RETURN(context, tls());
    return {};
  };
  DTRUST_TRY(conn->resolve_and_connect(proxy ? proxy->url : origin, proxy.has_value(), deadline,
                                       connect_timeout, build_tls));
  if (https) {
    if (proxy) DTRUST_TRY(conn->tunnel(origin, *proxy, deadline, connect_timeout));
    DTRUST_TRY(conn->handshake(origin, *context, verify_peer, deadline, connect_timeout));
  }
  return conn;
}

tuf::Status Connection::resolve_and_connect(const Url& peer, bool is_proxy,
                                            Clock::time_point deadline,
                                            std::chrono::milliseconds timeout,
                                            const std::function<tuf::Status()>& while_resolving) {
  const std::string who = is_proxy ? "proxy " + peer.host_port() + ": " : "";
  tcp::resolver resolver(ioc_);
  net::steady_timer timer(ioc_, deadline);
  error_code resolve_ec = net::error::timed_out;
  tcp::resolver::results_type endpoints;
  resolver.async_resolve(peer.host, peer.port,
                         [&](const error_code& ec, tcp::resolver::results_type results) {
                           resolve_ec = ec;
                           endpoints = std::move(results);
                           timer.cancel();
                         });
  timer.async_wait([&](const error_code& ec) {
    if (!ec) resolver.cancel();
  });
  if (tuf::Status status = while_resolving(); !status.ok()) {
    resolver.cancel();
    timer.cancel();
    run();
    return status;
  }
  run();
  if (resolve_ec == net::error::operation_aborted || resolve_ec == net::error::timed_out) {
    return network_error(label_,
                         who + "resolving " + peer.host + " timed out after " + ms(timeout));
  }
  if (resolve_ec) {
    return network_error(label_, who + "cannot resolve " + peer.host + ": " + resolve_ec.message());
  }
  tcp_.emplace(ioc_);
  tcp_->expires_at(deadline);
  error_code connect_ec;
  tcp_->async_connect(endpoints,
                      [&](const error_code& ec, const tcp::endpoint&) { connect_ec = ec; });
  run();
  if (connect_ec == beast::error::timeout) {
    return network_error(label_, who + "connect timed out after " + ms(timeout));
  }
  if (connect_ec) return network_error(label_, who + "connect failed: " + connect_ec.message());
  error_code ignored;
  tcp_->socket().set_option(tcp::no_delay(true), ignored);
  return {};
}

// RFC 9110 9.3.6: "CONNECT host:port" to the proxy; a 2xx turns the connection into a tunnel.
tuf::Status Connection::tunnel(const Url& origin, const ProxyEndpoint& proxy,
                               Clock::time_point deadline, std::chrono::milliseconds timeout) {
  const std::string who = "proxy " + proxy.url.host_port() + ": ";
  bhttp::request<bhttp::empty_body> req{bhttp::verb::connect, origin.host_port(), 11};
  req.set(bhttp::field::host, origin.host_port());
  if (!proxy.authorization.empty()) req.set(bhttp::field::proxy_authorization, proxy.authorization);
  tcp_->expires_at(deadline);
  error_code ec;
  bhttp::async_write(*tcp_, req, [&](const error_code& e, std::size_t) { ec = e; });
  run();
  bhttp::response_parser<bhttp::empty_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.skip(true);  // a CONNECT response has no body we want
  if (!ec) {
    bhttp::async_read(*tcp_, buffer_, parser, [&](const error_code& e, std::size_t) { ec = e; });
    run();
  }
  if (ec == beast::error::timeout) {
    return network_error(label_, who + "CONNECT timed out after " + ms(timeout));
  }
  if (ec) return network_error(label_, who + "CONNECT failed: " + transfer_reason(ec, timeout));
  const auto& res = parser.get();
  if (res.result_int() / 100 != 2) {
    return network_error(label_, who + "CONNECT refused: " + std::to_string(res.result_int()) +
                                     " " + std::string(res.reason()));
  }
  if (buffer_.size() != 0) {
    return network_error(label_, who + "sent data before the TLS handshake");
  }
  return {};
}

tuf::Status Connection::handshake(const Url& origin, ssl::context& tls, bool verify_peer,
                                  Clock::time_point deadline, std::chrono::milliseconds timeout) {
  tls_.emplace(std::move(*tcp_), tls);
  tcp_.reset();
  SSL* native = tls_->native_handle();
  const bool ip = is_ip_literal(origin);
  // RFC 6066 section 3: SNI carries host names only, never IP literals.
  if (!ip && SSL_set_tlsext_host_name(native, origin.host.c_str()) != 1) {
    return network_error(label_, "cannot set TLS server name");
  }
  if (verify_peer) {
    // OpenSSL's own RFC 6125 check (what ssl::host_name_verification wraps), set on the
    // verify parameters so a mismatch is reported as "hostname mismatch"/"IP address mismatch".
    X509_VERIFY_PARAM* param = SSL_get0_param(native);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, origin.host.c_str())
                       : X509_VERIFY_PARAM_set1_host(param, origin.host.c_str(), 0);
    if (set != 1) return network_error(label_, "cannot set the expected TLS peer name");
  }
  beast::get_lowest_layer(*tls_).expires_at(deadline);
  error_code ec;
  ERR_clear_error();
  tls_->async_handshake(ssl::stream_base::client, [&](const error_code& e) { ec = e; });
  run();
  if (ec == beast::error::timeout) {
    return network_error(label_, "TLS handshake timed out after " + ms(timeout));
  }
  if (ec) {
    std::string reason = tls_reason(ec);
    const long verify = SSL_get_verify_result(native);
    if (verify != X509_V_OK)
      reason += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
    ERR_clear_error();
    return network_error(label_, "TLS handshake failed: " + reason);
  }
  return {};
}

Exchange Connection::exchange(const WireRequest& request) {
  return tls_ ? exchange_on(*tls_, request) : exchange_on(*tcp_, request);
}

template <class Stream>
Exchange Connection::exchange_on(Stream& stream, const WireRequest& request) {
  Exchange out;
  bhttp::request<bhttp::string_body> req;
  req.version(11);
  const bhttp::verb verb = bhttp::string_to_verb(request.method);
  if (verb == bhttp::verb::unknown) {
    req.method_string(request.method);
  } else {
    req.method(verb);
  }
  req.target(request.target);
  for (const auto& [name, value] : request.headers) req.insert(name, value);
  req.body() = request.body;
  req.prepare_payload();

  lowest().expires_after(request.timeout);  // one deadline for the write and the read
  error_code ec;
  std::size_t written = 0;
  bhttp::async_write(stream, req, [&](const error_code& e, std::size_t n) {
    ec = e;
    written = n;
  });
  run();
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(kMaxHeaderBytes);
  parser.body_limit(request.max_body_bytes);
  if (request.method == "HEAD") parser.skip(true);
  if (ec) {
    out.nothing_sent = written == 0;
  } else {
    // Header first: Beast 1.74's eager parser can lose the body_limit error for a
    // Content-Length over the limit when body bytes arrive in the same read, so the length
    // is also checked here, before any body byte is taken.
    bhttp::async_read_header(stream, buffer_, parser,
                             [&](const error_code& e, std::size_t) { ec = e; });
    run();
    if (!ec && parser.content_length().value_or(0) > request.max_body_bytes) {
      ec = bhttp::error::body_limit;
    }
    if (!ec && !parser.is_done()) {
      if (request.expected_body_bytes > 0) {
        parser.get().body().reserve(std::min(request.expected_body_bytes, request.max_body_bytes));
      }
      bhttp::async_read(stream, buffer_, parser, [&](const error_code& e, std::size_t) { ec = e; });
      run();
    }
    out.got_response_bytes = parser.got_some();
    // A body delimited by EOF may end without TLS close_notify; HTTP framing already tells
    // whether the message is complete (what Beast's examples tolerate at shutdown).
    if (ec == ssl::error::stream_truncated && parser.got_some()) {
      error_code eof;
      parser.put_eof(eof);
      if (!eof) ec = {};
    }
  }
  if (ec) {
    out.timed_out = ec == beast::error::timeout;
    if (ec == bhttp::error::body_limit) {
      out.result = tuf::make_error(
          tuf::ErrorKind::kTooLarge, "",
          label_ + ": response body exceeds " + std::to_string(request.max_body_bytes) + " bytes");
    } else if (ec == bhttp::error::header_limit) {
      out.result = tuf::make_error(
          tuf::ErrorKind::kTooLarge, "",
          label_ + ": response header exceeds " + std::to_string(kMaxHeaderBytes) + " bytes");
    } else {
      out.result = network_error(label_, transfer_reason(ec, request.timeout));
    }
    return out;
  }
  out.reusable = parser.keep_alive() && buffer_.size() == 0;
  auto message = parser.release();
  HttpResponse response;
  response.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  response.body = std::move(message.body());
  out.result = std::move(response);
  return out;
}

bool Connection::idle_and_open() {
  if (!tcp_ && !tls_) return false;
  auto& socket = lowest().socket();
  if (!socket.is_open()) return false;
  if (tls_ && SSL_pending(tls_->native_handle()) > 0) return false;
  pollfd fd{socket.native_handle(), POLLIN, 0};
  // Readable while idle means EOF, a reset, a TLS alert or stray bytes: none is reusable.
  return ::poll(&fd, 1, 0) == 0;
}

}  // namespace notary::http
