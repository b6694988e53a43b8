// The warm look-up (notary/repository.h, Repository::quick_lookup): one timestamp download,
// the answer from the trust cache's tag index.
#include <functional>
#include <optional>
#include <tuple>

#include "notary/repository.h"
#include "repository_internal.h"

namespace notary {
namespace {

using internal::floors_from;
using internal::index_key_usable;
using internal::sha256_hex_of;

// How stale the cached sync time may get before a warm look-up with an unchanged timestamp
// writes it again.
constexpr int64_t kSyncTimeRefreshSeconds = 60;

}  // namespace

tuf::Result<std::optional<trustcache::TagLookup>> Repository::quick_lookup(
    Remote& remote, const std::function<tuf::Result<trustcache::Store*>()>& open_store,
    const std::string& gun, const std::string& tag, IndexKind kind, const SyncOptions& options) {
  using Answer = std::optional<trustcache::TagLookup>;
  struct Local {
    trustcache::Store* store = nullptr;
    trustcache::GunState state;
    trustcache::TagLookup found;         // from the index the state names
    std::optional<tuf::TrustedSet> set;  // the cached root, verified; empty: no usable index
  };
  // Two independent chains. The cache is opened and read once (root, timestamp and the tag's
  // index record) and the cached root verified on a helper thread, while this thread downloads
  // the timestamp: the download (TLS set-up, handshake, request) is the longer chain, so it
  // starts here at once, and the helper on another CPU (background.h).
  Background<tuf::Result<Local>> local([&]() -> tuf::Result<Local> {
    Local out;
    DTRUST_ASSIGN_OR_RETURN(out.store, open_store());
    DTRUST_ASSIGN_OR_RETURN(
        std::tie(out.state, out.found),
        out.store->load_roles_and_tag(gun, {"root", "timestamp"}, index_tag_key(kind, tag)));
    auto root = out.state.roles.find("root");
    if (root == out.state.roles.end() || out.state.index_key.empty()) return out;
    auto set = tuf::TrustedSet::create(gun, root->second, options.now, options.pin,
                                       floors_from(out.state.versions));
    if (set.ok()) out.set.emplace(std::move(set).value());
    return out;
  });
  auto timestamp = remote.get_role("timestamp", kMaxTimestampBytes);
  DTRUST_ASSIGN_OR_RETURN(Local loaded, local.get());
  if (!timestamp.ok()) return Answer();
  // The index cannot answer: the full sync that follows starts from this timestamp.
  auto stale = [&] {
    remote.offer_role("timestamp", kMaxTimestampBytes, std::move(timestamp).value());
    return Answer();
  };
  if (!loaded.set) return stale();
  trustcache::Store& store = *loaded.store;
  const trustcache::GunState& state = loaded.state;
  tuf::TrustedSet* set = &*loaded.set;
  if (!set->update_timestamp(*timestamp).ok()) return Answer();
  const std::string snapshot_hex = sha256_hex_of(set->timestamp()->signed_.meta.at("snapshot"));
  if (!index_key_usable(state.index_key, snapshot_hex, options.now)) return stale();
  const trustcache::TagLookup& found = loaded.found;
  if (found.outcome == trustcache::TagLookup::Outcome::kIndexStale) return stale();
  trustcache::Update update;
  update.gun = gun;
  auto cached_timestamp = state.roles.find("timestamp");
  const bool timestamp_changed =
      cached_timestamp == state.roles.end() || cached_timestamp->second != *timestamp;
  // The sync time only feeds the offline warning ("last verified ... minutes ago"): with the
  // same timestamp it is refreshed at most once a minute, so a run of look-ups opens the cache
  // for writing once, not every time.
  const int64_t since_sync = options.now.seconds - state.synced_at_unix;
  const bool sync_time_stale = since_sync < 0 || since_sync >= kSyncTimeRefreshSeconds;
  if (!timestamp_changed && !sync_time_stale) return Answer(found);
  if (timestamp_changed) update.put_roles["timestamp"] = *timestamp;
  update.versions["timestamp"] = set->timestamp()->signed_.version;
  update.synced_at_unix = options.now.seconds;
  DTRUST_TRY(store.commit(update));
  return Answer(found);
}

}  // namespace notary
