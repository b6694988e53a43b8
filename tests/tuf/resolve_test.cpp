// Target resolution: DCT role priority, delegation paths, nesting, skipping invalid roles.
#include <catch2/catch.hpp>

#include "test_repo.h"
#include "test_support.h"
#include "tuf/resolve.h"

namespace {

using testing::MapSource;
using testing::TestRepo;

struct Loaded {
  tuf::TrustedSet set;
  MapSource source;
};

std::unique_ptr<Loaded> load(const TestRepo& repo) {
  auto set = tuf::TrustedSet::create(repo.gun, repo.files.at("root"), repo.now);
  REQUIRE(set.ok());
  REQUIRE(set->update_timestamp(repo.files.at("timestamp")).ok());
  REQUIRE(set->update_snapshot(repo.files.at("snapshot")).ok());
  REQUIRE(set->update_targets(repo.files.at("targets")).ok());
  return std::make_unique<Loaded>(Loaded{std::move(set).value(), MapSource(repo.files)});
}

// A repository shaped like docker's: targets/releases and signers alice and bob.
TestRepo docker_shaped() {
  TestRepo repo = TestRepo::fresh("example.com/resolve/app", testing::at("2026-03-01T00:00:00Z"));
  repo.add_delegation("targets/alice", {""});
  repo.add_delegation("targets/releases", {""});
  repo.add_delegation("targets/bob", {""});
  repo.add_target("targets", "both", "top manifest");
  repo.add_target("targets/releases", "both", "released manifest");
  repo.add_target("targets", "toponly", "top only");
  repo.add_target("targets/releases", "rel", "rel manifest");
  repo.add_target("targets/alice", "rel", "rel manifest");
  repo.add_target("targets/alice", "onlyalice", "alice manifest");
  repo.publish();
  return repo;
}

std::string hex_sha256(std::string_view bytes) {
  return tuf::crypto::to_hex(tuf::crypto::sha256(bytes));
}

}  // namespace

TEST_CASE("dct resolution: releases wins, then targets, signer roles do not count",
          "[resolve][dct]") {
  TestRepo repo = docker_shaped();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto both = r.find_dct("both");
  REQUIRE(both.ok());
  REQUIRE(both->has_value());
  CHECK((*both)->role == "targets/releases");
  CHECK((*both)->sha256_hex() == hex_sha256("released manifest"));
  auto top = r.find_dct("toponly");
  REQUIRE(top.ok());
  REQUIRE(top->has_value());
  CHECK((*top)->role == "targets");
  CHECK(tuf::is_dct_trusted(**top));
  auto alice = r.find_dct("onlyalice");
  REQUIRE(alice.ok());
  REQUIRE(alice->has_value());
  CHECK((*alice)->role == "targets/alice");
  CHECK_FALSE(tuf::is_dct_trusted(**alice));
  auto none = r.find_dct("nosuch");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

TEST_CASE("notary lookup: BFS from targets, targets wins over delegations", "[resolve]") {
  TestRepo repo = docker_shaped();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto both = r.find("both", {"targets"});
  REQUIRE(both.ok());
  REQUIRE(both->has_value());
  CHECK((*both)->role == "targets");
  auto rel = r.find("rel", {"targets"});
  REQUIRE(rel.ok());
  REQUIRE(rel->has_value());
  CHECK((*rel)->role == "targets/alice");  // alice comes before releases in delegation order
}

TEST_CASE("inspect walk: every occurrence in BFS order", "[resolve]") {
  TestRepo repo = docker_shaped();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto rel = r.all(std::string_view("rel"));
  REQUIRE(rel.ok());
  REQUIRE(rel->size() == 2);
  CHECK((*rel)[0].role == "targets/alice");
  CHECK((*rel)[1].role == "targets/releases");
  auto everything = r.all(std::nullopt);
  REQUIRE(everything.ok());
  CHECK(everything->size() == 6);
  auto dels = r.delegations();
  REQUIRE(dels.ok());
  REQUIRE(dels->size() == 3);
  CHECK((*dels)[0].name == "targets/alice");
  CHECK((*dels)[1].name == "targets/releases");
  CHECK((*dels)[2].name == "targets/bob");  // declared, never published: still listed
}

TEST_CASE("paths: a target outside a delegation's paths is not resolved", "[resolve][paths]") {
  TestRepo repo = TestRepo::fresh("example.com/resolve/paths", testing::at("2026-03-01T00:00:00Z"));
  repo.add_delegation("targets/prod", {"prod/"});
  repo.add_target("targets/prod", "prod/app", "ok");
  repo.add_target("targets/prod", "dev/app", "outside");
  repo.publish();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto in = r.find("prod/app", {"targets"});
  REQUIRE(in.ok());
  CHECK(in->has_value());
  auto out = r.find("dev/app", {"targets"});
  REQUIRE(out.ok());
  CHECK_FALSE(out->has_value());
  auto listed = r.all(std::nullopt);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].name == "prod/app");
}

TEST_CASE("paths: nested roles only keep paths under their parent's", "[resolve][paths]") {
  TestRepo repo =
      TestRepo::fresh("example.com/resolve/nested", testing::at("2026-03-01T00:00:00Z"));
  repo.add_delegation("targets/team", {"team/"});
  repo.add_delegation("targets/team/ci", {"team/ci/", "other/"});
  repo.add_target("targets/team/ci", "team/ci/build", "built");
  repo.add_target("targets/team/ci", "other/escape", "escape");
  repo.publish();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto nested = r.find("team/ci/build", {"targets"});
  REQUIRE(nested.ok());
  REQUIRE(nested->has_value());
  CHECK((*nested)->role == "targets/team/ci");
  auto escape = r.find("other/escape", {"targets"});
  REQUIRE(escape.ok());
  CHECK_FALSE(escape->has_value());
  auto info = loaded->set.delegation("targets/team/ci");
  REQUIRE(info);
  CHECK(info->effective_paths == std::vector<std::string>{"team/ci/"});
}

TEST_CASE("skip: an expired delegation is skipped with a warning, others still resolve",
          "[resolve]") {
  TestRepo repo = docker_shaped();
  repo.delegations["targets/releases"].expires = tuf::expiry_after(repo.now, -5);
  repo.publish();
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto both = r.find_dct("both");
  REQUIRE(both.ok());
  REQUIRE(both->has_value());
  CHECK((*both)->role == "targets");  // releases skipped: falls through to targets
  REQUIRE(r.warnings().size() == 1);
  CHECK_THAT(r.warnings()[0], Catch::Contains("targets/releases"));
}

TEST_CASE("skip: a delegation with a wrong hash is an error, not a skip", "[resolve]") {
  TestRepo repo = docker_shaped();
  repo.files["targets/releases"] += " ";
  auto loaded = load(repo);
  tuf::Resolver r(loaded->set, loaded->source);
  auto both = r.find_dct("both");
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().kind == tuf::ErrorKind::kHashMismatch);
  CHECK(both.error().role == "targets/releases");
}
