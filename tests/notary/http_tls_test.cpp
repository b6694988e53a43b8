// HttpClient over TLS against the test server with a PKI made by the openssl CLI.
#include <catch2/catch.hpp>

#include "notary/http_client.h"
#include "notary/remote.h"
#include "test_http_server.h"
#include "test_support.h"

using namespace std::chrono_literals;
using notary::HttpClient;
using notary::HttpOptions;
using notary::HttpRequest;
using testing::shared_test_pki;
using testing::TestHttpServer;
using testing::TestReply;
using testing::TestRequest;
using testing::TestServerOptions;

namespace {

HttpOptions tls_options(bool trust_test_ca) {
  HttpOptions options;
  options.connect_timeout = 2000ms;
  options.request_timeout = 2000ms;
  options.use_proxy_env = false;
  options.tls.use_system_cas = false;
  if (trust_test_ca) options.tls.ca_files = {shared_test_pki().ca_cert};
  return options;
}

TestServerOptions server_tls() {
  return {shared_test_pki().server_cert, shared_test_pki().server_key, {}};
}

TestReply hello(const TestRequest&) { return TestReply::ok("hello over tls"); }

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

std::string localhost_url(const TestHttpServer& server, const std::string& path = "/") {
  return "https://localhost:" + std::to_string(server.port()) + path;
}

}  // namespace

TEST_CASE("tls: a server certificate from a trusted CA file is accepted", "[http][tls]") {
  TestHttpServer server(hello, server_tls());
  HttpClient client(tls_options(true));
  REQUIRE(client.config_status().ok());
  for (const std::string& url : {server.url("/a"), localhost_url(server, "/b"), server.url("/c")}) {
    INFO(url);
    auto response = client.send(get(url));
    REQUIRE(response.ok());
    CHECK(response->status == 200);
    CHECK(response->body == "hello over tls");
  }
  // 127.0.0.1 and localhost are different origins; each keeps one connection alive.
  CHECK(server.connections_accepted() == 2);
  CHECK(client.stats().connections_opened == 2);
}

TEST_CASE("tls: an unknown CA fails with certificate verify failed", "[http][tls]") {
  TestHttpServer server(hello, server_tls());
  HttpClient client(tls_options(false));
  auto response = client.send(get(server.url()));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(response.error().detail.find("certificate verify failed") != std::string::npos);
  CHECK(response.error().detail.find("127.0.0.1:" + std::to_string(server.port())) == 0);
  CHECK(server.request_count() == 0);
}

TEST_CASE("tls: a certificate for another name fails host-name verification", "[http][tls]") {
  const auto [cert, key] = shared_test_pki().issue("wrong-name", "DNS:other.example");
  TestHttpServer server(hello, {cert, key, {}});
  HttpClient client(tls_options(true));
  auto by_ip = client.send(get(server.url()));
  REQUIRE_FALSE(by_ip.ok());
  CHECK(by_ip.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(by_ip.error().detail.find("IP address mismatch") != std::string::npos);
  auto by_name = client.send(get(localhost_url(server)));
  REQUIRE_FALSE(by_name.ok());
  CHECK(by_name.error().detail.find("hostname mismatch") != std::string::npos);
  CHECK(server.request_count() == 0);
}

TEST_CASE("tls: insecure_skip_verify accepts an untrusted, mismatched certificate", "[http][tls]") {
  const auto [cert, key] = shared_test_pki().issue("skip-name", "DNS:other.example");
  TestHttpServer server(hello, {cert, key, {}});
  HttpOptions options = tls_options(false);
  options.tls.insecure_skip_verify = true;
  HttpClient client(options);
  auto response = client.send(get(server.url()));
  REQUIRE(response.ok());
  CHECK(response->body == "hello over tls");
}

TEST_CASE("tls: a server requiring a client certificate", "[http][tls][mtls]") {
  TestServerOptions mtls = server_tls();
  mtls.client_ca = shared_test_pki().ca_cert;
  TestHttpServer server(hello, mtls);
  SECTION("refuses a client without one") {
    HttpClient client(tls_options(true));
    auto response = client.send(get(server.url()));
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
    CHECK(server.request_count() == 0);
  }
  SECTION("accepts the client certificate") {
    HttpOptions options = tls_options(true);
    options.tls.client_cert = shared_test_pki().client_cert;
    options.tls.client_key = shared_test_pki().client_key;
    HttpClient client(options);
    auto response = client.send(get(server.url()));
    REQUIRE(response.ok());
    CHECK(response->body == "hello over tls");
  }
}

TEST_CASE("tls: unreadable CA or client key files are reported by every send", "[http][tls]") {
  testing::TempDir dir;
  HttpOptions missing_ca = tls_options(false);
  missing_ca.tls.ca_files = {dir.path() / "absent.crt"};
  HttpClient client(missing_ca);
  REQUIRE_FALSE(client.config_status().ok());
  CHECK(client.config_status().error().kind == tuf::ErrorKind::kIo);
  CHECK(client.config_status().error().detail.find("absent.crt") != std::string::npos);
  auto response = client.send(get("https://127.0.0.1:1/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kIo);

  HttpOptions wrong_key = tls_options(true);
  wrong_key.tls.client_cert = shared_test_pki().client_cert;
  wrong_key.tls.client_key = shared_test_pki().server_key;  // does not match the certificate
  CHECK(HttpClient(wrong_key).config_status().error().kind == tuf::ErrorKind::kIo);
}

TEST_CASE("tls: tls_context_built is ready once the first https request built the context",
          "[http][tls]") {
  // A publish's key preload waits for it (notary/publisher.h), so it must become ready on every
  // path that builds the context, successful or not, and not before.
  TestHttpServer plain(hello);
  TestHttpServer secure(hello, server_tls());
  HttpClient client(tls_options(true));
  const auto built = client.tls_context_built();
  CHECK(built.wait_for(0ms) == std::future_status::timeout);
  REQUIRE(client.send(get(plain.url())).ok());
  CHECK(built.wait_for(0ms) == std::future_status::timeout);  // plain http builds no context
  REQUIRE(client.send(get(secure.url())).ok());
  CHECK(built.wait_for(0ms) == std::future_status::ready);

  HttpClient checked(tls_options(true));
  REQUIRE(checked.config_status().ok());
  CHECK(checked.tls_context_built().wait_for(0ms) == std::future_status::ready);

  // A CA file that is readable but holds no certificate: the build fails, and is over.
  testing::TempDir dir;
  testing::write_file(dir.path() / "not-a-ca.pem", "no certificate here\n");
  HttpOptions bad_ca = tls_options(false);
  bad_ca.tls.ca_files = {dir.path() / "not-a-ca.pem"};
  HttpClient failing(bad_ca);
  REQUIRE_FALSE(failing.send(get(secure.url())).ok());
  CHECK(failing.tls_context_built().wait_for(0ms) == std::future_status::ready);
}

TEST_CASE("tls: a Remote has tls_context_built only for an https server", "[http][tls]") {
  HttpClient client(tls_options(true));
  CHECK_FALSE(notary::Remote(client, nullptr, "http://127.0.0.1:4443", "example.com/app")
                  .tls_context_built()
                  .has_value());
  const auto secure = notary::Remote(client, nullptr, "https://127.0.0.1:4443/", "example.com/app")
                          .tls_context_built();
  REQUIRE(secure.has_value());
  CHECK(secure->wait_for(0ms) == std::future_status::timeout);
  REQUIRE(client.config_status().ok());
  CHECK(secure->wait_for(0ms) == std::future_status::ready);
}

TEST_CASE("tls: a body ended by close without close_notify is tolerated", "[http][tls]") {
  TestHttpServer server(
      [](const TestRequest&) {
        return TestReply::garbage_bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end");
      },
      server_tls());
  HttpClient client(tls_options(true));
  auto response = client.send(get(server.url()));
  REQUIRE(response.ok());
  CHECK(response->body == "to the end");
}

TEST_CASE("tls: a truncated body over TLS is still a network error", "[http][tls]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::truncated("0123456789", 4); },
                        server_tls());
  HttpClient client(tls_options(true));
  auto response = client.send(get(server.url()));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
}

TEST_CASE("tls: a stalled TLS server fails within the deadline", "[http][tls]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::stall(); }, server_tls());
  HttpOptions options = tls_options(true);
  options.request_timeout = 300ms;
  HttpClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(get(server.url()));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().detail.find("timed out after 300 ms") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < 1500ms);
}

TEST_CASE("tls: a redirect from https to http is not followed", "[http][tls]") {
  TestHttpServer plain([](const TestRequest&) { return TestReply::ok("downgraded"); });
  TestHttpServer server(
      [&](const TestRequest&) {
        return TestReply::with_status(301).header("Location", plain.url("/"));
      },
      server_tls());
  HttpClient client(tls_options(true));
  HttpRequest request = get(server.url());
  request.follow_redirects = true;
  auto response = client.send(request);
  REQUIRE(response.ok());
  CHECK(response->status == 301);
  CHECK(plain.request_count() == 0);
}

TEST_CASE("tls: a plain-HTTP server behind an https URL is a network error", "[http][tls]") {
  TestHttpServer plain(hello);
  HttpClient client(tls_options(true));
  auto response = client.send(get("https://127.0.0.1:" + std::to_string(plain.port()) + "/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(response.error().detail.find("TLS handshake failed") != std::string::npos);
}
