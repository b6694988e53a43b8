// The in-memory backend: a sorted map behind a reader/writer lock.
#include <map>
#include <mutex>
#include <shared_mutex>

#include "kv.h"

namespace trustcache {
namespace {

using Map = std::map<std::string, std::string, std::less<>>;

class MapView final : public KvView {
 public:
  explicit MapView(const Map& map) : map_(map) {}

  tuf::Result<std::optional<std::string>> get(std::string_view key, Checksum) override {
    auto it = map_.find(key);
    if (it == map_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }

  tuf::Result<KvRecords> scan(std::string_view prefix) override {
    KvRecords out;
    for (auto it = map_.lower_bound(prefix); it != map_.end() && it->first.starts_with(prefix);
         ++it) {
      out.emplace_back(it->first, it->second);
    }
    return out;
  }

  tuf::Result<std::optional<std::string>> first_key(std::string_view from,
                                                    std::string_view prefix) override {
    auto it = map_.lower_bound(from);
    if (it == map_.end() || !it->first.starts_with(prefix)) return std::optional<std::string>();
    return std::optional<std::string>(it->first);
  }

 private:
  const Map& map_;
};

class MemoryBackend final : public KvBackend {
 public:
  tuf::Status read(const std::function<tuf::Status(KvView&)>& fn) override {
    std::shared_lock lock(mu_);
    MapView view(map_);
    return fn(view);
  }

  tuf::Status update(const std::function<tuf::Result<KvBatch>(KvView&)>& fn) override {
    std::unique_lock lock(mu_);
    MapView view(map_);
    DTRUST_ASSIGN_OR_RETURN(KvBatch batch, fn(view));
    for (auto& write : batch) {
      if (write.value) {
        map_.insert_or_assign(std::move(write.key), std::move(*write.value));
      } else if (auto it = map_.find(write.key); it != map_.end()) {
        map_.erase(it);
      }
    }
    return {};
  }

  std::string name() const override { return "memory trust cache"; }

 private:
  std::shared_mutex mu_;
  Map map_;
};

}  // namespace

std::unique_ptr<Store> make_memory_store() {
  return make_kv_store(std::make_unique<MemoryBackend>());
}

}  // namespace trustcache
