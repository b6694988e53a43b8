// What only the LevelDB store has: persistence, a directory, a lock shared by processes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "test_support.h"
#include "trustcache/store.h"

namespace {

namespace fs = std::filesystem;
using trustcache::OpenOptions;
using trustcache::Store;
using trustcache::Update;

std::unique_ptr<Store> open_store(const fs::path& dir, OpenOptions options = {}) {
  auto opened = trustcache::open_leveldb_store(dir, options);
  if (!opened.ok()) FAIL(opened.error().message());
  return std::move(opened).value();
}

Update version_update(std::string gun, std::string role, int64_t version) {
  Update update;
  update.gun = std::move(gun);
  update.put_roles[role] = role + " v" + std::to_string(version);
  update.versions[role] = version;
  return update;
}

// One child's work: open, commit, read back, close, `rounds` times. Exit code 0 = success.
int child_rounds(const fs::path& dir, int child, int rounds) {
  for (int round = 0; round < rounds; ++round) {
    auto opened = trustcache::open_leveldb_store(dir);
    if (!opened.ok()) return 10;
    Store& store = **opened;
    const std::string gun = "example.com/child" + std::to_string(child);
    if (!store.commit(version_update(gun, "snapshot", round + 1)).ok()) return 11;
    if (!store.commit(version_update("example.com/shared", "c" + std::to_string(child), round + 1))
             .ok()) {
      return 12;
    }
    auto state = store.load(gun);
    if (!state.ok() || state->versions["snapshot"] != round + 1) return 13;
    if (state->roles["snapshot"] != "snapshot v" + std::to_string(round + 1)) return 14;
  }
  return 0;
}

}  // namespace

TEST_CASE("leveldb store: state and versions survive reopening", "[trustcache][leveldb]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "cache";
  {
    auto store = open_store(dir);
    REQUIRE(store->commit(version_update("g", "root", 3)).ok());
    REQUIRE(store->erase("g").ok());
    Update indexed = version_update("h", "targets", 2);
    indexed.tag_index = std::map<std::string, trustcache::TagEntry>{{"v1", {"targets", "aa", 5}}};
    indexed.index_key = "snap";
    REQUIRE(store->commit(indexed).ok());
  }
  auto store = open_store(dir);
  auto g = store->load("g");
  REQUIRE(g.ok());
  CHECK(g->roles.empty());
  CHECK(g->versions.at("root") == 3);
  REQUIRE(store->commit(version_update("g", "root", 1)).ok());
  CHECK(store->load("g")->versions.at("root") == 3);
  auto hit = store->lookup_tag("h", "v1", "snap");
  REQUIRE(hit.ok());
  CHECK(hit->outcome == trustcache::TagLookup::Outcome::kFound);
}

TEST_CASE("leveldb store: the cache directory is created private", "[trustcache][leveldb]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust" / "dtrust-cache";
  auto store = open_store(dir);
  struct stat info {};
  REQUIRE(::stat(dir.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  REQUIRE(::stat(dir.parent_path().c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0700);
  CHECK(trustcache::default_cache_dir("/home/u/.docker/trust") ==
        fs::path("/home/u/.docker/trust/dtrust-cache"));
}

TEST_CASE("leveldb store: read-only reads a missing cache as empty and refuses writes",
          "[trustcache][leveldb]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "absent";
  OpenOptions options;
  options.read_only = true;
  auto store = open_store(dir, options);
  auto state = store->load("g");
  REQUIRE(state.ok());
  CHECK(state->roles.empty());
  auto status = store->commit(version_update("g", "root", 1));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == tuf::ErrorKind::kCache);
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("leveldb store: a corrupt database is a cache error, not a crash",
          "[trustcache][leveldb]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "cache";
  { REQUIRE(open_store(dir)->commit(version_update("g", "root", 1)).ok()); }
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("MANIFEST") || name == "CURRENT") {
      std::ofstream(entry.path(), std::ios::binary | std::ios::trunc) << "garbage\x01\x02";
    }
  }
  auto opened = trustcache::open_leveldb_store(dir);
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().kind == tuf::ErrorKind::kCache);
  CHECK_THAT(opened.error().message(), Catch::Contains(dir.string()));

  // Without the check at open, the first read reports the same error.
  trustcache::OpenOptions lazy;
  lazy.check_at_open = false;
  auto deferred = trustcache::open_leveldb_store(dir, lazy);
  REQUIRE(deferred.ok());
  auto read = (*deferred)->load("g");
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().kind == tuf::ErrorKind::kCache);
  CHECK_THAT(read.error().message(), Catch::Contains(dir.string()));
}

TEST_CASE("leveldb store: one store serves several threads", "[trustcache][leveldb]") {
  testing::TempDir tmp;
  auto store = open_store(tmp.path() / "cache");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1; i <= 25; ++i) {
        if (!store->commit(version_update("g", "r" + std::to_string(t), i)).ok()) ++failures;
        if (!store->load("g").ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  auto state = store->load("g");
  REQUIRE(state.ok());
  REQUIRE(state->versions.size() == 8);
  for (const auto& [role, version] : state->versions) CHECK(version == 25);
}

TEST_CASE("leveldb store: several processes share one cache", "[trustcache][leveldb][process]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "cache";
  constexpr int kChildren = 8;
  constexpr int kRounds = 20;
  std::vector<pid_t> children;
  for (int child = 0; child < kChildren; ++child) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) ::_exit(child_rounds(dir, child, kRounds));
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  auto store = open_store(dir);
  auto shared = store->load("example.com/shared");
  REQUIRE(shared.ok());
  CHECK(shared->versions.size() == kChildren);
  for (const auto& [role, version] : shared->versions) CHECK(version == kRounds);
}

TEST_CASE("leveldb store: a lock held past lock_wait is a cache error naming the directory",
          "[trustcache][leveldb][process]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "cache";
  { REQUIRE(open_store(dir)->commit(version_update("g", "root", 1)).ok()); }

  // A child process holds the cache open until the parent closes `release`.
  int ready[2];
  int release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(ready[0]);
    ::close(release[1]);
    OpenOptions hold;
    hold.keep_open = true;
    auto holder = trustcache::open_leveldb_store(dir, hold);
    const char byte = holder.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    char ignored;
    (void)!::read(release[0], &ignored, 1);  // returns when the parent closes its end
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char byte = 0;
  REQUIRE(::read(ready[0], &byte, 1) == 1);
  REQUIRE(byte == 'y');

  OpenOptions brief;
  brief.lock_wait = std::chrono::milliseconds(200);
  const auto started = std::chrono::steady_clock::now();
  auto blocked = trustcache::open_leveldb_store(dir, brief);
  const auto waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(blocked.ok());
  CHECK(blocked.error().kind == tuf::ErrorKind::kCache);
  CHECK_THAT(blocked.error().message(),
             Catch::Contains("trust cache " + dir.string() + " is locked by another process"));
  CHECK(waited >= std::chrono::milliseconds(200));
  CHECK(waited < std::chrono::seconds(5));

  // Once the holder is gone, the same short wait is enough.
  ::close(release[1]);
  ::close(ready[0]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  auto reopened = trustcache::open_leveldb_store(dir, brief);
  REQUIRE(reopened.ok());
  CHECK((*reopened)->load("g")->versions.at("root") == 1);
}
