#include <catch2/catch.hpp>

#include "args.h"

namespace {

const std::vector<cli::FlagSpec> kFlags = {
    {"from", 'f', "string", "folder"},
    {"pretty", 0, "", "pretty"},
    {"verbose", 'v', "", "verbose"},
    {"roles", 'r', "list", "roles", true},
};

cli::ParsedArgs parse(const std::vector<std::string>& args) {
  auto parsed = cli::parse_args(args, kFlags);
  REQUIRE(parsed.ok());
  return *parsed;
}

std::string parse_error(const std::vector<std::string>& args) {
  auto parsed = cli::parse_args(args, kFlags);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.error().kind == tuf::ErrorKind::kUsage);
  return parsed.error().detail;
}

}  // namespace

TEST_CASE("args: long flags with separate or attached values", "[args]") {
  CHECK(parse({"--from", "d1"}).value("from") == "d1");
  CHECK(parse({"--from=d2"}).value("from") == "d2");
  CHECK(parse({"--from="}).value("from") == "");
  CHECK(parse({"--from", "--pretty"}).value("from") == "--pretty");  // a value may look like a flag
}

TEST_CASE("args: shorthands, attached values and grouped booleans", "[args]") {
  CHECK(parse({"-f", "d"}).value("from") == "d");
  CHECK(parse({"-fd"}).value("from") == "d");
  CHECK(parse({"-f=d"}).value("from") == "d");
  auto grouped = parse({"-vfdir"});
  CHECK(grouped.flag("verbose"));
  CHECK(grouped.value("from") == "dir");
}

TEST_CASE("args: flags and arguments interleave; -- ends the flags", "[args]") {
  auto p = parse({"a", "--pretty", "b", "--", "--from", "-v"});
  CHECK(p.positionals == std::vector<std::string>{"a", "b", "--from", "-v"});
  CHECK(p.flag("pretty"));
  CHECK_FALSE(p.flag("verbose"));
  CHECK(parse({"-"}).positionals == std::vector<std::string>{"-"});
}

TEST_CASE("args: repeated flags accumulate; last value wins for single values", "[args]") {
  auto p =
      parse({"-r", "targets/a,targets/b", "--roles", "targets/c", "--from", "x", "--from", "y"});
  CHECK(p.all("roles") == std::vector<std::string>{"targets/a,targets/b", "targets/c"});
  CHECK(p.all_split("roles") == std::vector<std::string>{"targets/a", "targets/b", "targets/c"});
  CHECK(p.value("from") == "y");
  CHECK_FALSE(p.value("roles-missing"));
}

TEST_CASE("args: boolean flags take =value in strconv.ParseBool spellings", "[args]") {
  CHECK(parse({"--pretty=true"}).flag("pretty"));
  CHECK_FALSE(parse({"--pretty=false"}).flag("pretty"));
  CHECK_FALSE(parse({"--pretty", "--pretty=0"}).flag("pretty"));
  CHECK(parse({"-v=T"}).flag("verbose"));
  CHECK(parse_error({"--pretty=maybe"}) ==
        "invalid argument \"maybe\" for \"--pretty\" flag: strconv.ParseBool: parsing "
        "\"maybe\": invalid syntax");
  CHECK(parse_error({"-v=x"}) ==
        "invalid argument \"x\" for \"-v, --verbose\" flag: strconv.ParseBool: parsing \"x\": "
        "invalid syntax");
}

TEST_CASE("args: pflag's error messages", "[args]") {
  CHECK(parse_error({"--bogus"}) == "unknown flag: --bogus");
  CHECK(parse_error({"--bogus=1"}) == "unknown flag: --bogus");
  CHECK(parse_error({"-x"}) == "unknown shorthand flag: 'x' in -x");
  CHECK(parse_error({"-vx"}) == "unknown shorthand flag: 'x' in -vx");
  CHECK(parse_error({"--from"}) == "flag needs an argument: --from");
  CHECK(parse_error({"a", "-r"}) == "flag needs an argument: 'r' in -r");
  CHECK(parse_error({"---x"}) == "bad flag syntax: ---x");
}
