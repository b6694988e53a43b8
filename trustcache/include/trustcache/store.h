// The trust cache: what dtrust has verified, per GUN, kept between runs.
//
// A Store keeps bytes, not meaning. For each GUN it holds
//   * the exact bytes of every role as they were verified ("root", "timestamp", "snapshot",
//     "targets", "targets/<delegation>", ...),
//   * the highest version ever verified per role: rollback protection that survives restarts,
//     role deletion and erase(),
//   * a tag index (tag -> role, sha256, length) tagged with an opaque `index_key` saying what it
//     was built from, so that a warm look-up is a point read instead of parsing a large targets
//     file,
//   * the exact bytes of role files this machine uploaded ("uploaded"): not verified state, but
//     candidates a later sync may use instead of a download when a verified timestamp or
//     snapshot names their hash (and then verifies them like a download).
// There is no TUF logic here: callers verify first and commit afterwards, one atomic Update per
// sync. Role names, GUNs and tags are opaque byte strings (any byte, including "/", ".." and
// NUL); the encoding keeps every (GUN, role) pair apart from every other.
//
// Errors: a failure of the storage itself (unreadable, corrupt, locked) is ErrorKind::kCache
// and names the cache directory; an Update that breaks the rules below is kInternal (a caller
// bug) and leaves the cache exactly as it was.
//
// Thread-safety: every Store is safe to use from several threads at once.
#ifndef DTRUST_TRUSTCACHE_STORE_H_
#define DTRUST_TRUSTCACHE_STORE_H_

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tuf/result.h"

namespace trustcache {

// A resolved tag as the index remembers it.
struct TagEntry {
  std::string role;        // the targets role that signed it ("targets", "targets/releases")
  std::string sha256_hex;  // manifest digest, lower-case hex
  int64_t length = 0;      // manifest size in bytes

  friend bool operator==(const TagEntry&, const TagEntry&) = default;
};

// Everything cached for one GUN. An unknown GUN loads as an empty state.
struct GunState {
  // Role name -> exact verified bytes.
  std::map<std::string, std::string> roles;
  // Role name -> highest version ever verified (kept when the role is deleted or erased).
  std::map<std::string, int64_t> versions;
  // What the tag index was built from (opaque, e.g. the snapshot's sha256); "" = no index.
  std::string index_key;
  // When this state was last verified against a server, Unix seconds (0 = never).
  int64_t synced_at_unix = 0;
  // Role name -> bytes this machine uploaded for it (unverified; see the file comment).
  // Read by load() only.
  std::map<std::string, std::string> uploaded;
};

// One atomic commit: either all of it is applied or none of it.
//
// Rules (violations are kInternal and change nothing): `gun` is not empty; role names are not
// empty; no role is in two of put_roles, put_role_views and delete_roles; index_key is set exactly
// when tag_index is; tags are not empty.
struct Update {
  std::string gun;
  std::map<std::string, std::string> put_roles;  // role -> bytes, replacing what was there
  // Like put_roles, for bytes the caller keeps alive until commit() returns: a megabyte targets
  // file is then not copied into the update first. A role is in at most one of the two maps.
  std::map<std::string, std::string_view> put_role_views;
  std::vector<std::string> delete_roles;    // bytes removed; their versions are kept
  std::map<std::string, int64_t> versions;  // merged with max(): a version never goes down
  // When set: replaces the GUN's whole tag index (an empty map leaves an empty, current index).
  std::optional<std::map<std::string, TagEntry>> tag_index;
  std::string index_key;       // stored with tag_index
  int64_t synced_at_unix = 0;  // 0 = leave the stored time unchanged
  // Role -> bytes just uploaded for it, replacing the role's earlier upload; the caller keeps
  // them alive until commit() returns. A role this update stores or deletes without a new
  // upload loses its old one (the verified bytes supersede it).
  std::map<std::string, std::string_view> put_uploaded;
};

// The answer of the tag index.
struct TagLookup {
  enum class Outcome {
    kFound,       // the index is current and holds the tag: `entry` is set
    kNotInIndex,  // the index is current and does not hold the tag
    kIndexStale,  // no index, or one built from something else: parse the targets roles
  };
  Outcome outcome = Outcome::kIndexStale;
  TagEntry entry;
};

class Store {
 public:
  virtual ~Store() = default;

  // The state of one GUN (only that GUN's records are read). Unknown GUN -> empty state.
  virtual tuf::Result<GunState> load(std::string_view gun) = 0;

  // load(), but with the bytes of only the named roles (absent ones are simply missing);
  // versions, index_key and synced_at_unix are all read. The warm look-up needs the root and
  // the timestamp, not megabytes of targets. The default filters load(); backends read less,
  // and may skip their own block checksum for the role bytes: callers verify those by signature
  // or hash before use.
  virtual tuf::Result<GunState> load_roles(std::string_view gun,
                                           const std::vector<std::string>& roles) {
    DTRUST_ASSIGN_OR_RETURN(GunState state, load(gun));
    std::map<std::string, std::string> kept;
    for (const std::string& role : roles) {
      if (auto it = state.roles.find(role); it != state.roles.end()) {
        kept.emplace(role, std::move(it->second));
      }
    }
    state.roles = std::move(kept);
    return state;
  }

  // The warm look-up's single read: load_roles(gun, roles) and, from the same consistent view,
  // what lookup_tag(gun, tag, <that state's index_key>) answers (kIndexStale when the state has
  // no index). The answer is only meaningful once the caller has checked that the state's
  // index_key is the index it expects. The default makes two reads (lookup_tag then sees any
  // commit in between as a changed index key: kIndexStale); backends read once.
  virtual tuf::Result<std::pair<GunState, TagLookup>> load_roles_and_tag(
      std::string_view gun, const std::vector<std::string>& roles, std::string_view tag) {
    std::pair<GunState, TagLookup> out;
    DTRUST_ASSIGN_OR_RETURN(out.first, load_roles(gun, roles));
    if (!out.first.index_key.empty()) {
      DTRUST_ASSIGN_OR_RETURN(out.second, lookup_tag(gun, tag, out.first.index_key));
    }
    return out;
  }

  // Looks `tag` up in the GUN's index, which counts as current only if it was built from
  // `expected_index_key` (not empty). Two point reads of one consistent view; never scans
  // and never parses role bytes.
  virtual tuf::Result<TagLookup> lookup_tag(std::string_view gun, std::string_view tag,
                                            std::string_view expected_index_key) = 0;

  // Applies `update` atomically (one write batch). The batch is synced to disk before this
  // returns, except when all it changes is synced_at_unix (a lost sync time is harmless).
  virtual tuf::Status commit(const Update& update) = 0;

  // Removes the GUN's roles, uploads, index and sync time in one batch. Versions are kept, so a
  // later sync still refuses metadata older than what was once trusted.
  virtual tuf::Status erase(std::string_view gun) = 0;

  // Removes everything about the GUN, versions included: rollback protection for it is gone.
  virtual tuf::Status erase_including_versions(std::string_view gun) = 0;

  // Every GUN with any record, versions-only GUNs included, in byte order.
  virtual tuf::Result<std::vector<std::string>> list_guns() = 0;
};

// An in-memory Store with the same encoding and semantics as the LevelDB one (tests, dry runs).
std::unique_ptr<Store> make_memory_store();

struct OpenOptions {
  // How long to wait for another process holding the cache's lock before failing (kCache).
  std::chrono::milliseconds lock_wait{10000};
  // Refuse commit()/erase(); a missing cache reads as empty and is not created.
  bool read_only = false;
  // false (default): the database is opened for each operation and closed right after it, so
  // the lock is held for milliseconds and several dtrust processes can share one cache while
  // each of them waits on the network. true: it stays open and locked until the Store dies.
  bool keep_open = false;
  // true (default): open_leveldb_store opens the database once to report a corrupt or locked
  // cache at once. false: the first operation reports it, which saves one open for a caller
  // whose first step is a read anyway.
  bool check_at_open = true;
};

// A Store in the LevelDB database at `dir`, created (mode 0700, parents included) unless
// read_only. The database is opened once here, so a corrupt or locked cache is reported now
// (and, without keep_open, closed again: no lock is held between operations).
// LevelDB admits one process at a time; on "lock held" this retries with short jittered sleeps
// for up to options.lock_wait, then fails with kCache ("trust cache <dir> is locked by another
// process"). Any LevelDB failure is kCache naming `dir`.
//
// fork(): a child may open its own Store (background work runs on threads started per job), but
// not use one the parent had open, and not open a cache the parent has open at fork time.
tuf::Result<std::unique_ptr<Store>> open_leveldb_store(const std::filesystem::path& dir,
                                                       OpenOptions options = {});

// Where the cache lives by default: <trust dir>/dtrust-cache (the trust dir is
// ~/.docker/trust unless -d/--trust-dir says otherwise).
std::filesystem::path default_cache_dir(const std::filesystem::path& trust_dir);

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_STORE_H_
