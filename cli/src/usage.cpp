#include "usage.h"

#include <algorithm>

namespace cli {
namespace {

std::string usage_line(const Command& command) {
  return "Usage:  " + std::string(kProgram) + " " + std::string(command.name) + " " +
         std::string(command.synopsis) + "\n";
}

std::string command_path(const Command& command) {
  return std::string(kProgram) + " " + std::string(command.name);
}

constexpr std::size_t kHelpColumns = 80;

// Word-wraps `text` that starts at column `indent` so no line passes kHelpColumns;
// continuation lines are indented to `indent`.
std::string wrap(std::string_view text, std::size_t indent) {
  const std::size_t room = kHelpColumns > indent + 20 ? kHelpColumns - indent : 20;
  std::string out;
  std::size_t line = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (line > 0 && line + 1 + word.size() > room) {
      out += "\n" + std::string(indent, ' ');
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    start = end + 1;
  }
  return out;
}

// pflag's FlagUsages layout: "  -x, --name type" or "      --name type", padded so that the
// help texts start 3 spaces after the longest one.
std::string flag_table(const std::vector<FlagSpec>& flags) {
  std::vector<FlagSpec> sorted = flags;
  std::sort(sorted.begin(), sorted.end(),
            [](const FlagSpec& a, const FlagSpec& b) { return a.name < b.name; });
  std::vector<std::string> left;
  std::size_t width = 0;
  for (const FlagSpec& f : sorted) {
    std::string text = f.shorthand != 0 ? std::string("  -") + f.shorthand + ", --" : "      --";
    text += std::string(f.name);
    if (!f.value_type.empty()) text += " " + std::string(f.value_type);
    width = std::max(width, text.size());
    left.push_back(std::move(text));
  }
  std::string out;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out += left[i] + std::string(width - left[i].size() + 3, ' ') +
           wrap(sorted[i].help, width + 3) + "\n";
  }
  return out;
}

}  // namespace

std::string command_help(const Command& command) {
  std::string out = usage_line(command) + "\n" + std::string(command.summary) + "\n";
  if (!command.details.empty()) out += "\n" + std::string(command.details);
  if (!command.flags.empty()) out += "\nOptions:\n" + flag_table(command.flags);
  return out;
}

std::string program_help(const std::vector<Command>& commands) {
  std::string out = "Usage:  " + std::string(kProgram) + " [OPTIONS] COMMAND\n\n";
  out += "Verify Docker Content Trust (Notary v1) trust data\n\nCommands:\n";
  for (const Command& c : commands) {
    std::string name(c.name);
    out += "  " + name + std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') +
           std::string(c.summary) + "\n";
  }
  out += "\nOptions:\n";
  out += flag_table(
      {{"help", 'h', "", "Print usage"}, {"version", 0, "", "Print version information and quit"}});
  out +=
      "\nRun '" + std::string(kProgram) + " COMMAND --help' for more information on a command.\n";
  return out;
}

std::string flag_error(const Command& command, std::string_view error) {
  return std::string(error) + "\n\n" + usage_line(command) + "\nRun '" + command_path(command) +
         " --help' for more information\n";
}

std::string arg_count_error(const Command& command) {
  const bool exact = command.min_args == command.max_args;
  const int n = command.min_args;
  std::string out = std::string(kProgram) + ": '" + command_path(command) + "' requires ";
  if (!exact) out += "at least ";
  out += std::to_string(n) + (n == 1 ? " argument" : " arguments");
  out += "\n\n" + usage_line(command) + "\n";
  out += exact ? "Run '" : "See '";
  out += command_path(command) + " --help' for more information\n";
  return out;
}

std::string unknown_command_error(std::string_view name) {
  return std::string(kProgram) + ": unknown command: " + std::string(kProgram) + " " +
         std::string(name) + "\n\nUsage:  " + std::string(kProgram) +
         " [OPTIONS] COMMAND\n\nRun '" + std::string(kProgram) + " --help' for more information\n";
}

std::string program_flag_error(std::string_view error) {
  return std::string(error) + "\n\nUsage:  " + std::string(kProgram) +
         " [OPTIONS] COMMAND\n\nRun '" + std::string(kProgram) + " --help' for more information\n";
}

}  // namespace cli
