// The notary family's staging commands (init, add, status, reset, publish) against a real
// TLS notary-server, checked with the Go `notary list`.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"

namespace {

using clitest::run_process;

struct Setup {
  testing::NotaryServer server{testing::NotaryServerOptions::with_tls()};
  testing::TempDir trust;
  testing::NotaryCli go{server};
  const std::string gun = "localhost:5000/notary/app";

  clitest::RunResult dtrust(std::vector<std::string> args, bool passphrases = true) const {
    args.insert(args.begin(), DTRUST_BINARY);
    args.insert(args.end(), {"-s", server.url(), "--tlscacert", server.ca_file().string(), "-d",
                             trust.path().string()});
    std::vector<std::string> env = {"DOCKER_CONFIG=" + (trust.path() / "cfg").string()};
    if (passphrases) {
      for (const char* v : {"NOTARY_ROOT_PASSPHRASE=rootpass1", "NOTARY_TARGETS_PASSPHRASE=tpass1",
                            "NOTARY_SNAPSHOT_PASSPHRASE=spass1"}) {
        env.push_back(v);
      }
    }
    return run_process(args, env);
  }
};

}  // namespace

TEST_CASE("notary family: add, status, reset, init and publish; Go notary lists the result",
          "[cli][publish][notary][peers]") {
  if (!testing::NotaryServer::available()) {
    WARN("notary-server missing: skipped");
    return;
  }
  Setup s;
  const std::string hex(64, 'b');
  auto add = s.dtrust({"add", s.gun, "v1", "--digest", "sha256:" + hex, "--size", "42"});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(add.out ==
        "Addition of target \"v1\" to repository \"" + s.gun + "\" staged for next publish.\n");
  auto status = s.dtrust({"status", s.gun});
  CHECK(status.out == "Unpublished changes for " + s.gun +
                          ":\n\n#    ACTION    SCOPE      TYPE      PATH\n"
                          "-    ------    -----      ----      ----\n"
                          "0    create    targets    target    v1\n");
  auto reset = s.dtrust({"reset", s.gun});
  CHECK(reset.exit_code == 0);
  CHECK(s.dtrust({"status", s.gun}).out == "No unpublished changes for " + s.gun + "\n");

  REQUIRE(s.dtrust({"add", s.gun, "v2", "--digest", "sha256:" + hex, "--size", "42"}).exit_code ==
          0);
  auto nopass = s.dtrust({"init", s.gun}, /*passphrases=*/false);
  CHECK(nopass.exit_code == 1);
  CHECK(nopass.err.find("NOTARY_") != std::string::npos);
  CHECK(nopass.err.starts_with(s.gun + ": "));  // the GUN first
  INFO(nopass.err);
  CHECK(nopass.err.find("NOTARY_ROOT_PASSPHRASE") != std::string::npos);
  CHECK(s.server.count_requests("POST", "") == 0);

  auto init = s.dtrust({"init", s.gun});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(s.dtrust({"status", s.gun}).out == "No unpublished changes for " + s.gun + "\n");
  REQUIRE(s.dtrust({"add", s.gun, "v3", "--digest", "sha256:" + hex, "--size", "7"}).exit_code ==
          0);
  auto publish = s.dtrust({"publish", s.gun});
  INFO(publish.err);
  REQUIRE(publish.exit_code == 0);
  CHECK(publish.out == "Pushing changes to " + s.gun +
                           "\nSuccessfully published changes for repository " + s.gun + "\n");
  auto list = s.go.run({"list", s.gun});
  INFO(list.output);
  REQUIRE(list.exit_code == 0);
  CHECK(list.output.find("v2      " + hex + "    42 ") != std::string::npos);
  CHECK(list.output.find("v3      " + hex + "    7 ") != std::string::npos);
}
