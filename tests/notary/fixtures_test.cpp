// The project's fixtures (real Go notary 0.7 client + notary-server output, fixtures/README.md)
// verified offline: byte-exact re-serialisation, every expected target, root rotation chains.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "notary/folder_repo.h"
#include "test_support.h"
#include "tuf/metadata.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::fixtures_dir;
using testing::read_file;

struct FixtureSet {
  std::string name;
  json manifest;
  fs::path metadata;
  tuf::Time now;
};

std::vector<FixtureSet> all_sets() {
  std::vector<FixtureSet> sets;
  for (const auto& entry : fs::directory_iterator(fixtures_dir())) {
    if (!fs::exists(entry.path() / "MANIFEST.json")) continue;
    FixtureSet s;
    s.name = entry.path().filename().string();
    s.manifest = json::parse(read_file(entry.path() / "MANIFEST.json"));
    s.metadata = entry.path() / s.manifest.at("metadata_dir").get<std::string>();
    s.now = testing::at(s.manifest.at("generated_at").get<std::string>()).plus_seconds(60);
    sets.push_back(std::move(s));
  }
  std::sort(sets.begin(), sets.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return sets;
}

// Re-serialises a parsed document from its typed model with its own signatures.
std::string reserialise(const std::string& role, const std::string& bytes) {
  if (role == "root") {
    auto d = tuf::parse_root(bytes);
    REQUIRE(d.ok());
    return tuf::envelope(tuf::canonical_signed(d->signed_), d->signatures);
  }
  if (role == "timestamp") {
    auto d = tuf::parse_timestamp(bytes);
    REQUIRE(d.ok());
    return tuf::envelope(tuf::canonical_signed(d->signed_), d->signatures);
  }
  if (role == "snapshot") {
    auto d = tuf::parse_snapshot(bytes);
    REQUIRE(d.ok());
    return tuf::envelope(tuf::canonical_signed(d->signed_), d->signatures);
  }
  auto d = tuf::parse_targets(bytes, role);
  INFO(role << ": " << (d.ok() ? "" : d.error().message()));
  REQUIRE(d.ok());
  return tuf::envelope(tuf::canonical_signed(d->signed_), d->signatures);
}

}  // namespace

TEST_CASE("fixtures: there are sets to test", "[fixtures]") { CHECK(all_sets().size() >= 6); }

TEST_CASE("fixtures: every file re-serialises to its exact bytes (spec 4.5)", "[fixtures][bytes]") {
  for (const FixtureSet& s : all_sets()) {
    for (const auto& entry : fs::recursive_directory_iterator(s.metadata)) {
      if (!entry.is_regular_file()) continue;
      const std::string role =
          fs::relative(entry.path(), s.metadata).replace_extension().generic_string();
      INFO(s.name << " " << role);
      const std::string bytes = read_file(entry.path());
      CHECK(reserialise(role, bytes) == bytes);
    }
    if (!fs::is_directory(fixtures_dir() / s.name / "roots")) continue;
    for (const auto& entry : fs::directory_iterator(fixtures_dir() / s.name / "roots")) {
      INFO(s.name << " " << entry.path().filename());
      const std::string bytes = read_file(entry.path());
      CHECK(reserialise("root", bytes) == bytes);
    }
  }
}

TEST_CASE("fixtures: every set verifies offline, pinned and unpinned", "[fixtures]") {
  for (const FixtureSet& s : all_sets()) {
    INFO(s.name);
    const std::string gun = s.manifest.at("gun");
    for (const tuf::RootPin& pin :
         {tuf::RootPin{}, tuf::RootPin{{s.manifest.at("root_canonical_key_id").get<std::string>()}},
          tuf::RootPin{{s.manifest.at("root_key_id").get<std::string>()}}}) {
      auto repo = notary::FolderRepo::open(s.metadata, gun, {s.now, pin});
      INFO((repo.ok() ? "" : repo.error().message()));
      CHECK(repo.ok());
    }
    auto wrong =
        notary::FolderRepo::open(s.metadata, gun, {s.now, tuf::RootPin{{std::string(64, '0')}}});
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().kind == tuf::ErrorKind::kPinMismatch);
    auto expired = notary::FolderRepo::open(s.metadata, gun, {s.now.plus_seconds(15 * 86400), {}});
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.error().kind == tuf::ErrorKind::kExpired);
    CHECK(expired.error().role == "timestamp");
  }
}

TEST_CASE("fixtures: every target the notary CLI published is found with its digest",
          "[fixtures]") {
  for (const FixtureSet& s : all_sets()) {
    auto repo = notary::FolderRepo::open(s.metadata, s.manifest.at("gun"), {s.now, {}});
    REQUIRE(repo.ok());
    auto hits = (*repo)->resolver().all(std::nullopt);
    REQUIRE(hits.ok());
    for (const json& t : s.manifest.at("targets")) {
      const std::string name = t.at("name");
      const std::string role = t.at("role");
      INFO(s.name << " " << name << " in " << role);
      auto it = std::find_if(hits->begin(), hits->end(), [&](const tuf::TargetHit& h) {
        return h.name == name && h.role == role;
      });
      if (name == "stale/app") {  // outside targets/prod's current paths: never resolved
        CHECK(it == hits->end());
        continue;
      }
      REQUIRE(it != hits->end());
      CHECK(it->sha256_hex() == t.at("sha256_hex").get<std::string>());
      CHECK(it->meta.length == t.at("length").get<int64_t>());
    }
    CHECK((*repo)->resolver().warnings().empty());
  }
}

TEST_CASE("fixtures: a client on root v1 follows the rotation chain to v5", "[fixtures][root]") {
  const fs::path set = fixtures_dir() / "rotated";
  const auto manifest = json::parse(read_file(set / "MANIFEST.json"));
  const std::string gun = manifest.at("gun");
  const tuf::Time now =
      testing::at(manifest.at("generated_at").get<std::string>()).plus_seconds(60);
  auto chain = tuf::TrustedSet::create(gun, read_file(set / "roots/1.root.json"), now);
  REQUIRE(chain.ok());
  SECTION("one version at a time") {
    for (int v = 2; v <= 5; ++v) {
      INFO("root v" << v);
      CHECK(
          chain->update_root(read_file(set / ("roots/" + std::to_string(v) + ".root.json"))).ok());
    }
    CHECK(chain->root().signed_.version == 5);
  }
  SECTION("skipping past a root key rotation is refused") {
    // v4 is signed by the v3 and v4 root keys only, not by v1's.
    auto s = chain->update_root(read_file(set / "roots/4.root.json"));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == tuf::ErrorKind::kThresholdNotMet);
  }
  SECTION("an offline folder holding <N>.root.json files is walked") {
    testing::TempDir dir;
    const fs::path meta = set / manifest.at("metadata_dir").get<std::string>();
    for (const auto& entry : fs::directory_iterator(meta)) {
      if (entry.is_regular_file()) fs::copy(entry.path(), dir.path() / entry.path().filename());
    }
    fs::copy(set / "roots/1.root.json", dir.path() / "root.json",
             fs::copy_options::overwrite_existing);
    auto stale = notary::FolderRepo::open(dir.path(), gun, {now, {}});
    // Root v1 does not know v5's timestamp key: the timestamp does not verify.
    REQUIRE_FALSE(stale.ok());
    CHECK(stale.error().kind == tuf::ErrorKind::kThresholdNotMet);
    CHECK(stale.error().role == "timestamp");
    for (int v = 2; v <= 5; ++v) {
      const std::string name = std::to_string(v) + ".root.json";
      fs::copy(set / "roots" / name, dir.path() / name);
    }
    auto walked = notary::FolderRepo::open(dir.path(), gun, {now, {}});
    INFO((walked.ok() ? "" : walked.error().message()));
    REQUIRE(walked.ok());
    CHECK((*walked)->set().root().signed_.version == 5);
  }
}
