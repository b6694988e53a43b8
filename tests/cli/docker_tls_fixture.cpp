#include "docker_tls_fixture.h"

#include <algorithm>
#include <catch2/catch.hpp>

namespace clitest {

namespace fs = std::filesystem;

bool DockerTls::usable() {
  if (!testing::NotaryServer::available() || docker_binary().empty()) {
    WARN("notary-server or docker missing: skipped");
    return false;
  }
  return true;
}

DockerTls::DockerTls()
    : server(testing::NotaryServerOptions::with_tls()), config(scratch.path() / "cfg") {
  const fs::path tls = config / "tls" / ("localhost:" + std::to_string(server.port()));
  fs::create_directories(tls);
  fs::copy_file(server.ca_file(), tls / "ca.crt");
}

std::vector<std::string> DockerTls::env(std::optional<std::string> repo_pass) const {
  std::vector<std::string> e = {"DOCKER_CONFIG=" + config.string(),
                                "DOCKER_CONTENT_TRUST_SERVER=" + server.url()};
  if (repo_pass) {
    e.push_back(std::string("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=") + kRootPass);
    e.push_back("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=" + *repo_pass);
  }
  return e;
}

RunResult DockerTls::dtrust(std::vector<std::string> args,
                            std::optional<std::string> repo_pass) const {
  args.insert(args.begin(), DTRUST_BINARY);
  return run_process(args, env(std::move(repo_pass)));
}

nlohmann::json DockerTls::inspect(const std::string& image) const {
  auto r = run_process({docker_binary(), "trust", "inspect", image}, env(std::nullopt));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)[0];
}

std::vector<std::string> DockerTls::signer_names(const std::string& image) const {
  const nlohmann::json doc = inspect(image);  // held: the loop walks a part of it
  std::vector<std::string> names;
  for (const auto& s : doc["Signers"]) names.push_back(s["Name"]);
  std::sort(names.begin(), names.end());
  return names;
}

fs::path DockerTls::generate_key(const std::string& name) const {
  auto r = dtrust({"key", "generate", name, "--dir", scratch.path().string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return scratch.path() / (name + ".pub");
}

}  // namespace clitest
