// Bad input on the publish path, end to end: the dtrust binary publishing to a real
// notary-server through a fault-injecting reverse proxy (notary-v1-protocol.md 7.2: "on any
// error nothing local changes"), checked with the Go `notary list`.
//
// Every failure must be one line on stderr naming the GUN and a non-zero exit; the changelist,
// the key store and the trust cache must be byte for byte what they were (LevelDB's text LOG
// files aside), and the server must still serve the old state. Covered elsewhere and not
// repeated here: a wrong passphrase for `dtrust sign` (publish_cli_sign_test.cpp), and the
// library's kKeyNotFound / kBadPassphrase (tests/notary/publish_peers_test.cpp).
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_http_server.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using clitest::run_process;
using testing::TestReply;
using testing::TestRequest;

const std::string kOldHex(64, 'a');
const std::string kNewHex(64, 'b');

// Every file under `dir` (relative path -> bytes), without LevelDB's text info logs, which
// every open rewrites.
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (name == "LOG" || name == "LOG.old") continue;
    files[fs::relative(e.path(), dir).string()] = testing::read_file(e.path());
  }
  return files;
}

TestReply json_reply(int status, std::string body) {
  TestReply reply = TestReply::with_status(status, std::move(body));
  reply.header("Content-Type", "application/json");
  return reply;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A notary-server, a proxy in front of it that can replace the answer to the POST (the
// publish), a dtrust trust dir and a Go notary client reading the server directly.
class Peers {
 public:
  Peers()
      : proxy_(std::make_unique<testing::TestHttpServer>(
            [this](const TestRequest& request) { return handle(request); })) {}

  // The next POSTs get `reply` instead of reaching the server.
  void fail_posts(TestReply reply) {
    std::lock_guard lock(mu_);
    post_fault_ = std::move(reply);
  }
  void pass_posts() {
    std::lock_guard lock(mu_);
    post_fault_.reset();
  }
  int posts_seen() const {
    int n = 0;
    for (const auto& r : proxy_->requests()) n += r.method == "POST" ? 1 : 0;
    return n;
  }
  // Stops the proxy: its connections, stalled ones included, are closed.
  void drop_proxy() { proxy_.reset(); }

  // dtrust ARGS -s <proxy> -d <trust_dir> (without -s for `key`, which takes none).
  clitest::RunResult dtrust(std::vector<std::string> args, const fs::path& trust_dir,
                            std::vector<std::string> env_overrides = {}) const {
    if (args.front() != "key") args.insert(args.end(), {"-s", proxy_url_});
    args.insert(args.begin(), DTRUST_BINARY);
    args.insert(args.end(), {"-d", trust_dir.string()});
    std::vector<std::string> env = {
        "DOCKER_CONFIG=" + (tmp.path() / "cfg").string(),
        "NOTARY_ROOT_PASSPHRASE=rootpass1",
        "NOTARY_TARGETS_PASSPHRASE=targetspass1",
        "NOTARY_SNAPSHOT_PASSPHRASE=targetspass1",  // docker's one repository passphrase
        "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=rootpass1",
        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=targetspass1"};
    env.insert(env.end(), env_overrides.begin(), env_overrides.end());
    return run_process(args, env);
  }
  clitest::RunResult dtrust(std::vector<std::string> args) const {
    return dtrust(std::move(args), trust);
  }

  // A published repository holding v1 (digest kOldHex), read once into the trust cache, with
  // v2 (kNewHex) staged for the next publish.
  void publish_v1_and_stage_v2() {
    add("v1", kOldHex);
    auto init = dtrust({"init", gun});
    INFO(init.err);
    REQUIRE(init.exit_code == 0);
    auto list = dtrust({"list", gun});
    INFO(list.err);
    REQUIRE(list.exit_code == 0);
    add("v2", kNewHex);
  }
  void add(const std::string& tag, const std::string& hex, const fs::path& dir = {}) {
    auto r = dtrust({"add", gun, tag, "--digest", "sha256:" + hex, "--size", "42"},
                    dir.empty() ? trust : dir);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }

  // What the Go client now reads from the server (no cache: a fresh trust dir each time).
  std::string go_list() const {
    testing::NotaryCli go(server);
    auto r = go.run({"list", gun});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  }

  testing::NotaryServer server;
  testing::TempDir tmp;
  fs::path trust = tmp.path() / "trust";
  const std::string gun = "localhost:5000/badinput/app";

 private:
  TestReply handle(const TestRequest& request) {
    if (request.method == "POST") {
      std::lock_guard lock(mu_);
      if (post_fault_) return *post_fault_;
    }
    return testing::TestHttpServer::forward(request, server.port());
  }

  std::mutex mu_;
  std::optional<TestReply> post_fault_;  // GUARDED_BY(mu_)
  std::unique_ptr<testing::TestHttpServer> proxy_;
  std::string proxy_url_ = "http://127.0.0.1:" + std::to_string(proxy_->port());
};

bool usable() {
  if (!testing::NotaryServer::available() || !clitest::have_notary()) {
    WARN("notary-server or the Go notary client missing: skipped");
    return false;
  }
  return true;
}

// The failure a user sees: one line on stderr that names `what` (the GUN for a failed upload;
// the variable or the role for key errors, whose text is notary's and docker's), and a
// non-zero exit status.
void check_one_line_naming(const clitest::RunResult& r, const std::string& what) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.err.size() > 1);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.back() == '\n');
  CHECK(contains(r.err, what));
}

// The server still serves v1 and not v2.
void check_server_unchanged(const Peers& p) {
  const std::string listed = p.go_list();
  CHECK(contains(listed, "v1      " + kOldHex));
  CHECK_FALSE(contains(listed, "v2 "));
}

}  // namespace

TEST_CASE("publish: an interrupted upload names the GUN and changes nothing",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  struct Fault {
    const char* what;
    TestReply reply;
  };
  const auto fault = GENERATE(
      Fault{"the connection is reset", TestReply::reset()},
      Fault{"the answer is cut off", TestReply::truncated(R"({"errors":[]})", 3)},
      Fault{"the answer is not HTTP", TestReply::garbage_bytes("SSH-2.0-OpenSSH_9.2\r\n")});
  INFO(fault.what);
  Peers p;
  p.publish_v1_and_stage_v2();
  const auto before = tree(p.trust);
  REQUIRE(before.size() > 3);  // keys, the staged change, the trust cache

  const int posts = p.posts_seen();
  p.fail_posts(fault.reply);
  auto r = p.dtrust({"publish", p.gun});
  check_one_line_naming(r, p.gun);
  CHECK(p.posts_seen() > posts);
  CHECK(tree(p.trust) == before);
  check_server_unchanged(p);

  // The staged change survived: once the network is back it publishes.
  p.pass_posts();
  auto again = p.dtrust({"publish", p.gun});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(contains(p.go_list(), "v2      " + kNewHex));
}

TEST_CASE("publish: an upload that stalls until the connection drops changes nothing",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  Peers p;
  p.publish_v1_and_stage_v2();
  const auto before = tree(p.trust);
  const int posts = p.posts_seen();
  p.fail_posts(TestReply::stall());
  // Once the POST has arrived and hung for a moment, the proxy goes away.
  std::thread dropper([&p, posts] {
    for (int i = 0; i < 2000 && p.posts_seen() == posts; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    p.drop_proxy();
  });
  auto r = p.dtrust({"publish", p.gun});
  dropper.join();
  check_one_line_naming(r, p.gun);
  CHECK(tree(p.trust) == before);
  check_server_unchanged(p);
}

TEST_CASE("publish: the server refusing the upload names the GUN and changes nothing",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  const auto reply = GENERATE(
      json_reply(400, R"({"errors":[{"code":"INVALID_UPDATE","message":"Update sent by the )"
                      R"(client is invalid.","detail":{"Name":"ErrBadTargets","Error":{"Msg":)"
                      R"("valid signatures did not meet threshold for targets"}}}]})"),
      json_reply(500, R"({"errors":[{"code":"UNKNOWN","message":"unknown error"}]})"),
      TestReply::with_status(503, "<html>upstream overloaded</html>"));
  INFO("status " << reply.status);
  Peers p;
  p.publish_v1_and_stage_v2();
  const auto before = tree(p.trust);
  const int posts = p.posts_seen();
  p.fail_posts(reply);
  auto r = p.dtrust({"publish", p.gun});
  check_one_line_naming(r, p.gun);
  CHECK(p.posts_seen() == posts + 1);  // not a version conflict: no retry
  CHECK(tree(p.trust) == before);
  check_server_unchanged(p);
}

TEST_CASE("publish: a wrong passphrase names the variable, sends nothing, changes nothing",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  Peers p;
  p.publish_v1_and_stage_v2();
  const auto before = tree(p.trust);
  const int posts = p.posts_seen();
  auto r = p.dtrust({"publish", p.gun}, p.trust, {"NOTARY_TARGETS_PASSPHRASE=not-the-passphrase"});
  check_one_line_naming(r, "NOTARY_TARGETS_PASSPHRASE");
  CHECK(r.err.starts_with(p.gun + ": targets: "));  // the GUN and role, then notary's wording
  CHECK(contains(r.err, "targets key"));
  CHECK(p.posts_seen() == posts);
  CHECK(tree(p.trust) == before);
  check_server_unchanged(p);
}

TEST_CASE("publish: a missing targets key names the key, sends nothing, changes nothing",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  Peers p;
  p.publish_v1_and_stage_v2();
  int removed = 0;
  for (const auto& e : fs::directory_iterator(p.trust / "private")) {
    if (contains(testing::read_file(e.path()), "role: targets")) {
      fs::remove(e.path());
      ++removed;
    }
  }
  REQUIRE(removed == 1);
  const auto before = tree(p.trust);
  const int posts = p.posts_seen();
  auto r = p.dtrust({"publish", p.gun});
  check_one_line_naming(r, p.gun + ": targets: could not find necessary signing keys");
  CHECK(p.posts_seen() == posts);
  CHECK(tree(p.trust) == before);
  check_server_unchanged(p);
}

TEST_CASE("publish: holding only a delegation key cannot sign targets",
          "[cli][publish][badinput][peers]") {
  if (!usable()) return;
  Peers p;
  p.publish_v1_and_stage_v2();
  p.pass_posts();
  // The repository's owner delegates targets/alice to a key only the second trust dir holds.
  const fs::path alice = p.tmp.path() / "alice";
  auto gen = p.dtrust({"key", "generate", "alice", "--dir", p.tmp.path().string()}, alice);
  INFO(gen.err);
  REQUIRE(gen.exit_code == 0);
  auto signer =
      p.dtrust({"signer", "add", "--key", (p.tmp.path() / "alice.pub").string(), "alice", p.gun});
  INFO(signer.err);
  REQUIRE(signer.exit_code == 0);

  // alice stages a tag for `targets` itself and publishes.
  p.add("v9", kNewHex, alice);
  auto list = p.dtrust({"list", p.gun}, alice);  // fill alice's trust cache too
  REQUIRE(list.exit_code == 0);
  const auto before = tree(alice);
  const int posts = p.posts_seen();
  auto r = p.dtrust({"publish", p.gun}, alice);
  check_one_line_naming(r, p.gun + ": targets: could not find necessary signing keys");
  CHECK(p.posts_seen() == posts);
  CHECK(tree(alice) == before);
  CHECK_FALSE(contains(p.go_list(), "v9 "));
}
