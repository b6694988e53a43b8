// k-of-n signing end to end against a real TLS notary-server: a delegation with threshold 2
// over keys held in two trust dirs; `publish --prepare` by holder A, `cosign` by holder B,
// `publish --signed`; read back by dtrust and by the Go `notary` client.
#include <catch2/catch.hpp>
#include <filesystem>

#include "notary_family_util.h"

namespace {

using clitest::NotaryFamily;

const std::string kHex(64, 'd');

bool peers_available() {
  if (testing::NotaryServer::available() && clitest::have_notary()) return true;
  WARN("notary-server or the Go notary client missing: skipped");
  return false;
}

}  // namespace

TEST_CASE("cosign: a 2-of-2 delegation is published only with both holders' signatures",
          "[cli][publish][cosign][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto alice = f.make_key("alice");
  const auto bob = f.make_key("bob");
  const auto holder_b = f.scratch("bob-trust");
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  auto delegate = f.dtrust({"delegation", "add", f.gun, "targets/team", alice.certificate.string(),
                            bob.public_key.string(), "--all-paths", "--threshold", "2", "-p"});
  INFO(delegate.err);
  REQUIRE(delegate.exit_code == 0);
  f.import_key(f.trust(), alice, "targets/team");
  f.import_key(holder_b, bob, "targets/team");

  REQUIRE(f.dtrust({"add", f.gun, "v1", "--digest", "sha256:" + kHex, "--size", "21", "-r",
                    "targets/team"})
              .exit_code == 0);
  const std::string file = f.scratch("team.prepared").string();
  auto prepare = f.dtrust({"publish", f.gun, "--prepare", "targets/team", "-o", file});
  INFO(prepare.err);
  REQUIRE(prepare.exit_code == 0);
  CHECK(clitest::lines_of(prepare.out)[0] ==
        "Prepared targets/team of " + f.gun + " in " + file + ": 1 of 2 required signatures.");
  REQUIRE(f.dtrust({"list", f.gun}).exit_code == 0);  // the trust cache is current
  const auto staged = f.state();

  // A alone: refused before any upload, the changelist kept.
  auto alone = f.dtrust({"publish", f.gun, "--signed", file});
  CHECK(alone.exit_code == 1);
  CHECK(alone.err == f.gun +
                         ": targets/team: 1 of 2 required signatures (threshold not met); "
                         "run dtrust cosign with another key holder\n");
  // Uploaded anyway: the server refuses the role (it checks delegation thresholds).
  auto forced = f.dtrust({"publish", f.gun, "--signed", file, "--allow-under-threshold"});
  CHECK(forced.exit_code == 1);
  CHECK(forced.err.find("threshold") != std::string::npos);
  CHECK(clitest::changed_entries(f.state(), staged) == "");
  CHECK(f.dtrust({"lookup", f.gun, "v1"}).exit_code != 0);

  // A plain publish holds A's key only: refused before any upload, pointing at k-of-n.
  auto plain = f.dtrust({"publish", f.gun});
  CHECK(plain.exit_code == 1);
  CHECK(plain.err == f.gun +
                         ": targets/team: holds 1 of the 2 signing keys the role needs; sign it "
                         "with dtrust publish --prepare and dtrust cosign\n");
  CHECK(clitest::changed_entries(f.state(), staged) == "");

  // The Go client with only A's key refuses to sign a 2-of-2 role at all.
  f.import_key(f.scratch("go-alice"), alice, "targets/team");
  auto go_alone =
      f.go_at(f.scratch("go-alice"), {"add", f.gun, "v9", file, "-r", "targets/team", "-p"});
  INFO(go_alone.output);
  CHECK(go_alone.exit_code == 1);
  CHECK(go_alone.output.find("not enough signing keys: found 1 of 2 needed keys") !=
        std::string::npos);

  // B cosigns (twice: the second run adds nothing).
  auto cosign = f.dtrust({"cosign", f.gun, file}, holder_b);
  INFO(cosign.err);
  REQUIRE(cosign.exit_code == 0);
  CHECK(cosign.out ==
        "Signed: targets/team of " + f.gun + " now has 2 of 2 required signatures.\n");
  auto again = f.dtrust({"cosign", f.gun, file}, holder_b);
  CHECK(again.out.starts_with("Already signed by these keys: "));

  // A change staged after the prepare, to another role, survives the upload.
  REQUIRE(
      f.dtrust({"add", f.gun, "later", "--digest", "sha256:" + kHex, "--size", "5"}).exit_code ==
      0);
  auto published = f.dtrust({"publish", f.gun, "--signed", file});
  INFO(published.err);
  REQUIRE(published.exit_code == 0);
  auto status = f.dtrust({"status", f.gun});
  CHECK(status.out.find("targets/team") == std::string::npos);
  CHECK(status.out.find("0    create    targets    target    later\n") != std::string::npos);
  CHECK(f.dtrust({"lookup", f.gun, "v1"}).out == "v1 sha256:" + kHex + " 21\n");
  CHECK(f.dtrust({"lookup", f.gun, "v1"}, holder_b).out == "v1 sha256:" + kHex + " 21\n");
  auto go = f.go_reader({"lookup", f.gun, "v1"});
  INFO(go.output);
  CHECK(go.output == "v1 sha256:" + kHex + " 21\n");
}

TEST_CASE("cosign: without a key of the role, or for another GUN, the file is unchanged",
          "[cli][publish][cosign][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto alice = f.make_key("alice");
  const auto bob = f.make_key("bob");
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  REQUIRE(f.dtrust({"delegation", "add", f.gun, "targets/team", alice.public_key.string(),
                    bob.public_key.string(), "--all-paths", "--threshold", "2", "-p"})
              .exit_code == 0);
  f.import_key(f.trust(), alice, "targets/team");
  REQUIRE(f.dtrust({"add", f.gun, "v1", "--digest", "sha256:" + kHex, "--size", "21", "-r",
                    "targets/team"})
              .exit_code == 0);
  const std::string file = f.scratch("team.prepared").string();
  REQUIRE(f.dtrust({"publish", f.gun, "--prepare", "targets/team", "-o", file}).exit_code == 0);
  const std::string prepared = testing::read_file(file);

  auto nokey = f.dtrust({"cosign", f.gun, file}, f.scratch("empty-trust"));
  CHECK(nokey.exit_code == 1);
  CHECK(clitest::lines_of(nokey.err).size() == 1);
  CHECK(nokey.err.find("could not find necessary signing keys") != std::string::npos);
  auto other = f.dtrust({"cosign", "localhost:5000/other/app", file});
  CHECK(other.exit_code == 1);
  CHECK(other.err == file + " is for " + f.gun + ", not localhost:5000/other/app\n");
  CHECK(testing::read_file(file) == prepared);
  // --prepare of a role the staged changes do not touch is a usage error.
  auto wrong_role = f.dtrust({"publish", f.gun, "--prepare", "targets", "-o", file});
  CHECK(wrong_role.exit_code == 1);
  CHECK(clitest::lines_of(wrong_role.err).size() == 1);
  CHECK(testing::read_file(file) == prepared);
}

TEST_CASE("cosign: a role left under a raised threshold is refused by both readers",
          "[cli][publish][cosign][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto alice = f.make_key("alice");
  const auto bob = f.make_key("bob");
  const auto holder_b = f.scratch("bob-trust");
  f.import_key(holder_b, bob, "targets/team");
  // The server accepts the raised threshold (only the parent changes); readers must refuse.
  f.publish_team_under_raised_threshold(alice, bob, kHex);
  auto ours = f.dtrust({"lookup", f.gun, "v1"});
  CHECK(ours.exit_code == 1);
  CHECK(ours.err.find("warning: " + f.gun +
                      ": skipping targets/team: valid signatures did not meet threshold (1 of 2 "
                      "required signatures valid)") != std::string::npos);
  auto go = f.go_reader({"lookup", f.gun, "v1"});
  CHECK(go.exit_code == 1);
  CHECK(go.output.find("valid signatures did not meet threshold for targets/team") !=
        std::string::npos);

  // The role cannot be repaired by re-signing: the publisher does not edit a role it cannot
  // verify. One line, and nothing changes.
  REQUIRE(f.dtrust({"add", f.gun, "v2", "--digest", "sha256:" + kHex, "--size", "4", "-r",
                    "targets/team"})
              .exit_code == 0);
  REQUIRE(f.dtrust({"list", f.gun}).exit_code == 0);  // the trust cache is current
  const auto staged = f.state();
  const std::string file = f.scratch("team.prepared").string();
  auto prepare = f.dtrust({"publish", f.gun, "--prepare", "targets/team", "-o", file});
  CHECK(prepare.exit_code == 1);
  CHECK(clitest::lines_of(prepare.err).size() == 1);
  CHECK(prepare.err.find("targets/team") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(clitest::changed_entries(f.state(), staged) == "");
}
