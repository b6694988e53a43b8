// The sync workflow (spec notary-v1-protocol.md 6.4, 6.5) over tuf::TrustedSet and the cache.
#include "notary/repository.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <memory>

#include "repository_internal.h"
#include "tuf/crypto.h"

namespace notary {
namespace internal {

std::string sha256_hex_of(const tuf::FileMeta& meta) {
  auto it = meta.hashes.find("sha256");
  return it == meta.hashes.end() ? std::string() : tuf::crypto::to_hex(it->second);
}

tuf::VersionFloors floors_from(const std::map<std::string, int64_t>& versions) {
  tuf::VersionFloors f;
  for (const auto& [role, v] : versions) {
    if (role == tuf::kRootRole)
      f.root = v;
    else if (role == tuf::kTimestampRole)
      f.timestamp = v;
    else if (role == tuf::kSnapshotRole)
      f.snapshot = v;
    else if (role == tuf::kTargetsRole)
      f.targets = v;
    else
      f.delegations[role] = v;
  }
  return f;
}

bool index_key_usable(const std::string& key, const std::string& snapshot_hex, tuf::Time now) {
  const auto slash = key.find('/');
  if (slash == std::string::npos || key.substr(0, slash) != snapshot_hex) return false;
  try {
    return std::stoll(key.substr(slash + 1)) > now.seconds;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace internal

namespace {

using internal::floors_from;
using internal::sha256_hex_of;
using tuf::ErrorKind;

std::optional<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxUnknownSizeBytes) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return std::nullopt;
  return bytes;
}

bool in_releases_subtree(std::string_view role) {
  return role == tuf::kReleasesRole ||
         (role.starts_with(tuf::kReleasesRole) && role.size() > tuf::kReleasesRole.size() &&
          role[tuf::kReleasesRole.size()] == '/');
}

// index_key = "<snapshot sha256 hex>/<earliest expiry, Unix seconds, of the roles the index
// was built from>": the index answers only for that snapshot and only until then.
std::string make_index_key(const std::string& snapshot_hex, int64_t earliest_expiry) {
  return snapshot_hex + "/" + std::to_string(earliest_expiry);
}

}  // namespace

std::string index_tag_key(IndexKind kind, const std::string& tag) {
  return (kind == IndexKind::kLookup ? "lookup/" : "dct/") + tag;
}

// Delegated roles (and snapshot/targets): cached bytes when the snapshot says they are
// current, otherwise the server by checksum (spec 6.4: cache first, then consistent name).
// "Cached bytes" are the verified ones, or the ones this machine last uploaded for the role:
// either is used only when its sha256 is the one the verified parent names, and is then
// verified by the TrustedSet exactly like a download.
class Repository::Source : public tuf::RoleSource {
 public:
  Source(Remote* remote, const trustcache::GunState* cached) : remote_(remote), cached_(cached) {}

  // Issue 3 ("fetched in parallel where independent"): starts downloading, on kPrefetchThreads
  // background threads, every delegated role the snapshot lists whose bytes the cache does not
  // hold. The whole tree is walked by commit() anyway; fetch_role() then takes the download it
  // finds here when the hash asked for is the one prefetched. Only the download is
  // parallel: every role is still verified in order by the TrustedSet.
  void prefetch(const std::map<std::string, tuf::FileMeta>& snapshot_meta) {
    if (remote_ == nullptr) return;
    std::vector<std::pair<std::string, tuf::FileMeta>> wanted;
    for (const auto& [role, meta] : snapshot_meta) {
      if (!role.starts_with("targets/") || prefetched_.count(role) != 0) continue;
      const std::string hex = sha256_hex_of(meta);
      if (hex.empty() || cached_bytes(role, hex) != nullptr) continue;
      wanted.emplace_back(role, meta);
    }
    if (wanted.empty()) return;
    auto queue = std::make_shared<std::vector<std::pair<std::string, tuf::FileMeta>>>(wanted);
    auto next = std::make_shared<std::atomic<std::size_t>>(0);
    auto results =
        std::make_shared<std::vector<std::promise<tuf::Result<std::string>>>>(queue->size());
    for (std::size_t i = 0; i < queue->size(); ++i) {
      prefetched_.emplace((*queue)[i].first,
                          Pending{sha256_hex_of((*queue)[i].second), (*results)[i].get_future()});
    }
    Remote* remote = remote_;
    const std::size_t threads = std::min(kPrefetchThreads, queue->size());
    for (std::size_t t = 0; t < threads; ++t) {
      workers_.push_back(std::async(std::launch::async, [remote, queue, next, results] {
        for (std::size_t i = (*next)++; i < queue->size(); i = (*next)++) {
          const auto& [role, meta] = (*queue)[i];
          const auto cap = static_cast<std::size_t>(std::max<int64_t>(meta.length, 0));
          (*results)[i].set_value(remote->get_role_by_hash(role, sha256_hex_of(meta), cap));
        }
      }));
    }
  }

  tuf::Result<std::string> fetch_role(std::string_view role, const tuf::FileMeta& meta) override {
    const std::string hex = sha256_hex_of(meta);
    if (!hex.empty()) {
      if (const std::string* bytes = cached_bytes(std::string(role), hex)) return *bytes;
    }
    if (remote_ == nullptr) {
      return tuf::make_error(ErrorKind::kNotFound, std::string(role),
                             "not in the trust cache (offline)");
    }
    if (auto it = prefetched_.find(std::string(role)); it != prefetched_.end()) {
      Pending pending = std::move(it->second);
      prefetched_.erase(it);
      if (pending.sha256_hex == hex) return pending.future.get();
    }
    const auto cap = static_cast<std::size_t>(std::max<int64_t>(meta.length, 0));
    if (hex.empty()) return remote_->get_role(role, cap);
    return remote_->get_role_by_hash(role, hex, cap);
  }

 private:
  static constexpr std::size_t kPrefetchThreads = 4;
  struct Pending {
    std::string sha256_hex;
    std::future<tuf::Result<std::string>> future;
  };

  // The role's verified bytes, else its uploaded ones, when their sha256 is `hex`; else null.
  const std::string* cached_bytes(const std::string& role, const std::string& hex) {
    for (const auto* held : {&cached_->roles, &cached_->uploaded}) {
      auto it = held->find(role);
      if (it != held->end() && sha256_hex_of_cached(it->second) == hex) return &it->second;
    }
    return nullptr;
  }

  // prefetch() and fetch_role() both ask about a delegation's cached bytes (a megabyte for a
  // large repository): each is hashed once. The cached state does not change during a sync.
  const std::string& sha256_hex_of_cached(const std::string& bytes) {
    auto [it, inserted] = cached_hex_.try_emplace(&bytes);
    if (inserted) it->second = tuf::crypto::to_hex(tuf::crypto::sha256(bytes));
    return it->second;
  }

  Remote* remote_;
  const trustcache::GunState* cached_;
  std::map<const std::string*, std::string> cached_hex_;  // cached bytes -> their sha256 hex
  std::map<std::string, Pending> prefetched_;
  // Declared last, destroyed first: std::async futures block until their download finished,
  // so no thread outlives the Remote it uses.
  std::vector<std::future<void>> workers_;
};

Repository::~Repository() = default;

tuf::Result<std::unique_ptr<Repository>> Repository::sync(Remote* remote, trustcache::Store& store,
                                                          const std::string& gun,
                                                          const SyncOptions& options) {
  auto repo = std::unique_ptr<Repository>(new Repository());
  repo->gun_ = gun;
  repo->store_ = &store;
  repo->options_ = options;
  auto state = store.load(gun);
  if (!state.ok()) return state.error().with_context(gun, "");
  repo->cached_ = std::move(state).value();
  repo->cache_synced_at_ = repo->cached_.synced_at_unix;
  repo->source_ = std::make_unique<Source>(remote, &repo->cached_);

  // Spec 6.2: which root is trusted. The cache's, else one the user's docker/notary already
  // trusts, else the server's on first use (subject to the pin).
  std::string root_bytes;
  if (auto it = repo->cached_.roles.find("root"); it != repo->cached_.roles.end()) {
    root_bytes = it->second;
  } else {
    for (const auto& dir : options.root_import_dirs) {
      if (auto bytes = read_small_file(dir / "root.json")) {
        root_bytes = std::move(*bytes);
        break;
      }
    }
  }
  if (root_bytes.empty()) {
    if (remote == nullptr) {
      return tuf::Error{ErrorKind::kNotFound, gun, "root", "no trust data in the trust cache"};
    }
    DTRUST_ASSIGN_OR_RETURN(root_bytes, remote->get_role("root", kMaxUnknownSizeBytes));
  }
  // The timestamp downloads while the root is verified (spec 6.4 step 1 needs the root only
  // to check it). Any auth challenge is known by now if the root came from the server.
  if (remote != nullptr) remote->prefetch_role("timestamp", kMaxTimestampBytes);
  const PrefetchScope prefetch(remote, "timestamp");  // unused when the root does not verify
  const tuf::VersionFloors floors = floors_from(repo->cached_.versions);
  DTRUST_ASSIGN_OR_RETURN(
      tuf::TrustedSet base,
      tuf::TrustedSet::create(gun, root_bytes, options.now, options.pin, floors));
  auto loaded = repo->load_top(remote, base);
  if (!loaded.ok() && remote != nullptr && !tuf::is_transport_error(loaded.error().kind) &&
      loaded.error().kind != ErrorKind::kRollback) {
    // Spec 6.5: a verification failure may mean the root rotated. Fetch the newest root,
    // follow <v>.root.json from ours if it is not signed by our keys, and retry once.
    auto rotated = repo->rotate_root(*remote, base);
    if (rotated.ok()) loaded = repo->load_top(remote, *rotated);
  }
  if (!loaded.ok()) return loaded.error();
  repo->set_ = std::make_unique<tuf::TrustedSet>(std::move(loaded).value());
  repo->resolver_ = std::make_unique<tuf::Resolver>(*repo->set_, *repo->source_);
  return repo;
}

tuf::Result<tuf::TrustedSet> Repository::load_top(Remote* remote, const tuf::TrustedSet& base) {
  tuf::TrustedSet set = base;
  auto cached_ts = cached_.roles.find("timestamp");
  std::string timestamp;
  fresh_ = false;
  if (remote != nullptr) {
    auto fetched = remote->get_role("timestamp", kMaxTimestampBytes);
    if (fetched.ok()) {
      timestamp = std::move(fetched).value();
      fresh_ = true;
    } else if (tuf::is_transport_error(fetched.error().kind) && cached_ts != cached_.roles.end()) {
      // Spec 6.4 step 1: fall back to the cached timestamp, which must still verify.
      warnings_.push_back("error while downloading remote metadata (" + fetched.error().detail +
                          "), using cached timestamp - this might not be the latest version");
      timestamp = cached_ts->second;
    } else {
      return fetched.error();
    }
  } else if (cached_ts != cached_.roles.end()) {
    timestamp = cached_ts->second;
  } else {
    return tuf::Error{ErrorKind::kNotFound, gun_, "timestamp", "not in the trust cache"};
  }
  DTRUST_TRY(set.update_timestamp(timestamp));
  const tuf::FileMeta& snapshot_meta = set.timestamp()->signed_.meta.at("snapshot");
  auto snapshot = source_->fetch_role(tuf::kSnapshotRole, snapshot_meta);
  if (!snapshot.ok()) return snapshot.error().with_context(gun_, tuf::kSnapshotRole);
  DTRUST_TRY(set.update_snapshot(*snapshot));
  source_->prefetch(set.snapshot()->signed_.meta);
  auto targets = source_->fetch_role(tuf::kTargetsRole, *set.snapshot_meta(tuf::kTargetsRole));
  if (!targets.ok()) return targets.error().with_context(gun_, tuf::kTargetsRole);
  DTRUST_TRY(set.update_targets(std::move(targets).value()));
  return set;
}

tuf::Result<tuf::TrustedSet> Repository::rotate_root(Remote& remote, const tuf::TrustedSet& base) {
  DTRUST_ASSIGN_OR_RETURN(std::string newest, remote.get_role("root", kMaxUnknownSizeBytes));
  tuf::TrustedSet set = base;
  tuf::Status direct = set.update_root(newest);
  if (direct.ok()) return set;
  if (direct.error().kind != ErrorKind::kThresholdNotMet &&
      direct.error().kind != ErrorKind::kBadSignature) {
    return direct.error();
  }
  auto parsed = tuf::parse_root(newest);  // only its version is used, to bound the walk
  if (!parsed.ok()) return parsed.error().with_context(gun_, "root");
  set = base;
  for (int64_t v = base.root().signed_.version + 1; v < parsed->signed_.version; ++v) {
    DTRUST_ASSIGN_OR_RETURN(std::string step, remote.get_root_version(v));
    DTRUST_TRY(set.update_root(step));
  }
  DTRUST_TRY(set.update_root(newest));
  return set;
}

std::vector<std::string> Repository::warnings() const {
  std::vector<std::string> out = warnings_;
  if (resolver_) {
    for (const auto& w : resolver_->warnings()) out.push_back(gun_ + ": " + w);
  }
  return out;
}

tuf::Status Repository::commit(bool build_index,
                               const std::map<std::string, std::string_view>& uploaded) {
  trustcache::Update update;
  update.gun = gun_;
  update.put_uploaded = uploaded;
  const tuf::TrustedSet& s = *set_;
  update.put_roles["root"] = s.root().raw;
  update.versions["root"] = s.root().signed_.version;
  update.put_roles["timestamp"] = s.timestamp()->raw;
  update.versions["timestamp"] = s.timestamp()->signed_.version;
  update.put_roles["snapshot"] = s.snapshot()->raw;
  update.versions["snapshot"] = s.snapshot()->signed_.version;
  int64_t earliest = s.snapshot()->signed_.expires.instant.seconds;
  // Every verified targets role, and the earliest expiry among them (bounds the index).
  auto record_targets_roles = [&] {
    for (const std::string& role : s.loaded_roles()) {
      const tuf::Signed<tuf::Targets>* t = s.targets(role);
      if (t == nullptr) continue;
      update.put_role_views[role] = t->raw;  // the set outlives the commit: no copy
      update.versions[role] = t->signed_.version;
      earliest = std::min(earliest, t->signed_.expires.instant.seconds);
    }
  };
  record_targets_roles();
  // Delegations the snapshot no longer lists are gone from the repository.
  for (const auto& [role, bytes] : cached_.roles) {
    if (role.starts_with("targets/") && s.snapshot_meta(role) == nullptr) {
      update.delete_roles.push_back(role);
    }
  }
  const std::string snapshot_hex = tuf::crypto::to_hex(tuf::crypto::sha256(s.snapshot()->raw));
  // An index built from this very snapshot is still right: do not walk and rewrite it.
  const bool index_current = cached_.index_key.starts_with(snapshot_hex + "/");
  if (!build_index || index_current) {
    // Load every delegation now so the cache holds them all: the next warm run of any command
    // then needs only the timestamp. delegations() walks and verifies the same roles as all()
    // without copying out every target.
    DTRUST_TRY(resolver_->delegations());
    record_targets_roles();
  } else {
    std::map<std::string, trustcache::TagEntry> index;
    std::map<std::string_view, bool> dct_from_releases;  // names are views into the set
    // Visited, not copied: all() would copy out every hit (20,000 for a docker-shaped
    // 10,000-tag repository) only to index them.
    DTRUST_TRY(resolver_->for_each_target(std::nullopt, [&](std::string_view role,
                                                            const std::string& name,
                                                            const tuf::FileMeta& meta) {
      auto sha = meta.hashes.find("sha256");
      const trustcache::TagEntry entry{
          std::string(role),
          sha == meta.hashes.end() ? std::string() : tuf::crypto::to_hex(sha->second), meta.length};
      index.emplace(index_tag_key(IndexKind::kLookup, name), entry);
      // DCT priority (docker-trust-cli.md 3.1): the releases subtree first, then the rest
      // of the tree in BFS order.
      const bool releases = in_releases_subtree(role);
      auto seen = dct_from_releases.find(name);
      if (seen == dct_from_releases.end() || (releases && !seen->second)) {
        index[index_tag_key(IndexKind::kDct, name)] = entry;
        dct_from_releases[name] = releases;
      }
    }));
    record_targets_roles();  // the walk may have loaded more roles
    update.tag_index = std::move(index);
    update.index_key = make_index_key(snapshot_hex, earliest);
  }
  // Bytes the cache already holds are not written again (a warm sync rewrites only the
  // timestamp).
  auto drop_unchanged = [&](auto& puts) {
    for (auto it = puts.begin(); it != puts.end();) {
      auto cached = cached_.roles.find(it->first);
      it = cached != cached_.roles.end() && cached->second == it->second ? puts.erase(it)
                                                                         : std::next(it);
    }
  };
  drop_unchanged(update.put_roles);
  drop_unchanged(update.put_role_views);
  if (fresh_) update.synced_at_unix = options_.now.seconds;
  tuf::Status committed = store_->commit(update);
  if (!committed.ok()) return committed.error().with_context(gun_, "");
  return {};
}

}  // namespace notary
