// The trust-cache store tests run each behaviour against both backends: GENERATE a kind with
// kStoreKinds and open it with make_store_subject.
#ifndef DTRUST_TESTS_SUPPORT_STORE_SUBJECT_H_
#define DTRUST_TESTS_SUPPORT_STORE_SUBJECT_H_

#include <memory>
#include <string>
#include <string_view>

#include "test_support.h"
#include "trustcache/store.h"

namespace testing {

// The store under test plus whatever keeps it alive (a LevelDB store's temporary directory).
struct StoreSubject {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<trustcache::Store> store;
};

// "memory" or "leveldb" (a new cache in a fresh temporary directory). Fails the test case when
// the LevelDB store does not open.
StoreSubject make_store_subject(const std::string& kind);

// store.load(gun), failing the test case on an error.
trustcache::GunState load_state(trustcache::Store& store, std::string_view gun);

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_STORE_SUBJECT_H_
