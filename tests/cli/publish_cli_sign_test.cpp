// `dtrust sign` against a real TLS notary-server, checked with the real `docker trust inspect`
// (docker-trust-cli.md 1.2 step 6, 3.5).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "docker_tls_fixture.h"

namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

}  // namespace

TEST_CASE("sign: --digest initialises and signs; re-sign adds the signer's role",
          "[cli][publish][sign][peers]") {
  if (!clitest::DockerTls::usable()) return;
  clitest::DockerTls d;
  const std::string image = "localhost:5000/test/signed:v1";
  auto first = d.dtrust({"sign", image, "--digest", kDigest, "--size", "528"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  // Nobody is logged in, so no signer is created: docker's trusted-push initialisation (3.4).
  CHECK(first.out ==
        "Signing and pushing trust metadata\nFinished initializing \"localhost:5000/test/signed\"\n"
        "Successfully signed localhost:5000/test/signed:v1\n");
  CHECK(first.err ==
        "warning: nobody is logged in to localhost:5000: signing with the repository key alone, "
        "as a trusted docker push does\n");
  auto doc = d.inspect(image);
  REQUIRE(doc["SignedTags"].size() == 1);
  CHECK(doc["SignedTags"][0]["SignedTag"] == "v1");
  CHECK(doc["SignedTags"][0]["Digest"] == std::string(64, 'a'));
  CHECK(doc["SignedTags"][0]["Signers"] == nlohmann::json::array({"Repo Admin"}));

  auto gen = d.dtrust({"key", "generate", "alice", "--dir", d.scratch.path().string()});
  REQUIRE(gen.exit_code == 0);
  auto add = d.dtrust({"signer", "add", "--key", (d.scratch.path() / "alice.pub").string(), "alice",
                       "localhost:5000/test/signed"});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);

  // A wrong passphrase: one line, nothing published.
  const int posts = d.server.count_requests("POST", "");
  auto wrong = d.dtrust({"sign", image}, "wrongpass1");
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err.starts_with("failed to sign localhost:5000/test/signed:v1: "));
  CHECK(std::count(wrong.err.begin(), wrong.err.end(), '\n') == 1);
  CHECK(d.server.count_requests("POST", "") == posts);

  auto resign = d.dtrust({"sign", image});
  INFO(resign.err);
  REQUIRE(resign.exit_code == 0);
  CHECK(resign.out == "Signing and pushing trust metadata for " + image +
                          "\nExisting signatures for tag v1 digest " + std::string(64, 'a') +
                          " from:\n\nSuccessfully signed localhost:5000/test/signed:v1\n");
  doc = d.inspect(image);
  REQUIRE(doc["SignedTags"].size() == 1);
  CHECK(doc["SignedTags"][0]["Signers"] == nlohmann::json::array({"alice"}));

  auto nosuch = d.dtrust({"revoke", "localhost:5000/test/signed:nosuch"});
  CHECK(nosuch.exit_code == 1);
  CHECK(nosuch.err ==
        "could not remove signature for localhost:5000/test/signed:nosuch: No valid trust data "
        "for nosuch\n");
  auto revoke = d.dtrust({"revoke", image});
  INFO(revoke.err);
  REQUIRE(revoke.exit_code == 0);
  CHECK(revoke.out == "Successfully deleted signature for " + image + "\n");
  // Removed from targets/alice and targets/releases only: with delegations, `targets` is not a
  // signable role (3.5), so the first signature (Repo Admin) stays, as in docker.
  doc = d.inspect("localhost:5000/test/signed");
  REQUIRE(doc["SignedTags"].size() == 1);
  CHECK(doc["SignedTags"][0]["Signers"] == nlohmann::json::array({"Repo Admin"}));

  auto notag = d.dtrust({"sign", "localhost:5000/test/signed"});
  CHECK(notag.exit_code == 1);
  CHECK(notag.err == "no tag specified for localhost:5000/test/signed\n");
}
