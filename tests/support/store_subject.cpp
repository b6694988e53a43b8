#include "store_subject.h"

#include <catch2/catch.hpp>

namespace testing {

StoreSubject make_store_subject(const std::string& kind) {
  StoreSubject subject;
  if (kind == "memory") {
    subject.store = trustcache::make_memory_store();
    return subject;
  }
  REQUIRE(kind == "leveldb");
  subject.dir = std::make_unique<TempDir>();
  auto opened = trustcache::open_leveldb_store(subject.dir->path() / "cache");
  REQUIRE(opened.ok());
  subject.store = std::move(opened).value();
  return subject;
}

trustcache::GunState load_state(trustcache::Store& store, std::string_view gun) {
  auto state = store.load(gun);
  REQUIRE(state.ok());
  return std::move(state).value();
}

}  // namespace testing
