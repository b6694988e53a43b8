// `dtrust add` and `dtrust remove` (notary add/remove, notary-v1-protocol.md 7.4): stage target
// additions and removals for the next `dtrust publish`, with notary's messages.
//
//   dtrust add GUN TARGET FILE                         notary's form: FILE is hashed
//   dtrust add GUN TARGET --digest sha256:<hex> --size N
//   dtrust add GUN --from-file LIST|-                  many targets in one run
//   dtrust remove GUN TARGET...
//
// A --from-file list has one target per line, `TARGET sha256:<hex> SIZE`, fields separated by
// blanks (so a name cannot contain blanks); empty lines and lines starting with `#` are
// skipped. Every line is checked before anything is staged: one bad line is an error naming
// its number, and nothing is staged. Staging is all or nothing in every form.
#include <fstream>
#include <istream>
#include <map>
#include <ostream>
#include <sstream>

#include "command.h"
#include "notary/publisher.h"
#include "repo_edit.h"
#include "tuf/crypto.h"

namespace cli {
namespace {

struct TargetLine {
  std::string name;
  tuf::FileMeta meta;
};

// "sha256:<64 hex>" and a positive decimal size -> meta; an error reason otherwise.
std::string parse_digest_and_size(const std::string& digest, const std::string& size,
                                  tuf::FileMeta* meta) {
  if (!digest.starts_with("sha256:")) return "digest must be sha256:<64 hex digits>";
  auto raw = tuf::crypto::from_hex(digest.substr(7));
  if (!raw.ok() || raw->size() != 32) return "digest must be sha256:<64 hex digits>";
  if (size.empty() || size.size() > 18 || size.find_first_not_of("0123456789") != std::string::npos)
    return "size must be a positive number of bytes";
  meta->length = std::stoll(size);
  if (meta->length <= 0) return "size must be a positive number of bytes";
  meta->hashes = {{"sha256", *raw}};
  return "";
}

// Parses a whole --from-file list; "" or the error line.
std::string parse_list(std::istream& in, const std::string& source,
                       std::vector<TargetLine>* targets) {
  std::map<std::string, int> seen;  // name -> line
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::vector<std::string> parts;
    for (std::string f; fields >> f;) parts.push_back(f);
    if (parts.empty() || parts[0].starts_with("#")) continue;
    const std::string where = source + ": line " + std::to_string(number) + ": ";
    if (parts.size() != 3) return where + "expected `TARGET sha256:<hex> SIZE`";
    TargetLine target{parts[0], {}};
    const std::string why = parse_digest_and_size(parts[1], parts[2], &target.meta);
    if (!why.empty()) return where + why;
    if (auto ok = notary::check_target_name(target.name); !ok.ok())
      return where + ok.error().detail;
    auto [it, fresh] = seen.emplace(target.name, number);
    if (!fresh)
      return where + "target " + target.name + " is already on line " + std::to_string(it->second);
    targets->push_back(std::move(target));
  }
  if (in.bad()) return source + ": read error";
  if (targets->empty()) return source + ": no targets listed";
  return "";
}

// The targets an `add` names, or the error line.
std::string targets_to_add(const ParsedArgs& args, Io& io, std::vector<TargetLine>* targets) {
  const auto list = args.value("from-file");
  const auto digest = args.value("digest");
  const auto size = args.value("size");
  const size_t count = args.positionals.size();
  if (list) {
    if (count != 1 || digest || size)
      return "--from-file takes only GUN (no TARGET, --digest, --size)";
    if (*list == "-") return parse_list(io.in, "stdin", targets);
    std::ifstream f(*list, std::ios::binary);
    if (!f) return "--from-file: cannot open " + *list;
    return parse_list(f, *list, targets);
  }
  if (count < 2) return "must specify a GUN and target (or --from-file)";
  TargetLine target{args.positionals[1], {}};
  if (count == 3) {
    if (digest || size) return "give either FILE or --digest and --size, not both";
    std::ifstream f(args.positionals[2], std::ios::binary);
    if (!f) return "cannot open " + args.positionals[2];
    std::stringstream bytes;
    bytes << f.rdbuf();
    target.meta = tuf::file_meta_for(bytes.str());  // sha256 + sha512, as notary add
  } else if (count == 2) {
    if (!digest || !size) return "--digest sha256:<hex> and --size are required without FILE";
    const std::string why = parse_digest_and_size(*digest, *size, &target.meta);
    if (!why.empty()) return "invalid --digest or --size: " + why;
  } else {
    return "too many arguments";
  }
  if (auto ok = notary::check_target_name(target.name); !ok.ok()) return ok.error().detail;
  targets->push_back(std::move(target));
  return "";
}

std::vector<std::string> roles_of(const ParsedArgs& args) {
  auto roles = args.all_split("roles");
  if (roles.empty()) roles.push_back("targets");
  return roles;
}

std::string check_roles(const std::vector<std::string>& roles) {
  for (const std::string& role : roles) {
    if (role != "targets" && !tuf::is_delegation_name(role))
      return "invalid role " + role + ": not targets or a delegation name (targets/...)";
  }
  return "";
}

int run_add(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  std::vector<TargetLine> targets;
  const auto roles = roles_of(args);
  std::string error = targets_to_add(args, io, &targets);
  if (error.empty()) error = check_roles(roles);
  if (!error.empty()) {
    io.err << error << "\n";
    return kExitFailure;
  }
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  std::vector<notary::Change> changes;
  for (const TargetLine& t : targets) {
    for (const std::string& role : roles) {
      changes.push_back(notary::target_change(notary::ChangeAction::kCreate, role, t.name, t.meta));
    }
  }
  // With -p the changes are published from memory and staged only if the publish fails.
  const bool publish = args.flag("publish");
  if (!publish) {
    if (error = stage_changes(*server, gun, changes); !error.empty()) {
      io.err << error << "\n";
      return kExitFailure;
    }
  }
  for (const TargetLine& t : targets) {
    io.out << "Addition of target \"" << t.name << "\" to repository \"" << gun
           << "\" staged for next publish.\n";
  }
  if (publish) return publish_staged(*server, gun, io, true, false, changes);
  return kExitOk;
}

int run_remove(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  const auto roles = roles_of(args);
  if (std::string error = check_roles(roles); !error.empty()) {
    io.err << error << "\n";
    return kExitFailure;
  }
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  std::vector<notary::Change> changes;
  for (size_t i = 1; i < args.positionals.size(); ++i) {
    for (const std::string& role : roles) {
      changes.push_back(
          notary::target_change(notary::ChangeAction::kDelete, role, args.positionals[i], {}));
    }
  }
  const bool publish = args.flag("publish");  // as in run_add
  if (!publish) {
    if (std::string error = stage_changes(*server, gun, changes); !error.empty()) {
      io.err << error << "\n";
      return kExitFailure;
    }
  }
  for (size_t i = 1; i < args.positionals.size(); ++i) {
    io.out << "Removal of " << args.positionals[i] << " from " << gun
           << " staged for next publish.\n";
  }
  if (publish) return publish_staged(*server, gun, io, true, false, changes);
  return kExitOk;
}

}  // namespace

std::vector<Command> repo_target_commands() {
  std::vector<FlagSpec> add_flags = {
      {"digest", 0, "string", "sha256:<hex> of the target (instead of FILE)"},
      {"size", 0, "string", "Size of the target in bytes (with --digest)"},
      {"from-file", 0, "string",
       "Stage every `TARGET sha256:<hex> SIZE` line of a file (- = stdin)"},
      {"roles", 'r', "list", "Delegation roles to add the target to (default: targets)", true},
      publish_flag()};
  std::vector<FlagSpec> remove_flags = {
      {"roles", 'r', "list", "Delegation roles to remove the target from (default: targets)", true},
      publish_flag()};
  for (const FlagSpec& f : server_flags()) {
    add_flags.push_back(f);
    remove_flags.push_back(f);
  }
  return {
      Command{.name = "add",
              .synopsis = "[OPTIONS] GUN (TARGET FILE | TARGET --digest sha256:<hex> --size N | "
                          "--from-file LIST)",
              .summary = "Stage targets for the next publish (notary add)",
              .details = "A --from-file LIST has one `TARGET sha256:<hex> SIZE` per line (blank\n"
                         "lines and lines starting with # are skipped). Every line is checked\n"
                         "first: one bad line stages nothing.",
              .flags = std::move(add_flags),
              .min_args = 1,
              .max_args = 3,
              .run = run_add},
      Command{.name = "remove",
              .synopsis = "[OPTIONS] GUN TARGET...",
              .summary = "Stage the removal of targets for the next publish (notary remove)",
              .details = "",
              .flags = std::move(remove_flags),
              .min_args = 2,
              .max_args = -1,
              .run = run_remove},
  };
}

}  // namespace cli
