// dtrust list/lookup/inspect against a real notary-server in token-auth mode, with the
// registry credentials of a docker config.json in $DOCKER_CONFIG (notary spec 2.2, 2.4).
#include <catch2/catch.hpp>
#include <map>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"
#include "token_service.h"
#include "tuf/crypto.h"

namespace {

using clitest::RunResult;
using testing::NotaryCli;
using testing::NotaryServer;
using testing::TokenService;

std::string sha256_hex(std::string_view s) { return tuf::crypto::to_hex(tuf::crypto::sha256(s)); }

// A token-auth notary-server holding one repository alice published with the Go client.
struct AuthServed {
  TokenService tokens;
  NotaryServer server{options(tokens)};
  const std::string gun = "127.0.0.1:5000/online/auth";

  static testing::NotaryServerOptions options(const TokenService& tokens) {
    testing::NotaryServerOptions o;
    o.token_auth = true;
    o.token_realm = tokens.realm();
    o.token_root_bundle = tokens.root_cert_bundle();
    return o;
  }

  AuthServed() {
    NotaryCli alice(server);
    alice.set_credentials("alice", "alicepw");
    for (std::vector<std::string> args :
         {std::vector<std::string>{"init", gun, "-p"},
          {"addhash", gun, "v1", "11", "--sha256", sha256_hex("manifest v1")},
          {"publish", gun}}) {
      auto r = alice.run(args);
      INFO(r.output << server.log_text());
      REQUIRE(r.exit_code == 0);
    }
    tokens.set_strict(true);  // from now on, no credentials = no access at all
  }

  // dtrust in-process with DOCKER_CONFIG=<config> (a config.json for the registry
  // 127.0.0.1:5000 holding user:password), a fresh trust dir and -s <server>.
  RunResult dtrust(std::vector<std::string> args, const std::string& user,
                   const std::string& password) {
    testing::TempDir config;
    testing::TempDir trust;
    const std::string auth = tuf::crypto::base64_encode(user + ":" + password);
    testing::write_file(config.path() / "config.json",
                        R"({"auths":{"127.0.0.1:5000":{"auth":")" + auth + R"("}}})");
    args.insert(args.begin() + 1, {"-s", server.url(), "-d", trust.path().string()});
    clitest::DtrustSession session;
    session.env = {{"DOCKER_CONFIG", config.path().string()}, {"HOME", config.path().string()}};
    return clitest::run_dtrust(args, session);
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("online auth: list, lookup and inspect succeed with config.json credentials",
          "[cli][online][peers][auth]") {
  if (!NotaryServer::available()) return;
  AuthServed s;
  s.tokens.clear_requests();
  auto lookup = s.dtrust({"lookup", s.gun, "v1"}, "bob", "bobpw");
  INFO(lookup.err << s.server.log_text());
  REQUIRE(lookup.exit_code == 0);
  CHECK(lookup.out == "v1 sha256:" + sha256_hex("manifest v1") + " 11\n");
  bool bob_authenticated = false;
  for (const auto& record : s.tokens.requests()) {
    if (record.user == "bob" && record.has_authorization && record.status == 200) {
      bob_authenticated = true;
    }
  }
  CHECK(bob_authenticated);

  auto list = s.dtrust({"list", s.gun}, "alice", "alicepw");
  INFO(list.err);
  REQUIRE(list.exit_code == 0);
  CHECK(contains(list.out, sha256_hex("manifest v1")));

  auto inspect = s.dtrust({"inspect", s.gun + ":v1"}, "bob", "bobpw");
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  CHECK(contains(inspect.out, "\"SignedTag\": \"v1\""));
}

TEST_CASE("online auth: a wrong password fails with one 401 line naming the GUN",
          "[cli][online][peers][auth]") {
  if (!NotaryServer::available()) return;
  AuthServed s;
  const int served_before = s.server.count_requests("GET", "/_trust/tuf/", 200);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"lookup", s.gun, "v1"}, {"list", s.gun}}) {
    auto r = s.dtrust(args, "alice", "wrong-password");
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    // The token service's 401 ("bad credentials"), on one line that names the GUN.
    CHECK(r.err == s.gun + ": root: unauthorized: bad credentials\n");
  }
  auto inspect = s.dtrust({"inspect", "-v", s.gun + ":v1"}, "alice", "wrong-password");
  INFO(inspect.err);
  CHECK(inspect.exit_code == 1);
  CHECK(inspect.out == "[]\n");
  CHECK(inspect.err == "no signatures or cannot access " + s.gun + ":v1\ndtrust: " + s.gun +
                           ": root: unauthorized: bad credentials\n");
  // The token service refused the password; the server never served metadata.
  CHECK(s.server.count_requests("GET", "/_trust/tuf/", 200) == served_before);
}
