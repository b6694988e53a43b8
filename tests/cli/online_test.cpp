// The online commands against a real notary-server holding repositories the Go notary client
// published: list, lookup, inspect, resolve, the warm path, --offline and failures.
#include <catch2/catch.hpp>
#include <future>
#include <vector>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"
#include "tuf/crypto.h"

namespace {

using clitest::run_dtrust;
using clitest::run_process;
using testing::NotaryCli;
using testing::NotaryServer;

std::string sha256_hex(std::string_view s) { return tuf::crypto::to_hex(tuf::crypto::sha256(s)); }

struct Served {
  NotaryServer server;
  NotaryCli cli{server};
  testing::TempDir trust;  // dtrust's trust dir (cache and keys)
  const std::string gun = "127.0.0.1:5000/online/app";

  Served() {
    run({"init", gun, "-p"});
    for (const char* tag : {"v1", "v2"}) {
      const std::string content = std::string("manifest ") + tag;
      run({"addhash", gun, tag, std::to_string(content.size()), "--sha256", sha256_hex(content)});
    }
    run({"publish", gun});
  }
  void run(const std::vector<std::string>& args) {
    auto r = cli.run(args);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
  }
  clitest::RunResult dtrust(std::vector<std::string> args) {
    args.insert(args.begin() + 1, {"-s", server.url(), "-d", trust.path().string()});
    return run_dtrust(args, clitest::wall_clock());
  }
};

}  // namespace

TEST_CASE("online: lookup and list match the Go notary client", "[cli][online][peers]") {
  if (!NotaryServer::available()) return;
  Served s;
  auto lookup = s.dtrust({"lookup", s.gun, "v1"});
  INFO(lookup.err);
  REQUIRE(lookup.exit_code == 0);
  auto go = s.cli.run({"lookup", s.gun, "v1"});
  REQUIRE(go.exit_code == 0);
  CHECK(lookup.out == "v1 sha256:" + sha256_hex("manifest v1") + " 11\n");
  CHECK(go.output.find(lookup.out) != std::string::npos);
  auto list = s.dtrust({"list", s.gun});
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("v2") != std::string::npos);
  CHECK(list.out.find(sha256_hex("manifest v2")) != std::string::npos);
}

TEST_CASE("online: a cold lookup costs four requests, a warm one one", "[cli][online][peers]") {
  if (!NotaryServer::available()) return;
  Served s;
  const int empty = static_cast<int>(s.server.request_log().size());
  // Cold: the warm path's timestamp download is handed on to the full sync, not repeated.
  REQUIRE(s.dtrust({"lookup", s.gun, "v1"}).exit_code == 0);
  const int before = static_cast<int>(s.server.request_log().size());
  CHECK(before - empty == 4);  // root, timestamp, snapshot, targets
  auto warm = s.dtrust({"lookup", s.gun, "v2"});
  REQUIRE(warm.exit_code == 0);
  CHECK(warm.out == "v2 sha256:" + sha256_hex("manifest v2") + " 11\n");
  const auto log = s.server.request_log();
  REQUIRE(static_cast<int>(log.size()) == before + 1);
  CHECK(log.back().uri.ends_with("/timestamp.json"));
}

TEST_CASE("online: inspect JSON names the signed tags", "[cli][online][peers]") {
  if (!NotaryServer::available()) return;
  Served s;
  auto inspect = s.dtrust({"inspect", s.gun + ":v2"});
  INFO(inspect.err);
  REQUIRE(inspect.exit_code == 0);
  CHECK(inspect.out.find("\"SignedTag\": \"v2\"") != std::string::npos);
  CHECK(inspect.out.find("\"Digest\": \"" + sha256_hex("manifest v2") + "\"") != std::string::npos);
  auto missing = s.dtrust({"inspect", "127.0.0.1:5000/online/missing"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.out == "[]\n");
  CHECK(missing.err == "no signatures or cannot access 127.0.0.1:5000/online/missing\n");
}

TEST_CASE("online: dtrust processes running at once on one cache all succeed",
          "[cli][online][peers][process]") {
  if (!NotaryServer::available()) return;
  Served s;
  REQUIRE(s.dtrust({"lookup", s.gun, "v1"}).exit_code == 0);  // cold: fills the cache
  const std::string v1 = "v1 sha256:" + sha256_hex("manifest v1") + " 11\n";
  // Eight processes at once: warm look-ups (each reads the cache on a helper thread while it
  // downloads) and lists (which write the cache); then, after a new publish, eight look-ups
  // that all find the index stale and sync and commit at the same time.
  auto run_all = [&](const std::vector<std::vector<std::string>>& commands) {
    std::vector<std::future<clitest::RunResult>> runs;
    for (const auto& args : commands) {
      runs.push_back(std::async(std::launch::async, [&s, args] { return s.dtrust(args); }));
    }
    std::vector<clitest::RunResult> results;
    for (auto& run : runs) results.push_back(run.get());
    return results;
  };
  std::vector<std::vector<std::string>> warm;
  for (int i = 0; i < 6; ++i) warm.push_back({"lookup", s.gun, "v1"});
  warm.push_back({"list", s.gun});
  warm.push_back({"list", s.gun});
  const auto results = run_all(warm);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const clitest::RunResult& r = results[i];
    INFO(warm[i][0] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    if (warm[i][0] == "lookup") {
      CHECK(r.out == v1);
    } else {
      CHECK(r.out.find(sha256_hex("manifest v1")) != std::string::npos);
      CHECK(r.out.find(sha256_hex("manifest v2")) != std::string::npos);
    }
  }
  s.run({"addhash", s.gun, "v3", "11", "--sha256", sha256_hex("manifest v3")});
  s.run({"publish", s.gun});
  const std::vector<std::vector<std::string>> stale(8, {"lookup", s.gun, "v3"});
  for (const auto& r : run_all(stale)) {
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "v3 sha256:" + sha256_hex("manifest v3") + " 11\n");
  }
}

TEST_CASE("online: resolve prints trusted digests and fails for unknown tags",
          "[cli][online][peers]") {
  if (!NotaryServer::available()) return;
  Served s;
  auto ok = s.dtrust({"resolve", s.gun + ":v1", s.gun + ":v2"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out == s.gun + "@sha256:" + sha256_hex("manifest v1") + "\n" + s.gun +
                      "@sha256:" + sha256_hex("manifest v2") + "\n");
  auto bad = s.dtrust({"resolve", s.gun + ":v1", s.gun + ":nosuch"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.out == s.gun + "@sha256:" + sha256_hex("manifest v1") + "\n");
  CHECK(bad.err == s.gun + ":nosuch: No valid trust data for nosuch\n");
  auto json = s.dtrust({"resolve", "--json", s.gun + ":v2"});
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"Digest\": \"sha256:" + sha256_hex("manifest v2") + "\"") !=
        std::string::npos);
}

TEST_CASE("online: --offline answers from the cache and says how old it is",
          "[cli][online][peers]") {
  if (!NotaryServer::available()) return;
  Served s;
  testing::TempDir empty;
  auto none = run_dtrust({"lookup", "--offline", "-d", empty.path().string(), s.gun, "v1"},
                         clitest::wall_clock());
  CHECK(none.exit_code == 1);
  CHECK(none.err.find(s.gun) != std::string::npos);
  REQUIRE(s.dtrust({"list", s.gun}).exit_code == 0);
  s.server.stop();
  auto offline = run_dtrust({"lookup", "--offline", "-d", s.trust.path().string(), s.gun, "v2"},
                            clitest::wall_clock());
  INFO(offline.err);
  REQUIRE(offline.exit_code == 0);
  CHECK(offline.out == "v2 sha256:" + sha256_hex("manifest v2") + " 11\n");
  CHECK(offline.err.find("answered from the trust cache alone") != std::string::npos);
}

TEST_CASE("online: an unreachable server is one line and a non-zero exit", "[cli][online]") {
  testing::TempDir trust;
  auto r = run_dtrust({"lookup", "-s", "http://127.0.0.1:9", "-d", trust.path().string(),
                       "example.com/unreachable/app", "v1"},
                      clitest::wall_clock());
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.starts_with("example.com/unreachable/app: root: "));
}

TEST_CASE("online: DOCKER_CONTENT_TRUST_SERVER must be https, as in docker", "[cli][online]") {
  testing::TempDir trust;
  auto r =
      run_process({DTRUST_BINARY, "lookup", "-d", trust.path().string(), "example.com/a/b", "v1"},
                  {"DOCKER_CONTENT_TRUST_SERVER=http://127.0.0.1:9"});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "valid https URL required for trust server, got http://127.0.0.1:9\n");
}
