// The publish workflow (spec notary-v1-protocol.md 7.2, 7.3): sync or initialise, apply the
// changelist, sign, one multipart POST, bounded retry on a version conflict.
#include <algorithm>

#include "notary/publisher.h"

namespace notary {
namespace {

using tuf::ErrorKind;

// The repository as the server has it now (or as initialised), ready to be changed.
struct Current {
  // The verified state the changes apply to (not set for a repository made by this publish);
  // recorded in the trust cache once the upload succeeded.
  std::unique_ptr<Repository> synced;
  bool initial = false;
  tuf::Root root;
  std::string root_bytes;
  RoleModels models;
  std::map<std::string, std::string> raw;  // targets roles -> current wire bytes
  std::optional<tuf::Snapshot> snapshot;
  KeyPreload* preload = nullptr;  // keys decrypted ahead of need, when publish started some
};

tuf::Result<std::string> new_passphrase(PublishContext& ctx, const tuf::crypto::PrivateKey& key,
                                        std::string_view role) {
  return ctx.passphrases->get(trustcache::canonical_key_id(key), role, /*create_new=*/true, 0);
}

// A new ECDSA P-256 key, stored encrypted under `role` (and the GUN for base roles).
tuf::Result<tuf::crypto::PrivateKey> new_stored_key(PublishContext& ctx, std::string_view role) {
  auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  DTRUST_ASSIGN_OR_RETURN(std::string passphrase, new_passphrase(ctx, key, role));
  const std::string_view gun = trustcache::role_has_gun(role) ? std::string_view(ctx.gun) : "";
  DTRUST_TRY(ctx.keys->store(key, role, gun, passphrase));
  return key;
}

// Docker and notary reuse the local root key whose ID sorts first.
tuf::Result<std::optional<tuf::crypto::PrivateKey>> existing_root_key(PublishContext& ctx) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<trustcache::KeyFileInfo> files, ctx.keys->list());
  std::optional<std::string> lowest;
  for (const auto& f : files) {
    if (f.role == tuf::kRootRole && (!lowest || f.id < *lowest)) lowest = f.id;
  }
  if (!lowest) return std::optional<tuf::crypto::PrivateKey>();
  DTRUST_ASSIGN_OR_RETURN(trustcache::LoadedKey loaded, ctx.keys->load(*lowest, *ctx.passphrases));
  return std::optional<tuf::crypto::PrivateKey>(std::move(loaded.key));
}

tuf::Error no_trust_data(PublishContext& ctx) {
  return tuf::Error{ErrorKind::kNotFound, ctx.gun, "",
                    ctx.remote->server_host_port() + " does not have trust data for " + ctx.gun};
}

// Step 1: the current state in write mode, every delegated role loaded; or, when the server
// has no repository and `init` allows it, the initialised one (made once per publish).
tuf::Result<Current> load_current(PublishContext& ctx, const std::optional<InitOptions>& init,
                                  std::optional<InitializedRepo>& initialized) {
  auto synced = Repository::sync(ctx.remote, *ctx.store, ctx.gun, ctx.sync);
  if (!synced.ok()) {
    if (synced.error().kind != ErrorKind::kNotFound) return synced.error();
    auto root = ctx.remote->get_role(tuf::kRootRole, kMaxUnknownSizeBytes);
    if (root.ok() || root.error().kind != ErrorKind::kNotFound) return synced.error();
    if (!init) return no_trust_data(ctx);
    if (!initialized) {
      DTRUST_ASSIGN_OR_RETURN(InitializedRepo made, initialize(ctx, *init));
      initialized = std::move(made);
    }
    Current c;
    c.initial = true;
    c.root = initialized->root;
    c.root_bytes = initialized->root_bytes;
    c.models.roles[std::string(tuf::kTargetsRole)] = initialized->targets;
    c.models.changed.insert(std::string(tuf::kTargetsRole));  // spec 7.2 step 4
    return c;
  }
  Repository& repo = **synced;
  auto walked = repo.resolver().delegations();
  if (!walked.ok()) return walked.error().with_context(ctx.gun, "");
  const tuf::TrustedSet& set = repo.set();
  Current c;
  c.root = set.root().signed_;
  c.root_bytes = set.root().raw;
  c.snapshot = set.snapshot()->signed_;
  for (const std::string& role : set.loaded_roles()) {
    const tuf::Signed<tuf::Targets>* t = set.targets(role);
    if (t == nullptr) continue;
    c.models.roles[role] = t->signed_;
    c.raw[role] = t->raw;
  }
  for (const auto& [role, meta] : c.snapshot->meta) {
    if (role.starts_with("targets") && c.models.roles.count(role) == 0)
      c.models.unavailable.insert(role);
  }
  c.synced = std::move(synced).value();
  return c;
}

// The keys that sign `role` as the current models (or root) define it.
tuf::Result<std::vector<tuf::SigningKey>> keys_for_role(PublishContext& ctx, const Current& c,
                                                        const std::string& role) {
  if (role == tuf::kTargetsRole || role == tuf::kRootRole || role == tuf::kSnapshotRole) {
    auto r = c.root.roles.find(role);
    if (r == c.root.roles.end())
      return tuf::make_error(ErrorKind::kMalformed, role, "root does not define the role");
    return signing_keys_for(*ctx.keys, *ctx.passphrases, role, c.root.keys, r->second.keyids,
                            c.preload);
  }
  auto parent = c.models.roles.find(tuf::parent_role(role));
  if (parent != c.models.roles.end()) {
    for (const auto& entry : parent->second.delegations.roles) {
      if (entry.name == role) {
        return signing_keys_for(*ctx.keys, *ctx.passphrases, role, parent->second.delegations.keys,
                                entry.keyids);
      }
    }
  }
  return tuf::make_error(ErrorKind::kNotFound, role, "no parent role declares it");
}

// The threshold the current models (or root) set for `role`; 1 when nothing declares it (the
// signing step reports that).
int64_t role_threshold(const Current& c, const std::string& role) {
  if (role == tuf::kTargetsRole) {
    auto r = c.root.roles.find(role);
    return r == c.root.roles.end() ? 1 : r->second.threshold;
  }
  auto parent = c.models.roles.find(tuf::parent_role(role));
  if (parent == c.models.roles.end()) return 1;
  for (const auto& entry : parent->second.delegations.roles) {
    if (entry.name == role) return entry.threshold;
  }
  return 1;
}

// Spec 7.2 step 4: version + 1, expires now + 3y, every held key of the role. With
// `require_threshold`, holding fewer keys than the role's threshold is refused before anything
// is uploaded (the server would reject the role, and readers skip it); k-of-n signing goes
// through prepare_role instead.
tuf::Result<std::string> sign_targets_role(PublishContext& ctx, Current& c, const std::string& role,
                                           bool require_threshold) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<tuf::SigningKey> keys, keys_for_role(ctx, c, role));
  const int64_t threshold = role_threshold(c, role);
  if (require_threshold && static_cast<int64_t>(keys.size()) < threshold) {
    return tuf::make_error(ErrorKind::kThresholdNotMet, role,
                           "holds " + std::to_string(keys.size()) + " of the " +
                               std::to_string(threshold) +
                               " signing keys the role needs; sign it with dtrust publish "
                               "--prepare and dtrust cosign");
  }
  tuf::Targets model = c.models.roles.at(role);
  tuf::bump(&model, ctx.sync.now);
  std::string bytes = tuf::sign_role(model, keys);
  c.raw[role] = bytes;
  return bytes;
}

// Spec 7.2 steps 3 and 5 on top of the role files already in `files`: root when initial or
// near expiry; the snapshot when its key is held here (otherwise the server makes it).
tuf::Status add_root_and_snapshot(PublishContext& ctx, Current& c,
                                  std::map<std::string, std::string>& files) {
  if (c.initial) {
    files[std::string(tuf::kRootRole)] = c.root_bytes;
  } else if (c.root.expires.instant.seconds - ctx.sync.now.seconds < tuf::kNearExpirySeconds) {
    DTRUST_ASSIGN_OR_RETURN(std::vector<tuf::SigningKey> keys,
                            keys_for_role(ctx, c, std::string(tuf::kRootRole)));
    tuf::bump(&c.root, ctx.sync.now);
    c.root_bytes = tuf::sign_role(c.root, keys);
    files[std::string(tuf::kRootRole)] = c.root_bytes;
  }
  auto keys = keys_for_role(ctx, c, std::string(tuf::kSnapshotRole));
  if (!keys.ok()) {
    if (keys.error().kind == ErrorKind::kKeyNotFound) return {};  // server-managed snapshot
    return keys.error().with_context(ctx.gun, "");
  }
  tuf::Snapshot snapshot;
  snapshot.version = 0;
  if (c.snapshot) snapshot = *c.snapshot;
  for (const auto& role : c.models.deleted) snapshot.meta.erase(role);
  snapshot.meta[std::string(tuf::kRootRole)] = tuf::file_meta_for(c.root_bytes);
  for (const auto& [role, bytes] : c.raw) snapshot.meta[role] = tuf::file_meta_for(bytes);
  tuf::bump(&snapshot, ctx.sync.now);
  files[std::string(tuf::kSnapshotRole)] = tuf::sign_role(snapshot, *keys);
  return {};
}

// After a successful upload: the state the changes were applied to was verified, so the trust
// cache keeps it (root, timestamp, snapshot, every targets role, versions), with the snapshot
// and targets files just uploaded beside it. The next publish or read then needs no root
// download and verifies the cached root while the timestamp downloads; the files this upload
// made are not downloaded again when the server's new timestamp and snapshot name them (and
// are verified then, like any download). Root is left out: it is never fetched by hash.
// Best effort: the upload already succeeded, and a cache that cannot be written only costs the
// next command downloads (and reports itself at its next read).
void record_synced_state(Current& c, const std::map<std::string, std::string>& files) {
  if (!c.synced) return;
  std::map<std::string, std::string_view> uploaded;
  for (const auto& [role, bytes] : files) {
    if (role != tuf::kRootRole) uploaded.emplace(role, bytes);
  }
  (void)c.synced->commit(/*build_index=*/false, uploaded);
}

// One POST of `files`; the result lists what was sent.
tuf::Result<PublishResult> upload(PublishContext& ctx,
                                  const std::map<std::string, std::string>& files,
                                  const PublishOptions& options, int attempt, bool initial) {
  if (options.before_upload) options.before_upload(attempt);
  std::vector<RoleFile> parts;
  PublishResult result;
  for (const auto& [role, bytes] : files) {
    parts.push_back(RoleFile{role, bytes});
    result.roles.push_back(role);
  }
  DTRUST_TRY(ctx.remote->publish(parts));
  result.initialized = initial;
  result.attempts = attempt;
  return result;
}

}  // namespace

tuf::Result<InitializedRepo> initialize(PublishContext& ctx, const InitOptions& options) {
  const tuf::Time now = ctx.sync.now;
  // Server keys first: a network failure must not leave new keys behind.
  DTRUST_ASSIGN_OR_RETURN(tuf::PublicKey timestamp_key,
                          ctx.remote->get_server_key(tuf::kTimestampRole));
  std::optional<tuf::PublicKey> snapshot_key;
  if (options.snapshot == SnapshotKeyMode::kServer) {
    DTRUST_ASSIGN_OR_RETURN(snapshot_key, ctx.remote->get_server_key(tuf::kSnapshotRole));
  }
  DTRUST_ASSIGN_OR_RETURN(std::optional<tuf::crypto::PrivateKey> root_key, existing_root_key(ctx));
  if (!root_key) {
    DTRUST_ASSIGN_OR_RETURN(root_key, new_stored_key(ctx, tuf::kRootRole));
  }
  auto cert_key = tuf::make_root_certificate_key(*root_key, ctx.gun, now);
  if (!cert_key.ok()) return cert_key.error().with_context(ctx.gun, tuf::kRootRole);
  DTRUST_ASSIGN_OR_RETURN(tuf::crypto::PrivateKey targets_key,
                          new_stored_key(ctx, tuf::kTargetsRole));
  if (!snapshot_key) {
    DTRUST_ASSIGN_OR_RETURN(tuf::crypto::PrivateKey local, new_stored_key(ctx, tuf::kSnapshotRole));
    snapshot_key = tuf::public_key_of(local);
  }
  InitializedRepo repo;
  repo.root =
      tuf::new_root(*cert_key, tuf::public_key_of(targets_key), *snapshot_key, timestamp_key, now);
  repo.root_bytes = tuf::sign_role(repo.root, {tuf::SigningKey{cert_key->id(), *root_key}});
  repo.targets = tuf::new_targets(now);
  return repo;
}

tuf::Result<PublishResult> publish(PublishContext& ctx, const PublishOptions& options) {
  // The timestamp downloads while the changelist and the cached root are read and verified.
  ctx.remote->prefetch_role(tuf::kTimestampRole, kMaxTimestampBytes);
  const PrefetchScope prefetch(ctx.remote, tuf::kTimestampRole);
  Changelist changelist(ctx.trust_dir, ctx.gun);
  DTRUST_ASSIGN_OR_RETURN(std::vector<Change> changes, changelist.list());
  changes.insert(changes.end(), options.unstaged.begin(), options.unstaged.end());
  // ...and, when there is something to sign, the keys that sign targets and snapshot decrypt
  // (key derivation is most of a publish's own CPU time) if their passphrases need no prompt.
  // On two CPUs or fewer they would take a CPU from the download's TLS set-up (OpenSSL 3 builds
  // its context in about 2 ms of CPU), which the whole publish waits for: they start once the
  // context exists. A publish of 100 staged changes then took a median 15.8 instead of 16.9 ms
  // (60 interleaved runs each); with two busy processes beside it, no difference either way.
  std::optional<KeyPreload> preload;
  if (ctx.unattended_passphrases != nullptr && !changes.empty()) {
    std::optional<std::shared_future<void>> after_tls;
    if (usable_cpu_count() <= 2) after_tls = ctx.remote->tls_context_built();
    preload.emplace(*ctx.keys, *ctx.unattended_passphrases, ctx.gun, std::move(after_tls));
  }
  std::optional<InitializedRepo> initialized;
  const int attempts = std::max(1, options.max_attempts);
  for (int attempt = 1;; ++attempt) {
    DTRUST_ASSIGN_OR_RETURN(Current c, load_current(ctx, options.init, initialized));
    if (preload) c.preload = &*preload;
    auto applied = apply_changes(c.models, changes);
    if (!applied.ok()) return applied.error().with_context(ctx.gun, "");
    std::map<std::string, std::string> files;
    for (const std::string& role : c.models.changed) {
      auto bytes = sign_targets_role(ctx, c, role, /*require_threshold=*/true);
      if (!bytes.ok()) return bytes.error().with_context(ctx.gun, role);
      files[role] = std::move(bytes).value();
    }
    DTRUST_TRY(add_root_and_snapshot(ctx, c, files));
    if (files.empty()) {  // every change was already in effect
      DTRUST_TRY(changelist.clear());
      return PublishResult{};
    }
    auto result = upload(ctx, files, options, attempt, c.initial);
    if (result.ok()) {
      // Two independent writes: the trust cache on a helper, the changelist here.
      const BackgroundThread recorded([&c, &files] { record_synced_state(c, files); });
      DTRUST_TRY(changelist.clear());
      return result;
    }
    // Spec 1.4 step 5: someone published first. Re-sync and re-apply on top of their work.
    if (result.error().kind != ErrorKind::kConflict || attempt >= attempts) {
      return result.error().with_context(ctx.gun, "");
    }
  }
}

tuf::Result<RoleFile> prepare_role(PublishContext& ctx, std::string_view role) {
  Changelist changelist(ctx.trust_dir, ctx.gun);
  DTRUST_ASSIGN_OR_RETURN(std::vector<Change> changes, changelist.list());
  std::optional<InitializedRepo> none;
  DTRUST_ASSIGN_OR_RETURN(Current c, load_current(ctx, std::nullopt, none));
  auto applied = apply_changes(c.models, changes);
  if (!applied.ok()) return applied.error().with_context(ctx.gun, "");
  const std::string name(role);
  if (c.models.changed != std::set<std::string>{name} || !c.models.deleted.empty()) {
    return tuf::Error{ErrorKind::kUsage, ctx.gun, name,
                      "the staged changes must change exactly this role"};
  }
  auto bytes = sign_targets_role(ctx, c, name, /*require_threshold=*/false);
  if (!bytes.ok()) return bytes.error().with_context(ctx.gun, name);
  return RoleFile{name, std::move(bytes).value()};
}

tuf::Result<PublishResult> publish_prepared(PublishContext& ctx, const std::vector<RoleFile>& files,
                                            const PublishOptions& options) {
  std::optional<InitializedRepo> none;
  DTRUST_ASSIGN_OR_RETURN(Current c, load_current(ctx, std::nullopt, none));
  std::map<std::string, std::string> upload_files;
  for (const RoleFile& f : files) {
    auto parsed = tuf::parse_targets(f.bytes, f.role);
    if (!parsed.ok()) return parsed.error().with_context(ctx.gun, f.role);
    c.raw[f.role] = f.bytes;
    upload_files[f.role] = f.bytes;
  }
  DTRUST_TRY(add_root_and_snapshot(ctx, c, upload_files));
  auto result = upload(ctx, upload_files, options, 1, false);
  if (!result.ok()) return result.error().with_context(ctx.gun, "");
  return result;
}

}  // namespace notary
