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

int dispatch(const std::vector<std::string>& args, Io& io) {
  std::size_t i = 0;
  for (; i < args.size() && args[i].starts_with("-") && args[i] != "-"; ++i) {
    const std::string& flag = args[i];
    if (flag == "-h" || flag == "--help") {
      io.out << program_help(commands());
      return kExitOk;
    }
    if (flag == "--version") {
      io.out << kProgram << " version " << kVersion << "\n";
      return kExitOk;
    }
    return unknown_program_flag(flag, io);
  }
  if (i == args.size()) {
    io.out << program_help(commands());
    return kExitOk;
  }
  const std::string& name = args[i];
  std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
  if (name == "help") {
    if (rest.empty()) {
      io.out << program_help(commands());
      return kExitOk;
    }
    if (const Command* command = find_command(rest.front())) {
      io.out << command_help(*command);
      return kExitOk;
    }
    io.err << unknown_command_error(rest.front());
    return kExitFailure;
  }
  const Command* command = find_command(name);
  if (command == nullptr) {
    io.err << unknown_command_error(name);
    return kExitFailure;
  }
  return run_command(*command, rest, io);
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {inspect_command(), list_command(), lookup_command()};
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
