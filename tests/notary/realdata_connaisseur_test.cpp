// connaisseur's Python-era Docker Hub user repositories (realdata/README.md: connaisseur-py).
// The committed files are pretty-printed, so only the regenerated `wire/` forms match the
// hashes snapshot and timestamp record; both are tested. The GUN is the root certificate's CN
// (docker.io/phbelitz/<repo>), and the trust roots are the ones connaisseur's tests pin.
#include <catch2/catch.hpp>

#include "realdata.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

// connaisseur's "default" and "charlie" trust roots (base64 DER SPKI).
constexpr const char* kDefaultTrustRoot =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtR5kwrDK22SyCu7WMF8tCjVgeORAS2PWacRcBN/VQdVK4PVk1w4pMWlz9A"
    "HQthDGl+W2k3elHkPbR+gNkK2PCA==";
constexpr const char* kCharlieTrustRoot =
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtkQuBJ/wL1MEDy/6kgfSBls04MT1aUWM7eZ19L2WPJfjt105PPieCM1CZy"
    "bSZ2h3O4+E4hPz1X5RfmojpXKePg==";

constexpr const char* kDelegationGun = "docker.io/phbelitz/delegation";

struct WireSet {
  const char* name;  // folder under connaisseur-py/wire/
  const char* gun;   // root certificate CN
  const char* at;    // inside the timestamp's validity window
  const char* trust_root;
};

const std::vector<WireSet>& wire_sets() {
  static const std::vector<WireSet> sets = {
      {"alice-image", "docker.io/phbelitz/alice-image", "2019-10-20T00:00:00Z", kDefaultTrustRoot},
      {"sample-image", "docker.io/phbelitz/sample-image", "2019-11-01T00:00:00Z",
       kDefaultTrustRoot},
      {"sample", "docker.io/phbelitz/sample", "2020-01-20T00:00:00Z", kDefaultTrustRoot},
      {"sample2", "docker.io/phbelitz/sample-san-sama", "2020-04-15T00:00:00Z", kDefaultTrustRoot},
      {"bob-image", kDelegationGun, "2020-11-20T00:00:00Z", kCharlieTrustRoot},
      {"charlie-image", kDelegationGun, "2020-11-20T00:00:00Z", kCharlieTrustRoot},
      {"dave-image", kDelegationGun, "2020-11-20T00:00:00Z", kCharlieTrustRoot},
      {"eve-image", kDelegationGun, "2020-11-20T00:00:00Z", kCharlieTrustRoot},
  };
  return sets;
}

const WireSet& wire_set(std::string_view name) {
  for (const WireSet& s : wire_sets()) {
    if (s.name == name) return s;
  }
  throw std::runtime_error("unknown set");
}

// The canonical ID of a base64 SPKI trust root: what a connaisseur-style pin names.
std::string trust_root_id(const char* spki_b64) {
  auto der = tuf::crypto::base64_decode(spki_b64);
  REQUIRE(der.ok());
  return tuf::PublicKey{tuf::KeyType::kEcdsa, *der}.id();
}

std::unique_ptr<notary::FolderRepo> open_wire(std::string_view name) {
  const WireSet& s = wire_set(name);
  auto repo = rd::open_folder(std::string("connaisseur-py/wire/") + s.name, s.gun,
                              testing::at(s.at), tuf::RootPin{{trust_root_id(s.trust_root)}});
  INFO("connaisseur-py wire/" << s.name << ": " << rd::describe(repo));
  REQUIRE(repo.ok());
  return std::move(repo).value();
}

std::vector<std::string> roles_of(const std::vector<tuf::TargetHit>& hits) {
  std::vector<std::string> out;
  for (const auto& h : hits) out.push_back(h.role);
  return out;
}

std::string dct_digest(notary::FolderRepo& repo, std::string_view tag, std::string* role) {
  auto hit = repo.resolver().find_dct(tag);
  INFO("find_dct(" << tag << "): " << rd::describe(hit));
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  *role = (*hit)->role;
  return (*hit)->sha256_hex();
}

}  // namespace

TEST_CASE("realdata connaisseur-py: the trust roots have the documented canonical IDs",
          "[realdata][connaisseur]") {
  CHECK(trust_root_id(kDefaultTrustRoot).rfind("17960e39", 0) == 0);
  CHECK(trust_root_id(kCharlieTrustRoot).rfind("574418eb", 0) == 0);
}

TEST_CASE("realdata connaisseur-py: every wire set verifies for its CN pinned to its trust root",
          "[realdata][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  for (const WireSet& s : wire_sets()) {
    auto repo = rd::open_folder(std::string("connaisseur-py/wire/") + s.name, s.gun,
                                testing::at(s.at), tuf::RootPin{{trust_root_id(s.trust_root)}});
    INFO("connaisseur-py wire/" << s.name << " as " << s.gun << ": " << rd::describe(repo));
    CHECK(repo.ok());
  }
}

TEST_CASE("realdata connaisseur-py: every wire set is expired today", "[realdata][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  for (const WireSet& s : wire_sets()) {
    auto repo =
        rd::open_folder(std::string("connaisseur-py/wire/") + s.name, s.gun, rd::wall_clock_now());
    INFO("connaisseur-py wire/" << s.name << " today: " << rd::describe(repo));
    REQUIRE_FALSE(repo.ok());
    CHECK(repo.error().kind == ErrorKind::kExpired);
    CHECK(repo.error().role == "timestamp");
  }
}

TEST_CASE("realdata connaisseur-py: the source's GUN is not the certificate CN",
          "[realdata][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  // The repos moved to securesystemsengineering; the certificates still name phbelitz.
  auto repo = rd::open_folder("connaisseur-py/wire/alice-image",
                              "docker.io/securesystemsengineering/alice-image",
                              testing::at("2019-10-20T00:00:00Z"));
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kBadCertificate);
  CHECK(repo.error().role == "root");
}

TEST_CASE("realdata connaisseur-py: the wrong trust root is a pin mismatch",
          "[realdata][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder("connaisseur-py/wire/bob-image", kDelegationGun,
                              testing::at("2020-11-20T00:00:00Z"),
                              tuf::RootPin{{trust_root_id(kDefaultTrustRoot)}});
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kPinMismatch);
}

TEST_CASE("realdata connaisseur-py: pretty-printed originals fail the snapshot and targets hashes",
          "[realdata][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string pretty = "connaisseur-py/trust_data/alice-image/";
  const std::string wire = "connaisseur-py/wire/alice-image/";
  const std::string gun = "docker.io/phbelitz/alice-image";
  const tuf::Time at = testing::at("2019-10-20T00:00:00Z");

  SECTION("a pretty snapshot does not match the timestamp's record") {
    // Root and timestamp are not hash-checked on their own: their signatures verify.
    auto set = tuf::TrustedSet::create(gun, rd::bytes(pretty + "root.json"), at);
    INFO(rd::describe(set));
    REQUIRE(set.ok());
    tuf::Status ts = set->update_timestamp(rd::bytes(pretty + "timestamp.json"));
    INFO(rd::describe(ts));
    REQUIRE(ts.ok());
    tuf::Status snap = set->update_snapshot(rd::bytes(pretty + "snapshot.json"));
    REQUIRE_FALSE(snap.ok());
    INFO(rd::describe(snap));
    CHECK(snap.error().kind == ErrorKind::kHashMismatch);
    CHECK(snap.error().role == "snapshot");
  }
  SECTION("a pretty root is not the root the snapshot records") {
    auto set = tuf::TrustedSet::create(gun, rd::bytes(pretty + "root.json"), at);
    REQUIRE(set.ok());
    REQUIRE(set->update_timestamp(rd::bytes(wire + "timestamp.json")).ok());
    tuf::Status snap = set->update_snapshot(rd::bytes(wire + "snapshot.json"));
    REQUIRE_FALSE(snap.ok());
    INFO(rd::describe(snap));
    CHECK(snap.error().kind == ErrorKind::kHashMismatch);
    CHECK(snap.error().role == "root");
  }
  SECTION("pretty targets and delegations do not match the snapshot's records") {
    auto set = tuf::TrustedSet::create(gun, rd::bytes(wire + "root.json"), at);
    REQUIRE(set.ok());
    REQUIRE(set->update_timestamp(rd::bytes(wire + "timestamp.json")).ok());
    REQUIRE(set->update_snapshot(rd::bytes(wire + "snapshot.json")).ok());
    tuf::Status targets = set->update_targets(rd::bytes(pretty + "targets.json"));
    REQUIRE_FALSE(targets.ok());
    INFO(rd::describe(targets));
    CHECK(targets.error().kind == ErrorKind::kHashMismatch);
    CHECK(targets.error().role == "targets");
    REQUIRE(set->update_targets(rd::bytes(wire + "targets.json")).ok());
    tuf::Status releases =
        set->update_delegation("targets/releases", rd::bytes(pretty + "targets/releases.json"));
    REQUIRE_FALSE(releases.ok());
    INFO(rd::describe(releases));
    CHECK(releases.error().kind == ErrorKind::kHashMismatch);
    CHECK(releases.error().role == "targets/releases");
    CHECK(
        set->update_delegation("targets/releases", rd::bytes(wire + "targets/releases.json")).ok());
  }
  SECTION("a folder of pretty originals is rejected at the snapshot") {
    // Larger than recorded: the reader stops at length + 1 (kTooLarge). The dave and eve
    // snapshots are the wire form plus a trailing newline, so they are read and fail the hash.
    const std::vector<std::pair<const char*, ErrorKind>> sets = {
        {"alice-image", ErrorKind::kTooLarge},   {"bob-image", ErrorKind::kTooLarge},
        {"charlie-image", ErrorKind::kTooLarge}, {"dave-image", ErrorKind::kHashMismatch},
        {"eve-image", ErrorKind::kHashMismatch}, {"sample-image", ErrorKind::kTooLarge},
    };
    for (const auto& [name, kind] : sets) {
      const WireSet& s = wire_set(name);
      auto repo = rd::open_folder(std::string("connaisseur-py/trust_data/") + name, s.gun,
                                  testing::at(s.at));
      INFO("connaisseur-py trust_data/" << name << ": " << rd::describe(repo));
      REQUIRE_FALSE(repo.ok());
      CHECK(repo.error().kind == kind);
      CHECK(repo.error().role == "snapshot");
    }
  }
}

TEST_CASE("realdata connaisseur-py alice-image: tag test is in all three delegations",
          "[realdata][connaisseur][alice]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("alice-image");
  CHECK(repo->set().targets("targets")->signed_.targets.empty());
  auto delegations = repo->resolver().delegations();
  REQUIRE(delegations.ok());
  std::vector<std::string> names;
  for (const auto& d : *delegations) names.push_back(d.name);
  CHECK(names ==
        std::vector<std::string>{"targets/phbelitz", "targets/releases", "targets/chamsen"});

  auto all = repo->resolver().all("test");
  INFO(rd::describe(all));
  REQUIRE(all.ok());
  CHECK(roles_of(*all) ==
        std::vector<std::string>{"targets/phbelitz", "targets/releases", "targets/chamsen"});
  for (const auto& hit : *all) {
    INFO("alice-image " << hit.role);
    CHECK(hit.sha256_hex() == "ac904c9b191d14faf54b7952f2650a4bb21c201bf34131388b851e8ce992a652");
    CHECK(hit.meta.length == 1993);
  }
  std::string role;
  CHECK(dct_digest(*repo, "test", &role) ==
        "ac904c9b191d14faf54b7952f2650a4bb21c201bf34131388b851e8ce992a652");
  CHECK(role == "targets/releases");
  // targets/releases carries two signatures for threshold 1: both keys are delegated.
  CHECK(repo->set().targets("targets/releases")->signatures.size() == 2);
  CHECK(repo->resolver().warnings().empty());
}

TEST_CASE("realdata connaisseur-py bob-image: the tag is signed in top-level targets only",
          "[realdata][connaisseur][bob]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("bob-image");
  std::string role;
  CHECK(dct_digest(*repo, "test", &role).rfind("4e061bcd", 0) == 0);
  CHECK(role == "targets");
}

TEST_CASE(
    "realdata connaisseur-py charlie-image: targets/releases wins over a conflicting top level",
    "[realdata][connaisseur][charlie]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("charlie-image");
  std::string role;
  CHECK(dct_digest(*repo, "test", &role).rfind("a647a0f9", 0) == 0);
  CHECK(role == "targets/releases");

  auto top = repo->resolver().find("test", {"targets"});
  REQUIRE(top.ok());
  REQUIRE(top->has_value());
  CHECK((*top)->role == "targets");
  CHECK((*top)->sha256_hex().rfind("4e061bcd", 0) == 0);

  auto all = repo->resolver().all("test");
  REQUIRE(all.ok());
  CHECK(roles_of(*all) == std::vector<std::string>{"targets", "targets/del1", "targets/releases"});
  REQUIRE(all->size() == 3);
  CHECK((*all)[1].sha256_hex() == (*all)[2].sha256_hex());
  CHECK((*all)[0].sha256_hex() != (*all)[1].sha256_hex());
}

TEST_CASE("realdata connaisseur-py dave-image: del1 and del2 sign different digests",
          "[realdata][connaisseur][dave]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("dave-image");
  std::string role;
  CHECK(dct_digest(*repo, "test", &role).rfind("2b7b5065", 0) == 0);
  CHECK(role == "targets/releases");

  auto del1 = repo->resolver().find("test", {"targets/del1"});
  auto del2 = repo->resolver().find("test", {"targets/del2"});
  REQUIRE(del1.ok());
  REQUIRE(del2.ok());
  REQUIRE(del1->has_value());
  REQUIRE(del2->has_value());
  CHECK((*del1)->sha256_hex().rfind("2b7b5065", 0) == 0);
  CHECK((*del2)->sha256_hex().rfind("a825e8e9", 0) == 0);  // requiring both is ambiguous

  auto all = repo->resolver().all("test");
  REQUIRE(all.ok());
  CHECK(roles_of(*all) ==
        std::vector<std::string>{"targets", "targets/del1", "targets/releases", "targets/del2"});
}

TEST_CASE("realdata connaisseur-py eve-image: delegations listed in snapshot but missing",
          "[realdata][connaisseur][eve]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("eve-image");  // the top level verifies
  SECTION("the top-level tag resolves without walking to the delegations") {
    auto top = repo->resolver().find("test", {"targets"});
    REQUIRE(top.ok());
    REQUIRE(top->has_value());
    CHECK((*top)->sha256_hex().rfind("4e061bcd", 0) == 0);
  }
  SECTION("DCT resolution walks to targets/releases and finds no file") {
    auto hit = repo->resolver().find_dct("test");
    REQUIRE_FALSE(hit.ok());
    INFO(rd::describe(hit));
    CHECK(hit.error().kind == ErrorKind::kNotFound);
    CHECK(hit.error().role == "targets/releases");
  }
  SECTION("requiring a delegation fails") {
    auto hit = repo->resolver().find("test", {"targets/del1"});
    REQUIRE_FALSE(hit.ok());
    CHECK(hit.error().kind == ErrorKind::kNotFound);
    CHECK(hit.error().role == "targets/del1");
  }
}

TEST_CASE("realdata connaisseur-py sample-image and sample2: top-level tags",
          "[realdata][connaisseur][sample]") {
  DTRUST_REALDATA_OR_SKIP();
  std::string role;
  auto sample_image = open_wire("sample-image");
  CHECK(dct_digest(*sample_image, "sign", &role).rfind("a154797b", 0) == 0);
  CHECK(role == "targets");
  CHECK(dct_digest(*sample_image, "v1", &role).rfind("799c0fa8", 0) == 0);
  auto sample2 = open_wire("sample2");
  CHECK(dct_digest(*sample2, "hai", &role).rfind("9191919c", 0) == 0);
  CHECK(role == "targets");
}

TEST_CASE("realdata connaisseur-py sample: releases resolves, unshipped delegations do not",
          "[realdata][connaisseur][sample]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = open_wire("sample");
  std::string role;
  CHECK(dct_digest(*repo, "v1", &role).rfind("1388abc7", 0) == 0);
  CHECK(role == "targets/releases");
  CHECK(dct_digest(*repo, "v2", &role).rfind("b8a38522", 0) == 0);
  // targets/phbelitz (first in walk order) is in the snapshot but was not shipped.
  auto all = repo->resolver().all(std::nullopt);
  REQUIRE_FALSE(all.ok());
  INFO(rd::describe(all));
  CHECK(all.error().kind == ErrorKind::kNotFound);
  CHECK(all.error().role == "targets/phbelitz");
}

TEST_CASE("realdata connaisseur-py loose sample files: the wire form of each verifies",
          "[realdata][connaisseur][sample]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string dir = "connaisseur-py/trust_data/";
  struct Loose {
    const char* prefix;
    const char* wire_dir;
    std::vector<std::pair<std::string, std::string>> files;  // role, folder name
  };
  const std::vector<Loose> sets = {
      {"sample_",
       "sample",
       {{"root", "root.json"},
        {"timestamp", "timestamp.json"},
        {"snapshot", "snapshot.json"},
        {"targets", "targets.json"},
        {"targets/releases", "targets/releases.json"}}},
      {"sample2_",
       "sample2",
       {{"root", "root.json"},
        {"timestamp", "timestamp.json"},
        {"snapshot", "snapshot.json"},
        {"targets", "targets.json"}}},
  };
  for (const Loose& loose : sets) {
    const WireSet& s = wire_set(loose.wire_dir);
    testing::TempDir as_committed;
    testing::TempDir rewired;
    for (const auto& [role, name] : loose.files) {
      const std::string suffix = role == "targets/releases" ? "releases" : role;
      const std::string source = dir + loose.prefix + suffix + ".json";
      INFO("connaisseur-py " << source);
      testing::write_file(as_committed.path() / name, rd::bytes(source));
      auto wire = rd::rewire(rd::bytes(source), role);
      REQUIRE(wire.ok());
      // The engine rebuilds exactly the bytes notary.docker.io served.
      CHECK(*wire == rd::bytes(std::string("connaisseur-py/wire/") + loose.wire_dir + "/" + name));
      testing::write_file(rewired.path() / name, *wire);
    }
    INFO("connaisseur-py loose " << loose.prefix << "*.json");
    auto committed = rd::open_folder(as_committed.path(), s.gun, testing::at(s.at));
    CHECK_FALSE(committed.ok());
    auto repo = rd::open_folder(rewired.path(), s.gun, testing::at(s.at),
                                tuf::RootPin{{trust_root_id(s.trust_root)}});
    INFO(rd::describe(repo));
    CHECK(repo.ok());
  }
}
