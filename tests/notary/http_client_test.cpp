// HttpClient over plain HTTP against the fault-injecting test server: keep-alive, concurrency,
// limits, deadlines, broken servers, redirects.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "notary/http_client.h"
#include "test_http_server.h"

using namespace std::chrono_literals;
using notary::HttpClient;
using notary::HttpOptions;
using notary::HttpRequest;
using testing::TestHttpServer;
using testing::TestReply;
using testing::TestRequest;

namespace {

HttpOptions fast_options() {
  HttpOptions options;
  options.connect_timeout = 1000ms;
  options.request_timeout = 1000ms;
  options.use_proxy_env = false;
  return options;
}

HttpRequest get(const std::string& url, std::size_t max_body = 1 << 20) {
  HttpRequest request;
  request.url = url;
  request.max_body_bytes = max_body;
  return request;
}

TestReply echo_target(const TestRequest& request) {
  return TestReply::ok("you asked " + request.target);
}

}  // namespace

TEST_CASE("http client: sequential requests to one origin reuse one connection", "[http]") {
  TestHttpServer server(echo_target);
  HttpClient client(fast_options());
  for (int i = 0; i < 5; ++i) {
    auto response = client.send(get(server.url("/r" + std::to_string(i))));
    REQUIRE(response.ok());
    CHECK(response->status == 200);
    CHECK(response->body == "you asked /r" + std::to_string(i));
  }
  CHECK(server.connections_accepted() == 1);
  CHECK(client.stats().connections_opened == 1);
  CHECK(client.stats().requests == 5);
  for (const auto& request : server.requests()) CHECK(request.connection == 1);
}

TEST_CASE("http client: requests carry Host, User-Agent, headers and body", "[http]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::ok(); });
  HttpOptions options = fast_options();
  options.user_agent = "dtrust-test/1";
  HttpClient client(options);
  HttpRequest request = get(server.url("/v2/a/_trust/tuf/"));
  request.method = "POST";
  request.headers = {{"Content-Type", "multipart/form-data; boundary=x"}, {"X-Extra", "1"}};
  request.body = std::string("body\0bytes", 10);
  REQUIRE(client.send(request).ok());
  const TestRequest seen = server.requests().at(0);
  CHECK(seen.method == "POST");
  CHECK(seen.target == "/v2/a/_trust/tuf/");
  CHECK(seen.header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(seen.header("User-Agent") == "dtrust-test/1");
  CHECK(seen.header("Content-Type") == "multipart/form-data; boundary=x");
  CHECK(seen.header("X-Extra") == "1");
  CHECK(seen.header("Content-Length") == "10");
  CHECK(seen.body == request.body);
}

TEST_CASE("http client: error statuses are responses, not errors", "[http]") {
  TestHttpServer server([](const TestRequest& request) {
    return TestReply::with_status(request.target == "/missing" ? 404 : 503, "{\"errors\":[]}")
        .header("Www-Authenticate", "Bearer realm=\"r\"")
        .header("WWW-Authenticate", "Basic realm=\"b\"");
  });
  HttpClient client(fast_options());
  auto missing = client.send(get(server.url("/missing")));
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  CHECK(missing->body == "{\"errors\":[]}");
  CHECK(missing->header("www-authenticate") == "Bearer realm=\"r\"");
  CHECK(missing->header_values("WWW-AUTHENTICATE").size() == 2);
  CHECK_FALSE(missing->header("X-Absent").has_value());
  auto unavailable = client.send(get(server.url("/other")));
  REQUIRE(unavailable.ok());
  CHECK(unavailable->status == 503);
}

TEST_CASE("http client: concurrent requests from 8 threads all succeed", "[http]") {
  TestHttpServer server([](const TestRequest& request) {
    TestReply reply = echo_target(request);
    reply.delay = 20ms;  // keep requests in flight together
    return reply;
  });
  HttpClient client(fast_options());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        const std::string path = "/t" + std::to_string(t) + "/" + std::to_string(i);
        auto response = client.send(get(server.url(path)));
        if (response.ok() && response->body == "you asked " + path) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 24);
  CHECK(server.request_count() == 24);
  CHECK(client.stats().connections_opened > 1);  // concurrent requests do not share a socket
  CHECK(client.stats().connections_opened <= 24);
  CHECK(server.connections_accepted() == client.stats().connections_opened);
}

TEST_CASE("http client: body over the limit with Content-Length is refused", "[http]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::ok(std::string(1000, 'x')); });
  HttpClient client(fast_options());
  auto at_limit = client.send(get(server.url(), 1000));
  REQUIRE(at_limit.ok());
  CHECK(at_limit->body.size() == 1000);
  auto over = client.send(get(server.url(), 999));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().kind == tuf::ErrorKind::kTooLarge);
  CHECK(over.error().detail.find("response body exceeds 999 bytes") != std::string::npos);
}

TEST_CASE("http client: chunked body over the limit is refused", "[http]") {
  TestHttpServer server([](const TestRequest&) {
    TestReply reply = TestReply::ok(std::string(5000, 'c'));
    reply.chunked = true;
    return reply;
  });
  HttpClient client(fast_options());
  auto fits = client.send(get(server.url(), 5000));
  REQUIRE(fits.ok());
  CHECK(fits->body == std::string(5000, 'c'));
  CHECK_FALSE(fits->header("Content-Length").has_value());
  auto over = client.send(get(server.url(), 4999));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().kind == tuf::ErrorKind::kTooLarge);
}

TEST_CASE("http client: a chunked body of the expected size is read into one buffer", "[http]") {
  // expected_body_bytes (a role fetched by hash) sizes the body buffer once; a body of another
  // length is still read whole, and the limit still holds.
  TestHttpServer server([](const TestRequest& request) {
    TestReply reply = TestReply::ok(std::string(request.target == "/short" ? 300 : 70000, 'e'));
    reply.chunked = true;
    return reply;
  });
  HttpClient client(fast_options());
  HttpRequest exact = get(server.url(), 70000);
  exact.expected_body_bytes = 70000;
  auto full = client.send(exact);
  REQUIRE(full.ok());
  CHECK(full->body == std::string(70000, 'e'));
  CHECK(full->body.capacity() == 70000);  // no doubling growth past the expected size
  HttpRequest shorter = get(server.url("/short"), 70000);
  shorter.expected_body_bytes = 70000;
  auto partial = client.send(shorter);
  REQUIRE(partial.ok());
  CHECK(partial->body == std::string(300, 'e'));
  HttpRequest over = get(server.url(), 69999);
  over.expected_body_bytes = 70000;
  auto refused = client.send(over);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kTooLarge);
}

TEST_CASE("http client: a huge Content-Length is refused before any body is read", "[http]") {
  // The server announces 10 GB, sends one byte and closes: a check at header time reports
  // kTooLarge, a check after reading would see a truncated body (kNetwork).
  TestHttpServer server([](const TestRequest&) {
    return TestReply::truncated("x", 1).header("Content-Length", "10000000000");
  });
  HttpClient client(fast_options());
  auto response = client.send(get(server.url(), 1 << 20));
  REQUIRE_FALSE(response.ok());
  INFO(response.error().detail);
  CHECK(response.error().kind == tuf::ErrorKind::kTooLarge);
}

TEST_CASE("http client: oversized response headers are refused", "[http]") {
  TestHttpServer server([](const TestRequest&) {
    return TestReply::ok("x").header("X-Big", std::string(notary::kMaxHeaderBytes, 'h'));
  });
  HttpClient client(fast_options());
  auto response = client.send(get(server.url()));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kTooLarge);
}

TEST_CASE("http client: a stalled server fails within the request deadline", "[http]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::stall(); });
  HttpOptions options = fast_options();
  options.request_timeout = 300ms;
  HttpClient client(options);
  const auto start = std::chrono::steady_clock::now();
  auto response = client.send(get(server.url()));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(response.error().detail.find("timed out after 300 ms") != std::string::npos);
  CHECK(response.error().detail.find("127.0.0.1:" + std::to_string(server.port())) == 0);
  CHECK(elapsed >= 250ms);
  CHECK(elapsed < 1500ms);
  CHECK(server.request_count() == 1);  // timeouts are not retried
}

TEST_CASE("http client: a slow answer inside the deadline succeeds", "[http]") {
  TestHttpServer server([](const TestRequest&) {
    TestReply reply = TestReply::ok("late");
    reply.delay = 100ms;
    return reply;
  });
  HttpClient client(fast_options());
  auto response = client.send(get(server.url()));
  REQUIRE(response.ok());
  CHECK(response->body == "late");
}

TEST_CASE("http client: broken servers are network errors", "[http]") {
  TestHttpServer server([](const TestRequest& request) {
    if (request.target == "/reset") return TestReply::reset();
    if (request.target == "/truncated") return TestReply::truncated(std::string(100, 't'), 40);
    if (request.target == "/garbage") return TestReply::garbage_bytes("SSH-2.0-OpenSSH\r\n\r\n");
    return TestReply::garbage_bytes("");  // close without answering
  });
  HttpClient client(fast_options());
  for (const char* path : {"/reset", "/truncated", "/garbage", "/silent"}) {
    INFO(path);
    auto response = client.send(get(server.url(path)));
    REQUIRE_FALSE(response.ok());
    CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
    CHECK(response.error().detail.starts_with("127.0.0.1:" + std::to_string(server.port()) + ": "));
  }
  auto garbage = client.send(get(server.url("/garbage")));
  CHECK(garbage.error().detail.find("malformed HTTP response") != std::string::npos);
  auto truncated = client.send(get(server.url("/truncated")));
  CHECK(truncated.error().detail.find("before the response was complete") != std::string::npos);
}

TEST_CASE("http client: connection refused names the host and port", "[http]") {
  std::uint16_t port = 0;
  {
    TestHttpServer gone([](const TestRequest&) { return TestReply::ok(); });
    port = gone.port();
  }
  HttpClient client(fast_options());
  auto response = client.send(get("http://127.0.0.1:" + std::to_string(port) + "/"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().kind == tuf::ErrorKind::kNetwork);
  CHECK(response.error().detail.find("127.0.0.1:" + std::to_string(port)) == 0);
  CHECK(response.error().detail.find("connect failed") != std::string::npos);
}

TEST_CASE("http client: a body delimited by connection close is read whole", "[http]") {
  TestHttpServer server([](const TestRequest&) {
    return TestReply::garbage_bytes("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil-eof");
  });
  HttpClient client(fast_options());
  for (int i = 0; i < 2; ++i) {
    auto response = client.send(get(server.url()));
    REQUIRE(response.ok());
    CHECK(response->body == "until-eof");
  }
  CHECK(server.connections_accepted() == 2);  // not kept alive
}

TEST_CASE("http client: an idle connection closed by the server is replaced", "[http]") {
  // The first answer claims keep-alive but the server closes right after it.
  TestHttpServer server([](const TestRequest& request) {
    if (request.connection == 1) {
      return TestReply::garbage_bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    }
    return TestReply::ok("fresh");
  });
  HttpClient client(fast_options());
  REQUIRE(client.send(get(server.url())).ok());
  std::this_thread::sleep_for(20ms);  // let the FIN arrive
  auto second = client.send(get(server.url()));
  REQUIRE(second.ok());
  CHECK(second->body == "fresh");
  CHECK(client.stats().connections_opened == 2);
  CHECK(client.stats().requests == 2);  // detected before use: nothing was sent on the dead one
}

TEST_CASE("http client: a kept-alive connection dropped mid-request is retried once for GET",
          "[http]") {
  // The server drops the reused connection on the second request without answering (as a
  // server closing an idle connection at that moment would).
  auto handler = [](const TestRequest& request) {
    if (request.connection == 1 && request.target == "/second") return TestReply::garbage_bytes("");
    return TestReply::ok("answer " + request.target);
  };
  SECTION("GET is retried on a fresh connection") {
    TestHttpServer server(handler);
    HttpClient client(fast_options());
    REQUIRE(client.send(get(server.url("/first"))).ok());
    auto second = client.send(get(server.url("/second")));
    REQUIRE(second.ok());
    CHECK(second->body == "answer /second");
    CHECK(client.stats().connections_opened == 2);
    CHECK(server.request_count() == 3);
  }
  SECTION("POST is not retried") {
    TestHttpServer server(handler);
    HttpClient client(fast_options());
    REQUIRE(client.send(get(server.url("/first"))).ok());
    HttpRequest post = get(server.url("/second"));
    post.method = "POST";
    post.body = "publish";
    auto second = client.send(post);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().kind == tuf::ErrorKind::kNetwork);
    CHECK(server.request_count() == 2);
  }
}

TEST_CASE("http client: HEAD reads no body and keeps the connection", "[http]") {
  TestHttpServer server([](const TestRequest&) { return TestReply::ok("twelve bytes"); });
  HttpClient client(fast_options());
  HttpRequest head = get(server.url());
  head.method = "HEAD";
  auto response = client.send(head);
  REQUIRE(response.ok());
  CHECK(response->header("Content-Length") == "12");
  CHECK(response->body.empty());
  REQUIRE(client.send(get(server.url())).ok());
  CHECK(server.connections_accepted() == 1);
}

TEST_CASE("http client: redirects are returned unless following was asked for", "[http]") {
  TestHttpServer server([](const TestRequest& request) {
    if (request.target == "/old") return TestReply::with_status(302).header("Location", "/new");
    if (request.target == "/loop") return TestReply::with_status(307).header("Location", "/loop");
    return TestReply::ok(request.method + " " + request.target + " " + request.body);
  });
  HttpClient client(fast_options());
  auto plain = client.send(get(server.url("/old")));
  REQUIRE(plain.ok());
  CHECK(plain->status == 302);
  CHECK(plain->header("Location") == "/new");
  CHECK(server.request_count() == 1);

  HttpRequest follow = get(server.url("/old"));
  follow.follow_redirects = true;
  follow.method = "POST";
  follow.body = "data";
  auto followed = client.send(follow);
  REQUIRE(followed.ok());
  CHECK(followed->status == 200);
  CHECK(followed->body == "GET /new ");  // 302 turns POST into a body-less GET
  CHECK(followed->url == server.url("/new"));

  const int before = server.request_count();
  HttpRequest loop = get(server.url("/loop"));
  loop.follow_redirects = true;
  auto looped = client.send(loop);
  REQUIRE(looped.ok());
  CHECK(looped->status == 307);
  CHECK(server.request_count() - before == 1 + notary::kMaxRedirects);
}

TEST_CASE("http client: Authorization is not carried to another origin", "[http]") {
  TestHttpServer other([](const TestRequest& request) {
    return TestReply::ok("auth=" + request.header("Authorization"));
  });
  TestHttpServer first([&](const TestRequest& request) {
    if (request.target == "/same") return TestReply::with_status(307).header("Location", "/here");
    if (request.target == "/away") {
      return TestReply::with_status(307).header("Location", other.url("/there"));
    }
    return TestReply::ok("auth=" + request.header("Authorization"));
  });
  HttpClient client(fast_options());
  HttpRequest request = get(first.url("/same"));
  request.follow_redirects = true;
  request.headers = {{"Authorization", "Bearer secret"}};
  CHECK(client.send(request)->body == "auth=Bearer secret");
  request.url = first.url("/away");
  CHECK(client.send(request)->body == "auth=");
}

TEST_CASE("http client: unusable requests are usage errors", "[http]") {
  HttpClient client(fast_options());
  auto bad_url = client.send(get("ftp://127.0.0.1/"));
  REQUIRE_FALSE(bad_url.ok());
  CHECK(bad_url.error().kind == tuf::ErrorKind::kUsage);
  HttpRequest smuggle = get("http://127.0.0.1:1/");
  smuggle.headers = {{"X-Evil", "a\r\nInjected: yes"}};
  auto bad_header = client.send(smuggle);
  REQUIRE_FALSE(bad_header.ok());
  CHECK(bad_header.error().kind == tuf::ErrorKind::kUsage);
  CHECK(client.stats().requests == 0);
}
