// Syncing one GUN with a Notary server into the trust cache (spec notary-v1-protocol.md 6):
// fetch -> verify with tuf/ -> commit to the cache in one batch, or commit nothing.
#ifndef DTRUST_NOTARY_REPOSITORY_H_
#define DTRUST_NOTARY_REPOSITORY_H_

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notary/remote.h"
#include "trustcache/store.h"
#include "tuf/resolve.h"
#include "tuf/trusted_set.h"

namespace notary {

struct SyncOptions {
  tuf::Time now;     // the reference time for every check
  tuf::RootPin pin;  // empty: trust on first use
  // Metadata folders that may hold a root.json the user already trusts for this GUN (docker's
  // `<trust dir>/tuf/<GUN>/metadata`, notary's `~/.notary/tuf/<GUN>/metadata`). Consulted only
  // when the trust cache has no root for the GUN.
  std::vector<std::filesystem::path> root_import_dirs;
};

// The answer of the tag index for the warm path.
enum class IndexKind { kLookup, kDct };

// A verified view of one GUN. Not thread-safe.
class Repository {
 public:
  ~Repository();
  // Verifies the GUN against `remote`, using cached bytes wherever the snapshot says they are
  // current (spec 6.4), recovering from a rotated root by walking <v>.root.json (spec 6.5).
  // With remote == nullptr everything comes from the cache (offline), which must verify and be
  // unexpired. Nothing is written to the cache here: call commit().
  static tuf::Result<std::unique_ptr<Repository>> sync(Remote* remote, trustcache::Store& store,
                                                       const std::string& gun,
                                                       const SyncOptions& options);

  tuf::TrustedSet& set() { return *set_; }
  tuf::Resolver& resolver() { return *resolver_; }
  const std::string& gun() const { return gun_; }
  // Warnings for the user ("using cached timestamp ...", skipped delegations).
  std::vector<std::string> warnings() const;
  // When the cached state used was last verified against a server (Unix seconds; 0 = never).
  int64_t cache_synced_at() const { return cache_synced_at_; }
  // Whether this view was verified against the server now (false: offline or fallback).
  bool fresh() const { return fresh_; }

  // Walks the whole delegation tree, then writes every verified role, the versions seen and
  // (with `build_index`, unless the cached index was built from this snapshot) the tag index
  // to the cache in one atomic batch. Bytes the cache already holds are not rewritten.
  // `uploaded` (role -> bytes, alive until this returns) are role files this machine has just
  // uploaded on top of this state: kept beside it, so that a later sync whose verified
  // timestamp or snapshot names their hash verifies them instead of downloading them
  // (trustcache/store.h).
  tuf::Status commit(bool build_index,
                     const std::map<std::string, std::string_view>& uploaded = {});

  // The warm path: verifies only the timestamp (one request) and answers `tag` from the tag
  // index when the index was built from the snapshot that timestamp names. nullopt = the
  // index cannot answer (stale or missing): do a full sync. A found-but-absent tag is an
  // answer (a TagLookup with kNotInIndex). Commits a new timestamp on success; with an unchanged
  // one only the cache's sync time is refreshed, and at most once a minute (no write at all
  // otherwise).
  // `open_store` is called once, on a helper thread that reads the cache while this one
  // downloads the timestamp; its error, or the cache's, is returned. When the index cannot
  // answer, a downloaded timestamp is offered to `remote` (Remote::offer_role), so the full
  // sync that follows on the same Remote does not download it again.
  static tuf::Result<std::optional<trustcache::TagLookup>> quick_lookup(
      Remote& remote, const std::function<tuf::Result<trustcache::Store*>()>& open_store,
      const std::string& gun, const std::string& tag, IndexKind kind, const SyncOptions& options);

 private:
  class Source;
  Repository() = default;
  // Timestamp (server, or the cached one on a transport failure), snapshot and targets on top
  // of `base`.
  tuf::Result<tuf::TrustedSet> load_top(Remote* remote, const tuf::TrustedSet& base);
  // Spec 6.5: the server's newest root on top of `base`, directly or via <v>.root.json.
  tuf::Result<tuf::TrustedSet> rotate_root(Remote& remote, const tuf::TrustedSet& base);

  std::string gun_;
  trustcache::Store* store_ = nullptr;
  SyncOptions options_;
  trustcache::GunState cached_;
  std::unique_ptr<tuf::TrustedSet> set_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<tuf::Resolver> resolver_;
  std::vector<std::string> warnings_;
  int64_t cache_synced_at_ = 0;
  bool fresh_ = false;
};

// The tag-index key for `tag` under `kind` (the index holds both notary lookup answers and
// Docker Content Trust answers).
std::string index_tag_key(IndexKind kind, const std::string& tag);

}  // namespace notary

#endif  // DTRUST_NOTARY_REPOSITORY_H_
