// `dtrust delegation add|remove|list` (the Go notary CLI's `notary delegation`, with its
// messages): delegations are staged in the changelist and published with `dtrust publish` (or
// -p). Key IDs shown and accepted are canonical IDs (notary-v1-protocol.md 5.2), as notary's.
// dtrust's extension: `delegation add --threshold K` (notary 0.7 always uses 1).
#include <algorithm>
#include <ostream>
#include <set>

#include "command.h"
#include "notary/changelist.h"
#include "pubkey_file.h"
#include "publish_context.h"
#include "repo_edit.h"
#include "tabwriter.h"
#include "usage.h"

namespace cli {
namespace {

// notary's prettyPrintPaths: sorted, "" shown as `"" <all paths>`, one per line.
std::vector<std::string> shown_paths(std::vector<std::string> paths) {
  std::sort(paths.begin(), paths.end());
  for (std::string& p : paths) {
    if (p.empty()) p = "\"\" <all paths>";
  }
  return paths;
}

std::string joined(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

std::vector<std::string> paths_of(const ParsedArgs& args) {
  if (args.flag("all-paths")) return {""};
  return args.all_split("paths");
}

// Canonical key IDs of `role`'s keys as published. Best effort: an unreachable or
// uninitialised repository, or an undeclared role, has none.
std::set<std::string> published_key_ids(const ServerOptions& server, const std::string& gun,
                                        const std::string& role, Io& io) {
  std::set<std::string> ids;
  auto session = PublishSession::open(server, gun, io, trustcache::PassphraseEnv::kNotary);
  if (!session.ok()) return ids;
  auto repo = (*session)->sync();
  if (!repo.ok() || !(*repo)->resolver().delegations().ok()) return ids;  // walks every role
  const auto info = (*repo)->set().delegation(role);
  const auto* parent = info ? (*repo)->set().targets(info->parent) : nullptr;
  if (parent == nullptr) return ids;
  for (const std::string& id : info->keyids) {
    auto key = parent->signed_.delegations.keys.find(id);
    if (key == parent->signed_.delegations.keys.end()) continue;
    if (auto canonical = tuf::canonical_key_id(key->second); canonical.ok()) ids.insert(*canonical);
  }
  return ids;
}

// Canonical key IDs `role` will have after the published state and the staged changes.
std::set<std::string> future_key_ids(const ServerOptions& server, const std::string& gun,
                                     const std::string& role, Io& io) {
  std::set<std::string> ids = published_key_ids(server, gun, role, io);
  auto staged = notary::Changelist(server.trust_dir, gun).list();
  if (!staged.ok()) return ids;
  for (const notary::Change& c : *staged) {
    if (c.type != notary::kChangeDelegation || c.role != role) continue;
    if (c.action == notary::ChangeAction::kDelete) {
      ids.clear();
      continue;
    }
    auto edit = notary::delegation_edit_of(c);
    if (!edit.ok()) continue;
    for (const tuf::PublicKey& key : edit->add_keys) {
      if (auto canonical = tuf::canonical_key_id(key); canonical.ok()) ids.insert(*canonical);
    }
    for (const std::string& id : edit->remove_keys) ids.erase(id);
  }
  return ids;
}

int fail(Io& io, const std::string& line) {
  io.err << line << "\n";
  return kExitFailure;
}

int delegation_add(const Command& command, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[1];
  const std::string& role = args.positionals[2];
  const std::vector<std::string> paths = paths_of(args);
  const bool has_paths = args.flag("all-paths") || !args.all("paths").empty();
  int64_t threshold = 0;
  if (auto value = args.value("threshold")) {
    if (value->empty() || value->size() > 9 ||
        value->find_first_not_of("0123456789") != std::string::npos || std::stoll(*value) < 1) {
      io.err << flag_error(command, "invalid argument \"" + *value +
                                        "\" for \"--threshold\" flag: must be a number >= 1");
      return kExitUsage;
    }
    threshold = std::stoll(*value);
  }
  if (args.positionals.size() < 4 && !has_paths && threshold == 0) {
    return fail(io,
                "must specify the Global Unique Name and the role of the delegation along with "
                "the public key certificate paths and/or a list of paths to add");
  }
  if (!tuf::is_delegation_name(role)) {
    return fail(io, "failed to create delegation: tuf: invalid role " + role +
                        ". invalid delegation role name");
  }
  notary::DelegationEdit edit;
  std::vector<std::string> key_ids;
  for (size_t i = 3; i < args.positionals.size(); ++i) {
    const std::string& file = args.positionals[i];
    auto key = read_public_key_file(file, io.now());
    if (!key.ok() && key.error().kind == tuf::ErrorKind::kIo)
      return fail(io, "file for public key does not exist: " + file);
    if (!key.ok()) {
      return fail(io, "unable to parse valid public key certificate from PEM file " + file + ": " +
                          key.error().detail);
    }
    auto canonical = tuf::canonical_key_id(*key);
    if (!canonical.ok()) return fail(io, file + ": " + canonical.error().detail);
    if (std::find(key_ids.begin(), key_ids.end(), *canonical) != key_ids.end()) continue;
    key_ids.push_back(*canonical);
    edit.add_keys.push_back(*key);
  }
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  if (threshold > static_cast<int64_t>(key_ids.size())) {
    std::set<std::string> ids = future_key_ids(*server, gun, role, io);
    ids.insert(key_ids.begin(), key_ids.end());
    if (threshold > static_cast<int64_t>(ids.size())) {
      return fail(io, "threshold " + std::to_string(threshold) +
                          " is higher than the number of "
                          "keys of " +
                          role + " (" + std::to_string(ids.size()) + ")");
    }
  }
  edit.threshold = threshold;
  if (has_paths) edit.add_paths = paths;
  if (std::string error = stage_changes(
          *server, gun, {notary::delegation_change(notary::ChangeAction::kCreate, role, edit)},
          args.flag("publish"));
      !error.empty()) {
    return fail(io, error);
  }
  std::string items;
  if (!key_ids.empty()) items += "with keys [" + joined(key_ids, " ") + "], ";
  if (has_paths) items += "with paths [" + joined(shown_paths(paths), "\n") + "], ";
  if (threshold != 0) items += "with threshold " + std::to_string(threshold) + ", ";
  io.out << "\nAddition of delegation role " << role << " " << items << "to repository \"" << gun
         << "\" staged for next publish.\n\n";
  if (args.flag("publish")) return publish_staged(*server, gun, io, true, false);
  return kExitOk;
}

int delegation_remove(const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[1];
  const std::string& role = args.positionals[2];
  if (!tuf::is_delegation_name(role)) {
    return fail(io, "failed to remove delegation: tuf: invalid role " + role +
                        ". invalid delegation role name");
  }
  const std::vector<std::string> keys(args.positionals.begin() + 3, args.positionals.end());
  const bool all_paths = args.flag("all-paths");
  const std::vector<std::string> paths = args.all_split("paths");
  const bool everything = keys.empty() && !all_paths && paths.empty();
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  if (everything) {
    io.out << "\nAre you sure you want to remove all data for this delegation? (yes/no)\n";
    if (args.flag("yes")) {
      io.out << "Confirmed `yes` from flag\n";
    } else {
      io.out.flush();
      std::string answer;
      std::getline(io.in, answer);
      if (answer != "y" && answer != "yes") return fail(io, "Aborting action.");
    }
  }
  notary::DelegationEdit edit;
  edit.remove_keys = keys;
  edit.remove_paths = all_paths ? std::vector<std::string>{} : paths;
  edit.clear_paths = all_paths;
  const auto action = everything ? notary::ChangeAction::kDelete : notary::ChangeAction::kUpdate;
  if (std::string error = stage_changes(
          *server, gun,
          {notary::delegation_change(action, role, everything ? notary::DelegationEdit{} : edit)},
          args.flag("publish"));
      !error.empty()) {
    return fail(io, error);
  }
  if (everything) {
    io.out << "\nForced removal (including all keys and paths) of delegation role " << role
           << " to repository \"" << gun << "\" staged for next publish.\n\n";
  } else {
    std::string items;
    if (!keys.empty()) items += "with keys [" + joined(keys, " ") + "], ";
    if (all_paths) {
      items += "with all paths, ";
    } else if (!paths.empty()) {
      items += "with paths [" + joined(shown_paths(paths), "\n") + "], ";
    }
    io.out << "\nRemoval of delegation role " << role << " " << items << "to repository \"" << gun
           << "\" staged for next publish.\n\n";
  }
  if (args.flag("publish")) return publish_staged(*server, gun, io, true, false);
  return kExitOk;
}

int delegation_list(const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[1];
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  const std::string error_prefix = "Error retrieving delegation roles for repository " + gun + ": ";
  auto session = PublishSession::open(*server, gun, io, trustcache::PassphraseEnv::kNotary);
  if (!session.ok()) return fail(io, error_prefix + session.error().message());
  auto repo = (*session)->sync();
  if (!repo.ok()) {
    const tuf::Error& e = repo.error();
    return fail(io, error_prefix +
                        (e.kind == tuf::ErrorKind::kNotFound ? e.detail : publish_error_text(e)));
  }
  auto roles = (*repo)->resolver().delegations();
  if (!roles.ok()) return fail(io, error_prefix + roles.error().message());
  for (const std::string& warning : (*repo)->resolver().warnings())
    io.err << "warning: " << gun << ": " << warning << "\n";
  if (roles->empty()) {
    io.out << "\n\nNo delegations present in this repository.\n\n\n";
    return kExitOk;
  }
  std::sort(
      roles->begin(), roles->end(),
      [](const tuf::DelegationInfo& a, const tuf::DelegationInfo& b) { return a.name < b.name; });
  TabWriter table(4, 4);
  table.add_header({"ROLE", "PATHS", "KEY IDS", "THRESHOLD"});
  for (const tuf::DelegationInfo& info : *roles) {
    const auto* parent = (*repo)->set().targets(info.parent);
    std::vector<std::string> paths, ids;
    if (parent != nullptr) {
      const auto& d = parent->signed_.delegations;
      auto own = std::find_if(d.roles.begin(), d.roles.end(),
                              [&](const tuf::DelegatedRole& r) { return r.name == info.name; });
      if (own != d.roles.end()) paths = shown_paths(own->paths);
      for (const std::string& id : info.keyids) {
        auto key = d.keys.find(id);
        auto canonical =
            key == d.keys.end() ? tuf::Result<std::string>(id) : tuf::canonical_key_id(key->second);
        ids.push_back(canonical.ok() ? *canonical : id);
      }
    }
    const size_t rows = std::max<size_t>({1, paths.size(), ids.size()});
    for (size_t i = 0; i < rows; ++i) {
      table.add_line({i == 0 ? info.name : "", i < paths.size() ? paths[i] : "",
                      i < ids.size() ? ids[i] : "", i == 0 ? std::to_string(info.threshold) : ""});
    }
  }
  io.out << "\n" << table.render() << "\n";
  return kExitOk;
}

int run_delegation(const Command& command, const ParsedArgs& args, Io& io) {
  const std::string& sub = args.positionals[0];
  const size_t count = args.positionals.size();
  if ((sub == "add" || sub == "remove") && count < 3) {
    return fail(io, "dtrust delegation " + sub + " needs GUN and ROLE");
  }
  if (sub == "add") return delegation_add(command, args, io);
  if (sub == "remove") return delegation_remove(args, io);
  if (sub == "list" && count == 2) return delegation_list(args, io);
  if (sub == "list") return fail(io, "dtrust delegation list takes exactly one GUN");
  io.err << "dtrust: unknown command: dtrust delegation " << sub << "\n\nUsage:  dtrust delegation "
         << command.synopsis << "\n\nRun 'dtrust delegation --help' for more information\n";
  return kExitFailure;
}

}  // namespace

Command delegation_command() {
  std::vector<FlagSpec> flags = {
      {"paths", 0, "list", "add/remove: paths of the delegation", true},
      {"all-paths", 0, "", "add: every path (\"\"); remove: clear every path"},
      {"threshold", 0, "string", "add: signatures required (dtrust extension; default 1)"},
      {"yes", 'y', "", "remove: remove the whole delegation without asking"},
      publish_flag()};
  for (const FlagSpec& f : server_flags()) flags.push_back(f);
  return Command{
      .name = "delegation",
      .synopsis =
          "add GUN ROLE [PUBKEY-FILE...] [--paths P]... [--all-paths] [--threshold K] | "
          "remove GUN ROLE [KEYID...] [--paths P]... [--all-paths] [-y] | list GUN",
      .summary = "Stage delegation changes or list delegations (notary delegation)",
      .details =
          "PUBKEY-FILE is a PEM public key (docker's .pub) or an x509 certificate. KEYID is a\n"
          "canonical key ID as `delegation list` shows it. remove without keys or paths removes\n"
          "the whole delegation (asks; -y to confirm). Changes are published by `dtrust\n"
          "publish GUN`, or at once with -p.",
      .flags = std::move(flags),
      .min_args = 2,
      .run = run_delegation,
  };
}

}  // namespace cli
