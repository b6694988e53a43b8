// A small command-line parser with pflag's conventions (what docker and notary use): long flags
// `--name value` / `--name=value`, shorthands `-n value` / `-nvalue` / `-n=value`, grouped
// boolean shorthands `-vh`, flags and arguments in any order, repeated flags, and `--` ending
// the flags. Pure: no I/O.
#ifndef DTRUST_CLI_ARGS_H_
#define DTRUST_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"

namespace cli {

struct FlagSpec {
  std::string_view name;        // long name without "--"
  char shorthand = 0;           // 0: none
  std::string_view value_type;  // "" for a boolean flag; otherwise shown in help ("string")
  std::string_view help;        // one line
  bool repeatable = false;      // values accumulate; help says so
};

struct ParsedArgs {
  std::vector<std::string> positionals;
  // Long flag name -> every value given, in order ("true"/"false" for boolean flags).
  std::map<std::string, std::vector<std::string>, std::less<>> values;

  // A boolean flag's last value; false when absent.
  bool flag(std::string_view name) const;
  // A value flag's last value.
  std::optional<std::string> value(std::string_view name) const;
  // Every value of a repeatable flag; for list flags each value is also split at commas.
  std::vector<std::string> all(std::string_view name) const;
  std::vector<std::string> all_split(std::string_view name) const;
};

// Parses `args` (without the program and command names) against `flags`. Errors are kUsage
// with pflag's message as detail: "unknown flag: --bogus", "unknown shorthand flag: 'x' in -x",
// "flag needs an argument: --from", "flag needs an argument: 'r' in -r",
// `invalid argument "maybe" for "--pretty" flag: ...`, "bad flag syntax: ---x".
tuf::Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& flags);

}  // namespace cli

#endif  // DTRUST_CLI_ARGS_H_
