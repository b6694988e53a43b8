// `dtrust signer add/remove` against a real TLS notary-server, checked with the real
// `docker trust inspect` (docker-trust-cli.md 1.6, 1.7).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "docker_tls_fixture.h"
#include "test_http_server.h"  // shared_test_pki

namespace {

namespace fs = std::filesystem;
using clitest::DockerTls;
using clitest::run_process;

}  // namespace

TEST_CASE("signer add: initialises a new repository; docker sees the signer",
          "[cli][publish][signer][peers]") {
  if (!DockerTls::usable()) return;
  DockerTls d;
  d.generate_key("alice");
  const std::string repo = "localhost:5000/test/withsigner";
  auto r = d.dtrust(
      {"signer", "add", "--key", (d.scratch.path() / "alice.pub").string(), "alice", repo});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "Adding signer \"alice\" to " + repo + "...\nInitializing signed repository for " +
                     repo + "...\nSuccessfully initialized \"" + repo +
                     "\"\nSuccessfully added signer: alice to " + repo + "\n\n");
  CHECK(d.signer_names(repo) == std::vector<std::string>{"alice"});

  // A second signer on the existing repository, then removing the first (not the last).
  d.generate_key("bob");
  auto bob =
      d.dtrust({"signer", "add", "--key", (d.scratch.path() / "bob.pub").string(), "bob", repo});
  INFO(bob.err);
  REQUIRE(bob.exit_code == 0);
  CHECK(bob.out == "Adding signer \"bob\" to " + repo + "...\nSuccessfully added signer: bob to " +
                       repo + "\n\n");
  CHECK(d.signer_names(repo) == std::vector<std::string>{"alice", "bob"});
  auto removed = d.dtrust({"signer", "remove", "alice", repo});
  INFO(removed.err);
  REQUIRE(removed.exit_code == 0);
  CHECK(removed.out == "Removing signer \"alice\" from " + repo +
                           "...\nSuccessfully removed alice from " + repo + "\n\n");
  CHECK(d.signer_names(repo) == std::vector<std::string>{"bob"});
  auto nobody = d.dtrust({"signer", "remove", "nobody", repo});
  CHECK(nobody.exit_code == 1);
  CHECK(nobody.err == "no signer nobody for repository " + repo +
                          "\n\nerror removing signer from: " + repo + "\n");
}

TEST_CASE("signer add: no passphrase and no terminal publishes nothing",
          "[cli][publish][signer][peers]") {
  if (!DockerTls::usable()) return;
  DockerTls d;
  d.generate_key("alice");
  const std::string repo = "localhost:5000/test/nopass";
  auto r =
      d.dtrust({"signer", "add", "--key", (d.scratch.path() / "alice.pub").string(), "alice", repo},
               /*repo_pass=*/std::nullopt);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE") != std::string::npos);
  CHECK(r.err.ends_with("failed to add signer to: " + repo + "\n"));
  CHECK(d.server.count_requests("POST", "") == 0);
  auto missing = d.dtrust({"signer", "add", "--key", "nosuch.pub", "alice", repo});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err ==
        "unable to read public key from file: open nosuch.pub: no such file or directory\n");
  CHECK(missing.out.empty());
}

TEST_CASE("signer add: a CERTIFICATE key file gets the key ID docker gives it",
          "[cli][publish][signer][peers]") {
  if (!DockerTls::usable()) return;
  DockerTls d;
  // A leaf certificate (EC P-256, valid now), as notary's ParsePEMPublicKey accepts (1.6 step 3).
  const fs::path cert = testing::shared_test_pki().client_cert;
  const std::string ours = "localhost:5000/test/cert-dtrust";
  const std::string theirs = "localhost:5000/test/cert-docker";
  auto r = d.dtrust({"signer", "add", "--key", cert.string(), "carol", ours});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto docker = run_process(
      {clitest::docker_binary(), "trust", "signer", "add", "--key", cert.string(), "carol", theirs},
      d.env());
  INFO(docker.err);
  REQUIRE(docker.exit_code == 0);
  auto signer_keys = [&](const std::string& repo) {
    auto inspect = run_process({clitest::docker_binary(), "trust", "inspect", repo}, d.env());
    REQUIRE(inspect.exit_code == 0);
    const nlohmann::json doc = nlohmann::json::parse(inspect.out);
    REQUIRE(doc[0]["Signers"].size() == 1);
    CHECK(doc[0]["Signers"][0]["Name"] == "carol");
    return doc[0]["Signers"][0]["Keys"];
  };
  const nlohmann::json keys = signer_keys(ours);
  CHECK(keys.size() == 1);
  CHECK(keys == signer_keys(theirs));
}
