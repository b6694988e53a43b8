// notary::RegistryClient against a scripted registry (TestHttpServer): the HEAD answer, the
// GET-and-hash fallback, digest checks, 404 and docker's Bearer flow. The real registry is
// exercised by tests/cli/publish_cli_registry_test.cpp.
#include <catch2/catch.hpp>
#include <mutex>

#include "notary/http_client.h"
#include "notary/registry.h"
#include "test_http_server.h"
#include "tuf/crypto.h"

namespace {

using testing::TestReply;
using testing::TestRequest;
using tuf::ErrorKind;

const std::string kManifest = R"({"schemaVersion":2,"mediaType":"x"})";
const std::string kHex = tuf::crypto::to_hex(tuf::crypto::sha256(kManifest));

notary::HttpOptions plain_http() {
  notary::HttpOptions options;
  options.use_proxy_env = false;
  return options;
}

// A manifest answer: HEAD gets the headers only, GET the body too.
TestReply manifest_reply(const TestRequest& req, bool digest_header, bool length_on_head,
                         const std::string& digest = "sha256:" + kHex) {
  TestReply reply;
  reply.header("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
  if (digest_header) reply.header("Docker-Content-Digest", digest);
  if (req.method == "HEAD") {
    if (length_on_head) reply.header("Content-Length", std::to_string(kManifest.size()));
  } else {
    reply.body = kManifest;
  }
  return reply;
}

}  // namespace

TEST_CASE("registry: HEAD with the four manifest types gives digest and size",
          "[notary][registry]") {
  testing::TestHttpServer server(
      [](const TestRequest& req) { return manifest_reply(req, true, true); });
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {});
  auto found = registry.resolve_tag("test/app", "v1");
  REQUIRE(found.ok());
  CHECK(found->sha256_hex == kHex);
  CHECK(found->size == static_cast<int64_t>(kManifest.size()));
  CHECK(found->media_type == "application/vnd.docker.distribution.manifest.v2+json");
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].method == "HEAD");
  CHECK(requests[0].target == "/v2/test/app/manifests/v1");
  CHECK(requests[0].header("Accept") == notary::kManifestAccept);
}

TEST_CASE("registry: without a digest header the GET bytes are hashed", "[notary][registry]") {
  testing::TestHttpServer server(
      [](const TestRequest& req) { return manifest_reply(req, false, true); });
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {});
  auto found = registry.resolve_tag("test/app", "v1");
  REQUIRE(found.ok());
  CHECK(found->sha256_hex == kHex);
  CHECK(found->size == static_cast<int64_t>(kManifest.size()));
  REQUIRE(server.request_count() == 2);
  CHECK(server.requests()[1].method == "GET");
}

TEST_CASE("registry: a GET body that does not hash to its digest is refused",
          "[notary][registry]") {
  const std::string other = "sha256:" + std::string(64, 'b');
  testing::TestHttpServer server(
      [&](const TestRequest& req) { return manifest_reply(req, true, false, other); });
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {});
  auto found = registry.resolve_tag("test/app", "v1");
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().kind == ErrorKind::kHashMismatch);
}

TEST_CASE("registry: a digest that is not sha256:<hex> is malformed", "[notary][registry]") {
  testing::TestHttpServer server([](const TestRequest& req) {
    return manifest_reply(req, true, true, "sha512:" + std::string(128, 'a'));
  });
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {});
  auto found = registry.resolve_tag("test/app", "v1");
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().kind == ErrorKind::kMalformed);
}

TEST_CASE("registry: an unknown tag is kNotFound", "[notary][registry]") {
  testing::TestHttpServer server(
      [](const TestRequest&) { return TestReply::with_status(404).header("Content-Length", "0"); });
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {});
  auto found = registry.resolve_tag("test/app", "nosuch");
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("registry: a Bearer challenge gets a pull token for the repository",
          "[notary][registry][auth]") {
  std::mutex mu;
  std::string token_query;
  std::string realm;
  testing::TestHttpServer server([&](const TestRequest& req) {
    if (req.target.starts_with("/token")) {
      std::lock_guard lock(mu);
      token_query = req.target;
      return TestReply::ok(R"({"token":"tok-1"})").header("Content-Type", "application/json");
    }
    if (req.header("Authorization") != "Bearer tok-1") {
      std::lock_guard lock(mu);
      return TestReply::with_status(401)
          .header("WWW-Authenticate",
                  "Bearer realm=\"" + realm + "\",service=\"registry-test\",scope=\"x\"")
          .header("Content-Length", "0");
    }
    return manifest_reply(req, true, true);
  });
  realm = server.url("/token");
  notary::HttpClient http(plain_http());
  notary::RegistryClient registry(http, server.url(""), {"alice", "alicepw", ""});
  auto found = registry.resolve_tag("test/app", "v1");
  INFO((found.ok() ? "" : found.error().message()));
  REQUIRE(found.ok());
  CHECK(found->sha256_hex == kHex);
  CHECK(registry.token_requests() == 1);
  CHECK(token_query.find("scope=repository%3Atest%2Fapp%3Apull") != std::string::npos);
  CHECK(token_query.find("service=registry-test") != std::string::npos);
}

TEST_CASE("registry: docker.io is served by registry-1.docker.io", "[notary][registry]") {
  CHECK(notary::registry_api_host("docker.io") == "registry-1.docker.io");
  CHECK(notary::registry_api_host("index.docker.io") == "registry-1.docker.io");
  CHECK(notary::registry_api_host("localhost:5000") == "localhost:5000");
  CHECK(notary::registry_repository("docker.io/library/alpine", "docker.io") == "library/alpine");
  CHECK(notary::registry_repository("localhost:5000/test/app", "localhost:5000") == "test/app");
}
