// Threaded fault-injecting HTTP/1.1 test server (test_http_server.h). Requests are parsed
// with Beast; responses are written as raw bytes so that faults can break them on purpose.
// The TestRequest/TestReply values and the reply-to-bytes rendering are in test_http_reply.cpp;
// the throwaway openssl PKI is at the end of this file.
#include "test_http_server.h"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

#include "test_http_internal.h"
#include "test_support.h"

namespace testing {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using internal::chunked_body;
using internal::iequals;
using internal::response_head;

namespace {

bool is_hop_by_hop(std::string_view name) {
  for (const char* hop : {"Connection", "Keep-Alive", "Proxy-Authorization", "Proxy-Connection",
                          "Transfer-Encoding", "Content-Length", "TE", "Upgrade"}) {
    if (iequals(name, hop)) return true;
  }
  return false;
}

template <class Fields>
Headers copy_fields(const Fields& fields) {
  Headers out;
  for (const auto& field : fields) {
    out.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return out;
}

// Connects a plain blocking socket to 127.0.0.1:port; -1 on failure.
int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
  if (fd >= 0) ::close(fd);
  return -1;
}

bool send_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Copies bytes both ways until either side closes or `stopping` is set.
void splice(int a, int b, const std::atomic<bool>& stopping) {
  char buf[16384];
  while (!stopping) {
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    if (::poll(fds, 2, 100) < 0) return;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t n = ::recv(fds[i].fd, buf, sizeof buf, 0);
      if (n <= 0 || !send_all(fds[1 - i].fd, buf, static_cast<std::size_t>(n))) return;
    }
  }
}

template <class Stream>
TestReply exchange_upstream(Stream& stream, const TestRequest& request) {
  bhttp::request<bhttp::string_body> req;
  req.version(11);
  req.method_string(request.method);
  std::string target = request.target;
  if (const auto scheme = target.find("://"); scheme != std::string::npos) {
    const auto path = target.find('/', scheme + 3);
    target = path == std::string::npos ? "/" : target.substr(path);
  }
  req.target(target);
  for (const auto& [name, value] : request.headers) {
    if (!is_hop_by_hop(name)) req.insert(name, value);
  }
  req.set(bhttp::field::connection, "close");
  req.body() = request.body;
  req.prepare_payload();
  error_code ec;
  bhttp::write(stream, req, ec);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  if (request.method == "HEAD") parser.skip(true);
  if (!ec) bhttp::read(stream, buffer, parser, ec);
  if (ec) return TestReply::with_status(502, "upstream failed: " + ec.message());
  TestReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  for (auto& [name, value] : copy_fields(parser.get())) {
    if (!is_hop_by_hop(name)) reply.headers.emplace_back(std::move(name), std::move(value));
  }
  reply.body = std::move(parser.get().body());
  return reply;
}

}  // namespace

// ---- Server ----------------------------------------------------------------------------------

struct TestHttpServer::Impl {
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::unique_ptr<ssl::context> tls;

  static void serve(TestHttpServer& server, int id, tcp::socket socket);
  template <class Stream>
  static void serve_stream(TestHttpServer& server, int id, Stream& stream, int fd);
};

TestHttpServer::TestHttpServer(Handler handler, TestServerOptions options)
    : handler_(std::move(handler)), impl_(std::make_unique<Impl>()) {
  if (!options.tls_cert.empty()) {
    tls_ = true;
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->use_certificate_chain_file(options.tls_cert.string());
    impl_->tls->use_private_key_file(options.tls_key.string(), ssl::context::pem);
    if (!options.client_ca.empty()) {
      impl_->tls->load_verify_file(options.client_ca.string());
      impl_->tls->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
  }
  const tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  acceptor_thread_ = std::thread([this] { accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (const int fd : live_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  stop_cv_.notify_all();
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);  // wakes accept()
  acceptor_thread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    threads.swap(threads_);
  }
  for (auto& thread : threads) thread.join();
}

std::string TestHttpServer::url(std::string_view path) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) +
         std::string(path);
}

std::vector<TestRequest> TestHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

int TestHttpServer::request_count() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(requests_.size());
}

bool TestHttpServer::wait_or_stop(std::chrono::milliseconds delay) {
  std::unique_lock lock(mu_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void TestHttpServer::accept_loop() {
  while (!stopping_) {
    tcp::socket socket(impl_->ioc);
    error_code ec;
    impl_->acceptor.accept(socket, ec);
    if (stopping_) return;
    if (ec) continue;
    const int id = ++connections_;
    std::lock_guard lock(mu_);
    threads_.emplace_back(
        [this, id, s = std::move(socket)]() mutable { Impl::serve(*this, id, std::move(s)); });
  }
}

void TestHttpServer::Impl::serve(TestHttpServer& server, int id, tcp::socket socket) {
  const int fd = socket.native_handle();
  {
    std::lock_guard lock(server.mu_);
    if (server.stopping_) return;
    server.live_fds_.insert(fd);
  }
  if (server.impl_->tls) {
    ssl::stream<tcp::socket&> stream(socket, *server.impl_->tls);
    error_code ec;
    stream.handshake(ssl::stream_base::server, ec);
    if (!ec) serve_stream(server, id, stream, fd);
  } else {
    serve_stream(server, id, socket, fd);
  }
  std::lock_guard lock(server.mu_);
  server.live_fds_.erase(fd);
  error_code ignored;
  socket.close(ignored);
}

template <class Stream>
void TestHttpServer::Impl::serve_stream(TestHttpServer& server, int id, Stream& stream, int fd) {
  beast::flat_buffer buffer;
  while (!server.stopping_) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    error_code ec;
    bhttp::read(stream, buffer, parser, ec);
    if (ec) return;
    TestRequest request{std::string(parser.get().method_string()),
                        std::string(parser.get().target()), copy_fields(parser.get()),
                        parser.get().body(), id};
    {
      std::lock_guard lock(server.mu_);
      server.requests_.push_back(request);
    }
    TestReply reply;
    try {
      reply = server.handler_(request);
    } catch (const std::exception& e) {
      reply = TestReply::with_status(500, std::string("test handler threw: ") + e.what());
    }
    if (reply.delay.count() > 0 && !server.wait_or_stop(reply.delay)) return;
    const auto write = [&](const std::string& bytes) {
      net::write(stream, net::buffer(bytes), ec);
      return !ec;
    };
    switch (reply.fault) {
      case TestReply::Fault::kStall:
        server.wait_or_stop(std::chrono::hours(1));
        return;
      case TestReply::Fault::kReset: {
        const linger abort{1, 0};  // close() now sends RST instead of FIN
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
        return;
      }
      case TestReply::Fault::kGarbage:
        write(reply.garbage);
        return;
      case TestReply::Fault::kTruncate:
        write(response_head(reply, reply.body.size()) + reply.body.substr(0, reply.truncate_at));
        return;
      case TestReply::Fault::kTunnel:
        if constexpr (std::is_same_v<Stream, tcp::socket>) {
          const int upstream = connect_loopback(reply.tunnel_port);
          if (upstream < 0) {
            write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
          }
          const auto pending = buffer.data();
          if (write("HTTP/1.1 200 Connection established\r\n\r\n") &&
              send_all(upstream, static_cast<const char*>(pending.data()), pending.size())) {
            splice(fd, upstream, server.stopping_);
          }
          ::close(upstream);
        }
        return;
      case TestReply::Fault::kNone:
        break;
    }
    const bool head = request.method == "HEAD";
    std::string bytes = response_head(reply, reply.body.size());
    if (!head) bytes += reply.chunked ? chunked_body(reply.body) : reply.body;
    if (!write(bytes) || reply.close || !parser.get().keep_alive()) return;
  }
}

TestReply TestHttpServer::forward(const TestRequest& request, std::uint16_t upstream_port,
                                  bool upstream_tls) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  error_code ec;
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), upstream_port), ec);
  if (ec) return TestReply::with_status(502, "upstream connect failed: " + ec.message());
  if (!upstream_tls) return exchange_upstream(socket, request);
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_verify_mode(ssl::verify_none);  // loopback test upstream only
  ssl::stream<tcp::socket&> stream(socket, ctx);
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return TestReply::with_status(502, "upstream TLS failed: " + ec.message());
  return exchange_upstream(stream, request);
}

TestHttpServer::Handler TestHttpServer::reverse_proxy(
    std::uint16_t upstream_port, std::function<TestReply(const TestRequest&, TestReply)> rewrite,
    bool upstream_tls) {
  return [=](const TestRequest& request) {
    TestReply upstream = forward(request, upstream_port, upstream_tls);
    return rewrite ? rewrite(request, std::move(upstream)) : upstream;
  };
}

// ---- PKI -------------------------------------------------------------------------------------

namespace {

void run_openssl(const std::string& args, const std::filesystem::path& dir) {
  const std::filesystem::path log = dir / "openssl.log";
  const std::string command =
      "cd '" + dir.string() + "' && openssl " + args + " >>'" + log.string() + "' 2>&1";
  if (std::system(command.c_str()) != 0) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    throw std::runtime_error("openssl " + args + " failed:\n" + text.str());
  }
}

}  // namespace

const TestPki& shared_test_pki() {
  static const TempDir dir;
  static const TestPki pki = make_test_pki(dir.path(), {"notary.test"});
  return pki;
}

std::pair<std::filesystem::path, std::filesystem::path> TestPki::issue(const std::string& name,
                                                                       const std::string& san,
                                                                       bool client) const {
  {
    std::ofstream ext(dir / (name + ".ext"));
    ext << "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        << "extendedKeyUsage=" << (client ? "clientAuth" : "serverAuth") << "\n";
    if (!san.empty()) ext << "subjectAltName=" << san << "\n";
  }
  static std::mt19937_64 serials{std::random_device{}()};
  run_openssl("req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + name +
                  ".key -out " + name + ".csr -subj /CN=" + name,
              dir);
  run_openssl("x509 -req -in " + name + ".csr -CA ca.crt -CAkey ca.key -set_serial " +
                  std::to_string(serials() >> 2) + " -days 2 -out " + name + ".crt -extfile " +
                  name + ".ext",
              dir);
  return {dir / (name + ".crt"), dir / (name + ".key")};
}

TestPki make_test_pki(const std::filesystem::path& dir, const std::vector<std::string>& extra_dns) {
  TestPki pki;
  pki.dir = dir;
  run_openssl(
      "req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key "
      "-out ca.crt -days 2 -subj /CN=dtrust-test-ca "
      "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
      dir);
  pki.ca_cert = dir / "ca.crt";
  pki.ca_key = dir / "ca.key";
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  for (const auto& name : extra_dns) san += ",DNS:" + name;
  std::tie(pki.server_cert, pki.server_key) = pki.issue("server", san);
  std::tie(pki.client_cert, pki.client_key) = pki.issue("client", "", true);
  return pki;
}

}  // namespace testing
