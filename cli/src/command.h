// What a dtrust command is: its synopsis, flags, argument count and the function that runs it.
// The table of commands lives in app.cpp; each command family has its own file.
#ifndef DTRUST_CLI_COMMAND_H_
#define DTRUST_CLI_COMMAND_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "args.h"
#include "io.h"

namespace cli {

// Process exit statuses (docker's convention).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 125;  // unknown flag or bad flag value

struct Command {
  std::string_view name;        // "inspect"
  std::string_view synopsis;    // after "dtrust inspect ": "[OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]"
  std::string_view summary;     // one line for `dtrust --help`
  std::string_view details;     // paragraphs for `dtrust <cmd> --help` (may be empty)
  std::vector<FlagSpec> flags;  // without --help, which every command has
  int min_args = 0;
  int max_args = -1;  // -1: unlimited
  // Runs with parsed arguments whose count is already checked; returns the exit status.
  std::function<int(const Command&, const ParsedArgs&, Io&)> run;
};

// The commands of each family (cmd_*.cpp).
Command lookup_command();
Command list_command();
Command inspect_command();
Command resolve_command();
// Publishing (issue 4).
Command key_command();
Command signer_command();
Command sign_command();
Command revoke_command();
// The notary family: init, add, remove, status, reset, publish, delegation, cosign
// (cmd_repo_edit.cpp, cmd_repo_targets.cpp, cmd_delegation.cpp, cmd_cosign.cpp).
std::vector<Command> repo_edit_commands();

}  // namespace cli

#endif  // DTRUST_CLI_COMMAND_H_
