// The notary family's staging commands (notary-v1-protocol.md 7): `dtrust init GUN`,
// `dtrust add GUN TARGET --digest sha256:<hex> --size N [-r ROLE]`, `dtrust status GUN`,
// `dtrust reset GUN`, `dtrust publish GUN`. Changes are staged in notary's changelist format,
// so the Go `notary` CLI and dtrust read each other's staging. Passphrases follow notary's
// NOTARY_*_PASSPHRASE variables; snapshots are signed locally, as notary does by default.
#include <ostream>

#include "command.h"
#include "notary/changelist.h"
#include "publish_context.h"
#include "source_options.h"
#include "tabwriter.h"
#include "tuf/crypto.h"

namespace cli {
namespace {

std::vector<FlagSpec> server_flags() {
  return {{"server", 's', "string", "Notary server URL"},
          {"tlscacert", 0, "string", "Trust certs signed only by this CA"},
          {"trust-dir", 'd', "string", "Trust directory (default $DOCKER_CONFIG/trust)"}};
}

std::optional<ServerOptions> server_of(const ParsedArgs& args, Io& io) {
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return std::nullopt;
  }
  return server;
}

int run_add(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  const std::string& target = args.positionals[1];
  const auto digest = args.value("digest");
  const auto size = args.value("size");
  if (!digest || !size || !digest->starts_with("sha256:")) {
    io.err << "--digest sha256:<hex> and --size are required\n";
    return kExitFailure;
  }
  auto raw = tuf::crypto::from_hex(digest->substr(7));
  int64_t length = 0;
  try {
    length = std::stoll(*size);
  } catch (const std::exception&) {
    length = 0;
  }
  if (!raw.ok() || raw->size() != 32 || length <= 0) {
    io.err << "invalid --digest or --size\n";
    return kExitFailure;
  }
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  tuf::FileMeta meta;
  meta.length = length;
  meta.hashes["sha256"] = *raw;
  auto roles = args.all_split("roles");
  if (roles.empty()) roles.push_back("targets");
  notary::Changelist changes(server->trust_dir, gun);
  for (const std::string& role : roles) {
    auto added =
        changes.add(notary::target_change(notary::ChangeAction::kCreate, role, target, meta));
    if (!added.ok()) {
      io.err << added.error().message() << "\n";
      return kExitFailure;
    }
  }
  io.out << "Addition of target \"" << target << "\" to repository \"" << gun
         << "\" staged for next publish.\n";
  return kExitOk;
}

int run_status(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  auto list = notary::Changelist(server->trust_dir, gun).list();
  if (!list.ok()) {
    io.err << list.error().message() << "\n";
    return kExitFailure;
  }
  if (list->empty()) {
    io.out << "No unpublished changes for " << gun << "\n";
    return kExitOk;
  }
  io.out << "Unpublished changes for " << gun << ":\n\n";
  TabWriter table(4, 4);
  table.add_line({"#", "ACTION", "SCOPE", "TYPE", "PATH"});
  table.add_line({"-", "------", "-----", "----", "----"});
  for (size_t i = 0; i < list->size(); ++i) {
    const notary::Change& c = (*list)[i];
    table.add_line({std::to_string(i), std::string(notary::change_action_name(c.action)), c.role,
                    c.type, c.path});
  }
  io.out << table.render();
  return kExitOk;
}

int run_reset(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  auto cleared = notary::Changelist(server->trust_dir, gun).clear();
  if (!cleared.ok()) {
    io.err << cleared.error().message() << "\n";
    return kExitFailure;
  }
  io.out << "Successfully reset specified changes for repository " << gun << "\n";
  return kExitOk;
}

// init (with_init) and publish share the workflow.
int publish_gun(const ParsedArgs& args, Io& io, bool with_init) {
  const std::string& gun = args.positionals[0];
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  auto session = PublishSession::open(*server, gun, io, trustcache::PassphraseEnv::kNotary);
  if (!session.ok()) {
    io.err << session.error().message() << "\n";
    return kExitFailure;
  }
  notary::PublishOptions options;
  if (with_init) options.init = notary::InitOptions{notary::SnapshotKeyMode::kLocal};
  io.out << "Pushing changes to " << gun << "\n";
  auto published = notary::publish((*session)->ctx(), options);
  if (!published.ok()) {
    io.err << publish_error_text(published.error()) << "\n";
    return kExitFailure;
  }
  io.out << "Successfully published changes for repository " << gun << "\n";
  return kExitOk;
}

int run_publish(const Command&, const ParsedArgs& args, Io& io) {
  return publish_gun(args, io, false);
}
int run_init(const Command&, const ParsedArgs& args, Io& io) { return publish_gun(args, io, true); }

}  // namespace

std::vector<Command> repo_edit_commands() {
  std::vector<FlagSpec> add_flags = {
      {"digest", 0, "string", "sha256:<hex> of the target"},
      {"size", 0, "string", "Size of the target in bytes"},
      {"roles", 'r', "list", "Delegation roles to add the target to (default: targets)", true}};
  for (const FlagSpec& f : server_flags()) add_flags.push_back(f);
  return {
      Command{.name = "init",
              .synopsis = "[OPTIONS] GUN",
              .summary = "Initialise a repository and publish it with its staged changes",
              .details = "Snapshots are signed locally, as the notary CLI does.",
              .flags = server_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_init},
      Command{.name = "add",
              .synopsis = "[OPTIONS] GUN TARGET --digest sha256:<hex> --size N",
              .summary = "Stage a target for the next publish (notary add)",
              .details = "",
              .flags = std::move(add_flags),
              .min_args = 2,
              .max_args = 2,
              .run = run_add},
      Command{.name = "status",
              .synopsis = "[OPTIONS] GUN",
              .summary = "Show the staged changes (notary status)",
              .details = "",
              .flags = server_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_status},
      Command{.name = "reset",
              .synopsis = "[OPTIONS] GUN",
              .summary = "Drop every staged change (notary reset --all)",
              .details = "",
              .flags = server_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_reset},
      Command{.name = "publish",
              .synopsis = "[OPTIONS] GUN",
              .summary = "Publish the staged changes (notary publish)",
              .details = "",
              .flags = server_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_publish},
  };
}

}  // namespace cli
