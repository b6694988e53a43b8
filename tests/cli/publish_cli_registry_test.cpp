// `dtrust sign` of new tags: the digest and size come from a real registry (Debian's
// docker-registry, images pushed through the Registry API without a daemon) and the trust
// data goes to a real TLS notary-server; the real `docker trust inspect` and the Go `notary
// lookup` read the result (docker-trust-cli.md 1.2 steps 3 and 5, 3.4; test-peers-recipes.md
// §2). Skipped (WARN) when docker-registry, notary-server, notary or docker is missing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "notary_server.h"
#include "registry_server.h"
#include "test_support.h"
#include "token_service.h"
#include "tuf/crypto.h"

namespace {

namespace fs = std::filesystem;
using clitest::run_process;

bool peers_available(bool need_htpasswd = false) {
  if (!testing::RegistryServer::available(need_htpasswd) || !testing::NotaryServer::available() ||
      clitest::docker_binary().empty() || !clitest::have_notary()) {
    WARN("docker-registry, notary-server, notary or docker missing: skipped");
    return false;
  }
  return true;
}

// A registry, a notary-server and one docker config (TLS CAs for both, optional login).
struct World {
  testing::RegistryServer registry;
  testing::NotaryServer server{testing::NotaryServerOptions::with_tls()};
  testing::TempDir tmp;
  fs::path config = tmp.path() / "cfg";

  explicit World(testing::RegistryServerOptions options = {}) : registry(std::move(options)) {
    for (const std::string& host :
         {registry.host(), "localhost:" + std::to_string(server.port())}) {
      fs::create_directories(config / "tls" / host);
      fs::copy_file(server.ca_file(), config / "tls" / host / "ca.crt");
    }
  }
  // config.json as `docker login <registry>` leaves it (spec §2.7).
  void login(const std::string& user, const std::string& password) const {
    nlohmann::json doc;
    doc["auths"][registry.host()]["auth"] = tuf::crypto::base64_encode(user + ":" + password);
    testing::write_file(config / "config.json", doc.dump());
  }
  std::string image(const std::string& repo_tag) const { return registry.host() + "/" + repo_tag; }
  clitest::RunResult dtrust(std::vector<std::string> args) const {
    args.insert(args.begin(), DTRUST_BINARY);
    return run_process(
        args, {"DOCKER_CONFIG=" + config.string(), "DOCKER_CONTENT_TRUST_SERVER=" + server.url(),
               "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=rootpass1",
               "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=repopass1"});
  }
  clitest::RunResult docker_inspect(const std::string& image) const {
    return run_process(
        {clitest::docker_binary(), "trust", "inspect", image},
        {"DOCKER_CONFIG=" + config.string(), "DOCKER_CONTENT_TRUST_SERVER=" + server.url()});
  }
  // SignedTags of `docker trust inspect`, as tag -> {digest, signers}.
  std::map<std::string, std::pair<std::string, nlohmann::json>> signed_tags(
      const std::string& image) const {
    auto r = docker_inspect(image);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::map<std::string, std::pair<std::string, nlohmann::json>> out;
    const nlohmann::json doc = nlohmann::json::parse(r.out);
    for (const auto& row : doc[0]["SignedTags"]) {
      out[row["SignedTag"].get<std::string>()] = {row["Digest"].get<std::string>(), row["Signers"]};
    }
    return out;
  }
  // `notary lookup` with a fresh trust dir: "<tag> sha256:<hex> <size>".
  std::string notary_lookup(const std::string& gun, const std::string& tag) const {
    testing::NotaryCli notary(server);
    auto r = notary.run({"lookup", gun, tag});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
  }
};

// Every file under `dir` with its bytes, leaving out the trust cache's LevelDB folder (opening
// it rewrites its log and manifest files even when nothing is stored).
std::map<std::string, std::string> tree(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string rel = fs::relative(e.path(), dir).string();
    if (rel.find("dtrust-cache") != std::string::npos) continue;
    files[rel] = e.is_regular_file() ? testing::read_file(e.path()) : "<dir>";
  }
  return files;
}

}  // namespace

TEST_CASE("sign: a new repository gets the logged-in user's signer and the registry's digest",
          "[cli][publish][sign][registry][peers]") {
  if (!peers_available()) return;
  World w;
  w.login("alice", "alicepw");
  const auto v1 = w.registry.push_image("test/app", "v1");
  const std::string gun = w.image("test/app");
  // alice already has a signing key: docker's first sign reuses it (1.2 step 3c).
  REQUIRE(w.dtrust({"key", "generate", "alice", "--dir", w.tmp.path().string()}).exit_code == 0);
  const fs::path private_dir = w.config / "trust" / "private";
  REQUIRE(std::distance(fs::directory_iterator(private_dir), fs::directory_iterator()) == 1);
  const std::string alice_key = fs::directory_iterator(private_dir)->path().stem().string();

  auto first = w.dtrust({"sign", gun + ":v1"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(first.out == "Created signer: alice\nFinished initializing signed repository for " + gun +
                         ":v1\nSigning and pushing trust metadata\nSuccessfully signed " + gun +
                         ":v1\n");
  CHECK(first.err == "Signing and pushing trust data for " + gun +
                         ":v1 as the registry serves it (sha256:" + v1.sha256_hex + ", " +
                         std::to_string(v1.size) + " bytes), may overwrite remote trust data\n");
  auto tags = w.signed_tags(gun);
  REQUIRE(tags.count("v1") == 1);
  CHECK(tags["v1"].first == v1.sha256_hex);
  CHECK(tags["v1"].second == nlohmann::json::array({"alice"}));
  CHECK(w.notary_lookup(gun, "v1") ==
        "v1 sha256:" + v1.sha256_hex + " " + std::to_string(v1.size) + "\n");
  // Root and targets keys were made; alice's was reused, and it is the signer's only key.
  CHECK(std::distance(fs::directory_iterator(private_dir), fs::directory_iterator()) == 3);
  const nlohmann::json doc = nlohmann::json::parse(w.docker_inspect(gun).out);
  REQUIRE(doc[0]["Signers"].size() == 1);
  CHECK(doc[0]["Signers"][0]["Name"] == "alice");
  CHECK(doc[0]["Signers"][0]["Keys"] == nlohmann::json::array({{{"ID", alice_key}}}));

  // The repository exists now: a second tag goes into every signable role, no new signer.
  const auto v2 = w.registry.push_image("test/app", "v2");
  REQUIRE(v2.sha256_hex != v1.sha256_hex);
  auto second = w.dtrust({"sign", gun + ":v2"});
  INFO(second.err);
  REQUIRE(second.exit_code == 0);
  CHECK(second.out == "Signing and pushing trust metadata\nSuccessfully signed " + gun + ":v2\n");
  tags = w.signed_tags(gun);
  CHECK(tags["v2"].first == v2.sha256_hex);
  CHECK(tags["v2"].second == nlohmann::json::array({"alice"}));
  CHECK(w.notary_lookup(gun, "v2") ==
        "v2 sha256:" + v2.sha256_hex + " " + std::to_string(v2.size) + "\n");

  // v1 moves in the registry: a plain sign re-signs the signed digest (docker's re-sign never
  // asks the registry); --local signs what the registry serves now.
  const auto moved = w.registry.push_image("test/app", "v1", "moved");
  REQUIRE(moved.sha256_hex != v1.sha256_hex);
  auto resign = w.dtrust({"sign", gun + ":v1"});
  INFO(resign.err);
  REQUIRE(resign.exit_code == 0);
  CHECK(resign.out.starts_with("Signing and pushing trust metadata for " + gun + ":v1\n"));
  CHECK(w.signed_tags(gun)["v1"].first == v1.sha256_hex);
  auto local = w.dtrust({"sign", "--local", gun + ":v1"});
  INFO(local.err);
  REQUIRE(local.exit_code == 0);
  CHECK(local.out == "Signing and pushing trust metadata\nSuccessfully signed " + gun + ":v1\n");
  CHECK(w.signed_tags(gun)["v1"].first == moved.sha256_hex);
  CHECK(w.notary_lookup(gun, "v1") ==
        "v1 sha256:" + moved.sha256_hex + " " + std::to_string(moved.size) + "\n");
}

TEST_CASE("sign: a manifest list is signed as the list, an OCI manifest as itself",
          "[cli][publish][sign][registry][peers]") {
  if (!peers_available()) return;
  World w;
  w.login("alice", "alicepw");
  const auto amd64 = w.registry.push_image("test/multi", "amd64");
  const auto arm64 = w.registry.push_image("test/multi", "arm64");
  auto entry = [](const testing::PushedImage& child, const std::string& arch) {
    return R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json","size":)" +
           std::to_string(child.size) + R"(,"digest":"sha256:)" + child.sha256_hex +
           R"(","platform":{"architecture":")" + arch + R"(","os":"linux"}})";
  };
  // §2.5 rule 3: asked without the list type, the registry would answer with the amd64 child.
  const auto list = w.registry.put_manifest(
      "test/multi", "v1", "application/vnd.docker.distribution.manifest.list.v2+json",
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json",)"
      R"("manifests":[)" +
          entry(arm64, "arm64") + "," + entry(amd64, "amd64") + "]}");
  const std::string gun = w.image("test/multi");
  auto r = w.dtrust({"sign", gun + ":v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(w.signed_tags(gun)["v1"].first == list.sha256_hex);
  CHECK(w.notary_lookup(gun, "v1") ==
        "v1 sha256:" + list.sha256_hex + " " + std::to_string(list.size) + "\n");

  // §2.5 rule 4: an OCI manifest is "unknown" to a request without the OCI type.
  nlohmann::json oci = nlohmann::json::parse(amd64.manifest);
  oci["mediaType"] = "application/vnd.oci.image.manifest.v1+json";
  oci["config"]["mediaType"] = "application/vnd.oci.image.config.v1+json";
  oci["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip";
  const auto pushed = w.registry.put_manifest(
      "test/multi", "oci", "application/vnd.oci.image.manifest.v1+json", oci.dump());
  auto signed_oci = w.dtrust({"sign", gun + ":oci"});
  INFO(signed_oci.err);
  REQUIRE(signed_oci.exit_code == 0);
  CHECK(w.signed_tags(gun)["oci"].first == pushed.sha256_hex);
}

TEST_CASE("sign: a tag the registry does not have fails with one line and changes nothing",
          "[cli][publish][sign][registry][peers]") {
  if (!peers_available()) return;
  World w;
  w.login("alice", "alicepw");
  const std::string gun = w.image("test/app");

  SECTION("new repository") {
    const auto before = tree(w.config);
    auto r = w.dtrust({"sign", gun + ":nosuch"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err == "no such manifest: " + gun + ":nosuch (the registry " + w.registry.host() +
                       " has no tag nosuch)\n");
    CHECK(w.server.count_requests("POST", "") == 0);
    auto after = tree(w.config);
    // Opening the trust cache creates its folder and the GUN's folders; nothing else appears.
    for (auto it = after.begin(); it != after.end();) {
      it = it->second == "<dir>" && !before.count(it->first) ? after.erase(it) : std::next(it);
    }
    CHECK(after == before);
    CHECK(!fs::exists(w.config / "trust" / "private"));  // no key was generated
    CHECK(w.docker_inspect(gun).exit_code == 1);         // still no trust data on the server
  }
  SECTION("existing repository") {
    w.registry.push_image("test/app", "v1");
    REQUIRE(w.dtrust({"sign", gun + ":v1"}).exit_code == 0);
    const int posts = w.server.count_requests("POST", "");
    const auto before = tree(w.config);
    auto r = w.dtrust({"sign", gun + ":nosuch"});
    CHECK(r.exit_code == 1);
    CHECK(r.err == "no such manifest: " + gun + ":nosuch (the registry " + w.registry.host() +
                       " has no tag nosuch)\n");
    CHECK(w.server.count_requests("POST", "") == posts);
    CHECK(tree(w.config) == before);
    CHECK(w.signed_tags(gun).count("nosuch") == 0);
  }
}

TEST_CASE("sign: without a registry login a new repository is signed by the repository key",
          "[cli][publish][sign][registry][peers]") {
  if (!peers_available()) return;
  World w;
  const auto v1 = w.registry.push_image("test/anon", "v1");
  const std::string gun = w.image("test/anon");
  auto r = w.dtrust({"sign", gun + ":v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "Signing and pushing trust metadata\nFinished initializing \"" + gun +
                     "\"\nSuccessfully signed " + gun + ":v1\n");
  CHECK(r.err.find("warning: nobody is logged in to " + w.registry.host()) != std::string::npos);
  auto tags = w.signed_tags(gun);
  CHECK(tags["v1"].first == v1.sha256_hex);
  CHECK(tags["v1"].second == nlohmann::json::array({"Repo Admin"}));
}

TEST_CASE("sign: a registry with htpasswd auth is read with the login from config.json",
          "[cli][publish][sign][registry][auth][peers]") {
  if (!peers_available(/*need_htpasswd=*/true)) return;
  testing::RegistryServerOptions options;
  options.users = {{"alice", "alicepw"}};
  World w(options);
  const auto v1 = w.registry.push_image("test/auth", "v1", "", "alice", "alicepw");
  const std::string gun = w.image("test/auth");

  w.login("alice", "wrongpw");
  auto refused = w.dtrust({"sign", gun + ":v1"});
  CHECK(refused.exit_code == 1);
  CHECK(refused.err.starts_with("failed to sign " + gun +
                                ":v1: cannot read the manifest from the registry: unauthorized: "));
  CHECK(w.server.count_requests("POST", "") == 0);

  w.login("alice", "alicepw");
  auto r = w.dtrust({"sign", gun + ":v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(w.signed_tags(gun)["v1"].first == v1.sha256_hex);
  CHECK(w.notary_lookup(gun, "v1") ==
        "v1 sha256:" + v1.sha256_hex + " " + std::to_string(v1.size) + "\n");
}

TEST_CASE("sign: a token-auth registry is asked for a pull token for the repository",
          "[cli][publish][sign][registry][auth][peers]") {
  if (!peers_available()) return;
  testing::TokenService tokens;
  testing::RegistryServerOptions options;
  options.token_realm = tokens.realm();
  options.token_root_bundle = tokens.root_cert_bundle();
  options.token_issuer = tokens.issuer();
  World w(options);
  const auto v1 = w.registry.push_image("test/tok", "v1", "", "alice", "alicepw");
  const std::string gun = w.image("test/tok");
  w.login("alice", "alicepw");
  tokens.clear_requests();
  auto r = w.dtrust({"sign", gun + ":v1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(w.signed_tags(gun)["v1"].first == v1.sha256_hex);
  const auto requests = tokens.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].service == "registry-test");
  CHECK(requests[0].user == "alice");
  CHECK(requests[0].scopes == std::vector<std::string>{"repository:test/tok:pull"});
}

TEST_CASE("sign: a plain-http registry is not read over http; the error says what to do",
          "[cli][publish][sign][registry][peers]") {
  if (!peers_available()) return;
  testing::RegistryServerOptions options;
  options.tls = false;
  World w(options);
  w.registry.push_image("test/plain", "v1");
  const std::string gun = w.image("test/plain");
  auto r = w.dtrust({"sign", gun + ":v1"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("failed to sign " + gun +
                          ":v1: cannot read the manifest from the registry: "));
  CHECK(
      r.err.ends_with(" (dtrust reads registries over https only; for a plain-http registry "
                      "give --digest and --size)\n"));
  CHECK(w.server.count_requests("POST", "") == 0);
}
