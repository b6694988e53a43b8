// notary's own backward-compatibility trust dirs and a root from its test suite
// (realdata/README.md: notary-compat, notary-misc). notary 0.7 accepts notary0.1 today and
// rejects notary0.3 today because its root certificate expired on 2026-07-25.
#include <catch2/catch.hpp>

#include "realdata.h"
#include "tuf/keys.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kGun01 = "docker.com/notary0.1/samplerepo";
constexpr const char* kDir01 =
    "notary-compat/notary0.1/tuf/docker.com/notary0.1/samplerepo/metadata";
constexpr const char* kGun03 = "docker.com/notary0.3/tst";
constexpr const char* kDir03 = "notary-compat/notary0.3/tuf/docker.com/notary0.3/tst/metadata";
constexpr const char* kLicense = "9395bac6fccb26bcb55efb083d1b4b0fe72a1c25f959f056c016120b3bb56a62";
constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The file name stems (up to "_" or ".") of the files in a realdata folder.
std::vector<std::string> key_file_ids(std::string_view relative_dir) {
  std::vector<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(rd::path(relative_dir))) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    ids.push_back(name.substr(0, name.find_first_of("_.")));
  }
  return ids;
}

std::string root_canonical_id(const tuf::Signed<tuf::Root>& root) {
  const std::string& cert_id = root.signed_.roles.at("root").keyids.front();
  auto canonical = tuf::canonical_key_id(root.signed_.keys.at(cert_id));
  REQUIRE(canonical.ok());
  return *canonical;
}

}  // namespace

TEST_CASE("realdata notary0.1: accepted today, LICENSE resolves", "[realdata][notary-compat]") {
  DTRUST_REALDATA_OR_SKIP();
  for (tuf::Time now : {rd::wall_clock_now(), testing::at("2026-11-25T00:00:00Z")}) {
    auto repo = rd::open_folder(kDir01, kGun01, now);
    INFO("notary0.1 at " << tuf::format_rfc3339_utc(now) << ": " << rd::describe(repo));
    REQUIRE(repo.ok());
    auto hit = (*repo)->resolver().find_dct("LICENSE");
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->role == "targets");
    CHECK((*hit)->sha256_hex() == kLicense);
    CHECK((*hit)->meta.length == 11309);
  }
}

TEST_CASE(
    "realdata notary0.1: the root key file is named by the canonical ID, the certificate by "
    "the TUF ID",
    "[realdata][notary-compat]") {
  DTRUST_REALDATA_OR_SKIP();
  auto root = tuf::parse_root(rd::bytes(std::string(kDir01) + "/root.json"));
  REQUIRE(root.ok());
  const std::string& cert_id = root->signed_.roles.at("root").keyids.front();
  CHECK(key_file_ids("notary-compat/notary0.1/private/root_keys") ==
        std::vector<std::string>{root_canonical_id(*root)});
  CHECK(root_canonical_id(*root).rfind("d0c623c8", 0) == 0);

  const std::string cert_dir =
      "notary-compat/notary0.1/trusted_certificates/" + std::string(kGun01);
  CHECK(key_file_ids(cert_dir) == std::vector<std::string>{cert_id});
  const std::string crt = rd::bytes(cert_dir + "/" + cert_id + ".crt");
  CHECK((tuf::PublicKey{tuf::KeyType::kEcdsaX509, crt}.id()) == cert_id);

  // Either ID pins the root.
  for (const std::string& pin : {cert_id, root_canonical_id(*root)}) {
    auto repo =
        rd::open_folder(kDir01, kGun01, testing::at("2026-11-25T00:00:00Z"), tuf::RootPin{{pin}});
    INFO("notary0.1 pinned to " << pin << ": " << rd::describe(repo));
    CHECK(repo.ok());
  }
}

TEST_CASE("realdata notary0.3: accepted at 2026-01-01 with an rsa-x509 rsapss delegation",
          "[realdata][notary-compat]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder(kDir03, kGun03, testing::at("2026-01-01T00:00:00Z"));
  INFO("notary0.3 at 2026-01-01: " << rd::describe(repo));
  REQUIRE(repo.ok());
  auto& resolver = (*repo)->resolver();

  auto hello = resolver.find_dct("hello");
  INFO(rd::describe(hello));
  REQUIRE(hello.ok());
  REQUIRE(hello->has_value());
  CHECK((*hello)->role == "targets/releases");
  CHECK((*hello)->sha256_hex() == kEmpty);
  CHECK((*hello)->meta.length == 0);
  const tuf::Signed<tuf::Targets>* releases = (*repo)->set().targets("targets/releases");
  REQUIRE(releases != nullptr);
  CHECK(releases->signatures.front().method == "rsapss");
  const auto& delegation_keys = (*repo)->set().targets("targets")->signed_.delegations.keys;
  REQUIRE(delegation_keys.size() == 1);
  CHECK(delegation_keys.begin()->second.type == tuf::KeyType::kRsaX509);
  // Its private key file is named by the canonical ID of the bare RSA key.
  auto canonical = tuf::canonical_key_id(delegation_keys.begin()->second);
  REQUIRE(canonical.ok());
  const auto tuf_keys = key_file_ids("notary-compat/notary0.3/private/tuf_keys");
  CHECK(std::find(tuf_keys.begin(), tuf_keys.end(), *canonical) != tuf_keys.end());

  auto license = resolver.find_dct("LICENSE");
  REQUIRE(license.ok());
  REQUIRE(license->has_value());
  CHECK((*license)->role == "targets");
  CHECK((*license)->sha256_hex() == kLicense);
  auto change = resolver.find_dct("change");
  REQUIRE(change.ok());
  REQUIRE(change->has_value());
  CHECK((*change)->sha256_hex() == kEmpty);
  CHECK(resolver.warnings().empty());
}

TEST_CASE("realdata notary0.3: the root key file is named by the canonical ID",
          "[realdata][notary-compat]") {
  DTRUST_REALDATA_OR_SKIP();
  auto root = tuf::parse_root(rd::bytes(std::string(kDir03) + "/root.json"));
  REQUIRE(root.ok());
  CHECK(key_file_ids("notary-compat/notary0.3/private/root_keys") ==
        std::vector<std::string>{root_canonical_id(*root)});
  auto repo = rd::open_folder(kDir03, kGun03, testing::at("2026-01-01T00:00:00Z"),
                              tuf::RootPin{{root_canonical_id(*root)}});
  INFO(rd::describe(repo));
  CHECK(repo.ok());
}

TEST_CASE("realdata notary0.3: rejected today, the root certificate expired on 2026-07-25",
          "[realdata][notary-compat]") {
  DTRUST_REALDATA_OR_SKIP();
  for (tuf::Time now : {rd::wall_clock_now(), testing::at("2026-11-25T00:00:00Z")}) {
    auto repo = rd::open_folder(kDir03, kGun03, now);
    INFO("notary0.3 at " << tuf::format_rfc3339_utc(now) << ": " << rd::describe(repo));
    REQUIRE_FALSE(repo.ok());
    CHECK(repo.error().kind == ErrorKind::kBadCertificate);
    CHECK(repo.error().role == "root");
  }
}

TEST_CASE("realdata notary-misc: httpstore testRoot verifies for CN expire",
          "[realdata][notary-misc]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string bytes = rd::bytes("notary-misc/httpstore_testRoot.json");
  auto set = tuf::TrustedSet::create("expire", bytes, testing::at("2020-01-01T00:00:00Z"));
  INFO(rd::describe(set));
  REQUIRE(set.ok());
  const tuf::Root& root = set->root().signed_;
  CHECK(root.version == 2);
  const std::string& ts_key = root.roles.at("timestamp").keyids.front();
  CHECK(root.keys.at(ts_key).type == tuf::KeyType::kEd25519);

  auto other_gun = tuf::TrustedSet::create("docker.io/library/expire", bytes,
                                           testing::at("2020-01-01T00:00:00Z"));
  REQUIRE_FALSE(other_gun.ok());
  CHECK(other_gun.error().kind == ErrorKind::kBadCertificate);
  auto expired = tuf::TrustedSet::create("expire", bytes, testing::at("2026-11-25T00:00:00Z"));
  REQUIRE_FALSE(expired.ok());
  CHECK(expired.error().kind == ErrorKind::kBadCertificate);  // certificate ended 2025-07-17
}
