// Update::put_uploaded: bytes this machine uploaded are kept beside the verified roles (never
// mixed with them), replaced by the next upload, dropped when verified bytes for the role are
// stored or the role is deleted, and erased with the GUN.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "store_subject.h"
#include "trustcache/store.h"

namespace {

using Roles = std::map<std::string, std::string>;

using testing::load_state;
// The state a publish records: the verified roles it built on, and what it uploaded.
void record_publish(trustcache::Store& store) {
  trustcache::Update update;
  update.gun = "g";
  update.put_roles = {{"root", "r1"}, {"snapshot", "s1"}, {"targets", "t1"}};
  update.versions = {{"root", 1}, {"snapshot", 1}, {"targets", 1}};
  update.put_uploaded = {{"snapshot", "s2"}, {"targets", "t2"}, {"targets/releases", "rel2"}};
  REQUIRE(store.commit(update).ok());
}

}  // namespace

TEST_CASE("store: uploads are kept apart from the verified roles", "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  const trustcache::GunState state = load_state(*store, "g");
  CHECK(state.roles == Roles{{"root", "r1"}, {"snapshot", "s1"}, {"targets", "t1"}});
  CHECK(state.uploaded ==
        Roles{{"snapshot", "s2"}, {"targets", "t2"}, {"targets/releases", "rel2"}});
  CHECK(state.versions.at("targets") == 1);  // an upload sets no version floor
  // The warm look-up's narrow read does not carry them.
  auto narrow = store->load_roles("g", {"root", "targets"});
  REQUIRE(narrow.ok());
  CHECK(narrow->uploaded.empty());
}

TEST_CASE("store: verified bytes or a deletion supersede a role's upload",
          "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  trustcache::Update next;
  next.gun = "g";
  const std::string verified_targets = "t2";
  next.put_roles = {{"snapshot", "s2"}, {"timestamp", "ts2"}};
  next.put_role_views = {{"targets", verified_targets}};
  next.delete_roles = {"targets/releases"};
  REQUIRE(store->commit(next).ok());
  CHECK(load_state(*store, "g").uploaded.empty());
}

TEST_CASE("store: a commit that leaves a role alone keeps its upload", "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  trustcache::Update warm;  // a warm look-up with a new timestamp
  warm.gun = "g";
  warm.put_roles = {{"timestamp", "ts2"}};
  warm.synced_at_unix = 1000;
  REQUIRE(store->commit(warm).ok());
  CHECK(load_state(*store, "g").uploaded ==
        Roles{{"snapshot", "s2"}, {"targets", "t2"}, {"targets/releases", "rel2"}});
}

TEST_CASE("store: a new upload replaces the role's old one, also when its verified bytes change",
          "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  trustcache::Update again;
  again.gun = "g";
  again.put_roles = {{"targets", "t2"}};
  again.put_uploaded = {{"targets", "t3"}};
  REQUIRE(store->commit(again).ok());
  const trustcache::GunState state = load_state(*store, "g");
  CHECK(state.roles.at("targets") == "t2");
  CHECK(state.uploaded ==
        Roles{{"snapshot", "s2"}, {"targets", "t3"}, {"targets/releases", "rel2"}});
}

TEST_CASE("store: erase removes uploads; other GUNs keep theirs", "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  trustcache::Update other;
  other.gun = "g/other";
  other.put_uploaded = {{"targets", "x"}};
  REQUIRE(store->commit(other).ok());
  SECTION("erase") { REQUIRE(store->erase("g").ok()); }
  SECTION("erase including versions") { REQUIRE(store->erase_including_versions("g").ok()); }
  CHECK(load_state(*store, "g").uploaded.empty());
  CHECK(load_state(*store, "g/other").uploaded == Roles{{"targets", "x"}});
}

TEST_CASE("store: an upload with an empty role name is refused and changes nothing",
          "[trustcache][uploaded]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  record_publish(*store);
  trustcache::Update bad;
  bad.gun = "g";
  bad.put_roles = {{"targets", "t9"}};
  bad.put_uploaded = {{"", "x"}};
  auto status = store->commit(bad);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == tuf::ErrorKind::kInternal);
  CHECK(load_state(*store, "g").roles.at("targets") == "t1");
}
