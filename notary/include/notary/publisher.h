// Publishing (spec notary-v1-protocol.md 7): initialising a repository, applying staged
// changes to the typed TUF models, signing exactly as Go's notary does, and uploading all
// updated roles in one multipart POST, retried on a version conflict.
//
// Three layers, each usable on its own:
//   * apply_changes: pure. Changes -> new models, with notary's rules (apply_changes.cpp).
//   * signing_keys_for: which private keys of the key store sign a role (signing_keys.cpp).
//   * initialize / publish / prepare_role / publish_prepared: the workflow (publisher.cpp).
//
// The trust cache is written only after a successful upload, and only with the state the
// changes were applied to, which was verified like any read: the next read still downloads
// what this publish changed (spec 7.2 step 6), but not the root. Not thread-safe: one publish
// per GUN at a time.
#ifndef DTRUST_NOTARY_PUBLISHER_H_
#define DTRUST_NOTARY_PUBLISHER_H_

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "notary/background.h"
#include "notary/changelist.h"
#include "notary/remote.h"
#include "notary/repository.h"
#include "trustcache/key_store.h"
#include "trustcache/passphrase.h"
#include "trustcache/store.h"
#include "tuf/builder.h"
#include "tuf/metadata.h"

namespace notary {

// ---- Pure change application (apply_changes.cpp) ---------------------------------------------

// The targets roles of one GUN while changes are applied.
struct RoleModels {
  std::map<std::string, tuf::Targets> roles;  // "targets" and every delegated role with a file
  std::set<std::string> unavailable;  // published roles that could not be loaded: not editable
  std::set<std::string> changed;      // roles to re-sign
  std::set<std::string> deleted;      // delegated roles removed (dropped from the snapshot)
};

// Applies `changes` in order. Rules (notary's):
//   * a target goes into "targets" or a declared delegation whose paths (and its ancestors')
//     allow the name (kPathNotAllowed otherwise, kNotFound for an undeclared role); identical
//     meta is a no-op; the first target of a delegation without a file creates an empty model
//     of version 0 (the first signing makes it version 1);
//   * a delegation create/update adds keys (listed by TUF ID in the parent), removes keys by
//     canonical ID, clears/removes/adds paths in that order, sets the threshold (>= 1, at most
//     the number of keys; a new delegation gets 1); a delete drops the role, its subtree and keys
//     no other role uses. A delegation without keys is refused (kUsage);
//   * target names must be valid UTF-8 without control characters and `custom` must be safe to
//     canonicalise (spec 4.4): kUsage otherwise. Root ("role") and witness changes are kUsage.
// On error `models` may be partly changed: apply to a copy.
tuf::Status apply_changes(RoleModels& models, const std::vector<Change>& changes);

// Spec 4.4: a target name that Go can sign (valid UTF-8, no control characters, not empty).
tuf::Status check_target_name(std::string_view name);
// Spec 4.4: `custom` JSON that survives Go's raw embedding: canonical-izable, integers only, no
// `<` `>` `&`, no string escapes, no U+2028/U+2029. Returns its canonical form.
tuf::Result<std::string> check_custom(std::string_view custom_json);

// Whether `role`'s paths, and those of every ancestor up to "targets", allow `name`.
bool role_allows(const RoleModels& models, std::string_view role, std::string_view name);

// docker-trust-cli 3.5 ("signable roles" for sign, trusted push and revoke): without any
// delegation, ["targets"]; otherwise the direct children of `top` whose paths allow `tag` and
// that list a key whose canonical ID is in `held_key_ids`, in delegation order. None:
// kKeyNotFound "no valid signing keys for delegation roles".
tuf::Result<std::vector<std::string>> signable_roles(const tuf::Targets& top, std::string_view tag,
                                                     const std::set<std::string>& held_key_ids);

// ---- Signing keys (signing_keys.cpp) -----------------------------------------------------------

// Keys decrypted ahead of need on a helper thread, while a publish waits for the network: the
// store's keys for `gun` with role targets or snapshot (what a publish signs with), decrypted
// with `passphrases`, which must never prompt (the environment's). A key that does not decrypt
// is left out, and the publish's own load then reports it in the usual words. With
// `start_after`, the helper waits for it, but never longer than kMaxStartWait, before it
// reads the first key. Destruction waits for the helper.
class KeyPreload {
 public:
  static constexpr std::chrono::milliseconds kMaxStartWait{100};
  KeyPreload(const trustcache::KeyStore& store, trustcache::PassphraseProvider& passphrases,
             std::string gun, std::optional<std::shared_future<void>> start_after = std::nullopt);
  KeyPreload(const KeyPreload&) = delete;
  KeyPreload& operator=(const KeyPreload&) = delete;

  // The decrypted key with canonical ID `id` (waiting for the helper), or nullopt.
  std::optional<tuf::crypto::PrivateKey> take(std::string_view id);

 private:
  Background<std::map<std::string, tuf::crypto::PrivateKey, std::less<>>> pending_;
  std::optional<std::map<std::string, tuf::crypto::PrivateKey, std::less<>>> keys_;
};

// Every private key the store holds for `keyids` (TUF IDs, resolved through `keys`), found by
// canonical ID (spec 5.2) and taken from `preload` or decrypted with `passphrases`; each signs
// as its TUF ID.
// Errors: kKeyNotFound "could not find necessary signing keys, at least one of these keys must
// be available: <canonical ids>" when none is held; kBadPassphrase (or the provider's error)
// when a held key does not decrypt.
tuf::Result<std::vector<tuf::SigningKey>> signing_keys_for(
    const trustcache::KeyStore& store, trustcache::PassphraseProvider& passphrases,
    std::string_view role, const std::map<std::string, tuf::PublicKey>& keys,
    const std::vector<std::string>& keyids, KeyPreload* preload = nullptr);

// Adds signatures by `keys` to a signed targets role file (k-of-n signing), keeping the
// signatures already there; a key that already signed is not signed again. The result is the
// exact envelope Go would write. kMalformed if `bytes` is not a targets role named `role`.
tuf::Result<std::string> sign_role_file(std::string_view bytes, std::string_view role,
                                        const std::vector<tuf::SigningKey>& keys);

// ---- The workflow (publisher.cpp) -----------------------------------------------------------

// Who signs snapshots: the client (notary CLI default) or the server (Docker, always).
enum class SnapshotKeyMode { kLocal, kServer };

// Everything a publish talks to. All pointers are non-null and outlive the call.
struct PublishContext {
  Remote* remote = nullptr;
  // Read for the current state; written only after a successful upload (see above).
  trustcache::Store* store = nullptr;
  const trustcache::KeyStore* keys = nullptr;
  trustcache::PassphraseProvider* passphrases = nullptr;
  // Optional: passphrases that need no prompt (the environment's). When set and there are
  // changes to publish, publish decrypts the GUN's targets and snapshot keys with them on a
  // helper thread while it syncs.
  trustcache::PassphraseProvider* unattended_passphrases = nullptr;
  std::filesystem::path trust_dir;  // holds tuf/<GUN>/changelist
  std::string gun;
  SyncOptions sync;  // sync.now is also the signing time
};

struct InitOptions {
  SnapshotKeyMode snapshot = SnapshotKeyMode::kServer;
};

// A repository initialised locally (spec 7.3), not yet published.
struct InitializedRepo {
  tuf::Root root;          // version 1
  std::string root_bytes;  // signed by the root key
  tuf::Targets targets;    // version 1 (published as version 2, as notary does)
};

// Spec 7.3: fetches the server's timestamp key (and snapshot key when server-managed) first,
// then reuses the local root key with the lowest ID (or generates ECDSA P-256 and stores it,
// role root), makes the GUN's root certificate, generates and stores the targets key (and a
// local snapshot key). New keys are encrypted with a passphrase asked with create_new = true.
// Keys stay in the store even if the later publish fails (as with notary and docker).
tuf::Result<InitializedRepo> initialize(PublishContext& ctx, const InitOptions& options);

struct PublishOptions {
  // When set, a repository the server does not have is initialised and published; when not,
  // that is kNotFound.
  std::optional<InitOptions> init;
  int max_attempts = 3;  // POSTs tried when the server answers 400 VERSION (kConflict)
  // Changes applied after the changelist's, as if staged last, but never written to it: a
  // one-shot `add -p` then costs no change files. On failure the caller decides whether to
  // stage them.
  std::vector<Change> unstaged;
  // Called right before each POST with the attempt number (1-based); tests use it to let
  // another client publish in between.
  std::function<void(int attempt)> before_upload;
};

struct PublishResult {
  bool initialized = false;        // this publish created the repository
  std::vector<std::string> roles;  // roles uploaded by the successful POST (sorted)
  int attempts = 0;                // POSTs made (0: nothing to publish)
};

// Spec 7.2: sync (or initialise), apply the changelist, re-sign every changed role (version+1,
// now+3y, every held key), root when it expires within 6 months, the snapshot when its key is
// held; one POST; on kConflict re-sync and re-apply, at most max_attempts POSTs. A changed
// role whose threshold exceeds the keys held here is kThresholdNotMet before any upload (use
// prepare_role for k-of-n). Success clears
// the changelist. On any error nothing local changes (changelist, key store, trust cache),
// except keys made by initialize.
tuf::Result<PublishResult> publish(PublishContext& ctx, const PublishOptions& options = {});

// k-of-n step 1 (holder A): syncs, applies the changelist and signs only `role` -- which must be
// the only role the changes touch (kUsage otherwise) -- with the keys held here. Returns the
// role file to hand to the other key holders (sign_role_file) and then to publish_prepared.
// The changelist is left as is.
tuf::Result<RoleFile> prepare_role(PublishContext& ctx, std::string_view role);

// k-of-n step 3 (anyone): syncs and uploads role files that already carry their signatures,
// together with a new snapshot when the snapshot key is held here. No retry: a kConflict means
// the files must be prepared again. The caller clears its changelist on success.
tuf::Result<PublishResult> publish_prepared(PublishContext& ctx, const std::vector<RoleFile>& files,
                                            const PublishOptions& options = {});

}  // namespace notary

#endif  // DTRUST_NOTARY_PUBLISHER_H_
