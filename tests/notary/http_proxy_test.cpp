// Proxy selection (Go's HTTP_PROXY/HTTPS_PROXY/NO_PROXY semantics) and requests through a
// forward proxy: CONNECT tunnels for https, absolute-form requests for http.
//
// The origin host names used through the proxy (notary.test, registry.test) are never
// resolved by the client: the test proxy sends every tunnel to a loopback server.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "notary/http_client.h"
#include "notary/proxy.h"
#include "test_http_server.h"

using namespace std::chrono_literals;
using notary::HttpClient;
using notary::HttpOptions;
using notary::HttpRequest;
using notary::ProxySettings;
using notary::Url;
using testing::TestHttpServer;
using testing::TestReply;
using testing::TestRequest;

namespace {

std::optional<std::string> proxy_url(const ProxySettings& settings, const std::string& target) {
  auto chosen = settings.proxy_for(*Url::parse(target));
  REQUIRE(chosen.ok());
  if (!chosen->has_value()) return std::nullopt;
  return (*chosen)->url.origin();
}

bool bypasses(const std::string& no_proxy, const std::string& target) {
  ProxySettings settings{"http://proxy:3128", "http://proxy:3128", no_proxy};
  return settings.bypasses_proxy(*Url::parse(target));
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    value ? setenv(name, value, 1) : unsetenv(name);
  }
  ~ScopedEnv() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

HttpOptions proxied(const std::string& proxy, const std::string& no_proxy = "") {
  HttpOptions options;
  options.connect_timeout = 2000ms;
  options.request_timeout = 2000ms;
  options.proxy = ProxySettings{proxy, proxy, no_proxy};
  options.tls.use_system_cas = false;
  options.tls.ca_files = {testing::shared_test_pki().ca_cert};
  return options;
}

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

}  // namespace

TEST_CASE("proxy: each scheme uses its own variable without fallback", "[http][proxy]") {
  const ProxySettings https_only{"", "http://secure-proxy:3128", ""};
  CHECK(proxy_url(https_only, "https://notary.example/") == "http://secure-proxy:3128");
  CHECK(proxy_url(https_only, "http://notary.example/") == std::nullopt);
  const ProxySettings http_only{"plain-proxy:8080", "", ""};
  CHECK(proxy_url(http_only, "http://notary.example/") == "http://plain-proxy:8080");
  CHECK(proxy_url(http_only, "https://notary.example/") == std::nullopt);
}

TEST_CASE("proxy: loopback is never proxied, as in Go", "[http][proxy]") {
  for (const char* target : {"https://localhost:4443/", "https://127.0.0.1/", "https://127.9.8.7/",
                             "https://[::1]:4443/", "http://LOCALHOST/"}) {
    INFO(target);
    CHECK(bypasses("", target));
  }
  CHECK_FALSE(bypasses("", "https://localhost.example/"));
  CHECK_FALSE(bypasses("", "https://10.1.2.3/"));
}

TEST_CASE("proxy: NO_PROXY entries exempt hosts like Go's httpproxy", "[http][proxy]") {
  CHECK(bypasses("*", "https://anything.example/"));
  CHECK(bypasses("example.com", "https://example.com/"));
  CHECK(bypasses("example.com", "https://notary.example.com/"));
  CHECK_FALSE(bypasses("example.com", "https://badexample.com/"));
  CHECK(bypasses(".example.com", "https://a.b.example.com/"));
  CHECK_FALSE(bypasses(".example.com", "https://example.com/"));
  CHECK(bypasses("*.example.com", "https://x.example.com/"));
  CHECK_FALSE(bypasses("*.example.com", "https://example.com/"));
  CHECK(bypasses("example.com:4443", "https://example.com:4443/"));
  CHECK_FALSE(bypasses("example.com:4443", "https://example.com/"));  // port 443
  CHECK(bypasses("example.com:443", "https://example.com/"));
  CHECK(bypasses("10.0.0.0/8", "https://10.20.30.40/"));
  CHECK_FALSE(bypasses("10.0.0.0/8", "https://11.0.0.1/"));
  CHECK_FALSE(bypasses("10.0.0.0/8", "https://ten.example/"));
  CHECK(bypasses("192.168.1.5", "https://192.168.1.5:8443/"));
  CHECK(bypasses("[2001:db8::1]:443", "https://[2001:db8::1]/"));
  CHECK(bypasses("2001:db8::/32", "https://[2001:db8:ffff::1]/"));
  CHECK(bypasses(" other.org , EXAMPLE.com ", "https://example.com/"));
  CHECK_FALSE(bypasses("other.org,,", "https://example.com/"));
}

TEST_CASE("proxy: proxy URLs with credentials and unsupported schemes", "[http][proxy]") {
  const ProxySettings with_user{"", "http://us%40er:p%3Ass@proxy.corp:3128", ""};
  auto endpoint = with_user.proxy_for(*Url::parse("https://notary.example/"));
  REQUIRE(endpoint.ok());
  REQUIRE(endpoint->has_value());
  CHECK((*endpoint)->url.host_port() == "proxy.corp:3128");
  CHECK((*endpoint)->authorization == "Basic dXNAZXI6cDpzcw==");  // "us@er:p:ss"
  const ProxySettings without_port{"", "proxy.corp", ""};
  CHECK(proxy_url(without_port, "https://notary.example/") == "http://proxy.corp:80");
  for (const char* bad : {"https://proxy.corp:443", "socks5://proxy.corp:1080", "http://[bad/"}) {
    INFO(bad);
    const ProxySettings settings{"", bad, ""};
    auto chosen = settings.proxy_for(*Url::parse("https://notary.example/"));
    REQUIRE_FALSE(chosen.ok());
    CHECK(chosen.error().kind == tuf::ErrorKind::kUsage);
  }
}

TEST_CASE("proxy: environment variables, upper case first", "[http][proxy]") {
  ScopedEnv upper("HTTPS_PROXY", "http://upper:1");
  ScopedEnv lower("https_proxy", "http://lower:2");
  ScopedEnv no_upper("NO_PROXY", nullptr);
  ScopedEnv no_lower("no_proxy", "skip.example");
  ScopedEnv http_upper("HTTP_PROXY", nullptr);
  ScopedEnv http_lower("http_proxy", "http://plain:3");
  ScopedEnv cgi("REQUEST_METHOD", nullptr);
  ProxySettings settings = ProxySettings::from_environment();
  CHECK(settings.https_proxy == "http://upper:1");
  CHECK(settings.no_proxy == "skip.example");
  CHECK(settings.http_proxy == "http://plain:3");
  {
    ScopedEnv under_cgi("REQUEST_METHOD", "GET");
    CHECK(ProxySettings::from_environment().http_proxy.empty());
  }
}

TEST_CASE("proxy: https goes through a CONNECT tunnel with proxy credentials", "[http][proxy]") {
  TestHttpServer origin(
      [](const TestRequest& request) {
        return TestReply::ok("origin saw Host " + request.header("Host"));
      },
      {testing::shared_test_pki().server_cert, testing::shared_test_pki().server_key, {}});
  TestHttpServer proxy([&](const TestRequest& request) {
    if (request.method != "CONNECT") return TestReply::with_status(405);
    if (request.header("Proxy-Authorization") != "Basic dXNlcjpwYXNz") {
      return TestReply::with_status(407).header("Proxy-Authenticate", "Basic realm=\"proxy\"");
    }
    return TestReply::tunnel(origin.port());
  });
  const std::string proxy_with_user = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
  HttpClient client(proxied(proxy_with_user));
  for (int i = 0; i < 3; ++i) {
    auto response = client.send(get("https://notary.test:4443/v2/"));
    REQUIRE(response.ok());
    CHECK(response->body == "origin saw Host notary.test:4443");
  }
  REQUIRE(proxy.request_count() == 1);  // one tunnel, kept alive
  CHECK(proxy.requests()[0].target == "notary.test:4443");
  CHECK(proxy.requests()[0].header("Host") == "notary.test:4443");
  CHECK(origin.request_count() == 3);
  CHECK(origin.requests()[0].header("Proxy-Authorization").empty());  // stays with the proxy
  CHECK(client.stats().connections_opened == 1);
}

TEST_CASE("proxy: a refused CONNECT is a network error naming the proxy", "[http][proxy]") {
  TestHttpServer proxy([](const TestRequest&) { return TestReply::with_status(407); });
  HttpClient client(proxied("http://127.0.0.1:" + std::to_string(proxy.port())));
  auto response = client.send(get("https://notary.test:4443/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(response.error().detail.find("notary.test:4443: proxy 127.0.0.1:") == 0);
  CHECK(response.error().detail.find("407") != std::string::npos);
}

TEST_CASE("proxy: plain http uses absolute-form requests to the proxy", "[http][proxy]") {
  TestHttpServer proxy([](const TestRequest& request) {
    return TestReply::ok(request.method + " " + request.target +
                         " auth=" + request.header("Proxy-Authorization"));
  });
  HttpClient client(proxied("http://u:p@127.0.0.1:" + std::to_string(proxy.port())));
  auto response = client.send(get("http://registry.test:5000/v2/?x=1"));
  REQUIRE(response.ok());
  CHECK(response->body == "GET http://registry.test:5000/v2/?x=1 auth=Basic dTpw");
  CHECK(proxy.requests().at(0).header("Host") == "registry.test:5000");
}

TEST_CASE("proxy: loopback origins bypass a configured proxy", "[http][proxy]") {
  TestHttpServer proxy([](const TestRequest&) { return TestReply::with_status(502); });
  TestHttpServer origin([](const TestRequest&) { return TestReply::ok("direct"); });
  HttpClient client(proxied("http://127.0.0.1:" + std::to_string(proxy.port())));
  auto response = client.send(get(origin.url()));
  REQUIRE(response.ok());
  CHECK(response->body == "direct");
  CHECK(proxy.connections_accepted() == 0);
}

TEST_CASE("proxy: the reverse-proxy test server can rewrite upstream answers", "[http][proxy]") {
  TestHttpServer upstream([](const TestRequest& request) {
    return TestReply::ok("upstream " + request.target).header("X-Upstream", "yes");
  });
  TestHttpServer front(TestHttpServer::reverse_proxy(
      upstream.port(), [](const TestRequest& request, TestReply reply) {
        if (request.target == "/tamper") reply.body[0] = 'U';
        return reply;
      }));
  HttpClient client(proxied(""));
  auto plain = client.send(get(front.url("/plain")));
  REQUIRE(plain.ok());
  CHECK(plain->body == "upstream /plain");
  CHECK(plain->header("X-Upstream") == "yes");
  CHECK(client.send(get(front.url("/tamper")))->body == "Upstream /tamper");
  CHECK(upstream.request_count() == 2);
  CHECK(front.request_count() == 2);
}
