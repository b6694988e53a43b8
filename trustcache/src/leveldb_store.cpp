// The LevelDB backend: the only file that sees LevelDB.
//
// LevelDB admits one process per database (an fcntl lock on <dir>/LOCK) and, inside a process,
// one open handle per directory. dtrust runs as many short processes that may share a cache, so
// by default a handle lives only as long as the operations using it, and opening retries
// "lock held" with short jittered sleeps up to OpenOptions::lock_wait.
#include <leveldb/db.h>
#include <leveldb/env.h>
#include <leveldb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>

#include "kv.h"
#include "private_files.h"

namespace trustcache {
namespace {

namespace fs = std::filesystem;
using tuf::ErrorKind;

// Runs LevelDB's background work on a thread started per job instead of Env::Default()'s
// lazily started, never restarted pool thread, which a fork()ed child would inherit as
// "running" without the thread: its first compaction would then wait forever.
class PerJobThreadEnv final : public leveldb::EnvWrapper {
 public:
  PerJobThreadEnv() : EnvWrapper(leveldb::Env::Default()) {}
  void Schedule(void (*function)(void*), void* arg) override {
    std::thread(function, arg).detach();
  }
  void StartThread(void (*function)(void*), void* arg) override {
    std::thread(function, arg).detach();
  }
};

leveldb::Env* background_env() {
  static auto* env = new PerJobThreadEnv();  // never destroyed: DBs may outlive statics
  return env;
}

// LevelDB's informational log (<dir>/LOG, rotated to LOG.old by every open) is discarded: a
// dtrust command opens the cache a few times, and each rotation cost a rename and a file
// creation on the warm path. Errors still reach the caller as Status values.
class DiscardLogger final : public leveldb::Logger {
 public:
  void Logv(const char*, std::va_list) override {}
};

leveldb::Logger* discard_logger() {
  static auto* logger = new DiscardLogger();  // never destroyed: DBs may outlive statics
  return logger;
}

bool is_lock_error(const leveldb::Status& status) {
  const std::string text = status.ToString();
  return status.IsIOError() && text.find("lock ") != std::string::npos &&
         text.find("LOCK") != std::string::npos;
}

class LevelDbView final : public KvView {
 public:
  LevelDbView(leveldb::DB* db, const fs::path& dir) : db_(db), dir_(dir) {
    options_.verify_checksums = true;
    options_.snapshot = db_->GetSnapshot();
  }
  ~LevelDbView() override { db_->ReleaseSnapshot(options_.snapshot); }
  LevelDbView(const LevelDbView&) = delete;
  LevelDbView& operator=(const LevelDbView&) = delete;

  tuf::Result<std::optional<std::string>> get(std::string_view key, Checksum checksum) override {
    std::string value;
    leveldb::ReadOptions options = options_;
    options.verify_checksums = checksum == Checksum::kVerify;
    leveldb::Status status = db_->Get(options, leveldb::Slice(key.data(), key.size()), &value);
    if (status.IsNotFound()) return std::optional<std::string>();
    if (!status.ok()) return failure(status);
    return std::optional<std::string>(std::move(value));
  }

  tuf::Result<KvRecords> scan(std::string_view prefix) override {
    KvRecords out;
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options_));
    for (it->Seek(leveldb::Slice(prefix.data(), prefix.size()));
         it->Valid() && it->key().starts_with(leveldb::Slice(prefix.data(), prefix.size()));
         it->Next()) {
      out.emplace_back(it->key().ToString(), it->value().ToString());
    }
    if (!it->status().ok()) return failure(it->status());
    return out;
  }

  tuf::Result<std::optional<std::string>> first_key(std::string_view from,
                                                    std::string_view prefix) override {
    std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(options_));
    it->Seek(leveldb::Slice(from.data(), from.size()));
    if (!it->status().ok()) return failure(it->status());
    if (!it->Valid() || !it->key().starts_with(leveldb::Slice(prefix.data(), prefix.size()))) {
      return std::optional<std::string>();
    }
    return std::optional<std::string>(it->key().ToString());
  }

  tuf::Error failure(const leveldb::Status& status) const {
    return tuf::make_error(ErrorKind::kCache, "",
                           "trust cache " + dir_.string() + ": " + status.ToString());
  }

 private:
  leveldb::DB* db_;
  const fs::path& dir_;
  leveldb::ReadOptions options_;
};

// A view of a cache that does not exist yet (read-only stores only).
class EmptyView final : public KvView {
 public:
  tuf::Result<std::optional<std::string>> get(std::string_view, Checksum) override {
    return std::optional<std::string>();
  }
  tuf::Result<KvRecords> scan(std::string_view) override { return KvRecords(); }
  tuf::Result<std::optional<std::string>> first_key(std::string_view, std::string_view) override {
    return std::optional<std::string>();
  }
};

// The lock-retry jitter only has to differ between the processes contending for the lock:
// the process id and the clock do, without std::random_device, whose CPUID probe is a VM exit
// on every open under a hypervisor.
std::uint_fast32_t jitter_seed() {
  const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
  return static_cast<std::uint_fast32_t>(getpid()) * 2654435761u ^
         static_cast<std::uint_fast32_t>(ticks);
}

class LevelDbBackend final : public KvBackend {
 public:
  LevelDbBackend(fs::path dir, OpenOptions options)
      : dir_(std::move(dir)), options_(options), rng_(jitter_seed()) {}

  ~LevelDbBackend() override = default;  // db_ closes with the last lease, or here

  // Opens the database now, so open_leveldb_store reports a corrupt or locked cache at once;
  // without keep_open it is closed again, so no lock is held between operations.
  tuf::Status open_now() {
    std::lock_guard lock(mu_);
    DTRUST_TRY(ensure_open());
    if (!options_.keep_open) db_.reset();
    return {};
  }

  tuf::Status read(const std::function<tuf::Status(KvView&)>& fn) override {
    DTRUST_ASSIGN_OR_RETURN(Lease lease, acquire());
    if (!lease.db()) {
      EmptyView view;
      return fn(view);
    }
    LevelDbView view(lease.db(), dir_);
    return fn(view);
  }

  tuf::Status update(const std::function<tuf::Result<KvBatch>(KvView&)>& fn) override {
    if (options_.read_only) {
      return tuf::make_error(ErrorKind::kCache, "", name() + " was opened read-only");
    }
    std::lock_guard writer(write_mu_);  // other processes are kept out by the DB lock
    DTRUST_ASSIGN_OR_RETURN(Lease lease, acquire());
    leveldb::WriteBatch batch;
    bool durable = false;
    {
      LevelDbView view(lease.db(), dir_);
      DTRUST_ASSIGN_OR_RETURN(KvBatch writes, fn(view));
      if (writes.empty()) return {};
      for (auto& write : writes) {
        durable = durable || write.durable;
        if (write.value) {
          batch.Put(write.key, *write.value);
          // The batch holds its own copy: a megabyte targets file need not exist twice more.
          write.value.reset();
        } else {
          batch.Delete(write.key);
        }
      }
    }
    leveldb::WriteOptions write_options;
    // Versions are rollback protection and roles are what they protect: they must survive a
    // crash. A batch that only moves the sync time skips the fdatasync.
    write_options.sync = durable;
    leveldb::Status status = lease.db()->Write(write_options, &batch);
    if (!status.ok()) return failure(status);
    return {};
  }

  std::string name() const override { return "trust cache " + dir_.string(); }

 private:
  // Shares the open handle among concurrent operations; the last one out closes it unless
  // keep_open.
  class Lease {
   public:
    explicit Lease(LevelDbBackend* owner) : owner_(owner) {}
    Lease(Lease&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (owner_) owner_->release();
    }
    leveldb::DB* db() const { return owner_ ? owner_->db_.get() : nullptr; }

   private:
    LevelDbBackend* owner_;
  };

  tuf::Result<Lease> acquire() {
    std::lock_guard lock(mu_);
    if (!db_ && options_.read_only && !fs::exists(dir_ / "CURRENT")) return Lease(nullptr);
    DTRUST_TRY(ensure_open());
    ++users_;
    return Lease(this);
  }

  void release() {
    std::lock_guard lock(mu_);
    if (--users_ == 0 && !options_.keep_open) db_.reset();
  }

  // REQUIRES: mu_ held.
  tuf::Status ensure_open() {
    if (db_) return {};
    if (options_.read_only && !fs::exists(dir_ / "CURRENT")) return {};
    leveldb::Options options;
    options.create_if_missing = !options_.read_only;
    options.paranoid_checks = true;
    options.reuse_logs = true;  // opening then needs no write: short lock holds for readers
    options.max_open_files = 64;
    // A small memtable keeps the log short: with reuse_logs every open replays the log, and a
    // 1 MB targets file left there would be re-read by each of a command's few opens.
    options.write_buffer_size = 256 << 10;
    // Uncompressed tables are read in place from the mapped file. With snappy, reading the
    // small root record decompressed the whole block it shares with the megabyte targets file
    // (LevelDB closes a block only after the entry that overflows it): ~1.5 MB of buffers on
    // every warm look-up.
    options.compression = leveldb::kNoCompression;
    options.env = background_env();
    options.info_log = discard_logger();
    const auto deadline = std::chrono::steady_clock::now() + options_.lock_wait;
    std::chrono::milliseconds backoff{2};
    while (true) {
      leveldb::DB* raw = nullptr;
      leveldb::Status status = leveldb::DB::Open(options, dir_.string(), &raw);
      if (status.ok()) {
        db_.reset(raw);
        return {};
      }
      if (!is_lock_error(status)) return failure(status);
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        return tuf::make_error(ErrorKind::kCache, "",
                               "trust cache " + dir_.string() +
                                   " is locked by another process (waited " +
                                   std::to_string(options_.lock_wait.count()) + " ms)");
      }
      std::uniform_int_distribution<int> jitter(0, static_cast<int>(backoff.count()));
      auto pause = std::chrono::milliseconds(backoff.count() / 2 + jitter(rng_));
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
      backoff = std::min(backoff * 2, std::chrono::milliseconds(50));
    }
  }

  tuf::Error failure(const leveldb::Status& status) const {
    std::string detail = name();
    detail += status.IsCorruption() ? " is corrupt: " : ": ";
    detail += status.ToString();
    return tuf::make_error(ErrorKind::kCache, "", std::move(detail));
  }

  const fs::path dir_;
  const OpenOptions options_;
  std::mutex write_mu_;  // serialises update(): read-modify-write of versions and the index
  std::mutex mu_;        // guards db_, users_, rng_
  std::unique_ptr<leveldb::DB> db_;
  int users_ = 0;
  std::minstd_rand rng_;
};

}  // namespace

tuf::Result<std::unique_ptr<Store>> open_leveldb_store(const fs::path& dir, OpenOptions options) {
  if (dir.empty()) return tuf::make_error(ErrorKind::kCache, "", "no trust cache directory");
  if (!options.read_only) DTRUST_TRY(make_private_dirs(dir, ErrorKind::kCache));
  auto backend = std::make_unique<LevelDbBackend>(dir, options);
  if (options.check_at_open || options.keep_open) DTRUST_TRY(backend->open_now());
  return make_kv_store(std::move(backend));
}

fs::path default_cache_dir(const fs::path& trust_dir) { return trust_dir / "dtrust-cache"; }

}  // namespace trustcache
