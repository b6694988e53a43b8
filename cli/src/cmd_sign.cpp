// `dtrust sign IMAGE:TAG [--digest sha256:<hex> --size N]` (docker-trust-cli.md 1.2 step 6, 3.5).
// Without --digest it re-signs an existing released tag with the same hashes and length. With
// --digest/--size it signs that manifest into every signable role, initialising the repository
// when needed. Looking the digest up in the registry (docker's push path) is not implemented.
#include <algorithm>
#include <ostream>
#include <set>

#include "command.h"
#include "notary/changelist.h"
#include "passphrase_prompt.h"
#include "publish_context.h"
#include "reference.h"
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

int run_sign(const Command&, const ParsedArgs& args, Io& io) {
  const std::string& arg = args.positionals[0];
  auto ref = parse_image_reference(arg);
  if (!ref.ok()) return report_reference_error(ref.error(), io);
  if (!ref->tag) {
    io.err << (ref->digest ? "cannot use a digest reference for IMAGE:TAG"
                           : "no tag specified for " + arg)
           << "\n";
    return kExitFailure;
  }
  const std::string tag = *ref->tag;
  const std::string gun = ref->name();
  const auto digest = args.value("digest");
  const auto size = args.value("size");
  if (digest.has_value() != size.has_value()) {
    io.err << "--digest and --size must be given together\n";
    return kExitFailure;
  }
  std::optional<tuf::FileMeta> given;
  if (digest) {
    auto meta = meta_from_flags(*digest, *size);
    if (!meta.ok()) {
      io.err << meta.error().detail << "\n";
      return kExitFailure;
    }
    given = *meta;
  }
  ServerOptions server;
  if (auto error = read_server_options(args, io, &server)) {
    io.err << error->message << "\n";
    return kExitFailure;
  }
  auto session = PublishSession::open(server, gun, io, trustcache::PassphraseEnv::kDocker);
  if (!session.ok()) {
    io.err << session.error().message() << "\n";
    return kExitFailure;
  }
  (*session)->clear_changelist();
  const std::string failed = "failed to sign " + gun + ":" + tag + ": ";
  auto repo = (*session)->sync();
  if (!repo.ok() && repo.error().kind != tuf::ErrorKind::kNotFound) {
    io.err << publish_error_text(repo.error()) << "\n";
    return kExitFailure;
  }
  std::vector<std::string> roles = {"targets"};  // a new repository has no delegations
  tuf::FileMeta meta;
  if (repo.ok()) {
    auto hits = (*repo)->resolver().all(tag);
    if (!hits.ok()) {
      io.err << publish_error_text(hits.error()) << "\n";
      return kExitFailure;
    }
    auto released = std::find_if(hits->begin(), hits->end(), [](const tuf::TargetHit& h) {
      return h.role == "targets" || h.role == "targets/releases";
    });
    if (!given && released == hits->end()) {
      io.err << "No valid trust data for " << tag
             << " (sign a new tag with --digest and --size; reading them from the registry is "
                "not implemented)\n";
      return kExitFailure;
    }
    meta = given ? *given : released->meta;
    if (!given) {
      io.out << "Signing and pushing trust metadata for " << arg << "\n";
      std::set<std::string> signers;
      for (const tuf::TargetHit& h : *hits) {
        if (h.role.starts_with("targets/") && h.role != "targets/releases" &&
            h.sha256_hex() == released->sha256_hex()) {
          signers.insert(h.role.substr(8));
        }
      }
      io.out << "Existing signatures for tag " << tag << " digest " << released->sha256_hex()
             << " from:\n";
      bool first = true;
      for (const std::string& s : signers) io.out << (first ? "" : ", ") << s, first = false;
      io.out << "\n";
    }
    auto signable = notary::signable_roles((*repo)->set().targets("targets")->signed_, tag,
                                           held_key_ids(*(*session)->ctx().keys));
    if (!signable.ok()) {
      io.err << failed << signable.error().detail << "\n";
      return kExitFailure;
    }
    roles = *signable;
  } else if (!given) {
    io.err << failed << gun
           << " has no trust data yet: give --digest and --size to sign a new tag (reading them "
              "from the registry is not implemented)\n";
    return kExitFailure;
  } else {
    meta = *given;
  }
  if (given) io.out << "Signing and pushing trust metadata\n";
  notary::Changelist changes((*session)->ctx().trust_dir, gun);
  for (const std::string& role : roles) {
    auto added = changes.add(notary::target_change(notary::ChangeAction::kCreate, role, tag, meta));
    if (!added.ok()) {
      io.err << failed << added.error().message() << "\n";
      return kExitFailure;
    }
  }
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kServer};
  auto published = notary::publish((*session)->ctx(), options);
  (*session)->clear_changelist();
  if (!published.ok()) {
    io.err << failed << publish_error_text(published.error()) << "\n";
    return kExitFailure;
  }
  io.out << "Successfully signed " << gun << ":" << tag << "\n";
  return kExitOk;
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
      .flags = {{"yes", 'y', "", "Do not prompt for confirmation"},
                {"server", 's', "string",
                 "Notary server URL (default: $DOCKER_CONTENT_TRUST_SERVER, else the registry)"},
                {"tlscacert", 0, "string", "Trust certs signed only by this CA"},
                {"trust-dir", 'd', "string", "Trust directory (default $DOCKER_CONFIG/trust)"}},
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
          "key for. With --digest and --size, signs that manifest instead (initialising the\n"
          "repository when needed). Reading the digest and size from the registry, as docker\n"
          "does for a new tag, is not implemented yet: pass them explicitly.",
      .flags = {{"digest", 0, "string", "Manifest digest to sign (sha256:<hex>); needs --size"},
                {"size", 0, "string", "Manifest size in bytes; needs --digest"},
                {"server", 's', "string",
                 "Notary server URL (default: $DOCKER_CONTENT_TRUST_SERVER, else the registry)"},
                {"tlscacert", 0, "string", "Trust certs signed only by this CA"},
                {"trust-dir", 'd', "string", "Trust directory (default $DOCKER_CONFIG/trust)"}},
      .min_args = 1,
      .max_args = 1,
      .run = run_sign,
  };
}

}  // namespace cli
