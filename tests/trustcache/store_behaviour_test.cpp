// One set of behaviours, run against both the memory store and the LevelDB store.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "store_subject.h"
#include "trustcache/store.h"

namespace {

using trustcache::GunState;
using trustcache::Store;
using trustcache::TagEntry;
using trustcache::TagLookup;
using trustcache::Update;

using testing::load_state;
using testing::make_store_subject;

TagLookup lookup(Store& store, std::string_view gun, std::string_view tag, std::string_view key) {
  auto answer = store.lookup_tag(gun, tag, key);
  REQUIRE(answer.ok());
  return std::move(answer).value();
}

Update roles_update(std::string gun, std::map<std::string, std::string> roles) {
  Update update;
  update.gun = std::move(gun);
  update.put_roles = std::move(roles);
  return update;
}

}  // namespace

TEST_CASE("store: unknown gun loads as an empty state", "[trustcache]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  GunState state = load_state(*subject.store, "docker.io/library/alpine");
  CHECK(state.roles.empty());
  CHECK(state.versions.empty());
  CHECK(state.index_key.empty());
  CHECK(state.synced_at_unix == 0);
  auto guns = subject.store->list_guns();
  REQUIRE(guns.ok());
  CHECK(guns->empty());
}

TEST_CASE("store: committed bytes come back exactly, with versions and sync time", "[trustcache]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  const std::string binary("{\"signed\":\0\xff\n}", 15);
  Update update = roles_update("example.com/app", {{"root", "root-bytes"}, {"targets", binary}});
  update.versions = {{"root", 1}, {"targets", 4}};
  update.synced_at_unix = 1700000000;
  REQUIRE(subject.store->commit(update).ok());

  GunState state = load_state(*subject.store, "example.com/app");
  CHECK(state.roles ==
        std::map<std::string, std::string>{{"root", "root-bytes"}, {"targets", binary}});
  CHECK(state.versions == std::map<std::string, int64_t>{{"root", 1}, {"targets", 4}});
  CHECK(state.synced_at_unix == 1700000000);

  // A later commit without a sync time keeps the stored one.
  REQUIRE(subject.store->commit(roles_update("example.com/app", {{"snapshot", "s"}})).ok());
  CHECK(load_state(*subject.store, "example.com/app").synced_at_unix == 1700000000);
}

TEST_CASE("store: versions are max-merged and outlive deleted roles and erase()",
          "[trustcache][rollback]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  Store& store = *subject.store;
  Update first = roles_update("g", {{"root", "r5"}, {"targets/releases", "d"}});
  first.versions = {{"root", 5}, {"targets/releases", 3}};
  REQUIRE(store.commit(first).ok());

  Update lower;
  lower.gun = "g";
  lower.versions = {{"root", 2}, {"snapshot", 7}};
  lower.delete_roles = {"targets/releases"};
  REQUIRE(store.commit(lower).ok());
  GunState state = load_state(store, "g");
  CHECK(state.versions ==
        std::map<std::string, int64_t>{{"root", 5}, {"snapshot", 7}, {"targets/releases", 3}});
  CHECK(state.roles.count("targets/releases") == 0);

  REQUIRE(store.erase("g").ok());
  state = load_state(store, "g");
  CHECK(state.roles.empty());
  CHECK(state.versions.at("root") == 5);
  CHECK(state.versions.at("snapshot") == 7);

  REQUIRE(store.erase_including_versions("g").ok());
  CHECK(load_state(store, "g").versions.empty());
  auto guns = store.list_guns();
  REQUIRE(guns.ok());
  CHECK(guns->empty());
}

TEST_CASE("store: an invalid update is rejected and changes nothing", "[trustcache]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  Store& store = *subject.store;
  Update good = roles_update("g", {{"root", "r1"}});
  good.versions = {{"root", 1}};
  REQUIRE(store.commit(good).ok());

  Update bad = roles_update("g", {{"root", "r2"}, {"targets", "t"}});
  bad.versions = {{"root", 9}};
  SECTION("a role both stored and deleted") { bad.delete_roles = {"targets"}; }
  SECTION("an empty role name") { bad.put_roles[""] = "x"; }
  SECTION("an empty tag") {
    bad.tag_index = std::map<std::string, TagEntry>{{"", TagEntry{"targets", "ab", 1}}};
    bad.index_key = "k";
  }
  SECTION("an index without an index key") { bad.tag_index = std::map<std::string, TagEntry>{}; }
  auto status = store.commit(bad);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == tuf::ErrorKind::kInternal);
  GunState state = load_state(store, "g");
  CHECK(state.roles == std::map<std::string, std::string>{{"root", "r1"}});
  CHECK(state.versions == std::map<std::string, int64_t>{{"root", 1}});
  CHECK(state.index_key.empty());
}

TEST_CASE("store: an update without a gun is rejected", "[trustcache]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  auto status = subject.store->commit(roles_update("", {{"root", "r"}}));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().kind == tuf::ErrorKind::kInternal);
  CHECK_FALSE(subject.store->load("").ok());
  auto guns = subject.store->list_guns();
  REQUIRE(guns.ok());
  CHECK(guns->empty());
}

TEST_CASE("store: guns and roles that look alike never collide", "[trustcache][encoding]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  Store& store = *subject.store;
  const std::string nul_gun("a\0b", 3);
  const std::map<std::string, std::string> roles_of_gun = {
      {"a", "targets"},     {"ab", "targets"},        {"a/b", "targets"},
      {"a/b/c", "targets"}, {"a/b/role/1:x", "root"}, {"../a", "targets"},
      {nul_gun, "targets"}, {"1:a", "targets"},       {"a:", "targets"},
  };
  for (const auto& [gun, role] : roles_of_gun) {
    Update update = roles_update(gun, {{role, "bytes of " + gun}});
    update.versions = {{role, static_cast<int64_t>(gun.size())}};
    REQUIRE(store.commit(update).ok());
  }
  // The GUN "a" with a role named like the tail of another GUN's key.
  REQUIRE(store.commit(roles_update("a", {{"b/role/7:targets", "tricky"}})).ok());

  for (const auto& [gun, role] : roles_of_gun) {
    GunState state = load_state(store, gun);
    INFO("gun " << gun);
    std::map<std::string, std::string> expected = {{role, "bytes of " + gun}};
    if (gun == "a") expected["b/role/7:targets"] = "tricky";
    CHECK(state.roles == expected);
    CHECK(state.versions ==
          std::map<std::string, int64_t>{{role, static_cast<int64_t>(gun.size())}});
  }
  auto guns = store.list_guns();
  REQUIRE(guns.ok());
  CHECK(guns->size() == roles_of_gun.size());
  for (const auto& gun : *guns) CHECK(roles_of_gun.count(gun) == 1);

  REQUIRE(store.erase_including_versions("a").ok());
  CHECK(load_state(store, "ab").roles.size() == 1);
  CHECK(load_state(store, "a/b").roles.size() == 1);
  CHECK(load_state(store, nul_gun).roles.size() == 1);
}

TEST_CASE("store: tag look-ups answer from a current index only", "[trustcache][index]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  Store& store = *subject.store;
  const TagEntry latest{"targets", std::string(64, 'a'), 1234};
  const TagEntry beta{"targets/releases", std::string(64, 'b'), 99};

  CHECK(lookup(store, "g", "latest", "snap1").outcome == TagLookup::Outcome::kIndexStale);

  Update first;
  first.gun = "g";
  first.tag_index = std::map<std::string, TagEntry>{{"latest", latest}, {"beta", beta}};
  first.index_key = "snap1";
  REQUIRE(store.commit(first).ok());
  CHECK(load_state(store, "g").index_key == "snap1");

  TagLookup hit = lookup(store, "g", "latest", "snap1");
  CHECK(hit.outcome == TagLookup::Outcome::kFound);
  CHECK(hit.entry == latest);
  CHECK(lookup(store, "g", "beta", "snap1").entry == beta);
  CHECK(lookup(store, "g", "nope", "snap1").outcome == TagLookup::Outcome::kNotInIndex);
  CHECK(lookup(store, "g", "latest", "snap2").outcome == TagLookup::Outcome::kIndexStale);
  CHECK(lookup(store, "other", "latest", "snap1").outcome == TagLookup::Outcome::kIndexStale);

  SECTION("a new index replaces the old one wholesale") {
    Update second;
    second.gun = "g";
    second.tag_index = std::map<std::string, TagEntry>{{"v2", beta}};
    second.index_key = "snap2";
    REQUIRE(store.commit(second).ok());
    CHECK(lookup(store, "g", "latest", "snap2").outcome == TagLookup::Outcome::kNotInIndex);
    CHECK(lookup(store, "g", "v2", "snap2").entry == beta);
    CHECK(lookup(store, "g", "v2", "snap1").outcome == TagLookup::Outcome::kIndexStale);
  }
  SECTION("an update without an index keeps it") {
    REQUIRE(store.commit(roles_update("g", {{"timestamp", "t"}})).ok());
    CHECK(lookup(store, "g", "latest", "snap1").outcome == TagLookup::Outcome::kFound);
  }
  SECTION("erase drops the index") {
    REQUIRE(store.erase("g").ok());
    CHECK(lookup(store, "g", "latest", "snap1").outcome == TagLookup::Outcome::kIndexStale);
  }
  SECTION("an empty look-up key is a caller bug") {
    auto answer = store.lookup_tag("g", "latest", "");
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().kind == tuf::ErrorKind::kInternal);
  }
}

TEST_CASE("store: one read gives the named roles and the tag's record in the state's index",
          "[trustcache][index]") {
  auto subject = make_store_subject(GENERATE(as<std::string>{}, "memory", "leveldb"));
  Store& store = *subject.store;
  const TagEntry latest{"targets", std::string(64, 'a'), 1234};
  auto read = [&](std::string_view gun, std::string_view tag) {
    auto out = store.load_roles_and_tag(gun, {"root", "timestamp"}, tag);
    REQUIRE(out.ok());
    return std::move(out).value();
  };

  // No index yet: the roles, and a stale answer.
  REQUIRE(store.commit(roles_update("g", {{"root", "r"}, {"targets", "t"}})).ok());
  auto [state, found] = read("g", "latest");
  CHECK(state.roles == std::map<std::string, std::string>{{"root", "r"}});
  CHECK(state.index_key.empty());
  CHECK(found.outcome == TagLookup::Outcome::kIndexStale);

  Update indexed;
  indexed.gun = "g";
  indexed.versions = {{"root", 3}};
  indexed.tag_index = std::map<std::string, TagEntry>{{"latest", latest}};
  indexed.index_key = "snap1";
  REQUIRE(store.commit(indexed).ok());
  auto [with_index, hit] = read("g", "latest");
  CHECK(with_index.index_key == "snap1");
  CHECK(with_index.versions.at("root") == 3);
  CHECK(hit.outcome == TagLookup::Outcome::kFound);
  CHECK(hit.entry == latest);
  CHECK(read("g", "nope").second.outcome == TagLookup::Outcome::kNotInIndex);
  CHECK(read("other", "latest").second.outcome == TagLookup::Outcome::kIndexStale);
  CHECK_FALSE(store.load_roles_and_tag("g", {"root"}, "").ok());
}
