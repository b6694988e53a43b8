// k-of-n signing of one targets role whose threshold needs several key holders, on top of
// notary::prepare_role / sign_role_file / publish_prepared:
//
//   holder A: dtrust publish GUN --prepare ROLE -o FILE   applies the staged changes to ROLE,
//                                                         signs it with A's keys, writes FILE
//   holder B: dtrust cosign GUN FILE                      adds B's signatures to FILE in place
//   anyone:   dtrust publish GUN --signed FILE...         uploads; drops the staged changes
//                                                         of the uploaded roles
//
// FILE is a small JSON document: {"dtrust_prepared":1,"gun":G,"role":R,"metadata":"<the exact
// role file bytes>"}, so that it names its GUN and role and carries the bytes unchanged. Every
// step re-reads the role's keys and threshold from the verified repository and says how many
// of them have signed. An upload under the threshold is refused unless
// --allow-under-threshold is given (the server or any reader then refuses the role).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>

#include "command.h"
#include "notary/changelist.h"
#include "publish_context.h"
#include "repo_edit.h"

namespace cli {
namespace {

struct Prepared {
  std::string gun;
  std::string role;
  std::string metadata;
};

// Who may sign a role and how many must: from root for "targets", else from the parent.
struct Signers {
  std::map<std::string, tuf::PublicKey> keys;
  std::vector<std::string> keyids;
  int64_t threshold = 1;
};

tuf::Error usage(const std::string& detail) {
  return tuf::Error{tuf::ErrorKind::kUsage, "", "", detail};
}

tuf::Result<Prepared> read_prepared(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return usage("cannot open " + path);
  std::stringstream s;
  s << f.rdbuf();
  auto doc = nlohmann::json::parse(s.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("dtrust_prepared", 0) != 1 ||
      !doc["gun"].is_string() || !doc["role"].is_string() || !doc["metadata"].is_string()) {
    return usage(path + ": not a file written by dtrust publish --prepare");
  }
  return Prepared{doc["gun"], doc["role"], doc["metadata"]};
}

tuf::Status write_prepared(const std::string& path, const Prepared& p) {
  const nlohmann::json doc = {
      {"dtrust_prepared", 1}, {"gun", p.gun}, {"role", p.role}, {"metadata", p.metadata}};
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << doc.dump() << "\n";
    if (!f.flush()) return tuf::Error{tuf::ErrorKind::kIo, "", "", "cannot write " + tmp};
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec)
    return tuf::Error{tuf::ErrorKind::kIo, "", "", "cannot write " + path + ": " + ec.message()};
  return tuf::Status();
}

tuf::Result<Signers> signers_of(notary::Repository& repo, const std::string& role) {
  Signers out;
  if (role == "targets") {
    const tuf::Root& root = repo.set().root().signed_;
    const auto it = root.roles.find("targets");
    if (it == root.roles.end()) return usage("root lists no targets role");
    out.keys = root.keys;
    out.keyids = it->second.keyids;
    out.threshold = it->second.threshold;
    return out;
  }
  // Walks the whole tree, so that nested delegations are declared by loaded parents.
  if (auto walked = repo.resolver().delegations(); !walked.ok()) return walked.error();
  auto info = repo.set().delegation(role);
  const auto* parent = info ? repo.set().targets(info->parent) : nullptr;
  if (!info || parent == nullptr) {
    return tuf::Error{tuf::ErrorKind::kNotFound, repo.gun(), role, "no such delegation"};
  }
  out.keys = parent->signed_.delegations.keys;
  out.keyids = info->keyids;
  out.threshold = info->threshold;
  return out;
}

// Distinct keys of `signers` with a valid signature on the role file (the engine's count).
tuf::Result<int64_t> valid_signatures(const Prepared& p, const Signers& signers) {
  DTRUST_ASSIGN_OR_RETURN(auto parsed, tuf::parse_targets(p.metadata, p.role));
  return tuf::count_valid_signatures(parsed.canonical, parsed.signatures, signers.keys,
                                     signers.keyids);
}

std::string count_text(int64_t count, const Signers& signers) {
  return std::to_string(count) + " of " + std::to_string(signers.threshold) +
         " required signatures";
}

int fail(Io& io, const std::string& line) {
  io.err << line << "\n";
  return kExitFailure;
}

// Opens a session and syncs; prints the error and returns nullopt on failure.
struct Synced {
  std::unique_ptr<PublishSession> session;
  std::unique_ptr<notary::Repository> repo;
};
std::optional<Synced> open_synced(const ParsedArgs& args, const std::string& gun, Io& io) {
  auto server = server_of(args, io);
  if (!server) return std::nullopt;
  auto session = PublishSession::open(*server, gun, io, trustcache::PassphraseEnv::kNotary);
  if (!session.ok()) {
    fail(io, session.error().message());
    return std::nullopt;
  }
  auto repo = (*session)->sync();
  if (!repo.ok()) {
    fail(io, notary_publish_error_text(gun, repo.error()));
    return std::nullopt;
  }
  return Synced{std::move(*session), std::move(*repo)};
}

int run_cosign(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  const std::string& path = args.positionals[1];
  auto prepared = read_prepared(path);
  if (!prepared.ok()) return fail(io, prepared.error().detail);
  if (prepared->gun != gun) return fail(io, path + " is for " + prepared->gun + ", not " + gun);
  auto synced = open_synced(args, gun, io);
  if (!synced) return kExitFailure;
  auto signers = signers_of(*synced->repo, prepared->role);
  if (!signers.ok()) return fail(io, signers.error().message());
  notary::PublishContext& ctx = synced->session->ctx();
  auto keys = notary::signing_keys_for(*ctx.keys, *ctx.passphrases, prepared->role, signers->keys,
                                       signers->keyids);
  if (!keys.ok()) return fail(io, notary_publish_error_text(gun, keys.error(), prepared->role));
  auto before = valid_signatures(*prepared, *signers);
  auto signed_bytes = notary::sign_role_file(prepared->metadata, prepared->role, *keys);
  if (!before.ok() || !signed_bytes.ok()) {
    return fail(io, (before.ok() ? signed_bytes.error() : before.error()).message());
  }
  prepared->metadata = *signed_bytes;
  auto after = valid_signatures(*prepared, *signers);
  if (!after.ok()) return fail(io, after.error().message());
  if (auto written = write_prepared(path, *prepared); !written.ok())
    return fail(io, written.error().detail);
  io.out << (*after == *before ? "Already signed by these keys: " : "Signed: ") << prepared->role
         << " of " << gun << " now has " << count_text(*after, *signers) << ".\n";
  return kExitOk;
}

// After a successful upload: drops the staged changes of the uploaded roles (they are what the
// preparer applied, or identical no-ops), keeping changes to other roles.
void clear_uploaded_changes(const notary::PublishContext& ctx,
                            const std::vector<notary::RoleFile>& uploads) {
  const notary::Changelist changes(ctx.trust_dir, ctx.gun);
  auto staged = changes.list();
  if (!staged.ok()) return;
  for (const notary::Change& c : *staged) {
    const bool uploaded = std::any_of(uploads.begin(), uploads.end(),
                                      [&](const notary::RoleFile& f) { return f.role == c.role; });
    std::error_code ignored;
    if (uploaded && !c.file.empty()) std::filesystem::remove(changes.dir() / c.file, ignored);
  }
}

}  // namespace

int publish_prepare(const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  const std::string role = *args.value("prepare");
  const auto output = args.value("output");
  if (!output || output->empty()) return fail(io, "--prepare needs -o FILE");
  if (args.flag("allow-under-threshold")) return fail(io, "--allow-under-threshold needs --signed");
  auto synced = open_synced(args, gun, io);
  if (!synced) return kExitFailure;
  auto signers = signers_of(*synced->repo, role);
  if (!signers.ok()) return fail(io, signers.error().message());
  auto file = notary::prepare_role(synced->session->ctx(), role);
  if (!file.ok()) return fail(io, notary_publish_error_text(gun, file.error(), role));
  Prepared prepared{gun, role, file->bytes};
  auto count = valid_signatures(prepared, *signers);
  if (!count.ok()) return fail(io, count.error().message());
  if (auto written = write_prepared(*output, prepared); !written.ok())
    return fail(io, written.error().detail);
  io.out << "Prepared " << role << " of " << gun << " in " << *output << ": "
         << count_text(*count, *signers) << ".\n";
  if (*count < signers->threshold) {
    io.out << "Other key holders: dtrust cosign " << gun << " " << *output
           << "; then: dtrust publish " << gun << " --signed " << *output << "\n";
  }
  return kExitOk;
}

int publish_signed(const ParsedArgs& args, Io& io) {
  const std::string& gun = args.positionals[0];
  if (args.value("output")) return fail(io, "--output needs --prepare");
  std::vector<Prepared> files;
  for (const std::string& path : args.all("signed")) {
    auto prepared = read_prepared(path);
    if (!prepared.ok()) return fail(io, prepared.error().detail);
    if (prepared->gun != gun) return fail(io, path + " is for " + prepared->gun + ", not " + gun);
    files.push_back(std::move(*prepared));
  }
  auto synced = open_synced(args, gun, io);
  if (!synced) return kExitFailure;
  std::vector<notary::RoleFile> uploads;
  for (const Prepared& p : files) {
    auto signers = signers_of(*synced->repo, p.role);
    if (!signers.ok()) return fail(io, signers.error().message());
    auto count = valid_signatures(p, *signers);
    if (!count.ok()) return fail(io, count.error().message());
    if (*count < signers->threshold && !args.flag("allow-under-threshold")) {
      return fail(io, gun + ": " + p.role + ": " + count_text(*count, *signers) +
                          " (threshold not met); run dtrust cosign with another key holder");
    }
    uploads.push_back(notary::RoleFile{p.role, p.metadata});
  }
  io.out << "Pushing changes to " << gun << "\n";
  io.out.flush();
  auto published = notary::publish_prepared(synced->session->ctx(), uploads);
  if (!published.ok()) return fail(io, notary_publish_error_text(gun, published.error()));
  clear_uploaded_changes(synced->session->ctx(), uploads);
  io.out << "Successfully published changes for repository " << gun << "\n";
  return kExitOk;
}

Command cosign_command() {
  std::vector<FlagSpec> flags = server_flags();
  return Command{
      .name = "cosign",
      .synopsis = "[OPTIONS] GUN FILE",
      .summary = "Add your signatures to a role prepared with publish --prepare (k-of-n)",
      .details =
          "Signs FILE in place with every key of its role held in the trust directory\n"
          "and prints how many of the required signatures it now has. Upload it with\n"
          "`dtrust publish GUN --signed FILE`.",
      .flags = std::move(flags),
      .min_args = 2,
      .max_args = 2,
      .run = run_cosign,
  };
}

}  // namespace cli
