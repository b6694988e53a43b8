// `dtrust lookup` and `dtrust list` on the project's fixtures (made by the real notary CLI):
// exact output, notary's name -> role resolution, pinning, expiry and error lines.
#include <catch2/catch.hpp>
#include <map>
#include <sstream>

#include "cli_test_util.h"
#include "test_support.h"
#include "tuf/builder.h"

namespace fs = std::filesystem;
using clitest::fixture;
using clitest::fixture_gun;
using clitest::fixture_time;
using clitest::run_dtrust;

namespace {

// Every fixture set (a folder with a MANIFEST.json).
std::vector<std::string> fixture_sets() {
  std::vector<std::string> sets;
  for (const auto& entry : fs::directory_iterator(testing::fixtures_dir())) {
    if (fs::exists(entry.path() / "MANIFEST.json")) sets.push_back(entry.path().filename());
  }
  std::sort(sets.begin(), sets.end());
  return sets;
}

// Runs a command on a fixture at its generation time; the clock says otherwise.
clitest::RunResult on_fixture(const std::string& set, std::vector<std::string> args) {
  std::vector<std::string> full = {args.front(), "--from", fixture(set).string(), "--at",
                                   fixture_time(set)};
  full.insert(full.end(), args.begin() + 1, args.end());
  return run_dtrust(full, testing::at("2030-01-01T00:00:00Z"));
}

// NAME -> ROLE of a `list` table.
std::map<std::string, std::string> table_rows(const std::string& table) {
  std::map<std::string, std::string> rows;
  std::istringstream lines(table);
  std::string line;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // dashes
  while (std::getline(lines, line)) {
    rows[line.substr(0, line.find(' '))] = line.substr(line.rfind(' ') + 1);
  }
  return rows;
}

std::string warning_for(const std::string& set) {
  auto t = tuf::parse_rfc3339(fixture_time(set));
  return "warning: verifying as of " + tuf::format_rfc3339_utc(t->instant) +
         ", not the current time\n";
}

}  // namespace

TEST_CASE("list: every fixture set prints the table notary printed when it was made",
          "[notary][list]") {
  const auto sets = fixture_sets();
  REQUIRE(sets.size() >= 7);
  for (const std::string& set : sets) {
    INFO(set);
    auto r = on_fixture(set, {"list", fixture_gun(set)});
    CHECK(r.exit_code == 0);
    CHECK(r.err == warning_for(set));
    CHECK(r.out == testing::read_file(fixture(set) / "notary-list.txt"));
  }
}

TEST_CASE("lookup: every name resolves to the role notary listed it under", "[notary][lookup]") {
  for (const std::string& set : fixture_sets()) {
    const auto m = clitest::manifest(set);
    // name -> the line for the (role, name) entry `notary list` showed, if any.
    std::map<std::string, std::string> expected;
    for (const auto& target : m.at("targets")) {
      const std::string name = target.at("name");
      if (!expected.contains(name)) expected[name] = "";
      if (!target.at("listed").get<bool>()) continue;
      expected[name] = name + " sha256:" + target.at("sha256_hex").get<std::string>() + " " +
                       std::to_string(target.at("length").get<int64_t>()) + "\n";
    }
    for (const auto& [name, line] : expected) {
      INFO(set << " " << name);
      auto r = on_fixture(set, {"lookup", fixture_gun(set), name});
      if (line.empty()) {
        CHECK(r.exit_code == 1);  // only in a role whose paths do not allow it
      } else {
        CHECK(r.exit_code == 0);
        CHECK(r.out == line);
      }
    }
  }
}

TEST_CASE("lookup: an unknown target is one error line and exit 1", "[notary][lookup]") {
  auto r = on_fixture("delegations", {"lookup", fixture_gun("delegations"), "nope"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == warning_for("delegations") +
                     "example.com/dtrust/delegations: no valid trust data for nope\n");
  // stale/app is in targets/prod's file but outside its paths.
  auto stale = on_fixture("delegations", {"lookup", fixture_gun("delegations"), "stale/app"});
  CHECK(stale.exit_code == 1);
}

TEST_CASE("lookup: --roles sets the search priority", "[notary][lookup]") {
  const std::string gun = fixture_gun("delegations");
  // Plain lookup: targets shadows everything, releases comes before alice.
  CHECK(on_fixture("delegations", {"lookup", gun, "conflict"}).out.ends_with(" 103\n"));
  CHECK(on_fixture("delegations", {"lookup", gun, "both"}).out ==
        "both sha256:9597a862f9440f67d557817a68831239e0ef9cd0b9661c4e692be8986e0276cd 100\n");
  auto releases = on_fixture("delegations", {"lookup", "-r", "targets/releases", gun, "conflict"});
  CHECK(releases.out.ends_with(" 104\n"));
  auto nested =
      on_fixture("delegations", {"lookup", "--roles", "targets/alice/ci", gun, "ci/build"});
  CHECK(nested.exit_code == 0);
  CHECK(nested.out.ends_with(" 105\n"));
  // The subtree of the first role is searched before the next role.
  auto ordered =
      on_fixture("delegations", {"lookup", "-r", "targets/alice,targets", gun, "conflict"});
  CHECK(ordered.out.ends_with(" 103\n"));  // alice does not have it; targets does
  auto missing = on_fixture("delegations", {"lookup", "-r", "targets/alice", gun, "toponly"});
  CHECK(missing.exit_code == 1);
}

TEST_CASE("list: --roles restricts the listing to subtrees", "[notary][list]") {
  const std::string gun = fixture_gun("delegations");
  auto alice = on_fixture("delegations", {"list", "-r", "targets/alice", gun});
  REQUIRE(alice.exit_code == 0);
  CHECK(alice.out ==
        "NAME         DIGEST                                                              SIZE "
        "(BYTES)    ROLE\n"
        "----         ------                                                              "
        "------------    ----\n"
        "aliceonly    9597a862f9440f67d557817a68831239e0ef9cd0b9661c4e692be8986e0276cd    101   "
        "          targets/alice\n"
        "both         9597a862f9440f67d557817a68831239e0ef9cd0b9661c4e692be8986e0276cd    100   "
        "          targets/alice\n"
        "ci/build     aa4fa9f1f8ca4b80e02d63091680ffac0c3ef692ef54f9524294768b4a6152f0    105   "
        "          targets/alice/ci\n");
  // alice first, then targets without alice's subtree: "both" stays alice's.
  auto two = on_fixture("delegations", {"list", "--roles", "targets/alice", "-r", "targets", gun});
  const auto rows = table_rows(two.out);
  CHECK(rows.at("both") == "targets/alice");
  CHECK(rows.at("releaseonly") == "targets/releases");
  CHECK(rows.at("conflict") == "targets");
  CHECK(rows.size() == 7);
}

TEST_CASE("list: a trust dir and its metadata folder are both accepted", "[notary][list]") {
  const std::string gun = fixture_gun("plain");
  const fs::path metadata = fixture("plain") / "tuf" / gun / "metadata";
  auto r = run_dtrust({"list", "--from", metadata.string(), "--at", fixture_time("plain"), gun},
                      testing::at("2030-01-01T00:00:00Z"));
  CHECK(r.exit_code == 0);
  CHECK(r.out == testing::read_file(fixture("plain") / "notary-list.txt"));
}

TEST_CASE("list: verification failures are one line naming GUN and role", "[notary][errors]") {
  const std::string gun = fixture_gun("plain");
  SECTION("the clock past the timestamp's expiry") {
    auto r = run_dtrust({"list", "--from", fixture("plain").string(), gun},
                        testing::at("2026-12-31T00:00:00Z"));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("example.com/dtrust/plain: timestamp: expired"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("a GUN the root certificate is not for") {
    const fs::path metadata = fixture("plain") / "tuf" / gun / "metadata";
    auto r = run_dtrust(
        {"list", "--from", metadata.string(), "--at", fixture_time("plain"), "example.com/other"},
        testing::at("2030-01-01T00:00:00Z"));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("\nexample.com/other: root: ") != std::string::npos);
  }
  SECTION("a trust dir without the GUN") {
    auto r = on_fixture("plain", {"list", "example.com/absent"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("\nexample.com/absent: root: ") != std::string::npos);
  }
  SECTION("a GUN that would leave the trust dir") {
    auto r = on_fixture("plain", {"list", "../../etc"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.ends_with("../../etc: cannot be used as a path under the trust dir " +
                          fixture("plain").string() + "\n"));
  }
}

TEST_CASE("list: --root-key pins the root by certificate ID, canonical ID or file",
          "[notary][pin]") {
  const auto m = clitest::manifest("rotated");
  const std::string gun = m.at("gun");
  for (const std::string& id :
       {m.at("root_key_id").get<std::string>(), m.at("root_canonical_key_id").get<std::string>()}) {
    INFO(id);
    auto r = on_fixture("rotated", {"list", "--root-key", id, gun});
    CHECK(r.exit_code == 0);
    CHECK(r.out == testing::read_file(fixture("rotated") / "notary-list.txt"));
  }
  // Another set's root key: the root does not match the pin.
  auto wrong = on_fixture(
      "rotated", {"list", "--root-key", clitest::manifest("plain").at("root_key_id"), gun});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.empty());
  CHECK(wrong.err == warning_for("rotated") +
                         "example.com/dtrust/rotated: root: root key does not match the pinned "
                         "root key\n");
  // One of several pins is enough.
  auto several =
      on_fixture("rotated", {"list", "--root-key", clitest::manifest("plain").at("root_key_id"),
                             "--root-key", m.at("root_canonical_key_id"), gun});
  CHECK(several.exit_code == 0);
  // An unreadable key file is one line, before any verification.
  auto missing = on_fixture("rotated", {"list", "--root-key", "/nonexistent.pem", gun});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err ==
        "--root-key /nonexistent.pem: not a 64-hex key ID and not a readable file\n");
}

TEST_CASE("list: an expired delegation is skipped with a warning", "[notary][list]") {
  const tuf::Time now = testing::at("2026-11-25T00:00:00Z");
  auto repo = testing::TestRepo::fresh("example.com/dtrust/old", now);
  repo.add_delegation("targets/old", {""});
  repo.add_delegation("targets/old/child", {""});
  repo.add_delegation("targets/new", {""});
  repo.add_target("targets/old", "oldonly", "old");
  repo.add_target("targets/old/child", "childonly", "child");
  repo.add_target("targets/new", "newonly", "new");
  repo.delegations.at("targets/old").expires = tuf::expiry_after(now, -3600);
  repo.publish();
  testing::TempDir dir;
  clitest::write_trust_dir(repo, dir.path());
  auto r = run_dtrust({"list", "--from", dir.path().string(), repo.gun}, now);
  CHECK(r.exit_code == 0);
  CHECK(r.err ==
        "warning: example.com/dtrust/old: skipping targets/old: expired at "
        "2026-11-24T23:00:00Z\n");
  const auto rows = table_rows(r.out);
  CHECK(rows.size() == 1);  // the expired role's child is skipped with it
  CHECK(rows.at("newonly") == "targets/new");
}
