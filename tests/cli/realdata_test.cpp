// dtrust lookup/list on third-party trust data (Docker Hub, Docker's test notary), with and
// without root pinning. Skipped when ../shared/realdata is absent.
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "test_support.h"

namespace fs = std::filesystem;
using clitest::run_dtrust;

namespace {

const std::string kAlpineGun = "docker.io/library/alpine";
const std::string kDoiKeyId = "c15164663f80d58bf3d8d5a0cd08b8086cba02065feb00421fc2a5436c563210";
const std::string kAlpineLatest =
    "latest sha256:7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430 2029\n";
const std::string kAt = "2018-08-01T00:00:00Z";
const std::string kWarning =
    "warning: verifying as of 2018-08-01T00:00:00Z, not the current time\n";
const tuf::Time kToday = testing::at("2026-11-25T12:00:00Z");

fs::path alpine() { return testing::realdata_dir() / "dockerhub-library-alpine" / "metadata"; }
fs::path doi_pem() {
  return testing::realdata_dir() / "dockerhub-official-root-keys" / "doi-root-pubkey-c1516466.pem";
}

}  // namespace

TEST_CASE("realdata: alpine verifies pinned by the DOI key file, its ID, or unpinned",
          "[realdata][pin]") {
  if (!fs::exists(alpine())) {
    WARN("realdata absent: " << alpine());
    return;
  }
  for (const std::vector<std::string>& pin :
       {std::vector<std::string>{"--root-key", doi_pem().string()},
        std::vector<std::string>{"--root-key", kDoiKeyId}, std::vector<std::string>{}}) {
    std::vector<std::string> args = {"lookup", "--from", alpine().string(), "--at", kAt};
    args.insert(args.end(), pin.begin(), pin.end());
    args.insert(args.end(), {kAlpineGun, "latest"});
    auto r = run_dtrust(args, kToday);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == kAlpineLatest);
    CHECK(r.err == kWarning);
  }
}

TEST_CASE("realdata: alpine with a wrong pin is refused", "[realdata][pin]") {
  if (!fs::exists(alpine())) {
    WARN("realdata absent: " << alpine());
    return;
  }
  // The busybox test root's canonical ID: a real key, just not alpine's.
  auto r =
      run_dtrust({"list", "--from", alpine().string(), "--at", kAt, "--root-key",
                  "70eb123c834fd4d2a591fc9a50f4a6d26598fb64a2f37a845296ebbcceae5e24", kAlpineGun},
                 kToday);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == kWarning +
                     "docker.io/library/alpine: root: root key does not match the pinned root "
                     "key\n");
}

TEST_CASE("realdata: expired alpine data fails naming the role", "[realdata][expiry]") {
  if (!fs::exists(alpine())) {
    WARN("realdata absent: " << alpine());
    return;
  }
  SECTION("today: the root certificate expired in 2025") {
    auto r = run_dtrust({"lookup", "--from", alpine().string(), kAlpineGun, "latest"}, kToday);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("docker.io/library/alpine: root: "));
    CHECK(r.err.find("expired") != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  SECTION("2019: the timestamp expired on 2018-08-03") {
    auto r = run_dtrust({"lookup", "--from", alpine().string(), "--at", "2019-01-01T00:00:00Z",
                         kAlpineGun, "latest"},
                        kToday);
    CHECK(r.exit_code == 1);
    CHECK(r.err ==
          "warning: verifying as of 2019-01-01T00:00:00Z, not the current time\n"
          "docker.io/library/alpine: timestamp: expired at 2018-08-03T15:48:41.776179945Z\n");
  }
}

TEST_CASE("realdata: busybox from Docker's test notary, good and bad pin", "[realdata][pin]") {
  const fs::path base = testing::realdata_dir() / "dockertrusttest-busybox";
  if (!fs::exists(base)) {
    WARN("realdata absent: " << base);
    return;
  }
  const std::string gun = "dockertrusttest.docker.io/library/busybox";
  const std::string pin = "70eb123c834fd4d2a591fc9a50f4a6d26598fb64a2f37a845296ebbcceae5e24";
  auto good = run_dtrust({"lookup", "--from", (base / "good").string(), "--at",
                          "2018-09-20T00:00:00Z", "--root-key", pin, gun, "latest"},
                         kToday);
  CHECK(good.exit_code == 0);
  CHECK(good.out ==
        "latest sha256:91ef6c1c52b166be02645b8efee30d1ee65362024f7da41c404681561734c465 527\n");
  auto bad = run_dtrust({"lookup", "--from", (base / "bad").string(), "--at",
                         "2018-09-01T00:00:00Z", "--root-key", pin, gun, "latest"},
                        kToday);
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.ends_with(gun + ": root: root key does not match the pinned root key\n"));
  auto tofu = run_dtrust(
      {"list", "--from", (base / "bad").string(), "--at", "2018-09-01T00:00:00Z", gun}, kToday);
  CHECK(tofu.exit_code == 0);
  CHECK(tofu.out.find("\nglibc ") != std::string::npos);
}
