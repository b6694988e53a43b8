// The test peers themselves (tests/support/notary_server.h, token_service.h): a real
// notary-server over HTTP, over TLS and behind token auth, driven by the real Go notary CLI.
// Spec test-peers-recipes.md §0–§1. One server per test case.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "notary/http_client.h"
#include "notary_server.h"
#include "token_service.h"
#include "tuf/crypto.h"

namespace {

using testing::CommandResult;
using testing::NotaryCli;
using testing::NotaryServer;
using testing::TokenService;

const std::string kAbcSha256 = tuf::crypto::to_hex(tuf::crypto::sha256("abc"));

bool peers_available() {
  if (NotaryServer::available() && ::access(testing::kNotaryClientBinary, X_OK) == 0) return true;
  WARN("skipped: /usr/bin/notary-server or /usr/bin/notary is not installed");
  return false;
}

// Attaches the command's and the server's output to the assertion that follows. Evaluates
// `result` exactly once.
#define REQUIRE_COMMAND_OK(result, server)          \
  do {                                              \
    const CommandResult& command_result = (result); \
    INFO("output:\n" << command_result.output);     \
    INFO("server log:\n" << (server).log_text());   \
    REQUIRE(command_result.exit_code == 0);         \
  } while (false)

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

notary::HttpResponse get(const std::string& url, const NotaryServer& server) {
  notary::HttpOptions options;
  options.use_proxy_env = false;
  if (server.tls()) options.tls.ca_files = {server.ca_file()};
  notary::HttpClient client(options);
  notary::HttpRequest request;
  request.url = url;
  auto response = client.send(request);
  INFO(url);
  REQUIRE(response.ok());
  return *response;
}

// init -p, addhash, publish, as the Go client does it.
void publish_v1(const NotaryCli& cli, const NotaryServer& server, const std::string& gun) {
  REQUIRE_COMMAND_OK(cli.run({"init", gun, "-p"}), server);
  REQUIRE_COMMAND_OK(cli.run({"addhash", gun, "v1", "3", "--sha256", kAbcSha256}), server);
  REQUIRE_COMMAND_OK(cli.run({"publish", gun}), server);
}

}  // namespace

TEST_CASE("notary-server peer: plain HTTP serves the Go client", "[peers]") {
  if (!peers_available()) return;
  NotaryServer server;
  CHECK(server.url() == "http://127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.ca_file().empty());

  const auto health = get(server.url() + "/_notary_server/health", server);
  CHECK(health.status == 200);
  CHECK(get(server.url() + "/v2/example.com/peers/plain/_trust/tuf/root.json", server).status ==
        404);

  NotaryCli cli(server);
  const std::string gun = "example.com/peers/plain";
  publish_v1(cli, server, gun);
  const CommandResult list = cli.run({"list", gun});
  REQUIRE_COMMAND_OK(list, server);
  CHECK(contains(list.output, "v1"));
  CHECK(contains(list.output, kAbcSha256));

  // The request log counts operations: the init -p publish and the addhash publish.
  CHECK(server.count_requests("POST", "/v2/" + gun + "/_trust/tuf/") == 2);
  const std::string root_uri = "/v2/" + gun + "/_trust/tuf/root.json";
  const auto log_before = server.request_log();
  CHECK(std::any_of(log_before.begin(), log_before.end(), [&](const auto& entry) {
    return entry.method == "GET" && entry.uri == root_uri && entry.status == 404;
  }));
  const auto log = server.request_log();
  const bool posts_succeeded = std::all_of(log.begin(), log.end(), [](const auto& entry) {
    return entry.method != "POST" || entry.status == 200;
  });
  CHECK(posts_succeeded);

  server.stop();
  CHECK_FALSE(server.running());
}

TEST_CASE("notary-server peer: TLS with the test CA serves the Go client", "[peers]") {
  if (!peers_available()) return;
  NotaryServer server(testing::NotaryServerOptions::with_tls());
  CHECK(server.url() == "https://localhost:" + std::to_string(server.port()));
  REQUIRE(std::filesystem::exists(server.ca_file()));

  NotaryCli cli(server);
  const std::string gun = "example.com/peers/tls";
  // An empty repository: connected over verified TLS, but nothing published yet.
  const CommandResult empty = cli.run({"list", gun});
  INFO(empty.output);
  CHECK(empty.exit_code != 0);
  CHECK(contains(empty.output, "does not have trust data"));
  CHECK_FALSE(contains(empty.output, "certificate"));

  publish_v1(cli, server, gun);
  const CommandResult list = cli.run({"list", gun});
  REQUIRE_COMMAND_OK(list, server);
  CHECK(contains(list.output, "v1"));
  CHECK(server.count_requests("POST", "/v2/" + gun + "/_trust/tuf/") == 2);
}

TEST_CASE("notary-server peer: TLS without the test CA is refused by the Go client", "[peers]") {
  if (!peers_available()) return;
  NotaryServer server(testing::NotaryServerOptions::with_tls());
  const CommandResult list = testing::run_command({testing::kNotaryClientBinary, "-s", server.url(),
                                                   "-d", (server.dir() / "client-trust").string(),
                                                   "list", "example.com/peers/untrusted"});
  INFO(list.output);
  CHECK(list.exit_code != 0);
  CHECK(contains(list.output, "certificate"));
  CHECK(server.count_requests("GET", "/_trust/tuf/") == 0);
}

TEST_CASE("notary-server peer: token auth lets alice publish, bob read, anonymous nothing",
          "[peers][auth]") {
  if (!peers_available()) return;
  TokenService tokens;
  testing::NotaryServerOptions options = testing::NotaryServerOptions::with_tls();
  options.token_auth = true;
  options.token_realm = tokens.realm();
  options.token_root_bundle = tokens.root_cert_bundle();
  NotaryServer server(options);
  const std::string gun = "127.0.0.1:5000/peers/auth";

  // Without credentials: anonymous tokens only carry pull, so the publish gets 401.
  NotaryCli anonymous(server);
  const CommandResult denied = anonymous.run({"init", gun, "-p"});
  INFO(denied.output);
  CHECK(denied.exit_code != 0);
  CHECK(contains(denied.output, "you are not authorized"));
  CHECK(server.count_requests("POST", "/_trust/tuf/") == 0);

  // alice: init + publish. The token service saw her push,pull scope for the full GUN.
  tokens.clear_requests();
  NotaryCli alice(server);
  alice.set_credentials("alice", "alicepw");
  publish_v1(alice, server, gun);
  const auto scopes = tokens.requested_scopes();
  CHECK(std::count(scopes.begin(), scopes.end(), "repository:" + gun + ":push,pull") >= 1);
  bool alice_authenticated = false;
  for (const auto& record : tokens.requests()) {
    if (record.account == "alice" && record.has_authorization && record.user == "alice" &&
        record.service == "notary-test" && record.status == 200) {
      alice_authenticated = true;
    }
  }
  CHECK(alice_authenticated);
  CHECK(server.count_requests("POST", "/v2/" + gun + "/_trust/tuf/") == 2);

  // bob, with alice's signing keys: reads work, the server refuses his publish.
  NotaryCli bob(server, alice.trust_dir());
  bob.set_credentials("bob", "bobpw");
  const CommandResult bob_list = bob.run({"list", gun});
  REQUIRE_COMMAND_OK(bob_list, server);
  CHECK(contains(bob_list.output, "v1"));
  REQUIRE_COMMAND_OK(bob.run({"addhash", gun, "v2", "3", "--sha256", kAbcSha256}), server);
  const CommandResult bob_publish = bob.run({"publish", gun});
  INFO(bob_publish.output);
  CHECK(bob_publish.exit_code != 0);
  CHECK(contains(bob_publish.output, "you are not authorized"));
  CHECK(server.count_requests("POST", "/v2/" + gun + "/_trust/tuf/", 200) == 2);
  CHECK(server.count_requests("POST", "/v2/" + gun + "/_trust/tuf/", 401) == 1);

  // A wrong password is rejected by the token service itself.
  NotaryCli mallory(server);
  mallory.set_credentials("alice", "wrong");
  const CommandResult bad = mallory.run({"init", gun + "2", "-p"});
  INFO(bad.output);
  CHECK(bad.exit_code != 0);
  CHECK(contains(bad.output, "bad credentials"));
}

TEST_CASE("token service: scopes split at the first and last colon", "[peers][auth]") {
  testing::TokenScope scope;
  REQUIRE(testing::parse_token_scope("repository:127.0.0.1:43239/test/app:push,pull", &scope));
  CHECK(scope.type == "repository");
  CHECK(scope.name == "127.0.0.1:43239/test/app");
  CHECK(scope.actions == std::vector<std::string>{"push", "pull"});
  REQUIRE(testing::parse_token_scope("registry:catalog:*", &scope));
  CHECK(scope.name == "catalog");
  CHECK(scope.actions == std::vector<std::string>{"*"});
  CHECK_FALSE(testing::parse_token_scope("repository:noactions", &scope));
}
