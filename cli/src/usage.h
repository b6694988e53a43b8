// Help texts and usage errors in docker's layout (docker-trust-cli.md §0.1).
#ifndef DTRUST_CLI_USAGE_H_
#define DTRUST_CLI_USAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "command.h"

namespace cli {

inline constexpr std::string_view kProgram = "dtrust";
inline constexpr std::string_view kVersion = "0.1.0";

// `dtrust <cmd> --help`: Usage line, summary, details, Options table.
std::string command_help(const Command& command);
// `dtrust --help`.
std::string program_help(const std::vector<Command>& commands);

// Unknown flag or bad flag value (exit 125):
// "<error>\n\nUsage:  dtrust <cmd> <synopsis>\n\nRun 'dtrust <cmd> --help' for more information\n"
std::string flag_error(const Command& command, std::string_view error);
// Wrong number of arguments (exit 1):
// "dtrust: 'dtrust <cmd>' requires at least 1 argument\n\nUsage:  ...\n\nSee '... --help' ..."
// ("requires 2 arguments" ... "Run '...'" for commands taking an exact count).
std::string arg_count_error(const Command& command);
// Unknown command (exit 1).
std::string unknown_command_error(std::string_view name);
// Unknown flag before the command (exit 125).
std::string program_flag_error(std::string_view error);

}  // namespace cli

#endif  // DTRUST_CLI_USAGE_H_
