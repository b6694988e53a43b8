#include "app.h"

#include <algorithm>
#include <exception>
#include <ostream>

#include "usage.h"

namespace cli {
namespace {

const FlagSpec kHelpFlag{"help", 'h', "", "Print usage"};

const Command* find_command(std::string_view name) {
  const auto& all = commands();
  auto it = std::find_if(all.begin(), all.end(), [&](const Command& c) { return c.name == name; });
  return it == all.end() ? nullptr : &*it;
}

int run_command(const Command& command, const std::vector<std::string>& args, Io& io) {
  std::vector<FlagSpec> flags = command.flags;
  flags.push_back(kHelpFlag);
  auto parsed = parse_args(args, flags);
  if (!parsed.ok()) {
    io.err << flag_error(command, parsed.error().detail);
    return kExitUsage;
  }
  if (parsed->flag("help")) {
    io.out << command_help(command);
    return kExitOk;
  }
  const int count = static_cast<int>(parsed->positionals.size());
  if (count < command.min_args || (command.max_args >= 0 && count > command.max_args)) {
    io.err << arg_count_error(command);
    return kExitFailure;
  }
  return command.run(command, *parsed, io);
}

// An unknown flag before the command name (exit 125).
int unknown_program_flag(const std::string& flag, Io& io) {
  const bool is_long = flag.starts_with("--");
  const std::string name = is_long ? flag.substr(0, flag.find('=')) : flag.substr(0, 2);
  io.err << program_flag_error(is_long
                                   ? "unknown flag: " + name
                                   : "unknown shorthand flag: '" + name.substr(1) + "' in " + flag);
  return kExitUsage;
}

// `dtrust [--help|--version] | [help] COMMAND ARGS...`. dtrust has no other program-level
// flags: everything else belongs to a command.
int dispatch(const std::vector<std::string>& args, Io& io) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help" ||
      (args[0] == "help" && args.size() == 1)) {
    io.out << program_help(commands());
    return kExitOk;
  }
  if (args[0] == "--version") {
    io.out << kProgram << " version " << kVersion << "\n";
    return kExitOk;
  }
  if (args[0].size() > 1 && args[0].starts_with("-")) return unknown_program_flag(args[0], io);
  const bool help = args[0] == "help";
  const std::string& name = help ? args[1] : args[0];
  const Command* command = find_command(name);
  if (command == nullptr) {
    io.err << unknown_command_error(name);
    return kExitFailure;
  }
  if (help) {
    io.out << command_help(*command);
    return kExitOk;
  }
  return run_command(*command, std::vector<std::string>(args.begin() + 1, args.end()), io);
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = [] {
    std::vector<Command> list = {inspect_command(), list_command(),  lookup_command(),
                                 resolve_command(), key_command(),   signer_command(),
                                 sign_command(),    revoke_command()};
    for (Command& c : repo_edit_commands()) list.push_back(std::move(c));
    std::sort(list.begin(), list.end(),
              [](const Command& a, const Command& b) { return a.name < b.name; });
    return list;
  }();
  return all;
}

int run(const std::vector<std::string>& args, Io& io) {
  try {
    return dispatch(args, io);
  } catch (const std::exception& e) {
    io.err << kProgram << ": internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}

int run(int argc, const char* const* argv, Io& io) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);
  return run(args, io);
}

}  // namespace cli
