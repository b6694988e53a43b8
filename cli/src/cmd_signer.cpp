// `dtrust signer add --key PUB... NAME REPO...` and `dtrust signer remove [-f] NAME REPO...`
// (docker-trust-cli.md 1.6, 1.7). `signer remove` does what it says, unlike docker 28.2.2's
// no-op: a signer that is not the last one is removed at once; the last one needs `y` at the
// prompt (only on a terminal) or --force. Docker's notary error translator (docker_errors.h)
// is applied where docker applies it.
#include <cctype>
#include <ostream>
#include <regex>
#include <set>

#include "command.h"
#include "docker_errors.h"
#include "notary/changelist.h"
#include "passphrase_prompt.h"
#include "pubkey_file.h"
#include "publish_context.h"
#include "reference.h"
#include "source_options.h"
#include "tuf/keys.h"

namespace cli {
namespace {

bool valid_signer_name(const std::string& name) {
  static const std::regex kName("^[a-z0-9][a-z0-9_-]*$");
  return std::regex_match(name, kName);
}

// A --key file in docker's words (1.6 step 3): a PUBLIC KEY or a CERTIFICATE (pubkey_file.h);
// its `role` header is ignored, as in docker.
tuf::Result<tuf::PublicKey> read_signer_key(const std::string& path, tuf::Time now) {
  auto key = read_public_key_file(path, now);
  if (key.ok()) return key;
  tuf::Error e = key.error();
  if (e.kind == tuf::ErrorKind::kIo) {
    // Go's os errors are lower case: "open x.pub: no such file or directory".
    const auto colon = e.detail.rfind(": ");
    if (colon != std::string::npos && colon + 2 < e.detail.size()) {
      e.detail[colon + 2] =
          static_cast<char>(std::tolower(static_cast<unsigned char>(e.detail[colon + 2])));
    }
    e.detail = "unable to read public key from file: " + e.detail;
  } else {
    e.detail = "could not parse public key from file: " + path + ": " + e.detail;
  }
  return e;
}

std::optional<ServerOptions> server_options(const ParsedArgs& args, Io& io) {
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return std::nullopt;
  }
  return server;
}

// One repository of `signer add`; returns the error line or "" on success.
std::string add_to_repo(const ServerOptions& server, const std::string& name,
                        const std::vector<tuf::PublicKey>& keys, const std::string& repo, Io& io) {
  io.out << "Adding signer \"" << name << "\" to " << repo << "...\n";
  io.out.flush();
  auto ref = parse_image_reference(repo);
  if (!ref.ok()) return ref.error().detail.empty() ? ref.error().message() : ref.error().detail;
  auto session = PublishSession::open(server, ref->name(), io, trustcache::PassphraseEnv::kDocker);
  if (!session.ok()) {
    return docker_notary_error(ref->name(), session.error(), session.error().message());
  }
  auto exists = (*session)->exists();
  if (!exists.ok()) {
    return docker_notary_error(repo, exists.error(), publish_error_text(exists.error()));
  }
  if (!*exists) {
    io.out << "Initializing signed repository for " << repo << "...\n";
    io.out.flush();
  }
  (*session)->clear_changelist();
  notary::Changelist changes((*session)->ctx().trust_dir, ref->name());
  notary::DelegationEdit edit;
  edit.add_keys = keys;
  edit.add_paths = {""};
  for (const std::string& role : {"targets/" + name, std::string("targets/releases")}) {
    auto added = changes.add(notary::delegation_change(notary::ChangeAction::kCreate, role, edit));
    if (!added.ok()) return added.error().message();
  }
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kServer};
  auto published = notary::publish((*session)->ctx(), options);
  (*session)->clear_changelist();
  if (!published.ok()) {
    // docker translates what initialising a new repository reports, not its publish errors.
    const std::string raw = publish_error_text(published.error());
    return *exists ? raw : docker_notary_error(repo, published.error(), raw);
  }
  if (published->initialized) io.out << "Successfully initialized \"" << repo << "\"\n";
  io.out << "Successfully added signer: " << name << " to " << repo << "\n\n";
  return "";
}

int signer_add(const ParsedArgs& args, Io& io) {
  if (args.positionals.size() < 3) {
    io.err << "dtrust: 'dtrust signer add' requires at least 2 arguments\n";
    return kExitFailure;
  }
  const std::string& name = args.positionals[1];
  if (!valid_signer_name(name)) {
    io.err << "signer name \"" << name
           << "\" must start with lowercase alphanumeric characters and can include \"-\" or "
              "\"_\" after the first character\n";
    return kExitFailure;
  }
  if (name == "releases") {
    io.err << "releases is a reserved keyword, use a different signer name\n";
    return kExitFailure;
  }
  const auto key_paths = args.all("key");
  if (key_paths.empty()) {
    io.err << "path to a public key must be provided using the `--key` flag\n";
    return kExitFailure;
  }
  std::vector<tuf::PublicKey> keys;
  for (const std::string& path : key_paths) {
    auto key = read_signer_key(path, io.now());
    if (!key.ok()) {
      io.err << key.error().detail << "\n";
      return kExitFailure;
    }
    keys.push_back(*key);
  }
  auto server = server_options(args, io);
  if (!server) return kExitFailure;
  std::vector<std::string> failed;
  for (size_t i = 2; i < args.positionals.size(); ++i) {
    const std::string error = add_to_repo(*server, name, keys, args.positionals[i], io);
    if (!error.empty()) {
      io.err << error << "\n\n";
      failed.push_back(args.positionals[i]);
    }
  }
  if (failed.empty()) return kExitOk;
  io.err << "failed to add signer to: ";
  for (size_t i = 0; i < failed.size(); ++i) io.err << (i ? ", " : "") << failed[i];
  io.err << "\n";
  return kExitFailure;
}

// One repository of `signer remove`; returns the error line or "" on success (or when the
// user declined).
std::string remove_from_repo(const ServerOptions& server, const std::string& name, bool force,
                             const std::string& repo, Io& io) {
  io.out << "Removing signer \"" << name << "\" from " << repo << "...\n";
  io.out.flush();
  if (name == "releases") return "releases is a reserved keyword and cannot be removed";
  auto ref = parse_image_reference(repo);
  if (!ref.ok()) return ref.error().detail.empty() ? ref.error().message() : ref.error().detail;
  auto session = PublishSession::open(server, ref->name(), io, trustcache::PassphraseEnv::kDocker);
  if (!session.ok()) {
    return docker_notary_error(ref->name(), session.error(), session.error().message());
  }
  // Not translated: docker wraps these ("error retrieving signers for …") before printing.
  auto synced = (*session)->sync();
  if (!synced.ok()) {
    return "error retrieving signers for " + repo + ": " + notary_error_text(synced.error());
  }
  const std::string role = "targets/" + name;
  auto walked = (*synced)->resolver().delegations();  // loads targets/releases too
  if (!walked.ok()) {
    return "error retrieving signers for " + repo + ": " + notary_error_text(walked.error());
  }
  const tuf::Targets& top = (*synced)->set().targets("targets")->signed_;
  const tuf::DelegatedRole* signer = nullptr;
  const tuf::DelegatedRole* releases = nullptr;
  for (const tuf::DelegatedRole& d : top.delegations.roles) {
    if (d.name == role) signer = &d;
    if (d.name == "targets/releases") releases = &d;
  }
  if (signer == nullptr) return "no signer " + name + " for repository " + repo;
  // Last-signer check (1.7 step 4) on the signatures of targets/releases.
  std::set<std::string> signer_ids(signer->keyids.begin(), signer->keyids.end());
  bool last = false;
  if (releases != nullptr) {
    if (const auto* file = (*synced)->set().targets("targets/releases")) {
      int remaining = 0, total = 0;
      for (const auto& sig : file->signatures) {
        ++total;
        if (!signer_ids.count(sig.keyid)) ++remaining;
      }
      if (total == 0) return "all signed tags are currently revoked, use docker trust sign to fix";
      last = remaining < releases->threshold;
    }
  }
  if (last && !force) {
    const std::string question = "The signer \"" + name +
                                 "\" signed the last released version of " + repo +
                                 ". Removing this signer will make " + repo +
                                 " unpullable. Are you sure you want to continue?";
    if (!io.stdin_is_tty) {
      return "signer " + name + " signed the last released version of " + repo +
             "; use --force to remove it without a terminal to confirm on";
    }
    if (!confirm(io, question)) {
      io.out << "\nAborting action.\n";
      return "";
    }
  }
  (*session)->clear_changelist();
  notary::Changelist changes((*session)->ctx().trust_dir, ref->name());
  std::vector<notary::Change> staged;
  if (releases != nullptr) {
    notary::DelegationEdit edit;
    for (const std::string& id : signer->keyids) {
      auto it = top.delegations.keys.find(id);
      if (it == top.delegations.keys.end()) continue;
      auto canonical = tuf::canonical_key_id(it->second);
      if (canonical.ok()) edit.remove_keys.push_back(*canonical);
    }
    staged.push_back(
        notary::delegation_change(notary::ChangeAction::kUpdate, "targets/releases", edit));
  }
  staged.push_back(notary::delegation_change(notary::ChangeAction::kDelete, role, {}));
  for (const notary::Change& c : staged) {
    auto added = changes.add(c);
    if (!added.ok()) return added.error().message();
  }
  auto published = notary::publish((*session)->ctx());
  (*session)->clear_changelist();
  if (!published.ok()) return publish_error_text(published.error());
  io.out << "Successfully removed " << name << " from " << repo << "\n\n";
  return "";
}

int signer_remove(const ParsedArgs& args, Io& io) {
  if (args.positionals.size() < 3) {
    io.err << "dtrust: 'dtrust signer remove' requires at least 2 arguments\n";
    return kExitFailure;
  }
  auto server = server_options(args, io);
  if (!server) return kExitFailure;
  const std::string& name = args.positionals[1];
  std::vector<std::string> failed;
  for (size_t i = 2; i < args.positionals.size(); ++i) {
    const std::string error =
        remove_from_repo(*server, name, args.flag("force"), args.positionals[i], io);
    if (!error.empty()) {
      io.err << error << "\n\n";
      failed.push_back(args.positionals[i]);
    }
  }
  if (failed.empty()) return kExitOk;
  io.err << "error removing signer from: ";
  for (size_t i = 0; i < failed.size(); ++i) io.err << (i ? ", " : "") << failed[i];
  io.err << "\n";
  return kExitFailure;
}

int run_signer(const Command& command, const ParsedArgs& args, Io& io) {
  const std::string& sub = args.positionals[0];
  if (sub == "add") return signer_add(args, io);
  if (sub == "remove") return signer_remove(args, io);
  io.err << "dtrust: unknown command: dtrust signer " << sub << "\n\nUsage:  dtrust signer "
         << command.synopsis << "\n\nRun 'dtrust signer --help' for more information\n";
  return kExitFailure;
}

}  // namespace

Command signer_command() {
  return Command{
      .name = "signer",
      .synopsis = "add --key PUBFILE... NAME REPOSITORY... | remove [-f] NAME REPOSITORY...",
      .summary = "Add or remove a signer of repositories (docker trust signer)",
      .details =
          "add: delegates targets/NAME to the keys and adds them to targets/releases\n"
          "(initialising the repository, with a server-managed snapshot key, when needed).\n"
          "remove: deletes targets/NAME and its keys from targets/releases. Removing the last\n"
          "signer of the released tags asks for confirmation on a terminal; use --force\n"
          "otherwise.",
      .flags = with_docker_server_flags(
          {{"key", 0, "list", "add: path to the signer's public key file", true},
           {"force", 'f', "", "remove: do not ask before removing the last signer"}}),
      .min_args = 1,
      .run = run_signer,
  };
}

}  // namespace cli
