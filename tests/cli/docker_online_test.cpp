// dtrust inspect against the real docker CLI (28.2.2), both talking to the same TLS
// notary-server: stdout, stderr (without docker's logrus lines) and the exit code must be
// byte-identical. The repositories are written by the real peers: the Go notary client (init,
// addhash into targets and delegations, key rotation, remove) and the docker CLI (key generate,
// signer add, revoke). Recipes: test-peers-recipes.md §1.9, docker-trust-cli.md §1.3-1.6, §2.
// Skipped (WARN) when docker or notary-server is not installed.
#include <catch2/catch.hpp>
#include <sstream>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"
#include "tuf/crypto.h"

namespace fs = std::filesystem;
using clitest::lines_of;
using clitest::run_process;
using clitest::RunResult;
using clitest::without_log_lines;

namespace {

constexpr const char* kRootPass = "it-root-pass";
constexpr const char* kRepoPass = "it-repo-pass";  // docker: targets and delegation keys

const std::string kPlain = "localhost:5000/it/plain";
const std::string kSigned = "localhost:5000/it/signed";
const std::string kEmpty = "localhost:5000/it/empty";
const std::string kMissing = "localhost:5000/it/missing";

std::string sha256_hex(std::string_view s) { return tuf::crypto::to_hex(tuf::crypto::sha256(s)); }

// "line N\ndtrust: …\ndocker: …" for the first line that differs.
std::string first_difference(const std::string& ours, const std::string& theirs) {
  const auto a = lines_of(ours);
  const auto b = lines_of(theirs);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "<none>";
    const std::string y = i < b.size() ? b[i] : "<none>";
    if (x != y) return "line " + std::to_string(i + 1) + "\ndtrust: " + x + "\ndocker: " + y;
  }
  return ours == theirs ? "none" : "trailing bytes";
}

// One TLS notary-server and three independent clients of it: a docker config that writes
// (keys, signers, revoke), a docker config that only inspects, and dtrust's config. The Go
// notary client shares the writer's private keys, so it can sign every role docker created.
struct World {
  testing::NotaryServer server{testing::NotaryServerOptions::with_tls()};
  testing::TempDir home;
  testing::TempDir writer;    // DOCKER_CONFIG of the docker that signs
  testing::TempDir reader;    // DOCKER_CONFIG of the docker that inspects
  testing::TempDir ours;      // DOCKER_CONFIG of dtrust
  testing::TempDir go_trust;  // the Go notary client's trust dir
  testing::TempDir keys;      // alice.pub, bob.pub

  World() {
    for (const auto* config : {&writer, &reader, &ours}) {
      const fs::path tls = config->path() / "tls" / host_port();
      fs::create_directories(tls);
      fs::copy_file(server.ca_file(), tls / "ca.crt");
    }
  }

  std::string host_port() const { return "localhost:" + std::to_string(server.port()); }

  std::vector<std::string> docker_env(const testing::TempDir& config) const {
    return {"DOCKER_CONFIG=" + config.path().string(),
            "DOCKER_CONTENT_TRUST_SERVER=" + server.url(),
            "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=" + std::string(kRootPass),
            "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=" + std::string(kRepoPass),
            "HOME=" + home.path().string()};
  }

  // `docker trust <args>` as the writer; must succeed.
  RunResult docker_write(std::vector<std::string> args) const {
    args.insert(args.begin(), {clitest::docker_binary(), "trust"});
    auto r = run_process(args, docker_env(writer));
    INFO("docker " << args[2] << ": " << r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  }

  // The Go notary client with every passphrase equal to docker's (one repository passphrase
  // covers targets, snapshot and delegation keys); must succeed.
  void go(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {testing::kNotaryClientBinary,
                                     "-s",
                                     server.url(),
                                     "-d",
                                     go_trust.path().string(),
                                     "--tlscacert",
                                     server.ca_file().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = testing::run_command(argv, {{"NOTARY_ROOT_PASSPHRASE", kRootPass},
                                         {"NOTARY_TARGETS_PASSPHRASE", kRepoPass},
                                         {"NOTARY_SNAPSHOT_PASSPHRASE", kRepoPass},
                                         {"NOTARY_DELEGATION_PASSPHRASE", kRepoPass},
                                         {"HOME", home.path().string()}});
    INFO("notary " << args.front() << ": " << r.output << "\n" << server.log_text());
    REQUIRE(r.exit_code == 0);
  }

  // Stages tag -> sha256("<gun> <tag>") in `roles` (none = targets).
  void add(const std::string& gun, const std::string& tag, const std::vector<std::string>& roles) {
    const std::string content = gun + " " + tag;
    std::vector<std::string> args = {
        "addhash", gun, tag, std::to_string(content.size()), "--sha256", sha256_hex(content)};
    for (const auto& role : roles) args.insert(args.end(), {"--roles", role});
    go(args);
  }

  // Copies the writer's private keys (root, targets, alice, bob) into the Go client.
  void share_docker_keys() const {
    const fs::path to = go_trust.path() / "private";
    fs::create_directories(to);
    for (const auto& key : fs::directory_iterator(writer.path() / "trust" / "private")) {
      fs::copy_file(key.path(), to / key.path().filename(), fs::copy_options::overwrite_existing);
    }
  }

  // (a) targets only, by the Go client; (b) signers alice and bob by docker, tags in
  // releases/alice/bob/targets by the Go client, one tag revoked by docker; (c) empty.
  void build() {
    go({"init", kPlain, "-p"});
    for (const char* tag : {"1.9", "1.10", "latest", "v1"}) add(kPlain, tag, {});
    go({"publish", kPlain});

    docker_write({"key", "generate", "alice", "--dir", keys.path().string()});
    docker_write({"key", "generate", "bob", "--dir", keys.path().string()});
    docker_write(
        {"signer", "add", "--key", (keys.path() / "alice.pub").string(), "alice", kSigned});
    docker_write({"signer", "add", "--key", (keys.path() / "bob.pub").string(), "bob", kSigned});
    share_docker_keys();
    const std::string rel = "targets/releases";
    add(kSigned, "rel-alice", {rel, "targets/alice"});
    add(kSigned, "rel-both", {rel, "targets/alice", "targets/bob"});
    add(kSigned, "rel-bob", {rel, "targets/bob"});
    add(kSigned, "rel-only", {rel});
    add(kSigned, "top", {});
    add(kSigned, "top-alice", {"targets", "targets/alice"});
    add(kSigned, "alice-only", {"targets/alice"});
    add(kSigned, "v1.9", {rel, "targets/alice"});
    add(kSigned, "v1.10", {rel, "targets/bob"});
    add(kSigned, "revoked", {rel, "targets/alice", "targets/bob"});
    go({"publish", kSigned});
    docker_write({"revoke", "-y", kSigned + ":revoked"});

    go({"init", kEmpty, "-p"});
  }

  RunResult docker_inspect(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {clitest::docker_binary(), "trust", "inspect"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, docker_env(reader));
  }

  RunResult dtrust_inspect(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {DTRUST_BINARY, "inspect"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(
        argv, {"DOCKER_CONFIG=" + ours.path().string(),
               "DOCKER_CONTENT_TRUST_SERVER=" + server.url(), "HOME=" + home.path().string()});
  }

  // Runs both and compares everything a user sees; returns dtrust's result.
  RunResult compare(const std::vector<std::string>& args) const {
    std::string shown;
    for (const auto& a : args) shown += a + " ";
    INFO("inspect " << shown);
    const auto docker = docker_inspect(args);
    const auto dtrust = dtrust_inspect(args);
    INFO("docker stdout:\n" << docker.out << "docker stderr:\n" << docker.err);
    INFO("dtrust stderr:\n" << dtrust.err);
    INFO("first stdout difference: " << first_difference(dtrust.out, docker.out));
    CHECK(dtrust.out == docker.out);
    CHECK(dtrust.err == without_log_lines(docker.err));
    CHECK(dtrust.exit_code == docker.exit_code);
    return dtrust;
  }
};

bool peers_available() {
  if (clitest::docker_binary().empty()) {
    WARN("skipped: docker CLI not installed");
    return false;
  }
  if (!testing::NotaryServer::available() || !fs::exists(testing::kNotaryClientBinary)) {
    WARN("skipped: notary-server or the Go notary client not installed");
    return false;
  }
  return true;
}

}  // namespace

TEST_CASE("docker online: inspect equals docker on repositories the peers wrote",
          "[cli][docker][online][peers]") {
  if (!peers_available()) return;
  World w;
  w.build();

  for (const std::string& gun : {kPlain, kSigned, kEmpty}) {
    w.compare({gun});
    w.compare({"--pretty", gun});
  }
  for (const char* tag : {"1.9", "1.10", "latest", "v1", "nosuch"}) {
    w.compare({kPlain + ":" + tag});
  }
  for (const char* tag : {"rel-alice", "rel-both", "rel-bob", "rel-only", "top", "top-alice",
                          "alice-only", "v1.10", "revoked"}) {
    w.compare({kSigned + ":" + tag});
    w.compare({"--pretty", kSigned + ":" + tag});
  }
  w.compare({kSigned + ":rel-both", kSigned + ":alice-only", kPlain + ":1.10", kSigned});
  w.compare({kPlain, kSigned, kEmpty});
  w.compare({"--pretty", kPlain, kSigned, kEmpty});
  w.compare({kMissing});
  w.compare({"--pretty", kMissing});
  w.compare({kMissing + ":v1"});
  w.compare({kPlain, kMissing, kSigned + ":rel-bob", kMissing + ":x"});
  w.compare({"--pretty", kSigned, kMissing, kPlain});

  // What the peers wrote is what dtrust reads: the released tags with their signers, the
  // unreleased tag hidden, the revoked tag gone from every role docker could sign.
  const auto signed_json = w.dtrust_inspect({kSigned});
  REQUIRE(signed_json.exit_code == 0);
  const auto doc = nlohmann::json::parse(signed_json.out);
  std::vector<std::string> tags;
  for (const auto& row : doc.at(0).at("SignedTags")) tags.push_back(row.at("SignedTag"));
  CHECK(tags == std::vector<std::string>{"rel-alice", "rel-bob", "rel-both", "rel-only", "top",
                                         "top-alice", "v1.9", "v1.10"});
  CHECK(doc.at(0).at("SignedTags").at(2).at("Signers") == nlohmann::json::array({"alice", "bob"}));
  CHECK(doc.at(0).at("SignedTags").at(4).at("Signers") == nlohmann::json::array({"Repo Admin"}));
  CHECK(doc.at(0).at("Signers").at(0).at("Name") == "bob");
  CHECK(doc.at(0).at("Signers").at(1).at("Name") == "alice");
}

TEST_CASE("docker online: a warm dtrust cache follows key rotation and removal like docker",
          "[cli][docker][online][peers]") {
  if (!peers_available()) return;
  World w;
  w.build();
  // Warm both caches.
  w.compare({kPlain, kSigned});
  w.compare({"--pretty", kPlain, kSigned});
  const auto before = w.dtrust_inspect({kPlain});
  REQUIRE(before.exit_code == 0);

  // New targets keys (the Go client signs root with docker's root key for the signed repo),
  // new tags signed with them, and a removed tag.
  w.go({"key", "rotate", kPlain, "targets"});
  w.go({"key", "rotate", kSigned, "targets"});
  w.add(kPlain, "v2", {});
  w.go({"remove", kPlain, "1.9"});
  w.go({"publish", kPlain});
  w.add(kSigned, "after-rotate", {});
  w.add(kSigned, "rel-after", {"targets/releases", "targets/alice"});
  w.go({"remove", kSigned, "top"});
  w.go({"publish", kSigned});

  const auto after = w.compare({kPlain});
  CHECK(after.out != before.out);  // the Repository key changed and v2 replaced 1.9
  CHECK(after.out.find("\"SignedTag\": \"v2\"") != std::string::npos);
  CHECK(after.out.find("\"SignedTag\": \"1.9\"") == std::string::npos);
  w.compare({"--pretty", kPlain});
  w.compare({kSigned});
  w.compare({"--pretty", kSigned, kPlain});
  w.compare({kSigned + ":after-rotate", kSigned + ":rel-after", kSigned + ":top"});
}
