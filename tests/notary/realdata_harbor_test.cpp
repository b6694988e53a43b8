// Harbor's embedded notary (realdata/README.md: harbor). snapshot and targets are stored under
// their checksum names (`<role>.<sha256>.json`), as a client requests them; the 2020 set is
// still valid today (until 2030-02-21) and notary 0.7 accepts it.
#include <catch2/catch.hpp>

#include "realdata.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kDemoGun = "10.117.4.142/notary-demo/busybox";
constexpr const char* kDemoTag = "1359608115b94599e5641638bac5aef1ddfaa79bb96057ebf41ebc8d33acf8a7";
constexpr const char* kLocalGun = "jt-dev.local.goharbor.io/library/busybox";
constexpr const char* kLatestSigned =
    "dd97a3fe6d721c5cf03abac0f50e2848dc583f7c4e41bf39102ceb42edfd1808";

struct HarborSet {
  const char* dir;
  const char* gun;
  const char* at;
  const char* tag;
  const char* digest;
};

const std::vector<HarborSet>& harbor_sets() {
  static const std::vector<HarborSet> sets = {
      {"harbor/2017-03-07_d983982", kDemoGun, "2017-03-10T00:00:00Z", "1.0", kDemoTag},
      {"harbor/2017-03-15_e8af73a", kDemoGun, "2018-01-01T00:00:00Z", "1.0", kDemoTag},
      {"harbor/2020-11-25_022fb3f", kLocalGun, "2026-11-25T00:00:00Z", "latest-signed",
       kLatestSigned},
  };
  return sets;
}

void check_tag(notary::FolderRepo& repo, const HarborSet& s) {
  auto hit = repo.resolver().find_dct(s.tag);
  INFO(s.dir << " tag " << s.tag << ": " << rd::describe(hit));
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  CHECK((*hit)->role == "targets");
  CHECK((*hit)->sha256_hex() == s.digest);
  CHECK((*hit)->meta.length == 527);
}

}  // namespace

TEST_CASE("realdata harbor: each set verifies inside its validity window", "[realdata][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  for (const HarborSet& s : harbor_sets()) {
    auto repo = rd::open_folder(s.dir, s.gun, testing::at(s.at));
    INFO(s.dir << " at " << s.at << ": " << rd::describe(repo));
    REQUIRE(repo.ok());
    check_tag(**repo, s);
  }
}

TEST_CASE("realdata harbor: the 2020 set is accepted with the real clock", "[realdata][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  const HarborSet& s = harbor_sets().back();
  auto repo = rd::open_folder(s.dir, s.gun, rd::wall_clock_now());
  INFO(s.dir << " now: " << rd::describe(repo));
  REQUIRE(repo.ok());
  check_tag(**repo, s);
}

TEST_CASE("realdata harbor: expired sets are rejected", "[realdata][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  SECTION("the 2017 sets today: the timestamps expired, the certificates (2027) did not") {
    for (std::size_t i = 0; i < 2; ++i) {
      const HarborSet& s = harbor_sets()[i];
      auto repo = rd::open_folder(s.dir, s.gun, rd::wall_clock_now());
      INFO(s.dir << " now: " << rd::describe(repo));
      REQUIRE_FALSE(repo.ok());
      CHECK(repo.error().kind == ErrorKind::kExpired);
      CHECK(repo.error().role == "timestamp");
    }
  }
  SECTION("the 2020 set after its certificate ends on 2030-02-21") {
    const HarborSet& s = harbor_sets().back();
    auto repo = rd::open_folder(s.dir, s.gun, testing::at("2030-03-01T00:00:00Z"));
    INFO(rd::describe(repo));
    REQUIRE_FALSE(repo.ok());
    CHECK(repo.error().kind == ErrorKind::kBadCertificate);
    CHECK(repo.error().role == "root");
  }
}

TEST_CASE("realdata harbor: the repository path alone is not the GUN", "[realdata][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder("harbor/2020-11-25_022fb3f", "library/busybox",
                              testing::at("2026-11-25T00:00:00Z"));
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kBadCertificate);
}

TEST_CASE("realdata harbor: checksum file names are the files' sha256", "[realdata][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  int named = 0;
  for (const HarborSet& s : harbor_sets()) {
    for (const auto& entry : std::filesystem::directory_iterator(rd::path(s.dir))) {
      const std::string name = entry.path().filename().string();
      const std::size_t first = name.find('.');
      const std::size_t last = name.rfind('.');
      if (first == last) continue;  // root.json, timestamp.json
      ++named;
      INFO(s.dir << "/" << name);
      CHECK(name.substr(first + 1, last - first - 1) ==
            rd::sha256_hex(testing::read_file(entry.path())));
    }
  }
  CHECK(named == 6);
}
