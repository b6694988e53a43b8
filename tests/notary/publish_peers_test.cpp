// Publishing against the real peers: a Debian notary-server and the Go notary CLI
// (notary-v1-protocol.md 7; docker-trust-cli 1.2, 1.6, 7). One server per test case.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <map>
#include <set>

#include "notary/changelist.h"
#include "notary/http_client.h"
#include "notary/publisher.h"
#include "notary/repository.h"
#include "notary_server.h"
#include "trustcache/key_store.h"
#include "trustcache/store.h"
#include "tuf/crypto.h"

namespace {

using notary::ChangeAction;
using testing::NotaryCli;
using testing::NotaryServer;
using tuf::ErrorKind;

bool peers_available() {
  if (NotaryServer::available() && ::access(testing::kNotaryClientBinary, X_OK) == 0) return true;
  WARN("skipped: /usr/bin/notary-server or /usr/bin/notary is not installed");
  return false;
}

#define REQUIRE_CLI_OK(result)      \
  do {                              \
    const auto r_ = (result);       \
    INFO("output:\n" << r_.output); \
    REQUIRE(r_.exit_code == 0);     \
  } while (false)

tuf::FileMeta meta_of(std::string_view content) {
  tuf::FileMeta m;
  m.length = static_cast<int64_t>(content.size());
  m.hashes["sha256"] = tuf::crypto::sha256(content);
  return m;
}
std::string hex_of(std::string_view content) {
  return tuf::crypto::to_hex(tuf::crypto::sha256(content));
}
bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The Go client's preset passphrases (tests/support/notary_server.cpp).
trustcache::EnvPassphraseProvider go_passphrases() {
  static const std::map<std::string, std::string, std::less<>> kValues = {
      {"NOTARY_ROOT_PASSPHRASE", "root-pass"},
      {"NOTARY_TARGETS_PASSPHRASE", "targets-pass"},
      {"NOTARY_SNAPSHOT_PASSPHRASE", "snapshot-pass"},
      {"NOTARY_DELEGATION_PASSPHRASE", "delegation-pass"}};
  return trustcache::EnvPassphraseProvider(trustcache::PassphraseEnv::kNotary,
                                           [](std::string_view name) -> std::optional<std::string> {
                                             auto it = kValues.find(name);
                                             if (it == kValues.end()) return std::nullopt;
                                             return it->second;
                                           });
}

// A dtrust client: its own trust dir, key store, memory trust cache and server connection.
struct Client {
  Client(const NotaryServer& server, std::string gun_name,
         trustcache::PassphraseProvider* provider = nullptr)
      : gun(std::move(gun_name)),
        http(options()),
        remote(http, nullptr, server.url(), gun),
        store(trustcache::make_memory_store()),
        keys(dir.path()),
        fixed("dtrust-pass") {
    ctx.remote = &remote;
    ctx.store = store.get();
    ctx.keys = &keys;
    ctx.passphrases = provider != nullptr ? provider : &fixed;
    ctx.trust_dir = dir.path();
    ctx.gun = gun;
    ctx.sync.now = tuf::Time::from_unix(std::time(nullptr));
  }
  static notary::HttpOptions options() {
    notary::HttpOptions o;
    o.use_proxy_env = false;
    o.request_timeout = std::chrono::seconds(20);
    return o;
  }
  notary::Changelist changelist() const { return notary::Changelist(dir.path(), gun); }
  void stage_target(const std::string& role, const std::string& name, std::string_view content) {
    REQUIRE(changelist()
                .add(notary::target_change(ChangeAction::kCreate, role, name, meta_of(content)))
                .ok());
  }
  // Every target the server now serves (fresh sync, empty cache): "role:name" -> meta.
  std::map<std::string, tuf::FileMeta> read_back() {
    auto empty = trustcache::make_memory_store();
    auto repo = notary::Repository::sync(&remote, *empty, gun, ctx.sync);
    INFO((repo.ok() ? std::string() : repo.error().message()));
    REQUIRE(repo.ok());
    auto hits = (*repo)->resolver().all(std::nullopt);
    REQUIRE(hits.ok());
    std::map<std::string, tuf::FileMeta> out;
    for (const auto& h : *hits) out[h.role + ":" + h.name] = h.meta;
    return out;
  }
  // Copies the Go client's private keys into this client's key store.
  void import_keys_from(const NotaryCli& cli) {
    std::filesystem::create_directories(dir.path() / "private");
    for (const auto& e : std::filesystem::directory_iterator(cli.trust_dir() / "private")) {
      std::filesystem::copy_file(e.path(), dir.path() / "private" / e.path().filename());
    }
  }

  testing::TempDir dir;
  std::string gun;
  notary::HttpClient http;
  notary::Remote remote;
  std::unique_ptr<trustcache::Store> store;
  trustcache::KeyStore keys;
  trustcache::FixedPassphraseProvider fixed;
  notary::PublishContext ctx;
};

notary::PublishOptions with_init() {
  notary::PublishOptions o;
  o.init = notary::InitOptions{};
  return o;
}

int posts(const NotaryServer& server) { return server.count_requests("POST", "/_trust/tuf/"); }

}  // namespace

TEST_CASE("publish: dtrust initialises a repository the Go client then lists", "[publish][peers]") {
  if (!peers_available()) return;
  NotaryServer server;
  NotaryCli cli(server);
  Client c(server, "example.com/publish/init");
  c.stage_target("targets", "v1", "one");
  c.stage_target("targets", "v2", "second");

  auto missing = notary::publish(c.ctx);  // no init allowed: the repository must exist
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == ErrorKind::kNotFound);

  auto result = notary::publish(c.ctx, with_init());
  INFO((result.ok() ? std::string() : result.error().message()) << server.log_text());
  REQUIRE(result.ok());
  CHECK(result->initialized);
  CHECK(result->roles == std::vector<std::string>{"root", "targets"});  // server snapshot
  CHECK(c.changelist().list()->empty());

  const auto listed = cli.run({"list", c.gun});
  INFO(listed.output);
  REQUIRE(listed.exit_code == 0);
  CHECK(contains(listed.output, "v1"));
  CHECK(contains(listed.output, hex_of("one")));
  CHECK(contains(listed.output, "v2"));
  CHECK(contains(listed.output, hex_of("second")));
  CHECK(contains(listed.output, "6"));
  const auto back = c.read_back();
  CHECK(back.size() == 2);
  CHECK(back.at("targets:v2") == meta_of("second"));

  // A second publish reuses the keys: remove v1, add v3.
  REQUIRE(
      c.changelist().add(notary::target_change(ChangeAction::kDelete, "targets", "v1", {})).ok());
  c.stage_target("targets", "v3", "three");
  auto second = notary::publish(c.ctx);
  REQUIRE(second.ok());
  CHECK_FALSE(second->initialized);
  const auto after = c.read_back();
  CHECK(after.count("targets:v1") == 0);
  CHECK(after.count("targets:v3") == 1);

  // The successful publish recorded the verified state it applied its changes to and the
  // targets file it uploaded, so the next publish takes the root from the trust cache and
  // verifies that targets file when the server's snapshot (made by the server here) names it:
  // it downloads the timestamp and the snapshot only.
  auto cached = c.store->load(c.gun);
  REQUIRE(cached.ok());
  CHECK(cached->roles.count("root") == 1);
  CHECK(cached->roles.count("timestamp") == 1);
  const std::size_t before = server.request_log().size();
  c.stage_target("targets", "v4", "four");
  auto third = notary::publish(c.ctx);
  REQUIRE(third.ok());
  std::vector<std::string> gets;
  const auto log = server.request_log();
  for (std::size_t i = before; i < log.size(); ++i) {
    if (log[i].method == "GET") gets.push_back(log[i].uri.substr(log[i].uri.rfind('/') + 1));
  }
  std::sort(gets.begin(), gets.end());
  REQUIRE(gets.size() == 2);
  CHECK(gets[0].starts_with("snapshot."));
  CHECK(gets[1] == "timestamp.json");
  CHECK(c.read_back().count("targets:v4") == 1);
}

TEST_CASE("publish: changelists are shared with the Go client both ways",
          "[publish][peers][changelist]") {
  if (!peers_available()) return;
  NotaryServer server;
  NotaryCli cli(server);
  const std::string gun = "example.com/publish/shared";
  REQUIRE_CLI_OK(cli.run({"init", gun, "-p"}));

  // Go stages, dtrust reads.
  REQUIRE_CLI_OK(cli.run({"addhash", gun, "gostaged", "3", "--sha256", hex_of("abc")}));
  notary::Changelist go_list(cli.trust_dir(), gun);
  auto staged = go_list.list();
  REQUIRE(staged.ok());
  REQUIRE(staged->size() == 1);
  CHECK((*staged)[0].path == "gostaged");
  CHECK((*staged)[0].role == "targets");
  CHECK(notary::target_meta_of((*staged)[0])->hashes.at("sha256") == tuf::crypto::sha256("abc"));

  // dtrust stages into the Go client's folder; Go shows and publishes it.
  REQUIRE(go_list
              .add(notary::target_change(ChangeAction::kCreate, "targets", "dtstaged",
                                         meta_of("hello")))
              .ok());
  const auto status = cli.run({"status", gun});
  INFO(status.output);
  CHECK(contains(status.output, "dtstaged"));
  REQUIRE_CLI_OK(cli.run({"publish", gun}));
  const auto listed = cli.run({"list", gun});
  CHECK(contains(listed.output, "gostaged"));
  CHECK(contains(listed.output, "dtstaged"));
  CHECK(contains(listed.output, hex_of("hello")));
}

TEST_CASE("publish: dtrust signs a delegation of a Go-created repository with its keys",
          "[publish][peers][delegation]") {
  if (!peers_available()) return;
  NotaryServer server;
  NotaryCli cli(server);
  const std::string gun = "example.com/publish/deleg";
  REQUIRE_CLI_OK(cli.run({"init", gun, "-p"}));
  // The delegation key, written where the Go client finds it; its public half for `delegation add`.
  auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  REQUIRE(trustcache::KeyStore(cli.trust_dir())
              .store(key, "targets/releases", "", "delegation-pass")
              .ok());
  const auto pub = cli.trust_dir() / "releases.pem";
  testing::write_file(pub, tuf::crypto::pem_encode("PUBLIC KEY", key.public_spki_der()));
  REQUIRE_CLI_OK(
      cli.run({"delegation", "add", gun, "targets/releases", pub.string(), "--all-paths"}));
  REQUIRE_CLI_OK(
      cli.run({"addhash", gun, "rel1", "3", "--sha256", hex_of("abc"), "-r", "targets/releases"}));
  REQUIRE_CLI_OK(cli.run({"publish", gun}));

  auto provider = go_passphrases();
  Client c(server, gun, &provider);
  CHECK(c.read_back().at("targets/releases:rel1").length == 3);  // dtrust reads Go's work

  SECTION("with the keys imported, a target lands in targets/releases") {
    c.import_keys_from(cli);
    c.stage_target("targets/releases", "rel2", "fresh");
    auto result = notary::publish(c.ctx);
    INFO((result.ok() ? std::string() : result.error().message()));
    REQUIRE(result.ok());
    CHECK(result->roles == std::vector<std::string>{"snapshot", "targets/releases"});
    const auto listed = cli.run({"list", gun, "-r", "targets/releases"});
    INFO(listed.output);
    CHECK(contains(listed.output, "rel1"));
    CHECK(contains(listed.output, "rel2"));
    CHECK(contains(listed.output, hex_of("fresh")));
  }
  SECTION("without keys: kKeyNotFound and nothing is sent") {
    c.stage_target("targets/releases", "rel2", "fresh");
    const int before = posts(server);
    auto result = notary::publish(c.ctx);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::kKeyNotFound);
    CHECK(contains(result.error().detail, trustcache::canonical_key_id(key)));
    CHECK(posts(server) == before);
    CHECK(c.changelist().list()->size() == 1);
  }
  SECTION("a wrong passphrase: kBadPassphrase, nothing sent, changelist intact") {
    c.import_keys_from(cli);
    trustcache::FixedPassphraseProvider wrong("not-the-passphrase");
    c.ctx.passphrases = &wrong;
    c.stage_target("targets/releases", "rel2", "fresh");
    const int before = posts(server);
    auto result = notary::publish(c.ctx);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == ErrorKind::kBadPassphrase);
    CHECK(posts(server) == before);
    CHECK(c.changelist().list()->size() == 1);
    CHECK(c.read_back().count("targets/releases:rel2") == 0);
  }
}

TEST_CASE("publish: a version conflict re-syncs and succeeds on top of the other publish",
          "[publish][peers][conflict]") {
  if (!peers_available()) return;
  NotaryServer server;
  NotaryCli cli(server);
  const std::string gun = "example.com/publish/race";
  REQUIRE_CLI_OK(cli.run({"init", gun, "-p"}));
  auto provider = go_passphrases();
  Client c(server, gun, &provider);
  c.import_keys_from(cli);
  c.stage_target("targets", "ours", "ours");

  notary::PublishOptions options;
  options.before_upload = [&](int attempt) {
    if (attempt != 1) return;  // the Go client publishes after our sync, before our POST
    REQUIRE_CLI_OK(cli.run({"addhash", gun, "theirs", "3", "--sha256", hex_of("abc")}));
    REQUIRE_CLI_OK(cli.run({"publish", gun}));
  };
  auto result = notary::publish(c.ctx, options);
  INFO((result.ok() ? std::string() : result.error().message()));
  REQUIRE(result.ok());
  CHECK(result->attempts == 2);
  const auto back = c.read_back();
  CHECK(back.count("targets:ours") == 1);
  CHECK(back.count("targets:theirs") == 1);
  CHECK(c.changelist().list()->empty());

  SECTION("with one attempt only, the conflict is returned and the changelist kept") {
    c.stage_target("targets", "ours2", "ours2");
    options.max_attempts = 1;
    options.before_upload = [&](int) {
      REQUIRE_CLI_OK(cli.run({"addhash", gun, "theirs2", "3", "--sha256", hex_of("abc")}));
      REQUIRE_CLI_OK(cli.run({"publish", gun}));
    };
    auto conflict = notary::publish(c.ctx, options);
    REQUIRE_FALSE(conflict.ok());
    CHECK(conflict.error().kind == ErrorKind::kConflict);
    CHECK(c.changelist().list()->size() == 1);
  }
}

TEST_CASE("publish: a client-managed snapshot is signed locally and the Go client accepts it",
          "[publish][peers]") {
  if (!peers_available()) return;
  NotaryServer server;
  NotaryCli cli(server);
  Client c(server, "example.com/publish/local-snapshot");
  c.stage_target("targets", "v1", "one");
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kLocal};
  auto result = notary::publish(c.ctx, options);
  INFO((result.ok() ? std::string() : result.error().message()));
  REQUIRE(result.ok());
  CHECK(result->roles == std::vector<std::string>{"root", "snapshot", "targets"});
  // Three keys were made: root, targets and snapshot.
  auto files = c.keys.list();
  REQUIRE(files.ok());
  std::set<std::string> roles;
  for (const auto& f : *files) roles.insert(f.role);
  CHECK(roles == std::set<std::string>{"root", "snapshot", "targets"});

  c.stage_target("targets", "v2", "two");
  auto second = notary::publish(c.ctx);
  REQUIRE(second.ok());
  CHECK(second->roles == std::vector<std::string>{"snapshot", "targets"});
  const auto listed = cli.run({"list", c.gun});
  INFO(listed.output);
  REQUIRE(listed.exit_code == 0);
  CHECK(contains(listed.output, hex_of("one")));
  CHECK(contains(listed.output, hex_of("two")));
}

TEST_CASE("publish: the next publish verifies the files this one uploaded instead of downloading",
          "[publish][peers][uploaded]") {
  if (!peers_available()) return;
  NotaryServer server;
  Client c(server, "example.com/publish/uploaded");
  c.stage_target("targets", "v1", "one");
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kLocal};
  REQUIRE(notary::publish(c.ctx, options).ok());
  c.stage_target("targets", "v2", "two");
  REQUIRE(notary::publish(c.ctx).ok());  // downloads version 1, keeps what it uploads

  auto gets = [&](std::string_view role) {
    return server.count_requests("GET", "/_trust/tuf/" + std::string(role) + ".");
  };
  const int snapshots = gets("snapshot"), targets = gets("targets"), timestamps = gets("timestamp");
  c.stage_target("targets", "v3", "three");
  auto third = notary::publish(c.ctx);
  INFO((third.ok() ? std::string() : third.error().message()));
  REQUIRE(third.ok());
  CHECK(gets("timestamp") == timestamps + 1);
  CHECK(gets("snapshot") == snapshots);  // the server's timestamp named the uploaded snapshot
  CHECK(gets("targets") == targets);     // ... and that snapshot the uploaded targets

  SECTION("an upload record that no longer matches is not used: the file is downloaded") {
    auto state = c.store->load(c.gun);
    REQUIRE(state.ok());
    REQUIRE(state->uploaded.count("targets") == 1);
    trustcache::Update tampered;
    tampered.gun = c.gun;
    std::string bytes = state->uploaded.at("targets");
    bytes.back() = bytes.back() == '}' ? ' ' : '}';
    tampered.put_uploaded = {{"targets", bytes}};
    REQUIRE(c.store->commit(tampered).ok());
    c.stage_target("targets", "v4", "four");
    auto fourth = notary::publish(c.ctx);
    INFO((fourth.ok() ? std::string() : fourth.error().message()));
    REQUIRE(fourth.ok());
    CHECK(gets("targets") == targets + 1);
  }
  const auto served = c.read_back();
  CHECK(served.count("targets:v1") == 1);
  CHECK(served.count("targets:v3") == 1);
  CHECK(served.at("targets:v3").hashes.at("sha256") == tuf::crypto::sha256("three"));
}
