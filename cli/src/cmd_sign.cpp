// `dtrust sign [--local] IMAGE:TAG [--digest sha256:<hex> --size N]` and `dtrust revoke`
// (docker-trust-cli.md 1.2, 1.3, 3.4, 3.5). A released tag is re-signed with the same hashes
// and length. A new tag, a new repository or --local is signed with the digest and size the
// registry serves (sign_support.h), or with --digest/--size; a new repository is initialised
// with the registry user's signer first, as docker's first sign does.
#include <algorithm>
#include <ostream>
#include <set>

#include "command.h"
#include "docker_errors.h"
#include "notary/changelist.h"
#include "passphrase_prompt.h"
#include "publish_context.h"
#include "reference.h"
#include "sign_support.h"
#include "source_options.h"
#include "tuf/crypto.h"

namespace cli {
namespace {

// The canonical IDs of every private key in the store (spec 3.5: file names are key IDs).
std::set<std::string> held_key_ids(const trustcache::KeyStore& keys) {
  std::set<std::string> ids;
  auto list = keys.list();
  if (list.ok()) {
    for (const auto& info : *list) ids.insert(info.id);
  }
  return ids;
}

tuf::Result<tuf::FileMeta> meta_from_flags(const std::string& digest, const std::string& size) {
  auto usage = [](std::string why) { return tuf::make_error(tuf::ErrorKind::kUsage, "", why); };
  if (!digest.starts_with("sha256:") || digest.size() != 7 + 64) {
    return usage("invalid digest \"" + digest + "\": expected sha256:<64 hex digits>");
  }
  auto raw = tuf::crypto::from_hex(digest.substr(7));
  if (!raw.ok()) return usage("invalid digest \"" + digest + "\": expected sha256:<64 hex digits>");
  int64_t length = 0;
  try {
    size_t used = 0;
    length = std::stoll(size, &used);
    if (used != size.size() || length <= 0) throw std::invalid_argument(size);
  } catch (const std::exception&) {
    return usage("invalid size \"" + size + "\": expected a positive byte count");
  }
  tuf::FileMeta meta;
  meta.length = length;
  meta.hashes["sha256"] = *raw;
  return meta;
}

// docker prints a reference error's text alone (docker-trust-cli.md 0.2).
int report_reference_error(const tuf::Error& error, Io& io) {
  io.err << (error.detail.empty() ? error.message() : error.detail) << "\n";
  return kExitFailure;
}

// What one `sign` run is about.
struct SignJob {
  std::string arg;  // IMAGE:TAG as typed
  std::string gun;
  std::string tag;
  std::optional<tuf::FileMeta> given;  // --digest/--size
  bool local = false;                  // --local
  std::string failed() const { return "failed to sign " + gun + ":" + tag + ": "; }
};

// Stages `meta` for the tag in every role of `roles`, publishes (initialising a repository the
// server does not have, with the target in `targets` only: docker's trusted push, 3.4) and
// reports as docker does.
int publish_target(PublishSession& session, const SignJob& job,
                   const std::vector<std::string>& roles, const tuf::FileMeta& meta, Io& io) {
  io.out << "Signing and pushing trust metadata\n";
  notary::Changelist changes(session.ctx().trust_dir, job.gun);
  for (const std::string& role : roles) {
    auto added =
        changes.add(notary::target_change(notary::ChangeAction::kCreate, role, job.tag, meta));
    if (!added.ok()) {
      session.clear_changelist();
      io.err << job.failed() << added.error().message() << "\n";
      return kExitFailure;
    }
  }
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kServer};
  auto published = notary::publish(session.ctx(), options);
  session.clear_changelist();
  if (!published.ok()) {
    io.err << job.failed() << publish_error_text(published.error()) << "\n";
    return kExitFailure;
  }
  if (published->initialized) io.out << "Finished initializing \"" << job.gun << "\"\n";
  io.out << "Successfully signed " << job.gun << ":" << job.tag << "\n";
  return kExitOk;
}

// 1.2 step 6: the released target (first in BFS order in targets or targets/releases) signed
// again into every signable role. nullopt when the tag has no released target.
std::optional<int> resign_released(PublishSession& session, notary::Repository& repo,
                                   const SignJob& job, Io& io) {
  auto hits = repo.resolver().all(job.tag);
  if (!hits.ok()) {
    io.err << publish_error_text(hits.error()) << "\n";
    return kExitFailure;
  }
  auto released = std::find_if(hits->begin(), hits->end(), [](const tuf::TargetHit& h) {
    return h.role == "targets" || h.role == "targets/releases";
  });
  if (released == hits->end()) return std::nullopt;
  io.out << "Signing and pushing trust metadata for " << job.arg << "\n";
  std::set<std::string> signers;
  for (const tuf::TargetHit& h : *hits) {
    if (h.role.starts_with("targets/") && h.role != "targets/releases" &&
        h.sha256_hex() == released->sha256_hex()) {
      signers.insert(h.role.substr(8));
    }
  }
  auto roles = notary::signable_roles(repo.set().targets("targets")->signed_, job.tag,
                                      held_key_ids(*session.ctx().keys));
  if (!roles.ok()) {
    io.err << job.failed() << roles.error().detail << "\n";
    return kExitFailure;
  }
  io.out << "Existing signatures for tag " << job.tag << " digest " << released->sha256_hex()
         << " from:\n";
  bool first = true;
  for (const std::string& s : signers) io.out << (first ? "" : ", ") << s, first = false;
  io.out << "\n";
  notary::Changelist changes(session.ctx().trust_dir, job.gun);
  for (const std::string& role : *roles) {
    auto added = changes.add(
        notary::target_change(notary::ChangeAction::kCreate, role, job.tag, released->meta));
    if (!added.ok()) {
      session.clear_changelist();
      io.err << job.failed() << added.error().message() << "\n";
      return kExitFailure;
    }
  }
  auto published = notary::publish(session.ctx());
  session.clear_changelist();
  if (!published.ok()) {
    io.err << job.failed() << publish_error_text(published.error()) << "\n";
    return kExitFailure;
  }
  io.out << "Successfully signed " << job.gun << ":" << job.tag << "\n";
  return kExitOk;
}

// The target for a new tag, a new repository or --local: --digest/--size, else what the
// registry serves (where docker pushes through the daemon, 1.2 step 5). Nothing has been
// staged, generated or published when this fails.
std::optional<tuf::FileMeta> new_target(const ServerOptions& server, const SignJob& job, Io& io) {
  if (job.given) return job.given;
  auto meta = registry_target(server, job.gun, job.tag);
  if (!meta.ok()) {
    if (meta.error().kind == tuf::ErrorKind::kNotFound) {
      io.err << "no such manifest: " << job.gun << ":" << job.tag << " (the registry "
             << registry_host_of(job.gun) << " has no tag " << job.tag << ")\n";
    } else {
      io.err << job.failed()
             << "cannot read the manifest from the registry: " << meta.error().message();
      const std::string host = registry_host_of(job.gun);
      const bool loopback =
          host.starts_with("localhost") || host.starts_with("127.") || host.starts_with("[::1]");
      if (meta.error().kind == tuf::ErrorKind::kNetwork && loopback) {
        // docker's daemon would retry a loopback registry over plain http; dtrust does not.
        io.err << " (dtrust reads registries over https only; for a plain-http registry give "
                  "--digest and --size)";
      }
      io.err << "\n";
    }
    return std::nullopt;
  }
  io.err << "Signing and pushing trust data for " << job.arg
         << " as the registry serves it (sha256:" << tuf::crypto::to_hex(meta->hashes.at("sha256"))
         << ", " << meta->length << " bytes), may overwrite remote trust data\n";
  return *meta;
}

std::optional<int> read_sign_job(const ParsedArgs& args, Io& io, SignJob* job) {
  job->arg = args.positionals[0];
  auto ref = parse_image_reference(job->arg);
  if (!ref.ok()) return report_reference_error(ref.error(), io);
  if (!ref->tag) {
    io.err << (ref->digest ? "cannot use a digest reference for IMAGE:TAG"
                           : "no tag specified for " + job->arg)
           << "\n";
    return kExitFailure;
  }
  job->tag = *ref->tag;
  job->gun = ref->name();
  job->local = args.flag("local");
  const auto digest = args.value("digest");
  const auto size = args.value("size");
  if (digest.has_value() != size.has_value()) {
    io.err << "--digest and --size must be given together\n";
    return kExitFailure;
  }
  if (digest) {
    auto meta = meta_from_flags(*digest, *size);
    if (!meta.ok()) {
      io.err << meta.error().detail << "\n";
      return kExitFailure;
    }
    job->given = *meta;
  }
  return std::nullopt;
}

int run_sign(const Command&, const ParsedArgs& args, Io& io) {
  SignJob job;
  if (auto rc = read_sign_job(args, io, &job)) return *rc;
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return kExitFailure;
  }
  auto session = PublishSession::open(server, job.gun, io, trustcache::PassphraseEnv::kDocker);
  if (!session.ok()) {
    io.err << docker_notary_error(job.gun, session.error(), session.error().message()) << "\n";
    return kExitFailure;
  }
  (*session)->clear_changelist();
  auto repo = (*session)->sync();
  if (!repo.ok() && repo.error().kind != tuf::ErrorKind::kNotFound) {
    io.err << docker_notary_error(job.gun, repo.error(), publish_error_text(repo.error())) << "\n";
    return kExitFailure;
  }
  if (repo.ok() && !job.local && !job.given) {
    if (auto rc = resign_released(**session, **repo, job, io)) return *rc;
  }
  auto meta = new_target(server, job, io);
  if (!meta) return kExitFailure;
  if (!repo.ok()) {
    const std::string user = registry_login_user(server, job.gun);
    if (user.empty()) {
      io.err << "warning: nobody is logged in to " << registry_host_of(job.gun)
             << ": signing with the repository key alone, as a trusted docker push does\n";
      return publish_target(**session, job, {"targets"}, *meta, io);  // docker's trusted push
    }
    // 1.2 step 3: initialise with the user's signer, then sign into every signable role.
    auto initialized = initialize_with_signer(**session, user);
    if (!initialized.ok()) {
      const tuf::Error& e = initialized.error();
      io.err << docker_notary_error(job.gun, e, publish_error_text(e)) << "\n";
      return kExitFailure;
    }
    io.out << "Created signer: " << user << "\n"
           << "Finished initializing signed repository for " << job.arg << "\n";
    repo = (*session)->sync();
    if (!repo.ok()) {
      io.err << job.failed() << publish_error_text(repo.error()) << "\n";
      return kExitFailure;
    }
  }
  auto signable = notary::signable_roles((*repo)->set().targets("targets")->signed_, job.tag,
                                         held_key_ids(*(*session)->ctx().keys));
  if (!signable.ok()) {
    io.err << job.failed() << signable.error().detail << "\n";
    return kExitFailure;
  }
  return publish_target(**session, job, *signable, *meta, io);
}

// docker-trust-cli.md 1.3.
int run_revoke(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& arg = args.positionals[0];
  auto ref = parse_image_reference(arg);
  if (!ref.ok()) return report_reference_error(ref.error(), io);
  if (!ref->tag && ref->digest) {
    io.err << "cannot use a digest reference for IMAGE:TAG\n";
    return kExitFailure;
  }
  if (!ref->tag && !args.flag("yes") &&
      !confirm(io, "Confirm you would like to delete all signature data for " + arg + "?")) {
    return kExitOk;  // cancelled: nothing more is printed
  }
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return kExitFailure;
  }
  const std::string gun = ref->name();
  const std::string failed = "could not remove signature for " + arg + ": ";
  auto session = PublishSession::open(server, gun, io, trustcache::PassphraseEnv::kDocker);
  if (!session.ok()) {
    io.err << failed << session.error().message() << "\n";
    return kExitFailure;
  }
  (*session)->clear_changelist();
  auto repo = (*session)->sync();
  if (!repo.ok()) {
    io.err << failed << publish_error_text(repo.error()) << "\n";
    return kExitFailure;
  }
  std::vector<tuf::TargetHit> victims;
  if (ref->tag) {
    auto hit = (*repo)->resolver().find(*ref->tag, {"targets/releases", "targets"});
    if (!hit.ok() || !hit->has_value()) {
      io.err << failed
             << (hit.ok() ? "No valid trust data for " + *ref->tag
                          : publish_error_text(hit.error()))
             << "\n";
      return kExitFailure;
    }
    victims.push_back(**hit);
  } else {
    auto hits = (*repo)->resolver().all(std::nullopt);
    if (!hits.ok()) {
      io.err << failed << publish_error_text(hits.error()) << "\n";
      return kExitFailure;
    }
    std::set<std::string> seen;
    for (const tuf::TargetHit& h : *hits) {
      if (seen.insert(h.name).second) victims.push_back(h);
    }
    if (victims.empty()) {
      io.err << failed << "no signed tags to remove\n";
      return kExitFailure;
    }
  }
  const auto held = held_key_ids(*(*session)->ctx().keys);
  notary::Changelist changes((*session)->ctx().trust_dir, gun);
  for (const tuf::TargetHit& victim : victims) {
    auto roles =
        notary::signable_roles((*repo)->set().targets("targets")->signed_, victim.name, held);
    if (!roles.ok()) {
      io.err << failed << roles.error().detail << "\n";
      return kExitFailure;
    }
    for (const std::string& role : *roles) {
      auto added = changes.add(
          notary::target_change(notary::ChangeAction::kDelete, role, victim.name, victim.meta));
      if (!added.ok()) {
        (*session)->clear_changelist();
        io.err << failed << added.error().message() << "\n";
        return kExitFailure;
      }
    }
  }
  auto published = notary::publish((*session)->ctx());
  (*session)->clear_changelist();
  if (!published.ok()) {
    io.err << failed << publish_error_text(published.error()) << "\n";
    return kExitFailure;
  }
  io.out << "Successfully deleted signature for " << arg << "\n";
  return kExitOk;
}

}  // namespace

Command revoke_command() {
  return Command{
      .name = "revoke",
      .synopsis = "[OPTIONS] IMAGE[:TAG]",
      .summary = "Remove trust for an image (docker trust revoke)",
      .details =
          "Removes the tag (without a tag: every tag, after confirmation) from every role you\n"
          "hold a key for, as docker does, and publishes.",
      .flags = with_docker_server_flags({{"yes", 'y', "", "Do not prompt for confirmation"}}),
      .min_args = 1,
      .max_args = 1,
      .run = run_revoke,
  };
}

Command sign_command() {
  return Command{
      .name = "sign",
      .synopsis = "[OPTIONS] IMAGE:TAG",
      .summary = "Sign an image tag (docker trust sign)",
      .details =
          "Re-signs an existing released tag with the same digest into every role you hold a\n"
          "key for. A new tag (or any tag with --local) is signed as the registry serves it:\n"
          "dtrust asks https://<registry>/v2/<name>/manifests/<tag> for the digest and size\n"
          "(docker pushes through its daemon instead). --digest and --size sign that manifest\n"
          "without asking the registry. A new repository is initialised as docker does: with\n"
          "a registry login, the signer targets/<user> is created first.",
      .flags = with_docker_server_flags(
          {{"local", 0, "", "Sign the tag as the registry serves it, even if already signed"},
           {"digest", 0, "string", "Manifest digest to sign (sha256:<hex>); needs --size"},
           {"size", 0, "string", "Manifest size in bytes; needs --digest"}}),
      .min_args = 1,
      .max_args = 1,
      .run = run_sign,
  };
}

}  // namespace cli
