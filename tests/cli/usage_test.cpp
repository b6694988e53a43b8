// Help, version and usage errors of the dtrust command line (docker's layout, §0.1).
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "test_support.h"

using clitest::run_dtrust;

namespace {
const tuf::Time kNow = testing::at("2026-11-25T13:00:00Z");
}

TEST_CASE("usage: unknown flag is exit 125 with docker's layout", "[usage]") {
  auto r = run_dtrust({"inspect", "--bogus", "alpine"}, kNow);
  CHECK(r.exit_code == 125);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "unknown flag: --bogus\n\n"
        "Usage:  dtrust inspect [OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]\n\n"
        "Run 'dtrust inspect --help' for more information\n");
}

TEST_CASE("usage: too few arguments is exit 1 with docker's layout", "[usage]") {
  auto inspect = run_dtrust({"inspect", "--from", "/nonexistent"}, kNow);
  CHECK(inspect.exit_code == 1);
  CHECK(inspect.err ==
        "dtrust: 'dtrust inspect' requires at least 1 argument\n\n"
        "Usage:  dtrust inspect [OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]\n\n"
        "See 'dtrust inspect --help' for more information\n");
  auto lookup = run_dtrust({"lookup", "--from", "/x", "gun"}, kNow);
  CHECK(lookup.exit_code == 1);
  CHECK(lookup.err ==
        "dtrust: 'dtrust lookup' requires 2 arguments\n\n"
        "Usage:  dtrust lookup [OPTIONS] GUN TARGET\n\n"
        "Run 'dtrust lookup --help' for more information\n");
  auto list = run_dtrust({"list", "a", "b"}, kNow);
  CHECK(list.exit_code == 1);
  CHECK(list.err.starts_with("dtrust: 'dtrust list' requires 1 argument\n\n"));
}

TEST_CASE("usage: a bad --at value is a flag error (125)", "[usage]") {
  auto bad_at = run_dtrust({"list", "--from", "/x", "--at", "yesterday", "example.com/x"}, kNow);
  CHECK(bad_at.exit_code == 125);
  CHECK(bad_at.err.starts_with("invalid argument \"yesterday\" for \"--at\" flag: "));
  CHECK(bad_at.err.find("\n\nUsage:  dtrust list [OPTIONS] GUN\n\n") != std::string::npos);
}

TEST_CASE("usage: unknown command and unknown program flag", "[usage]") {
  auto cmd = run_dtrust({"frobnicate"}, kNow);
  CHECK(cmd.exit_code == 1);
  CHECK(cmd.err ==
        "dtrust: unknown command: dtrust frobnicate\n\n"
        "Usage:  dtrust [OPTIONS] COMMAND\n\n"
        "Run 'dtrust --help' for more information\n");
  auto flag = run_dtrust({"--bogus", "list"}, kNow);
  CHECK(flag.exit_code == 125);
  CHECK(flag.err.starts_with("unknown flag: --bogus\n\nUsage:  dtrust [OPTIONS] COMMAND\n"));
  auto shorthand = run_dtrust({"-x"}, kNow);
  CHECK(shorthand.exit_code == 125);
  CHECK(shorthand.err.starts_with("unknown shorthand flag: 'x' in -x\n"));
}

TEST_CASE("usage: --help lists every command and every flag, on stdout", "[usage]") {
  for (const auto& args : {std::vector<std::string>{"--help"}, {"-h"}, {"help"}, {}}) {
    auto r = run_dtrust(args, kNow);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.starts_with("Usage:  dtrust [OPTIONS] COMMAND\n"));
    for (const char* cmd : {"\n  inspect ", "\n  list ", "\n  lookup "}) {
      CHECK(r.out.find(cmd) != std::string::npos);
    }
  }
  auto inspect = run_dtrust({"inspect", "--help"}, kNow);
  CHECK(inspect.exit_code == 0);
  CHECK(
      inspect.out.starts_with("Usage:  dtrust inspect [OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]\n\n"
                              "Return low-level information about keys and signatures\n"));
  for (const char* flag : {"      --at string ", "      --from string ", "      --pretty ",
                           "      --root-key list ", "  -v, --verbose "}) {
    INFO(flag);
    CHECK(inspect.out.find(flag) != std::string::npos);
  }
  auto list = run_dtrust({"help", "list"}, kNow);
  CHECK(list.out.find("  -r, --roles list ") != std::string::npos);
  auto lookup = run_dtrust({"lookup", "-h"}, kNow);
  CHECK(lookup.out.find("GetTargetByName") != std::string::npos);
}

TEST_CASE("usage: --version", "[usage]") {
  auto r = run_dtrust({"--version"}, kNow);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "dtrust version 0.1.0\n");
}
