// dtrust list/lookup against the real Go notary client (/usr/bin/notary 0.7) on the same trust
// data: notary reads its cache offline (its server address is unreachable), dtrust reads the
// same folder with --from; stdout must be byte-identical and both must agree on success.
// Skipped when notary is not installed.
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "test_support.h"

namespace fs = std::filesystem;
using clitest::run_dtrust;
using clitest::run_notary;

namespace {

// Runs `notary <args>` and `dtrust <args>` (with --from inserted after the command) on the
// trust dir, with dtrust's clock at `now`, and compares them. Returns notary's exit status.
int compare(const fs::path& trust_dir, const std::vector<std::string>& args, tuf::Time now) {
  INFO("args: " << [&] {
    std::string s;
    for (const auto& a : args) s += a + " ";
    return s;
  }());
  const auto notary = run_notary(trust_dir, args);
  std::vector<std::string> ours = {args.front(), "--from", trust_dir.string()};
  ours.insert(ours.end(), args.begin() + 1, args.end());
  const auto dtrust = run_dtrust(ours, now);
  INFO("notary stderr: " << notary.err);
  INFO("dtrust stderr: " << dtrust.err);
  CHECK((notary.exit_code == 0) == (dtrust.exit_code == 0));
  // notary prints its fatal errors ("\n* fatal: ...") on stdout; only successes compare.
  if (notary.exit_code == 0) CHECK(dtrust.out == notary.out);
  return notary.exit_code;
}

// A repository made now with everything notary's resolution cares about: shadowing, path
// restrictions, nesting, an unpublished delegation and odd names. (Not an expired delegation:
// notary skips one it downloads but fails outright on one in its cache -- "client is
// offline" -- so offline runs cannot be compared. dtrust skips it with a warning, as notary
// does online; see "list: an expired delegation is skipped with a warning".)
testing::TestRepo rich_repo(tuf::Time now) {
  auto repo = testing::TestRepo::fresh("example.com/dtrust/interop", now);
  repo.add_delegation("targets/releases", {""});
  repo.add_delegation("targets/alice", {""});
  repo.add_delegation("targets/alice/ci", {"ci/"});
  repo.add_delegation("targets/prod", {"prod/"});
  repo.add_delegation("targets/ghost", {""});
  repo.delegations.erase("targets/ghost");  // declared, never published
  repo.add_target("targets", "top", "top");
  repo.add_target("targets", "conflict", "conflict-targets");
  repo.add_target("targets", "1.10", "x");
  repo.add_target("targets", "1.9", "y");
  repo.add_target("targets", "a>b&&c<d", "z");
  repo.add_target("targets", "ünïcödé-日本語", "u");
  repo.add_target("targets/releases", "conflict", "conflict-releases");
  repo.add_target("targets/releases", "both", "both");
  repo.add_target("targets/releases", "rel", "rel");
  repo.add_target("targets/alice", "both", "both-alice");
  repo.add_target("targets/alice", "aliceonly", "a");
  repo.add_target("targets/alice", "ci/shadowed", "alice-ci");
  repo.add_target("targets/alice/ci", "ci/build", "build");
  repo.add_target("targets/alice/ci", "ci/shadowed", "ci-ci");
  repo.add_target("targets/alice/ci", "notci", "outside the paths");
  repo.add_target("targets/prod", "prod/app", "app");
  repo.add_target("targets/prod", "stale/app", "outside the paths");
  repo.publish();
  return repo;
}

}  // namespace

TEST_CASE("notary interop: list and lookup on every fixture set", "[notary][interop]") {
  if (!clitest::have_notary()) {
    WARN("skipped: " << clitest::kNotaryBinary << " not installed");
    return;
  }
  for (const auto& entry : fs::directory_iterator(testing::fixtures_dir())) {
    if (!fs::exists(entry.path() / "MANIFEST.json")) continue;
    const std::string set = entry.path().filename();
    const std::string gun = clitest::fixture_gun(set);
    testing::TempDir dir;
    clitest::copy_tree(entry.path() / "tuf", dir.path() / "tuf");
    const tuf::Time now = clitest::wall_clock();
    const auto probe = run_notary(dir.path(), {"list", gun});
    if (probe.exit_code != 0) {
      // The fixtures' timestamps expire 14 days after generation; notary has no --at.
      WARN("skipped " << set << ": notary cannot verify it today: " << probe.err);
      continue;
    }
    INFO(set);
    CHECK(compare(dir.path(), {"list", gun}, now) == 0);
    for (const auto& target : clitest::manifest(set).at("targets")) {
      compare(dir.path(), {"lookup", gun, target.at("name").get<std::string>()}, now);
    }
    compare(dir.path(), {"lookup", gun, "no-such-target"}, now);
  }
}

TEST_CASE("notary interop: delegation walk, paths, shadowing and skipped roles",
          "[notary][interop]") {
  if (!clitest::have_notary()) {
    WARN("skipped: " << clitest::kNotaryBinary << " not installed");
    return;
  }
  const tuf::Time now = clitest::wall_clock();
  const auto repo = rich_repo(now);
  testing::TempDir dir;
  clitest::write_trust_dir(repo, dir.path());
  const std::string gun = repo.gun;
  CHECK(compare(dir.path(), {"list", gun}, now) == 0);
  for (const char* roles :
       {"targets/alice", "targets/alice/ci", "targets/releases", "targets/alice,targets",
        "targets/prod,targets/releases", "targets/ghost"}) {
    CHECK(compare(dir.path(), {"list", gun, "-r", roles}, now) == 0);
  }
  for (const char* name :
       {"top", "conflict", "both", "rel", "aliceonly", "ci/build", "ci/shadowed", "notci",
        "prod/app", "stale/app", "1.10", "a>b&&c<d", "ünïcödé-日本語", "absent"}) {
    compare(dir.path(), {"lookup", gun, name}, now);
  }
  // Sanity: the data exercises what it should.
  const auto listed = run_dtrust({"list", "--from", dir.path().string(), gun}, now);
  CHECK(listed.out.find("ci/shadowed") != std::string::npos);
  CHECK(listed.out.find("notci") == std::string::npos);
  CHECK(listed.out.find("stale/app") == std::string::npos);
}

TEST_CASE("notary interop: a repository without targets", "[notary][interop]") {
  if (!clitest::have_notary()) {
    WARN("skipped: " << clitest::kNotaryBinary << " not installed");
    return;
  }
  const tuf::Time now = clitest::wall_clock();
  const auto repo = testing::TestRepo::fresh("example.com/dtrust/empty", now);
  testing::TempDir dir;
  clitest::write_trust_dir(repo, dir.path());
  CHECK(compare(dir.path(), {"list", repo.gun}, now) == 0);
  CHECK(compare(dir.path(), {"lookup", repo.gun, "latest"}, now) != 0);
  const auto ours = run_dtrust({"list", "--from", dir.path().string(), repo.gun}, now);
  CHECK(ours.out == "\nNo targets present in this repository.\n\n");
}
