// End-to-end runs of the real dtrust binary: exit statuses, streams, one-line errors.
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "test_support.h"

using clitest::run_process;

namespace {

clitest::RunResult dtrust(std::vector<std::string> args) {
  args.insert(args.begin(), DTRUST_BINARY);
  return run_process(args);
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("binary: list on a fixture succeeds with notary's table", "[binary]") {
  const std::string set = "plain";
  auto r = dtrust({"list", "--from", clitest::fixture(set).string(), "--at",
                   clitest::fixture_time(set), clitest::fixture_gun(set)});
  CHECK(r.exit_code == 0);
  CHECK(r.out == testing::read_file(clitest::fixture(set) / "notary-list.txt"));
  CHECK(lines(r.err) == 1);  // the reference-time warning
}

TEST_CASE("binary: inspect JSON on a fixture", "[binary]") {
  const std::string set = "rsa";
  auto r = dtrust({"inspect", "--from", clitest::fixture(set).string(), "--at",
                   clitest::fixture_time(set), clitest::fixture_gun(set) + ":rsa-tag"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("[\n    {\n        \"Name\": \"example.com/dtrust/rsa:rsa-tag\",\n"));
  CHECK(r.out.find("\"SignedTag\": \"rsa-tag\"") != std::string::npos);
  CHECK(r.out.ends_with("\n]\n"));
}

TEST_CASE("binary: failures are exit 1 with one line on stderr", "[binary]") {
  const std::string set = "plain";
  auto missing = dtrust({"lookup", "--from", clitest::fixture(set).string(), "--at",
                         clitest::fixture_time(set), clitest::fixture_gun(set), "nope"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.empty());
  CHECK(lines(missing.err) == 2);  // the reference-time warning and the error
  CHECK(missing.err.ends_with("example.com/dtrust/plain: no valid trust data for nope\n"));

  auto no_dir = dtrust({"list", "--from", "/nonexistent-dtrust-dir", "example.com/x"});
  CHECK(no_dir.exit_code == 1);
  CHECK(lines(no_dir.err) == 1);
  CHECK(no_dir.err.starts_with("example.com/x: root: "));

  auto inspect = dtrust({"inspect", "--from", "/nonexistent-dtrust-dir", "example.com/x"});
  CHECK(inspect.exit_code == 1);
  CHECK(inspect.out == "[]\n");
  CHECK(inspect.err == "no signatures or cannot access example.com/x\n");
}

TEST_CASE("binary: usage errors are 125 (flags) and 1 (arguments)", "[binary]") {
  auto flag = dtrust({"list", "--bogus"});
  CHECK(flag.exit_code == 125);
  CHECK(flag.err.starts_with("unknown flag: --bogus\n"));
  auto args = dtrust({"lookup", "--from", "/x", "only-gun"});
  CHECK(args.exit_code == 1);
  CHECK(args.err.starts_with("dtrust: 'dtrust lookup' requires 2 arguments\n"));
  auto help = dtrust({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.err.empty());
  CHECK(help.out.starts_with("Usage:  dtrust [OPTIONS] COMMAND\n"));
  auto version = dtrust({"--version"});
  CHECK(version.out == "dtrust version 0.1.0\n");
}

TEST_CASE("binary: the default reference time is the system clock", "[binary]") {
  // The fixture's timestamp expires 14 days after generation: either it is valid now (and no
  // warning is printed) or verification fails on the timestamp's expiry.
  const std::string set = "plain";
  auto r = dtrust({"list", "--from", clitest::fixture(set).string(), clitest::fixture_gun(set)});
  const auto valid_until =
      tuf::parse_rfc3339(clitest::manifest(set).at("valid_until").get<std::string>());
  if (clitest::wall_clock() < valid_until->instant) {
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
  } else {
    CHECK(r.exit_code == 1);
    CHECK(r.err.starts_with("example.com/dtrust/plain: timestamp: expired at "));
  }
}
