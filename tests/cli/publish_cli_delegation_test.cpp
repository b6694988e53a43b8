// `dtrust delegation add/remove/list` against a real TLS notary-server, read back by the Go
// `notary` client, and delegations made by the Go client read and used by dtrust.
#include <catch2/catch.hpp>
#include <fstream>

#include "notary_family_util.h"

namespace {

using clitest::NotaryFamily;

const std::string kHex(64, 'c');

bool peers_available() {
  if (testing::NotaryServer::available() && clitest::have_notary()) return true;
  WARN("notary-server or the Go notary client missing: skipped");
  return false;
}

}  // namespace

TEST_CASE("delegation: dtrust creates delegations; Go notary lists them and their targets",
          "[cli][publish][delegation][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto alice = f.make_key("alice");
  const auto bob = f.make_key("bob");
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);

  auto add_a = f.dtrust(
      {"delegation", "add", f.gun, "targets/a", alice.certificate.string(), "--all-paths"});
  INFO(add_a.err);
  REQUIRE(add_a.exit_code == 0);
  CHECK(add_a.out.starts_with("\nAddition of delegation role targets/a with keys ["));
  CHECK(add_a.out.ends_with("], with paths [\"\" <all paths>], to repository \"" + f.gun +
                            "\" staged for next publish.\n\n"));
  auto add_b = f.dtrust({"delegation", "add", f.gun, "targets/b", bob.public_key.string(),
                         alice.certificate.string(), "--paths", "rel", "--paths", "dev",
                         "--threshold", "2", "-p"});
  INFO(add_b.err);
  REQUIRE(add_b.exit_code == 0);
  CHECK(add_b.out.find("with paths [dev\nrel], with threshold 2, to repository") !=
        std::string::npos);
  CHECK(add_b.out.find("Auto-publishing changes to " + f.gun) != std::string::npos);

  // Both clients print the same table (canonical key IDs, paths sorted, threshold).
  auto ours = f.dtrust({"delegation", "list", f.gun});
  auto go = f.go_reader({"delegation", "list", f.gun});
  INFO(ours.err << go.output);
  REQUIRE(ours.exit_code == 0);
  REQUIRE(go.exit_code == 0);
  CHECK(ours.out == go.output);
  CHECK(ours.out.find("targets/b    dev ") != std::string::npos);
  CHECK(ours.out.find("    2\n") != std::string::npos);

  // dtrust signs a target into targets/a with alice's key; the Go client resolves it there.
  f.import_key(f.trust(), alice, "targets/a");
  REQUIRE(f.dtrust({"add", f.gun, "v1", "--digest", "sha256:" + kHex, "--size", "9", "-r",
                    "targets/a", "-p"})
              .exit_code == 0);
  auto lookup = f.go_reader({"lookup", f.gun, "v1"});
  INFO(lookup.output);
  CHECK(lookup.output == "v1 sha256:" + kHex + " 9\n");
  auto list = f.go_reader({"list", f.gun, "-r", "targets/a"});
  CHECK(list.output.find("v1      " + kHex + "    9               targets/a") != std::string::npos);

  // Removing a key and then the whole delegation; both clients agree after each publish.
  const std::string bob_line = ours.out.substr(ours.out.find("targets/b"));
  auto remove_path = f.dtrust({"delegation", "remove", f.gun, "targets/b", "--paths", "dev"});
  INFO(remove_path.err);
  CHECK(remove_path.out ==
        "\nRemoval of delegation role targets/b with paths [dev], to "
        "repository \"" +
            f.gun + "\" staged for next publish.\n\n");
  auto remove_a = f.dtrust({"delegation", "remove", f.gun, "targets/a", "-y", "-p"});
  INFO(remove_a.err);
  REQUIRE(remove_a.exit_code == 0);
  CHECK(remove_a.out.find("Forced removal (including all keys and paths) of delegation role "
                          "targets/a to repository \"" +
                          f.gun + "\" staged for next publish.") != std::string::npos);
  auto after = f.dtrust({"delegation", "list", f.gun});
  CHECK(after.out == f.go_reader({"delegation", "list", f.gun}).output);
  CHECK(after.out.find("targets/a") == std::string::npos);
  CHECK(after.out.find("dev") == std::string::npos);
  CHECK(f.go_reader({"lookup", f.gun, "v1"}).exit_code != 0);
}

TEST_CASE("delegation: Go notary creates delegations; dtrust lists them and signs into them",
          "[cli][publish][delegation][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto carol = f.make_key("carol");
  // The Go client works on dtrust's trust dir: one user, two clients, the same keys.
  REQUIRE(f.go_same_dir({"init", f.gun, "-p"}).exit_code == 0);
  auto go_add = f.go_same_dir({"delegation", "add", f.gun, "targets/releases",
                               carol.certificate.string(), "--all-paths", "-p"});
  INFO(go_add.output);
  REQUIRE(go_add.exit_code == 0);
  auto ours = f.dtrust({"delegation", "list", f.gun});
  INFO(ours.err);
  REQUIRE(ours.exit_code == 0);
  CHECK(ours.out == f.go_reader({"delegation", "list", f.gun}).output);
  CHECK(ours.out.find("targets/releases    \"\" <all paths>") != std::string::npos);

  f.import_key(f.trust(), carol, "targets/releases");
  auto add = f.dtrust(
      {"add", f.gun, "v2", "--digest", "sha256:" + kHex, "--size", "12", "-r", "targets/releases"});
  REQUIRE(add.exit_code == 0);
  auto published = f.dtrust({"publish", f.gun});
  INFO(published.err);
  REQUIRE(published.exit_code == 0);
  auto list = f.go_reader({"list", f.gun});
  INFO(list.output);
  CHECK(list.output.find("v2      " + kHex + "    12              targets/releases") !=
        std::string::npos);
  CHECK(f.dtrust({"lookup", f.gun, "v2"}).out == "v2 sha256:" + kHex + " 12\n");

  // dtrust stages a 2-of-2 delegation; the Go client publishes dtrust's staging as is.
  const auto erin = f.make_key("erin");
  auto staged = f.dtrust({"delegation", "add", f.gun, "targets/pair", carol.certificate.string(),
                          erin.public_key.string(), "--all-paths", "--threshold", "2"});
  INFO(staged.err);
  REQUIRE(staged.exit_code == 0);
  auto go_publish = f.go_same_dir({"publish", f.gun});
  INFO(go_publish.output);
  REQUIRE(go_publish.exit_code == 0);
  auto go_list = f.go_reader({"delegation", "list", f.gun});
  CHECK(go_list.output.find("targets/pair        \"\" <all paths>    ") != std::string::npos);
  CHECK(go_list.output == f.dtrust({"delegation", "list", f.gun}).out);
  const auto pair_row = go_list.output.substr(go_list.output.find("targets/pair"));
  CHECK(pair_row.substr(0, pair_row.find('\n')).ends_with("    2"));
}

TEST_CASE("delegation: bad input is one line on stderr and changes nothing",
          "[cli][publish][delegation][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto dave = f.make_key("dave");
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  REQUIRE(f.dtrust({"delegation", "add", f.gun, "targets/d", dave.certificate.string(),
                    "--all-paths", "-p"})
              .exit_code == 0);
  f.import_key(f.trust(), dave, "targets/d");
  REQUIRE(f.dtrust({"list", f.gun}).exit_code == 0);  // the trust cache is current
  const auto before = f.state();
  std::ofstream(f.scratch("junk.crt")) << "not a key\n";

  struct Case {
    const char* what;
    std::vector<std::string> args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"invalid role name",
       {"delegation", "add", f.gun, "targetz", dave.certificate.string()},
       "failed to create delegation: tuf: invalid role targetz. invalid delegation role name"},
      {"missing key file",
       {"delegation", "add", f.gun, "targets/e", f.scratch("none.crt").string()},
       "file for public key does not exist: " + f.scratch("none.crt").string()},
      {"junk key file",
       {"delegation", "add", f.gun, "targets/e", f.scratch("junk.crt").string()},
       "unable to parse valid public key certificate from PEM file " +
           f.scratch("junk.crt").string() + ": no valid public key found"},
      {"threshold above the number of keys",
       {"delegation", "add", f.gun, "targets/d", "--threshold", "2"},
       "threshold 2 is higher than the number of keys of targets/d (1)"},
      {"nothing to add", {"delegation", "add", f.gun, "targets/d"}, ""},
      {"unknown role at publish",
       {"add", f.gun, "v1", "--digest", "sha256:" + kHex, "--size", "3", "-r", "targets/nope",
        "-p"},
       ""},
  };
  for (const Case& c : cases) {
    SECTION(c.what) {
      auto result = f.dtrust(c.args);
      INFO(result.out << result.err);
      CHECK(result.exit_code == 1);
      REQUIRE(clitest::lines_of(result.err).size() == 1);
      if (!c.error.empty()) CHECK(result.err == c.error + "\n");
      if (std::string(c.what) == "unknown role at publish") {
        // notary's semantics: staged offline, refused at publish; the changelist stays.
        CHECK(result.err.find("targets/nope") != std::string::npos);
        REQUIRE(f.dtrust({"reset", f.gun}).exit_code == 0);
      }
      CHECK(clitest::changed_entries(f.state(), before) == "");
    }
  }
  SECTION("wrong passphrase") {
    REQUIRE(f.dtrust({"add", f.gun, "v3", "--digest", "sha256:" + kHex, "--size", "3", "-r",
                      "targets/d"})
                .exit_code == 0);
    const auto staged = f.state();
    auto result = f.dtrust({"publish", f.gun}, {}, {"NOTARY_DELEGATION_PASSPHRASE=wrong-pass"});
    INFO(result.out << result.err);
    CHECK(result.exit_code == 1);
    CHECK(clitest::lines_of(result.err).size() == 1);
    CHECK(result.err.starts_with(f.gun + ": targets/d: "));  // GUN, role, then notary's text
    CHECK(result.err.find("NOTARY_DELEGATION_PASSPHRASE") != std::string::npos);
    CHECK(clitest::changed_entries(f.state(), staged) == "");
    CHECK(f.go_reader({"lookup", f.gun, "v3"}).exit_code != 0);
  }
}
