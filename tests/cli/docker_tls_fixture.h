// Shared by the docker-family publishing tests (sign, signer): a real TLS notary-server and a
// docker config folder that trusts its CA ($DOCKER_CONFIG/tls/localhost:<port>/ca.crt), used the
// same way by dtrust and the real `docker trust` commands.
#ifndef DTRUST_TESTS_CLI_DOCKER_TLS_FIXTURE_H_
#define DTRUST_TESTS_CLI_DOCKER_TLS_FIXTURE_H_

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"

namespace clitest {

class DockerTls {
 public:
  static constexpr const char* kRootPass = "rootpass1";
  static constexpr const char* kRepoPass = "repopass1";

  // Whether notary-server and the docker CLI are installed; WARNs when they are not.
  static bool usable();

  DockerTls();

  // DOCKER_CONFIG and DOCKER_CONTENT_TRUST_SERVER; with a repository passphrase, docker's two
  // passphrase variables too (root kRootPass). nullopt: no passphrase variable at all.
  std::vector<std::string> env(std::optional<std::string> repo_pass = kRepoPass) const;
  // The dtrust binary with env(repo_pass).
  RunResult dtrust(std::vector<std::string> args,
                   std::optional<std::string> repo_pass = kRepoPass) const;
  // `docker trust inspect IMAGE` against the same server, which must succeed: the image's
  // element of docker's JSON array.
  nlohmann::json inspect(const std::string& image) const;
  // The signers' names docker shows for IMAGE, sorted (docker lists them in map order).
  std::vector<std::string> signer_names(const std::string& image) const;
  // `dtrust key generate NAME --dir <scratch>`, which must succeed; returns NAME.pub's path.
  std::filesystem::path generate_key(const std::string& name) const;

  testing::NotaryServer server;
  testing::TempDir scratch;
  std::filesystem::path config;
};

}  // namespace clitest

#endif  // DTRUST_TESTS_CLI_DOCKER_TLS_FIXTURE_H_
