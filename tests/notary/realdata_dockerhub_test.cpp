// Real Docker Hub trust data (realdata/README.md: dockerhub-library-alpine,
// dockerhub-official-root-keys, dockertrusttest-busybox). The expected outcomes are those of
// the source's own tests (moby's TestServicePinsOfficialRootKeys and
// TestServiceCreateTrustPinning), re-stated against the engine's error kinds.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "realdata.h"
#include "tuf/crypto.h"
#include "tuf/keys.h"

namespace {

namespace rd = testing::realdata;
using tuf::ErrorKind;

constexpr const char* kAlpineDir = "dockerhub-library-alpine/metadata";
constexpr const char* kAlpineGun = "docker.io/library/alpine";
// Docker Official Images root key: canonical ID of the bare key (what Docker publishes).
constexpr const char* kDoiRootKey =
    "c15164663f80d58bf3d8d5a0cd08b8086cba02065feb00421fc2a5436c563210";
constexpr const char* kAlpineLatest =
    "7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430";

constexpr const char* kBusyboxGun = "dockertrusttest.docker.io/library/busybox";
constexpr const char* kBusyboxGoodRootKey =
    "70eb123c834fd4d2a591fc9a50f4a6d26598fb64a2f37a845296ebbcceae5e24";

// tag -> hex sha256 and length, read from targets.json with a JSON library, not the engine.
std::map<std::string, std::pair<std::string, int64_t>> independent_targets(
    const std::string& file) {
  const auto doc = nlohmann::json::parse(rd::bytes(file));
  std::map<std::string, std::pair<std::string, int64_t>> out;
  for (const auto& [name, meta] : doc["signed"]["targets"].items()) {
    auto raw = tuf::crypto::base64_decode(meta["hashes"]["sha256"].get<std::string>());
    REQUIRE(raw.ok());
    out[name] = {tuf::crypto::to_hex(*raw), meta["length"].get<int64_t>()};
  }
  return out;
}

// doi-keys.txt: each canonical root key ID line is preceded by `# <image>` lines.
std::map<std::string, std::string> doi_image_keys(std::string_view text, int* key_count) {
  std::map<std::string, std::string> image_key;
  std::vector<std::string> pending;
  *key_count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line(text.substr(start, end - start));
    start = end + 1;
    if (line.rfind("# ", 0) == 0) {
      pending.push_back(line.substr(2));
    } else if (line.size() == 64) {
      ++*key_count;
      for (const std::string& image : pending) image_key[image] = line;
      pending.clear();
    }
  }
  return image_key;
}

std::string root_cert_key_id(const tuf::TrustedSet& set) {
  return set.root().signed_.roles.at("root").keyids.front();
}

}  // namespace

TEST_CASE("realdata alpine: verifies at 2018-08-01 pinned to the Docker Official Images key",
          "[realdata][alpine]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder(kAlpineDir, kAlpineGun, testing::at("2018-08-01T00:00:00Z"),
                              tuf::RootPin{{kDoiRootKey}});
  INFO("alpine pinned to c1516466: " << rd::describe(repo));
  REQUIRE(repo.ok());
  tuf::TrustedSet& set = (*repo)->set();
  CHECK(set.root().signed_.version == 1);
  CHECK(set.timestamp()->signed_.version == 383);
  CHECK(set.snapshot()->signed_.version == 331);
  CHECK(set.targets("targets")->signed_.version == 323);

  const auto expected = independent_targets(std::string(kAlpineDir) + "/targets.json");
  CHECK(expected.size() == 13);
  for (const auto& [tag, digest] : expected) {
    INFO("alpine tag " << tag);
    auto hit = (*repo)->resolver().find_dct(tag);
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->role == "targets");
    CHECK(tuf::is_dct_trusted(**hit));
    CHECK((*hit)->sha256_hex() == digest.first);
    CHECK((*hit)->meta.length == digest.second);
  }
  auto latest = (*repo)->resolver().find_dct("latest");
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->sha256_hex() == kAlpineLatest);
  CHECK((*latest)->meta.length == 2029);
  auto v38 = (*repo)->resolver().find_dct("3.8");
  REQUIRE(v38.ok());
  REQUIRE(v38->has_value());
  CHECK((*v38)->meta == (*latest)->meta);
  auto missing = (*repo)->resolver().find_dct("4.0");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());
  auto all = (*repo)->resolver().all(std::nullopt);
  REQUIRE(all.ok());
  CHECK(all->size() == 13);
}

TEST_CASE("realdata alpine: trust on first use and a certificate-ID pin also verify",
          "[realdata][alpine]") {
  DTRUST_REALDATA_OR_SKIP();
  const tuf::Time at = testing::at("2018-08-01T00:00:00Z");
  auto tofu = rd::open_folder(kAlpineDir, kAlpineGun, at);
  INFO("alpine unpinned: " << rd::describe(tofu));
  REQUIRE(tofu.ok());
  auto latest = (*tofu)->resolver().find_dct("latest");
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->sha256_hex() == kAlpineLatest);

  // The root.json key ID (over the certificate) is a different ID for the same key; both pin.
  const std::string cert_id = root_cert_key_id((*tofu)->set());
  CHECK(cert_id.rfind("a2489bca", 0) == 0);
  CHECK(cert_id != kDoiRootKey);
  auto by_cert = rd::open_folder(kAlpineDir, kAlpineGun, at, tuf::RootPin{{cert_id}});
  INFO("alpine pinned by certificate ID: " << rd::describe(by_cert));
  CHECK(by_cert.ok());
}

TEST_CASE("realdata alpine: a bogus pin for the GUN is a pin mismatch", "[realdata][alpine]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder(kAlpineDir, kAlpineGun, testing::at("2018-08-01T00:00:00Z"),
                              tuf::RootPin{{std::string(64, 'a')}});
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kPinMismatch);
  CHECK(repo.error().role == "root");
  CHECK(repo.error().gun == kAlpineGun);
}

TEST_CASE("realdata alpine: the GUN must be the root certificate's CN", "[realdata][alpine]") {
  DTRUST_REALDATA_OR_SKIP();
  // Same root key as ubuntu, but this certificate names alpine only.
  auto repo = rd::open_folder(kAlpineDir, "docker.io/library/ubuntu",
                              testing::at("2018-08-01T00:00:00Z"), tuf::RootPin{{kDoiRootKey}});
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kBadCertificate);
  CHECK(repo.error().role == "root");
}

TEST_CASE("realdata alpine: expired data is rejected after its validity window",
          "[realdata][alpine]") {
  DTRUST_REALDATA_OR_SKIP();
  SECTION("after the timestamp expired (2018-08-03) the timestamp is named") {
    auto repo = rd::open_folder(kAlpineDir, kAlpineGun, testing::at("2019-01-01T00:00:00Z"),
                                tuf::RootPin{{kDoiRootKey}});
    REQUIRE_FALSE(repo.ok());
    INFO(rd::describe(repo));
    CHECK(repo.error().kind == ErrorKind::kExpired);
    CHECK(repo.error().role == "timestamp");
  }
  SECTION("at the snapshot's now (2026-11-25) the root certificate has expired") {
    // Certificate and root.json both end on 2025-08-08; the certificate is checked first, when
    // the root is trusted (notary 0.7: "unable to retrieve valid leaf certificates").
    auto repo = rd::open_folder(kAlpineDir, kAlpineGun, testing::at("2026-11-25T00:00:00Z"),
                                tuf::RootPin{{kDoiRootKey}});
    REQUIRE_FALSE(repo.ok());
    INFO(rd::describe(repo));
    CHECK(repo.error().kind == ErrorKind::kBadCertificate);
    CHECK(repo.error().role == "root");
  }
  SECTION("with the real clock") {
    auto repo = rd::open_folder(kAlpineDir, kAlpineGun, rd::wall_clock_now());
    REQUIRE_FALSE(repo.ok());
    INFO(rd::describe(repo));
    CHECK(repo.error().kind == ErrorKind::kBadCertificate);
    CHECK(repo.error().role == "root");
  }
}

TEST_CASE("realdata official keys: doi-keys.txt lists alpine's canonical root key",
          "[realdata][alpine][doi]") {
  DTRUST_REALDATA_OR_SKIP();
  int key_count = 0;
  const auto image_key =
      doi_image_keys(rd::bytes("dockerhub-official-root-keys/doi-keys.txt"), &key_count);
  CHECK(key_count == 19);
  for (const char* image : {"alpine", "ubuntu", "nginx", "busybox"}) {
    INFO("doi-keys.txt image " << image);
    REQUIRE(image_key.count(image) == 1);
    CHECK(image_key.at(image) == kDoiRootKey);
  }
  auto root = tuf::parse_root(rd::bytes(std::string(kAlpineDir) + "/root.json"));
  REQUIRE(root.ok());
  const std::string& cert_id = root->signed_.roles.at("root").keyids.front();
  auto canonical = tuf::canonical_key_id(root->signed_.keys.at(cert_id));
  REQUIRE(canonical.ok());
  CHECK(*canonical == kDoiRootKey);
}

TEST_CASE("realdata official keys: the DOI root public key PEM has canonical ID c1516466",
          "[realdata][alpine][doi]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string spki = rd::pem_body_der(
      rd::bytes("dockerhub-official-root-keys/doi-root-pubkey-c1516466.pem"), "PUBLIC KEY");
  auto info = tuf::crypto::parse_spki(spki);
  REQUIRE(info.ok());
  CHECK(info->algorithm == tuf::crypto::KeyAlgorithm::kEcdsa);
  CHECK(info->key_bits == 256);
  CHECK(tuf::PublicKey{tuf::KeyType::kEcdsa, spki}.id() == kDoiRootKey);

  // It is the key inside alpine's root certificate.
  auto root = tuf::parse_root(rd::bytes(std::string(kAlpineDir) + "/root.json"));
  REQUIRE(root.ok());
  const std::string& cert_id = root->signed_.roles.at("root").keyids.front();
  auto certs = tuf::crypto::parse_certificate_pem(root->signed_.keys.at(cert_id).public_bytes);
  REQUIRE(certs.ok());
  CHECK(certs->front().spki_der == spki);
  CHECK(certs->front().common_name == kAlpineGun);
  CHECK_FALSE(certs->front().is_ca);
}

TEST_CASE("realdata busybox good: verifies at 2018-09-20 pinned to 70eb123c",
          "[realdata][busybox]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo =
      rd::open_folder("dockertrusttest-busybox/good", kBusyboxGun,
                      testing::at("2018-09-20T00:00:00Z"), tuf::RootPin{{kBusyboxGoodRootKey}});
  INFO("busybox good pinned: " << rd::describe(repo));
  REQUIRE(repo.ok());
  auto latest = (*repo)->resolver().find_dct("latest");
  REQUIRE(latest.ok());
  REQUIRE(latest->has_value());
  CHECK((*latest)->role == "targets");
  CHECK((*latest)->sha256_hex() ==
        "91ef6c1c52b166be02645b8efee30d1ee65362024f7da41c404681561734c465");
  CHECK((*latest)->meta.length == 527);
}

TEST_CASE("realdata busybox good: expired data is not allowed with the real clock",
          "[realdata][busybox]") {
  DTRUST_REALDATA_OR_SKIP();
  for (tuf::Time now : {rd::wall_clock_now(), testing::at("2026-11-25T00:00:00Z")}) {
    auto repo = rd::open_folder("dockertrusttest-busybox/good", kBusyboxGun, now,
                                tuf::RootPin{{kBusyboxGoodRootKey}});
    REQUIRE_FALSE(repo.ok());
    INFO("at " << tuf::format_rfc3339_utc(now) << ": " << rd::describe(repo));
    // The root certificate is valid to 2028; the timestamp ended on 2018-09-26.
    CHECK(repo.error().kind == ErrorKind::kExpired);
    CHECK(repo.error().role == "timestamp");
  }
}

TEST_CASE("realdata busybox good: enforced pin to an unknown key fails", "[realdata][busybox]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder("dockertrusttest-busybox/good", kBusyboxGun,
                              testing::at("2018-09-20T00:00:00Z"), tuf::RootPin{{"abcd"}});
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kPinMismatch);
}

TEST_CASE("realdata busybox bad: its root key is not the pinned 70eb123c", "[realdata][busybox]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo =
      rd::open_folder("dockertrusttest-busybox/bad", kBusyboxGun,
                      testing::at("2018-09-01T00:00:00Z"), tuf::RootPin{{kBusyboxGoodRootKey}});
  REQUIRE_FALSE(repo.ok());
  INFO(rd::describe(repo));
  CHECK(repo.error().kind == ErrorKind::kPinMismatch);
  CHECK(repo.error().role == "root");

  // Its canonical root key is 8dde55db..., not the stale 42d0661a... of the source comment.
  auto root = tuf::parse_root(rd::bytes("dockertrusttest-busybox/bad/root.json"));
  REQUIRE(root.ok());
  const std::string& cert_id = root->signed_.roles.at("root").keyids.front();
  auto canonical = tuf::canonical_key_id(root->signed_.keys.at(cert_id));
  REQUIRE(canonical.ok());
  CHECK(canonical->rfind("8dde55db", 0) == 0);
  CHECK(cert_id.rfind("42d0661a", 0) != 0);
}

TEST_CASE("realdata busybox bad: trust on first use at 2018-09-01 verifies",
          "[realdata][busybox]") {
  DTRUST_REALDATA_OR_SKIP();
  auto repo = rd::open_folder("dockertrusttest-busybox/bad", kBusyboxGun,
                              testing::at("2018-09-01T00:00:00Z"));
  INFO("busybox bad unpinned: " << rd::describe(repo));
  REQUIRE(repo.ok());
  auto all = (*repo)->resolver().all(std::nullopt);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].name == "glibc");
  CHECK((*all)[1].name == "latest");
  CHECK((*all)[1].sha256_hex().rfind("bbc3a032", 0) == 0);
  CHECK((*all)[1].meta.length == 527);
}
