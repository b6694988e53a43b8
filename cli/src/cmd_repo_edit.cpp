// The notary family's repository commands (notary-v1-protocol.md 7): `dtrust init GUN`,
// `dtrust status GUN`, `dtrust reset GUN`, `dtrust publish GUN`, and the helpers the other
// staging commands share (repo_edit.h). Changes are staged in notary's changelist format, so
// the Go `notary` CLI and dtrust read each other's staging. Passphrases follow notary's
// NOTARY_*_PASSPHRASE variables; snapshots are signed locally, as notary does by default.
#include <filesystem>
#include <ostream>

#include "command.h"
#include "publish_context.h"
#include "repo_edit.h"
#include "source_options.h"
#include "tabwriter.h"

namespace cli {

std::vector<FlagSpec> server_flags() {
  return {{"server", 's', "string", "Notary server URL"},
          {"tlscacert", 0, "string", "Trust certs signed only by this CA"},
          {"trust-dir", 'd', "string", "Trust directory (default $DOCKER_CONFIG/trust)"}};
}

FlagSpec publish_flag() {
  return {"publish", 'p', "",
          "Publish right after staging the change (and every change staged before it)"};
}

std::optional<ServerOptions> server_of(const ParsedArgs& args, Io& io) {
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return std::nullopt;
  }
  return server;
}

std::string stage_changes(const ServerOptions& server, const std::string& gun,
                          const std::vector<notary::Change>& changes, bool publish_next) {
  const auto sync =
      publish_next ? notary::Changelist::Sync::kNone : notary::Changelist::Sync::kFolder;
  auto added = notary::Changelist(server.trust_dir, gun).add_all(changes, sync);
  return added.ok() ? "" : added.error().message();
}

namespace {

// A failed auto-publish: the changes stay staged for the next publish, durably.
int fail_auto_publish(const ServerOptions& server, const std::string& gun,
                      const std::vector<notary::Change>& unstaged, const std::string& error,
                      Io& io) {
  io.err << error << "\n";
  const notary::Changelist changelist(server.trust_dir, gun);
  if (unstaged.empty()) {
    (void)changelist.sync();
    return kExitFailure;
  }
  auto staged = changelist.add_all(unstaged, notary::Changelist::Sync::kFolder);
  if (!staged.ok()) io.err << staged.error().message() << "\n";
  return kExitFailure;
}

}  // namespace

int publish_staged(const ServerOptions& server, const std::string& gun, Io& io, bool auto_publish,
                   bool init, const std::vector<notary::Change>& unstaged) {
  auto session = PublishSession::open(server, gun, io, trustcache::PassphraseEnv::kNotary);
  if (!session.ok()) {
    const std::string error = notary_publish_error_text(gun, session.error());
    if (auto_publish) return fail_auto_publish(server, gun, unstaged, error, io);
    io.err << error << "\n";
    return kExitFailure;
  }
  notary::PublishOptions options;
  if (init) options.init = notary::InitOptions{notary::SnapshotKeyMode::kLocal};
  options.unstaged = unstaged;
  io.out << (auto_publish ? "Auto-publishing changes to " : "Pushing changes to ") << gun << "\n";
  io.out.flush();
  auto published = notary::publish((*session)->ctx(), options);
  if (!published.ok()) {
    const std::string error = notary_publish_error_text(gun, published.error());
    if (auto_publish) return fail_auto_publish(server, gun, unstaged, error, io);
    io.err << error << "\n";
    return kExitFailure;
  }
  io.out << "Successfully published changes for repository " << gun << "\n";
  return kExitOk;
}

namespace {

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
  table.add_header({"#", "ACTION", "SCOPE", "TYPE", "PATH"});
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

int run_init(const Command&, const ParsedArgs& args, Io& io) {
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  return publish_staged(*server, args.positionals[0], io, false, true);
}

int run_publish(const Command&, const ParsedArgs& args, Io& io) {
  const bool prepare = args.value("prepare").has_value();
  const bool signed_files = !args.all("signed").empty();
  if (prepare && signed_files) {
    io.err << "--prepare and --signed cannot be used together\n";
    return kExitFailure;
  }
  if (prepare) return publish_prepare(args, io);
  if (signed_files) return publish_signed(args, io);
  if (args.value("output") || args.flag("allow-under-threshold")) {
    io.err << "--output needs --prepare, --allow-under-threshold needs --signed\n";
    return kExitFailure;
  }
  auto server = server_of(args, io);
  if (!server) return kExitFailure;
  return publish_staged(*server, args.positionals[0], io, false, false);
}

std::vector<FlagSpec> publish_flags() {
  std::vector<FlagSpec> flags = {
      {"prepare", 0, "string",
       "k-of-n: apply the staged changes to ROLE and sign it, do not upload"},
      {"output", 'o', "string", "k-of-n: with --prepare, the file to write"},
      {"signed", 0, "string", "k-of-n: upload a prepared and cosigned file", true},
      {"allow-under-threshold", 0, "",
       "k-of-n: upload even when a file has fewer signatures than its threshold (it will be "
       "refused by the server or by readers)"}};
  for (const FlagSpec& f : server_flags()) flags.push_back(f);
  return flags;
}

}  // namespace

std::vector<Command> repo_edit_commands() {
  std::vector<Command> commands = {
      Command{.name = "init",
              .synopsis = "[OPTIONS] GUN",
              .summary = "Initialise a repository and publish it with its staged changes",
              .details = "Snapshots are signed locally, as the notary CLI does.",
              .flags = server_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_init},
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
              .details =
                  "k-of-n signing of a role whose threshold needs several key holders:\n"
                  "  holder A: dtrust publish GUN --prepare ROLE -o FILE\n"
                  "  holder B: dtrust cosign GUN FILE\n"
                  "  anyone:   dtrust publish GUN --signed FILE\n"
                  "--prepare keeps the changelist; a successful --signed upload drops the staged\n"
                  "changes of the roles it uploaded.",
              .flags = publish_flags(),
              .min_args = 1,
              .max_args = 1,
              .run = run_publish},
  };
  for (Command& c : repo_target_commands()) commands.push_back(std::move(c));
  commands.push_back(delegation_command());
  commands.push_back(cosign_command());
  return commands;
}

}  // namespace cli
