// An ordered key-value backend under the trust cache (internal). The Store logic (records.h,
// validation, max-merge of versions) is written once over this seam; the memory and LevelDB
// backends only move bytes, so both stores behave the same by construction.
#ifndef DTRUST_TRUSTCACHE_KV_H_
#define DTRUST_TRUSTCACHE_KV_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trustcache/store.h"
#include "tuf/result.h"

namespace trustcache {

// One write of a batch: value set = put, nullopt = delete.
struct KvWrite {
  std::string key;
  std::optional<std::string> value;
  // false: losing this write in a crash is harmless, so it alone does not need a disk sync.
  bool durable = true;
};
using KvBatch = std::vector<KvWrite>;
using KvRecords = std::vector<std::pair<std::string, std::string>>;

// Whether a read checks the backend's own block checksum. kSkip is only for values the caller
// verifies before use anyway (role bytes: by signature or by the hash their parent role lists);
// a LevelDB block can hold a small record next to a megabyte-sized one, and checking it would
// read the whole block.
enum class Checksum { kVerify, kSkip };

// A consistent read-only view: no write lands between two calls on the same view.
class KvView {
 public:
  virtual ~KvView() = default;
  virtual tuf::Result<std::optional<std::string>> get(std::string_view key,
                                                      Checksum checksum = Checksum::kVerify) = 0;
  // Every record whose key starts with `prefix`, in key order.
  virtual tuf::Result<KvRecords> scan(std::string_view prefix) = 0;
  // The smallest key >= `from` that starts with `prefix`, if any.
  virtual tuf::Result<std::optional<std::string>> first_key(std::string_view from,
                                                            std::string_view prefix) = 0;
};

class KvBackend {
 public:
  virtual ~KvBackend() = default;
  // Runs `fn` over one consistent view. Thread-safe.
  virtual tuf::Status read(const std::function<tuf::Status(KvView&)>& fn) = 0;
  // Runs `fn` with write access held exclusively (no other writer in this or any other process
  // between its reads and the write), then applies the batch it returns atomically, synced to
  // disk when any of its writes is durable. An error from `fn` writes nothing. Thread-safe.
  virtual tuf::Status update(const std::function<tuf::Result<KvBatch>(KvView&)>& fn) = 0;
  // Names the store in error messages: "trust cache /path" or "memory trust cache".
  virtual std::string name() const = 0;
};

// The Store over a backend.
std::unique_ptr<Store> make_kv_store(std::unique_ptr<KvBackend> backend);

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_KV_H_
