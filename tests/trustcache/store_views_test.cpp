// Update::put_role_views: role bytes the caller keeps alive are stored like put_roles, and a role
// named in two of the update's maps is refused without changing anything.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "store_subject.h"
#include "trustcache/store.h"

TEST_CASE("store: put_role_views are stored like put_roles", "[trustcache]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  const std::string big(300000, 't');  // larger than LevelDB's memtable
  trustcache::Update update;
  update.gun = "g";
  update.put_roles = {{"root", "r1"}};
  update.put_role_views = {{"targets", big}, {"targets/releases", "rel"}};
  update.versions = {{"root", 1}, {"targets", 2}};
  REQUIRE(store->commit(update).ok());
  auto state = store->load("g");
  REQUIRE(state.ok());
  CHECK(state->roles == std::map<std::string, std::string>{
                            {"root", "r1"}, {"targets", big}, {"targets/releases", "rel"}});
  CHECK(state->versions.at("targets") == 2);
}

TEST_CASE("store: a role in put_roles and put_role_views, or viewed and deleted, is refused",
          "[trustcache]") {
  auto subject = testing::make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto& store = subject.store;
  trustcache::Update good;
  good.gun = "g";
  good.put_roles = {{"targets", "t1"}};
  REQUIRE(store->commit(good).ok());
  trustcache::Update bad;
  bad.gun = "g";
  bad.put_role_views = {{"targets", "t2"}};
  SECTION("stored twice") { bad.put_roles = {{"targets", "t3"}}; }
  SECTION("stored and deleted") { bad.delete_roles = {"targets"}; }
  SECTION("an empty role name") { bad.put_role_views[""] = "x"; }
  auto status = store->commit(bad);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == tuf::ErrorKind::kInternal);
  auto state = store->load("g");
  REQUIRE(state.ok());
  CHECK(state->roles == std::map<std::string, std::string>{{"targets", "t1"}});
}
