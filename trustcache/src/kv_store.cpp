// The Store semantics, written once over KvBackend (see kv.h and records.h).
#include <algorithm>
#include <set>

#include "kv.h"
#include "records.h"

namespace trustcache {
namespace {

using records::Kind;
using tuf::ErrorKind;

tuf::Error invalid(std::string_view gun, std::string detail) {
  return tuf::Error{ErrorKind::kInternal, std::string(gun), {}, std::move(detail)};
}

tuf::Status validate(const Update& update) {
  if (update.gun.empty()) return invalid("", "trust cache update without a gun");
  std::set<std::string_view> put;
  for (const auto& [role, bytes] : update.put_roles) {
    if (role.empty()) return invalid(update.gun, "trust cache update with an empty role name");
    put.insert(role);
  }
  for (const auto& [role, bytes] : update.put_role_views) {
    if (role.empty()) return invalid(update.gun, "trust cache update with an empty role name");
    if (!put.insert(role).second) {
      return invalid(update.gun, "trust cache update stores role " + role + " twice");
    }
  }
  for (const auto& role : update.delete_roles) {
    if (role.empty()) return invalid(update.gun, "trust cache update with an empty role name");
    if (put.count(role) != 0) {
      return invalid(update.gun, "trust cache update both stores and deletes role " + role);
    }
  }
  for (const auto& [role, version] : update.versions) {
    if (role.empty()) return invalid(update.gun, "trust cache update with an empty role name");
  }
  for (const auto& [role, bytes] : update.put_uploaded) {
    if (role.empty()) return invalid(update.gun, "trust cache update with an empty role name");
  }
  if (update.tag_index.has_value() != !update.index_key.empty()) {
    return invalid(update.gun, "trust cache update: tag_index and index_key must be set together");
  }
  if (update.tag_index) {
    for (const auto& [tag, entry] : *update.tag_index) {
      if (tag.empty()) return invalid(update.gun, "trust cache update with an empty tag");
    }
  }
  return {};
}

class KvStore final : public Store {
 public:
  explicit KvStore(std::unique_ptr<KvBackend> backend) : backend_(std::move(backend)) {}

  tuf::Result<GunState> load(std::string_view gun) override {
    if (gun.empty()) return invalid(gun, "trust cache load without a gun");
    GunState state;
    const tuf::Status status = backend_->read([&](KvView& view) -> tuf::Status {
      // Range scans that never read a large tag index.
      for (Kind kind : {Kind::kRole, Kind::kVersion, Kind::kMeta, Kind::kUploaded}) {
        DTRUST_ASSIGN_OR_RETURN(KvRecords found, view.scan(records::kind_prefix(gun, kind)));
        for (auto& [key, value] : found) DTRUST_TRY(absorb(gun, key, std::move(value), state));
      }
      return {};
    });
    if (!status.ok()) return status.error();
    return state;
  }

  tuf::Result<GunState> load_roles(std::string_view gun,
                                   const std::vector<std::string>& roles) override {
    if (gun.empty()) return invalid(gun, "trust cache load without a gun");
    GunState state;
    const tuf::Status status = backend_->read(
        [&](KvView& view) -> tuf::Status { return read_roles(view, gun, roles, state); });
    if (!status.ok()) return status.error();
    return state;
  }

  tuf::Result<std::pair<GunState, TagLookup>> load_roles_and_tag(
      std::string_view gun, const std::vector<std::string>& roles, std::string_view tag) override {
    if (gun.empty() || tag.empty()) return invalid(gun, "tag look-up needs a gun and a tag");
    std::pair<GunState, TagLookup> out;
    const tuf::Status status = backend_->read([&](KvView& view) -> tuf::Status {
      DTRUST_TRY(read_roles(view, gun, roles, out.first));
      if (out.first.index_key.empty()) return {};
      return read_tag(view, gun, tag, out.second);
    });
    if (!status.ok()) return status.error();
    return out;
  }

  tuf::Result<TagLookup> lookup_tag(std::string_view gun, std::string_view tag,
                                    std::string_view expected_index_key) override {
    if (gun.empty() || tag.empty() || expected_index_key.empty()) {
      return invalid(gun, "tag look-up needs a gun, a tag and an index key");
    }
    TagLookup answer;
    const tuf::Status status = backend_->read([&](KvView& view) -> tuf::Status {
      DTRUST_ASSIGN_OR_RETURN(auto meta, read_meta(view, gun));
      if (meta.index_key != expected_index_key) return {};  // stale or absent: kIndexStale
      return read_tag(view, gun, tag, answer);
    });
    if (!status.ok()) return status.error();
    return answer;
  }

  tuf::Status commit(const Update& update) override {
    DTRUST_TRY(validate(update));
    return backend_->update([&](KvView& view) -> tuf::Result<KvBatch> {
      KvBatch batch;
      const std::string& gun = update.gun;
      for (const auto& [role, bytes] : update.put_roles) {
        batch.push_back({records::key(gun, Kind::kRole, role), bytes});
      }
      for (const auto& [role, bytes] : update.put_role_views) {
        batch.push_back({records::key(gun, Kind::kRole, role), std::string(bytes)});
      }
      for (const auto& role : update.delete_roles) {
        batch.push_back({records::key(gun, Kind::kRole, role), std::nullopt});
      }
      DTRUST_TRY(merge_versions(view, update, batch));
      DTRUST_TRY(replace_uploaded(view, update, batch));
      if (update.tag_index) DTRUST_TRY(replace_index(view, gun, *update.tag_index, batch));
      DTRUST_ASSIGN_OR_RETURN(records::Meta meta, read_meta(view, gun));
      records::Meta next = meta;
      if (update.tag_index) next.index_key = update.index_key;
      if (update.synced_at_unix != 0) next.synced_at_unix = update.synced_at_unix;
      if (next.index_key != meta.index_key || next.synced_at_unix != meta.synced_at_unix) {
        // A new sync time alone need not survive a crash; a new index key must.
        const bool durable = next.index_key != meta.index_key;
        batch.push_back({records::key(gun, Kind::kMeta, ""), records::encode_meta(next), durable});
      }
      return batch;
    });
  }

  tuf::Status erase(std::string_view gun) override { return erase_records(gun, false); }

  tuf::Status erase_including_versions(std::string_view gun) override {
    return erase_records(gun, true);
  }

  tuf::Result<std::vector<std::string>> list_guns() override {
    std::vector<std::string> guns;
    const tuf::Status status = backend_->read([&](KvView& view) -> tuf::Status {
      std::string from(records::kFormatPrefix);
      while (true) {
        DTRUST_ASSIGN_OR_RETURN(auto key, view.first_key(from, records::kFormatPrefix));
        if (!key) return {};
        auto decoded = records::decode_key(*key);
        if (!decoded) return corrupt("", "key");
        from = records::after_gun(decoded->gun);
        guns.push_back(std::move(decoded->gun));
      }
    });
    if (!status.ok()) return status.error();
    return guns;
  }

 private:
  tuf::Error corrupt(std::string_view gun, std::string_view what) const {
    return tuf::Error{ErrorKind::kCache,
                      std::string(gun),
                      {},
                      backend_->name() + " holds a malformed " + std::string(what)};
  }

  // Adds one record of `gun` read by load() to `state`.
  tuf::Status absorb(std::string_view gun, std::string_view key, std::string value,
                     GunState& state) const {
    auto decoded = records::decode_key(key);
    if (!decoded || decoded->gun != gun) return corrupt(gun, "key");
    switch (decoded->kind) {
      case Kind::kRole:
        state.roles[decoded->name] = std::move(value);
        return {};
      case Kind::kVersion: {
        auto version = records::decode_version(value);
        if (!version) return corrupt(gun, "version record");
        state.versions[decoded->name] = *version;
        return {};
      }
      case Kind::kMeta: {
        auto meta = records::decode_meta(value);
        if (!meta || !decoded->name.empty()) return corrupt(gun, "meta record");
        state.index_key = std::move(meta->index_key);
        state.synced_at_unix = meta->synced_at_unix;
        return {};
      }
      case Kind::kUploaded:
        state.uploaded[decoded->name] = std::move(value);
        return {};
      case Kind::kTag:
        break;
    }
    return corrupt(gun, "record");
  }

  // The meta record sorts just before the GUN's role records, so LevelDB keeps it in the
  // block of root and targets, which can be a megabyte. Its block checksum is not checked: the
  // index key it holds is only ever used when it equals the key derived from a verified
  // timestamp, so a damaged record costs a full sync, never a wrong answer.
  // The named roles' bytes, every version, the index key and the sync time.
  tuf::Status read_roles(KvView& view, std::string_view gun, const std::vector<std::string>& roles,
                         GunState& state) const {
    for (const std::string& role : roles) {
      std::string key = records::key(gun, Kind::kRole, role);
      // Role bytes are verified before use (root by its signatures, the rest by hash or
      // signature against the verified chain).
      DTRUST_ASSIGN_OR_RETURN(auto value, view.get(key, Checksum::kSkip));
      if (value) DTRUST_TRY(absorb(gun, key, std::move(*value), state));
    }
    DTRUST_ASSIGN_OR_RETURN(KvRecords versions,
                            view.scan(records::kind_prefix(gun, Kind::kVersion)));
    for (auto& [key, value] : versions) DTRUST_TRY(absorb(gun, key, std::move(value), state));
    DTRUST_ASSIGN_OR_RETURN(records::Meta meta, read_meta(view, gun));
    state.index_key = std::move(meta.index_key);
    state.synced_at_unix = meta.synced_at_unix;
    return {};
  }

  // `tag`'s record in an index the caller found current.
  tuf::Status read_tag(KvView& view, std::string_view gun, std::string_view tag,
                       TagLookup& answer) const {
    DTRUST_ASSIGN_OR_RETURN(auto value, view.get(records::key(gun, Kind::kTag, tag)));
    if (!value) {
      answer.outcome = TagLookup::Outcome::kNotInIndex;
      return {};
    }
    auto entry = records::decode_tag(*value);
    if (!entry) return corrupt(gun, "tag record");
    answer.outcome = TagLookup::Outcome::kFound;
    answer.entry = std::move(*entry);
    return {};
  }

  tuf::Result<records::Meta> read_meta(KvView& view, std::string_view gun) const {
    DTRUST_ASSIGN_OR_RETURN(auto value,
                            view.get(records::key(gun, Kind::kMeta, ""), Checksum::kSkip));
    if (!value) return records::Meta{};
    auto meta = records::decode_meta(*value);
    if (!meta) return corrupt(gun, "meta record");
    return *meta;
  }

  // Versions only go up: each one is written only when it exceeds the stored one.
  tuf::Status merge_versions(KvView& view, const Update& update, KvBatch& batch) const {
    for (const auto& [role, version] : update.versions) {
      std::string key = records::key(update.gun, Kind::kVersion, role);
      DTRUST_ASSIGN_OR_RETURN(auto stored, view.get(key));
      if (stored) {
        auto old = records::decode_version(*stored);
        if (!old) return corrupt(update.gun, "version record");
        if (*old >= version) continue;
      }
      batch.push_back({std::move(key), records::encode_version(version)});
    }
    return {};
  }

  // New uploads are written; an earlier upload of a role this update stores or deletes (and
  // does not upload again) is removed. One scan, usually of nothing.
  tuf::Status replace_uploaded(KvView& view, const Update& update, KvBatch& batch) const {
    const std::string& gun = update.gun;
    // A lost upload record only costs a download: it alone needs no disk sync.
    for (const auto& [role, bytes] : update.put_uploaded) {
      batch.push_back({records::key(gun, Kind::kUploaded, role), std::string(bytes), false});
    }
    DTRUST_ASSIGN_OR_RETURN(KvRecords old, view.scan(records::kind_prefix(gun, Kind::kUploaded)));
    for (auto& [key, value] : old) {
      auto decoded = records::decode_key(key);
      if (!decoded || decoded->gun != gun) return corrupt(gun, "key");
      const std::string& role = decoded->name;
      const bool superseded = update.put_roles.count(role) != 0 ||
                              update.put_role_views.count(role) != 0 ||
                              std::find(update.delete_roles.begin(), update.delete_roles.end(),
                                        role) != update.delete_roles.end();
      if (superseded && update.put_uploaded.count(role) == 0) {
        batch.push_back({std::move(key), std::nullopt, false});
      }
    }
    return {};
  }

  tuf::Status replace_index(KvView& view, std::string_view gun,
                            const std::map<std::string, TagEntry>& index, KvBatch& batch) const {
    DTRUST_ASSIGN_OR_RETURN(KvRecords old, view.scan(records::kind_prefix(gun, Kind::kTag)));
    for (auto& [key, value] : old) batch.push_back({std::move(key), std::nullopt});
    for (const auto& [tag, entry] : index) {
      batch.push_back({records::key(gun, Kind::kTag, tag), records::encode_tag(entry)});
    }
    return {};
  }

  tuf::Status erase_records(std::string_view gun, bool including_versions) {
    if (gun.empty()) return invalid(gun, "trust cache erase without a gun");
    return backend_->update([&](KvView& view) -> tuf::Result<KvBatch> {
      KvBatch batch;
      for (Kind kind : records::kAllKinds) {
        if (kind == Kind::kVersion && !including_versions) continue;
        DTRUST_ASSIGN_OR_RETURN(KvRecords found, view.scan(records::kind_prefix(gun, kind)));
        for (auto& [key, value] : found) batch.push_back({std::move(key), std::nullopt});
      }
      return batch;
    });
  }

  std::unique_ptr<KvBackend> backend_;
};

}  // namespace

std::unique_ptr<Store> make_kv_store(std::unique_ptr<KvBackend> backend) {
  return std::make_unique<KvStore>(std::move(backend));
}

}  // namespace trustcache
