// Internal: one HTTP/1.1 connection (plain or TLS, direct or through a proxy), driven
// synchronously by the calling thread on the connection's own io_context so that every
// step has a real deadline (beast::tcp_stream expiry).
#ifndef DTRUST_NOTARY_SRC_HTTP_CONNECTION_H_
#define DTRUST_NOTARY_SRC_HTTP_CONNECTION_H_

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "notary/http_client.h"
#include "notary/proxy.h"
#include "notary/url.h"
#include "tuf/result.h"

namespace notary::http {

using Clock = std::chrono::steady_clock;

// A request as it goes on the wire.
struct WireRequest {
  std::string method;
  std::string target;  // origin-form "/path?q", or absolute-form when sent to an HTTP proxy
  std::vector<std::pair<std::string, std::string>> headers;  // complete, Host included
  std::string body;
  std::size_t max_body_bytes = 0;
  std::size_t expected_body_bytes = 0;  // HttpRequest::expected_body_bytes
  std::chrono::milliseconds timeout{0};
};

// What happened to one request on one connection.
struct Exchange {
  tuf::Result<HttpResponse> result = HttpResponse{};
  bool nothing_sent = false;        // failed before any request byte left
  bool got_response_bytes = false;  // the server had started answering
  bool timed_out = false;
  bool reusable = false;  // the connection may carry another request
};

// Not thread-safe: the pool hands a connection to one thread at a time.
class Connection {
 public:
  // The TLS context for an https connection, asked for once while the host name resolves (on
  // Asio's resolver thread), so that building it overlaps the look-up. It must outlive the
  // connection; its error is open()'s.
  using TlsContextSource = std::function<tuf::Result<boost::asio::ssl::context*>()>;

  // Resolves and connects to the proxy or the origin, tunnels with CONNECT for https through
  // a proxy, then does the TLS handshake for https, all within connect_timeout. Errors: kNetwork
  // "<host:port>: ...", or the TLS context's.
  static tuf::Result<std::unique_ptr<Connection>> open(const Url& origin,
                                                       const std::optional<ProxyEndpoint>& proxy,
                                                       const TlsContextSource& tls,
                                                       bool verify_peer,
                                                       std::chrono::milliseconds connect_timeout);

  ~Connection();

  // Writes the request and reads the whole response within request.timeout.
  Exchange exchange(const WireRequest& request);

  // False when the idle connection was closed by the peer or has unexpected bytes waiting.
  bool idle_and_open();

  Clock::time_point idle_since() const { return idle_since_; }
  void mark_idle() { idle_since_ = Clock::now(); }

 private:
  explicit Connection(std::string label);

  // Runs the io_context until the operations started on it have completed.
  void run();
  // Runs `while_resolving` after starting the look-up; its error cancels the look-up.
  tuf::Status resolve_and_connect(const Url& peer, bool is_proxy, Clock::time_point deadline,
                                  std::chrono::milliseconds timeout,
                                  const std::function<tuf::Status()>& while_resolving);
  tuf::Status tunnel(const Url& origin, const ProxyEndpoint& proxy, Clock::time_point deadline,
                     std::chrono::milliseconds timeout);
  tuf::Status handshake(const Url& origin, boost::asio::ssl::context& tls, bool verify_peer,
                        Clock::time_point deadline, std::chrono::milliseconds timeout);
  template <class Stream>
  Exchange exchange_on(Stream& stream, const WireRequest& request);
  boost::beast::tcp_stream& lowest();  // the TCP layer of whichever stream is active

  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> tcp_;                            // plain
  std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;  // https
  boost::beast::flat_buffer buffer_;
  std::string label_;  // "host:port" of the origin, for messages
  Clock::time_point idle_since_ = Clock::now();
};

}  // namespace notary::http

#endif  // DTRUST_NOTARY_SRC_HTTP_CONNECTION_H_
