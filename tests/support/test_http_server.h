// A small threaded HTTP/1.1 test server on 127.0.0.1 with fault injection, usable as an
// origin server, a fault-injecting reverse proxy in front of a real server, or a forward
// proxy (absolute-form requests and CONNECT tunnels). Optional TLS, optionally requiring a
// client certificate. Plus a throwaway PKI made with the `openssl` CLI for TLS tests.
//
// Tests only: failures to set up throw std::runtime_error. Every connection is served by
// its own thread; the handler is called from those threads and must be thread-safe.
#ifndef DTRUST_TESTS_SUPPORT_TEST_HTTP_SERVER_H_
#define DTRUST_TESTS_SUPPORT_TEST_HTTP_SERVER_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One request as the server received it.
struct TestRequest {
  std::string method;
  std::string target;  // as on the request line ("/v2/", "http://h:1/x", "h:443" for CONNECT)
  Headers headers;
  std::string body;
  int connection = 0;  // 1-based number of the TCP connection it arrived on

  // First header with this name (case-insensitive), or "".
  std::string header(std::string_view name) const;
};

// What the server does with a request: a normal response or a fault.
struct TestReply {
  enum class Fault {
    kNone,
    kStall,     // never answer (until the server stops)
    kReset,     // close with TCP RST
    kTruncate,  // full Content-Length, `truncate_at` body bytes, then close
    kGarbage,   // `garbage` bytes instead of an HTTP response, then close
    kTunnel,    // CONNECT: "200 Connection established", then splice to 127.0.0.1:tunnel_port
  };

  int status = 200;
  Headers headers;  // a Content-Length given here replaces the computed one
  std::string body;
  bool chunked = false;                // Transfer-Encoding: chunked instead of Content-Length
  bool close = false;                  // send "Connection: close" and close after the response
  std::chrono::milliseconds delay{0};  // wait this long before answering
  Fault fault = Fault::kNone;
  std::size_t truncate_at = 0;
  std::string garbage;
  std::uint16_t tunnel_port = 0;

  static TestReply ok(std::string body = {});
  static TestReply with_status(int status, std::string body = {});
  static TestReply stall();
  static TestReply reset();
  static TestReply truncated(std::string body, std::size_t sent_bytes);
  static TestReply garbage_bytes(std::string bytes);
  static TestReply tunnel(std::uint16_t port);
  TestReply& header(std::string name, std::string value);
  std::string header_value(std::string_view name) const;  // "" if absent
};

struct TestServerOptions {
  std::filesystem::path tls_cert;  // PEM chain; with tls_key, the server speaks TLS
  std::filesystem::path tls_key;
  std::filesystem::path client_ca;  // if set, a client certificate signed by it is required
};

class TestHttpServer {
 public:
  using Handler = std::function<TestReply(const TestRequest&)>;

  // Listens on 127.0.0.1 with an ephemeral port and starts accepting.
  explicit TestHttpServer(Handler handler, TestServerOptions options = {});
  // Stops accepting, wakes every stalled or blocked connection and joins all threads.
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::uint16_t port() const { return port_; }
  // "http(s)://127.0.0.1:<port><path>".
  std::string url(std::string_view path = "/") const;

  std::vector<TestRequest> requests() const;  // every request so far, in arrival order
  int request_count() const;
  int connections_accepted() const { return connections_.load(); }

  // Sends `request` to 127.0.0.1:upstream_port (TLS without verification if upstream_tls)
  // and returns the upstream's response as a reply (hop-by-hop headers dropped, body
  // de-chunked). An absolute-form target is reduced to its path. Upstream failure → 502.
  static TestReply forward(const TestRequest& request, std::uint16_t upstream_port,
                           bool upstream_tls = false);

  // A handler that forwards every request and lets `rewrite` change or replace the
  // upstream reply (identity when empty).
  static Handler reverse_proxy(std::uint16_t upstream_port,
                               std::function<TestReply(const TestRequest&, TestReply)> rewrite = {},
                               bool upstream_tls = false);

 private:
  struct Impl;

  void accept_loop();
  bool wait_or_stop(std::chrono::milliseconds delay);  // false when stopping

  Handler handler_;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  bool tls_ = false;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  std::vector<TestRequest> requests_;  // GUARDED_BY(mu_)
  std::set<int> live_fds_;             // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;   // GUARDED_BY(mu_)
  std::thread acceptor_thread_;
};

// A CA plus certificates issued by it, made with the openssl CLI (EC P-256, valid 2 days).
struct TestPki {
  std::filesystem::path dir;
  std::filesystem::path ca_cert, ca_key;
  std::filesystem::path server_cert, server_key;  // SAN localhost, 127.0.0.1, ::1 + extras
  std::filesystem::path client_cert, client_key;  // extendedKeyUsage clientAuth

  // Issues another certificate into dir/<name>.crt and dir/<name>.key. `san` is an
  // openssl subjectAltName value ("DNS:a.example,IP:10.0.0.1"). Throws on failure.
  std::pair<std::filesystem::path, std::filesystem::path> issue(const std::string& name,
                                                                const std::string& san,
                                                                bool client = false) const;
};

// Creates the PKI in `dir` (which must exist). `extra_dns` names are added to the server
// certificate's SAN. Throws std::runtime_error when openssl fails.
TestPki make_test_pki(const std::filesystem::path& dir,
                      const std::vector<std::string>& extra_dns = {});

// One PKI per test process (in a temp dir removed at exit), with "notary.test" added to the
// server certificate for proxy tests.
const TestPki& shared_test_pki();

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_TEST_HTTP_SERVER_H_
