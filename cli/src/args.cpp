#include "args.h"

#include <algorithm>

namespace cli {
namespace {

tuf::Error usage(std::string message) {
  return tuf::Error{tuf::ErrorKind::kUsage, {}, {}, std::move(message)};
}

const FlagSpec* find_long(const std::vector<FlagSpec>& flags, std::string_view name) {
  auto it =
      std::find_if(flags.begin(), flags.end(), [&](const FlagSpec& f) { return f.name == name; });
  return it == flags.end() ? nullptr : &*it;
}

const FlagSpec* find_short(const std::vector<FlagSpec>& flags, char c) {
  auto it =
      std::find_if(flags.begin(), flags.end(), [&](const FlagSpec& f) { return f.shorthand == c; });
  return it == flags.end() ? nullptr : &*it;
}

std::string flag_label(const FlagSpec& spec) {
  std::string label;
  if (spec.shorthand != 0) label = std::string("-") + spec.shorthand + ", ";
  return label + "--" + std::string(spec.name);
}

// strconv.ParseBool's accepted spellings.
tuf::Result<std::string> parse_bool(const FlagSpec& spec, const std::string& text) {
  static const char* const kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char* const kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (const char* t : kTrue) {
    if (text == t) return std::string("true");
  }
  for (const char* f : kFalse) {
    if (text == f) return std::string("false");
  }
  return usage("invalid argument \"" + text + "\" for \"" + flag_label(spec) +
               "\" flag: strconv.ParseBool: parsing \"" + text + "\": invalid syntax");
}

class Parser {
 public:
  Parser(const std::vector<std::string>& args, const std::vector<FlagSpec>& flags)
      : args_(args), flags_(flags) {}

  tuf::Result<ParsedArgs> run() {
    while (next_ < args_.size()) {
      const std::string& arg = args_[next_++];
      if (arg == "--") {
        while (next_ < args_.size()) out_.positionals.push_back(args_[next_++]);
      } else if (arg.size() > 2 && arg.starts_with("--")) {
        DTRUST_TRY(long_flag(arg));
      } else if (arg.size() > 1 && arg[0] == '-' && arg[1] != '-') {
        DTRUST_TRY(short_flags(arg));
      } else {
        out_.positionals.push_back(arg);  // includes "-" (conventionally stdin)
      }
    }
    return out_;
  }

 private:
  tuf::Status long_flag(const std::string& arg) {
    const std::string body = arg.substr(2);
    if (body.starts_with("-") || body.starts_with("=")) return usage("bad flag syntax: " + arg);
    const auto eq = body.find('=');
    const std::string name = body.substr(0, eq);
    const FlagSpec* spec = find_long(flags_, name);
    if (spec == nullptr) return usage("unknown flag: --" + name);
    if (spec->value_type.empty()) {
      if (eq == std::string::npos) return store(*spec, "true");
      DTRUST_ASSIGN_OR_RETURN(std::string v, parse_bool(*spec, body.substr(eq + 1)));
      return store(*spec, v);
    }
    if (eq != std::string::npos) return store(*spec, body.substr(eq + 1));
    if (next_ >= args_.size()) return usage("flag needs an argument: --" + name);
    return store(*spec, args_[next_++]);
  }

  tuf::Status short_flags(const std::string& arg) {
    for (std::size_t i = 1; i < arg.size(); ++i) {
      const char c = arg[i];
      const FlagSpec* spec = find_short(flags_, c);
      if (spec == nullptr) {
        return usage(std::string("unknown shorthand flag: '") + c + "' in " + arg);
      }
      const std::string rest = arg.substr(i + 1);
      if (spec->value_type.empty()) {
        if (rest.starts_with("=")) {
          DTRUST_ASSIGN_OR_RETURN(std::string v, parse_bool(*spec, rest.substr(1)));
          return store(*spec, v);
        }
        DTRUST_TRY(store(*spec, "true"));
        continue;
      }
      if (!rest.empty()) return store(*spec, rest.starts_with("=") ? rest.substr(1) : rest);
      if (next_ >= args_.size()) {
        return usage(std::string("flag needs an argument: '") + c + "' in " + arg);
      }
      return store(*spec, args_[next_++]);
    }
    return {};
  }

  tuf::Status store(const FlagSpec& spec, std::string value) {
    out_.values[std::string(spec.name)].push_back(std::move(value));
    return {};
  }

  const std::vector<std::string>& args_;
  const std::vector<FlagSpec>& flags_;
  std::size_t next_ = 0;
  ParsedArgs out_;
};

}  // namespace

bool ParsedArgs::flag(std::string_view name) const {
  auto it = values.find(name);
  return it != values.end() && !it->second.empty() && it->second.back() == "true";
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::all(std::string_view name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

std::vector<std::string> ParsedArgs::all_split(std::string_view name) const {
  std::vector<std::string> out;
  for (const std::string& v : all(name)) {
    std::size_t start = 0;
    while (true) {
      const auto comma = v.find(',', start);
      out.push_back(v.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

tuf::Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& flags) {
  return Parser(args, flags).run();
}

}  // namespace cli
