// `dtrust remove` and the many-target forms of `dtrust add` (FILE, --from-file) against a real
// TLS notary-server, checked with the Go `notary` client.
#include <catch2/catch.hpp>
#include <fstream>

#include "notary_family_util.h"

namespace {

using clitest::NotaryFamily;

bool peers_available() {
  if (testing::NotaryServer::available() && clitest::have_notary()) return true;
  WARN("notary-server or the Go notary client missing: skipped");
  return false;
}

std::string hex_of(int i) {
  std::string digits = std::to_string(i);
  return std::string(64 - digits.size(), '0') + digits;
}

}  // namespace

TEST_CASE("remove: dtrust remove then publish; neither client shows the tags any more",
          "[cli][publish][remove][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  for (const char* tag : {"v1", "v2", "v3"}) {
    REQUIRE(
        f.dtrust({"add", f.gun, tag, "--digest", "sha256:" + hex_of(1), "--size", "5"}).exit_code ==
        0);
  }
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  REQUIRE(f.go_reader({"lookup", f.gun, "v1"}).exit_code == 0);

  auto removed = f.dtrust({"remove", f.gun, "v1", "v2"});
  INFO(removed.err);
  REQUIRE(removed.exit_code == 0);
  CHECK(removed.out == "Removal of v1 from " + f.gun + " staged for next publish.\n" +
                           "Removal of v2 from " + f.gun + " staged for next publish.\n");
  // The Go client sees dtrust's staging in the shared trust dir, as notary's own.
  auto status = f.go_same_dir({"status", f.gun});
  CHECK(status.output.find("delete    targets    target    v1") != std::string::npos);
  auto published = f.dtrust({"publish", f.gun});
  INFO(published.err);
  REQUIRE(published.exit_code == 0);
  for (const char* tag : {"v1", "v2"}) {
    CHECK(f.go_reader({"lookup", f.gun, tag}).exit_code != 0);
    CHECK(f.dtrust({"lookup", f.gun, tag}).exit_code != 0);
  }
  CHECK(f.dtrust({"lookup", f.gun, "v3"}).out == "v3 sha256:" + hex_of(1) + " 5\n");

  // -p stages and publishes in one run, with notary's wording.
  auto auto_publish = f.dtrust({"remove", f.gun, "v3", "-p"});
  INFO(auto_publish.err);
  REQUIRE(auto_publish.exit_code == 0);
  CHECK(auto_publish.out == "Removal of v3 from " + f.gun + " staged for next publish.\n" +
                                "Auto-publishing changes to " + f.gun +
                                "\nSuccessfully published changes for repository " + f.gun + "\n");
  auto list = f.go_reader({"list", f.gun});
  CHECK(list.output.find("No targets present in this repository.") != std::string::npos);
}

TEST_CASE("add --from-file: 100 targets staged and published by one process",
          "[cli][publish][remove][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  {
    std::ofstream list(f.scratch("tags.txt"));
    list << "# tag digest size\n\n";
    for (int i = 1; i <= 100; ++i)
      list << "tag" << i << " sha256:" << hex_of(i) << " " << i << "\n";
  }
  auto add = f.dtrust({"add", f.gun, "--from-file", f.scratch("tags.txt").string()});
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(clitest::lines_of(add.out).size() == 100);
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  auto list = f.go_reader({"list", f.gun});
  INFO(list.output);
  CHECK(clitest::lines_of(list.output).size() == 102);
  CHECK(list.output.find("tag57     " + hex_of(57) + "    57 ") != std::string::npos);
  CHECK(f.dtrust({"lookup", f.gun, "tag100"}).out == "tag100 sha256:" + hex_of(100) + " 100\n");
}

TEST_CASE("add --from-file: a malformed line is named and nothing is staged",
          "[cli][publish][remove][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  REQUIRE(f.dtrust({"add", f.gun, "keep", "--digest", "sha256:" + hex_of(9), "--size", "9"})
              .exit_code == 0);
  const auto before = f.state();
  const std::string good = "ok sha256:" + hex_of(1) + " 1\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {good + "bad sha256:1234 5\n", "line 2: digest must be sha256:<64 hex digits>"},
      {good + good, "line 2: target ok is already on line 1"},
      {good + "\nx sha256:" + hex_of(2) + " -3\n", "line 3: size must be a positive number"},
      {good + "too few\n", "line 2: expected `TARGET sha256:<hex> SIZE`"},
      {"# nothing\n", "no targets listed"},
  };
  for (const auto& [text, error] : cases) {
    std::ofstream(f.scratch("list.txt"), std::ios::trunc) << text;
    auto result = f.dtrust({"add", f.gun, "--from-file", f.scratch("list.txt").string()});
    INFO(text);
    CHECK(result.exit_code == 1);
    CHECK(result.out.empty());
    CHECK(clitest::lines_of(result.err).size() == 1);
    CHECK(result.err.find(f.scratch("list.txt").string() + ": " + error) == 0);
    CHECK(clitest::changed_entries(f.state(), before) == "");
  }
}

TEST_CASE("add FILE: hashed as notary add hashes it (sha256 and sha512)",
          "[cli][publish][remove][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  std::ofstream(f.scratch("payload.bin")) << "some bytes to sign\n";
  REQUIRE(f.dtrust({"add", f.gun, "ours", f.scratch("payload.bin").string()}).exit_code == 0);
  REQUIRE(f.go_same_dir({"add", f.gun, "theirs", f.scratch("payload.bin").string()}).exit_code ==
          0);
  auto init = f.dtrust({"init", f.gun});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  auto ours = f.go_reader({"lookup", f.gun, "ours"});
  auto theirs = f.go_reader({"lookup", f.gun, "theirs"});
  REQUIRE(ours.exit_code == 0);
  CHECK(ours.output.substr(4) == theirs.output.substr(6));
  CHECK(ours.output.ends_with(" 19\n"));
}

TEST_CASE("add --from-file -: reads the list from stdin", "[cli][publish][remove]") {
  // In-process with empty stdin: the list is read (and found empty) before anything else.
  auto result = clitest::run_dtrust({"add", "example.com/app", "--from-file", "-"},
                                    tuf::Time::from_unix(1700000000));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "stdin: no targets listed\n");
  auto both = clitest::run_dtrust({"add", "example.com/app", "v1", "--from-file", "-"},
                                  tuf::Time::from_unix(1700000000));
  CHECK(both.exit_code == 1);
  CHECK(both.err == "--from-file takes only GUN (no TARGET, --digest, --size)\n");
}

TEST_CASE("add -p: published from memory; a failed auto-publish leaves the changes staged",
          "[cli][publish][remove][peers]") {
  if (!peers_available()) return;
  NotaryFamily f;
  const auto changelist = f.trust() / "tuf" / f.gun / "changelist";
  // The server has no such repository and -p does not initialise: the publish fails, and the
  // addition is staged as `notary add -p` leaves it.
  auto failed =
      f.dtrust({"add", f.gun, "v1", "--digest", "sha256:" + hex_of(1), "--size", "5", "-p"});
  CHECK(failed.exit_code == 1);
  CHECK(clitest::lines_of(failed.err).size() == 1);
  CHECK(failed.err.starts_with(f.gun + ": "));
  auto status = f.dtrust({"status", f.gun});
  CHECK(status.out.find("create    targets    target    v1") != std::string::npos);
  REQUIRE(f.dtrust({"init", f.gun}).exit_code == 0);
  CHECK(f.go_reader({"lookup", f.gun, "v1"}).exit_code == 0);

  // Success: the target is published and no change file was left behind.
  auto added =
      f.dtrust({"add", f.gun, "v2", "--digest", "sha256:" + hex_of(2), "--size", "6", "-p"});
  INFO(added.err);
  REQUIRE(added.exit_code == 0);
  CHECK(f.dtrust({"status", f.gun}).out == "No unpublished changes for " + f.gun + "\n");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(changelist, ec)) {
    FAIL_CHECK("left in the changelist: " << entry.path().filename().string());
  }
  CHECK(f.go_reader({"lookup", f.gun, "v2"}).output.find(hex_of(2)) != std::string::npos);
}
