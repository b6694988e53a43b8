// `dtrust inspect` end to end in-process: gathering from verified fixtures and real Docker Hub
// data, argument handling, error aggregation (docker-trust-cli.md §1.1).
#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "inspect_format.h"
#include "test_support.h"

namespace fs = std::filesystem;
using clitest::fixture;
using clitest::fixture_time;
using clitest::run_dtrust;

namespace {

const std::string kSet = "delegations";
const std::string kGun = "example.com/dtrust/delegations";
const std::string kDigestA = "9597a862f9440f67d557817a68831239e0ef9cd0b9661c4e692be8986e0276cd";
const std::string kDigestB = "aa4fa9f1f8ca4b80e02d63091680ffac0c3ef692ef54f9524294768b4a6152f0";
const std::string kDigestC = "13430c70ecbe88e14dae29fc2d7df56108c7e8e5fe73d5dbcda930cfbbad89f0";
const tuf::Time kClock = testing::at("2030-01-01T00:00:00Z");  // past every fixture's expiry

clitest::RunResult inspect(std::vector<std::string> args) {
  std::vector<std::string> full = {"inspect", "--from", fixture(kSet).string(), "--at",
                                   fixture_time(kSet)};
  full.insert(full.end(), args.begin(), args.end());
  return run_dtrust(full, kClock);
}

std::string time_warning() {
  return "warning: verifying as of " +
         tuf::format_rfc3339_utc(tuf::parse_rfc3339(fixture_time(kSet))->instant) +
         ", not the current time\n";
}

// What docker shows for the delegations fixture, from its MANIFEST: §2.1 rows (the fixture's
// README table), signers in walk order with canonical key IDs, admin keys of the root.
cli::RepoTrust expected_delegations(const std::string& name, bool all_tags) {
  const auto m = clitest::manifest(kSet);
  cli::RepoTrust r;
  r.name = name;
  if (all_tags) {
    r.signed_tags = {{"both", kDigestA, {"alice"}},
                     {"conflict", kDigestA, {}},  // targets, walked before releases
                     {"conflict", kDigestB, {}},
                     {"releaseonly", kDigestC, {}},
                     {"toponly", kDigestA, {}}};
  }
  for (const auto& d : m.at("delegations")) {
    if (d.at("name") == "targets/releases") continue;
    cli::SignerInfo signer{d.at("name").get<std::string>().substr(8), {}};
    for (const auto& k : d.at("keys")) signer.key_ids.push_back(k.at("canonical_key_id"));
    r.signers.push_back(signer);
  }
  const auto& roles = m.at("root_history").back().at("role_key_ids");
  r.root_key_ids = roles.at("root").get<std::vector<std::string>>();
  r.targets_key_ids = roles.at("targets").get<std::vector<std::string>>();
  return r;
}

}  // namespace

TEST_CASE("inspect: the delegations fixture as docker shows it", "[inspect][command]") {
  auto r = inspect({kGun});
  CHECK(r.exit_code == 0);
  CHECK(r.err == time_warning());
  CHECK(r.out == cli::format_inspect_json({expected_delegations(kGun, true)}));
  // Signer names: nested roles keep their path below targets/.
  CHECK(r.out.find("\"Name\": \"alice/ci\"") != std::string::npos);
}

TEST_CASE("inspect: one tag; an unreleased or absent tag has no rows", "[inspect][command]") {
  auto both = inspect({kGun + ":both"});
  CHECK(both.exit_code == 0);
  cli::RepoTrust expected = expected_delegations(kGun + ":both", false);
  expected.signed_tags = {{"both", kDigestA, {"alice"}}};
  CHECK(both.out == cli::format_inspect_json({expected}));

  for (const std::string tag : {"aliceonly", "nope"}) {
    auto r = inspect({"--pretty", kGun + ":" + tag});
    CHECK(r.exit_code == 0);
    CHECK(r.out == cli::format_inspect_pretty(expected_delegations(kGun + ":" + tag, false)));
    CHECK(r.out.starts_with("\nNo signatures for " + kGun + ":" + tag + "\n\n\nList of signers"));
  }
}

TEST_CASE("inspect: a digest reference lists every tag", "[inspect][command]") {
  const std::string arg = kGun + "@sha256:" + kDigestA;
  auto r = inspect({arg});
  CHECK(r.exit_code == 0);
  CHECK(r.out == cli::format_inspect_json({expected_delegations(arg, true)}));
}

TEST_CASE("inspect: JSON prints successes, then failures in argument order", "[inspect][command]") {
  auto r = inspect({kGun + ":both", "example.com/missing", "Bad/Name", kGun + ":toponly",
                    "example.com/missing2"});
  CHECK(r.exit_code == 1);
  auto both = expected_delegations(kGun + ":both", false);
  both.signed_tags = {{"both", kDigestA, {"alice"}}};
  auto toponly = expected_delegations(kGun + ":toponly", false);
  toponly.signed_tags = {{"toponly", kDigestA, {}}};
  CHECK(r.out == cli::format_inspect_json({both, toponly}));
  CHECK(r.err == time_warning() +
                     "no signatures or cannot access example.com/missing\n"
                     "invalid reference format: repository name (Name) must be lowercase\n"
                     "no signatures or cannot access example.com/missing2\n");
}

TEST_CASE("inspect: nothing found prints an empty array", "[inspect][command]") {
  auto r = inspect({"example.com/missing"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "[]\n");
  CHECK(r.err == time_warning() + "no signatures or cannot access example.com/missing\n");
}

TEST_CASE("inspect: --verbose adds the reason under docker's line", "[inspect][command]") {
  auto r = inspect({"-v", "example.com/missing"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with(time_warning() + "no signatures or cannot access example.com/missing\n"
                                           "dtrust: example.com/missing: root: "));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 3);
}

TEST_CASE("inspect: --pretty separates arguments and stops at the first failure",
          "[inspect][command]") {
  const auto a = expected_delegations(kGun, true);
  auto tagged = expected_delegations(kGun + ":toponly", false);
  tagged.signed_tags = {{"toponly", kDigestA, {}}};
  auto two = inspect({"--pretty", kGun, kGun + ":toponly"});
  CHECK(two.exit_code == 0);
  CHECK(two.out == cli::format_inspect_pretty(a) + "\n\n" + cli::format_inspect_pretty(tagged));

  auto stops = inspect({"--pretty", kGun, "example.com/missing", kGun + ":toponly"});
  CHECK(stops.exit_code == 1);
  CHECK(stops.out == cli::format_inspect_pretty(a) + "\n\n");
  CHECK(stops.err == time_warning() + "no signatures or cannot access example.com/missing\n");
}

TEST_CASE("inspect: a failing verification is docker's generic line", "[inspect][command]") {
  // Without --at the clock is past the fixture's timestamp expiry.
  auto r = run_dtrust({"inspect", "--from", fixture(kSet).string(), kGun}, kClock);
  CHECK(r.exit_code == 1);
  CHECK(r.out == "[]\n");
  CHECK(r.err == "no signatures or cannot access " + kGun + "\n");
  auto verbose = run_dtrust({"inspect", "-v", "--from", fixture(kSet).string(), kGun}, kClock);
  CHECK(verbose.err.find("\ndtrust: " + kGun + ": timestamp: expired at ") != std::string::npos);
}

TEST_CASE("inspect: Docker Hub's alpine, pinned to the official root key",
          "[inspect][command][realdata]") {
  const fs::path metadata = testing::realdata_dir() / "dockerhub-library-alpine" / "metadata";
  const fs::path doi_key =
      testing::realdata_dir() / "dockerhub-official-root-keys" / "doi-root-pubkey-c1516466.pem";
  if (!fs::exists(metadata) || !fs::exists(doi_key)) {
    WARN("realdata absent: " << metadata);
    return;
  }
  // A trust dir laid out as docker keeps it, so the GUN comes from docker's normalisation.
  testing::TempDir trust;
  clitest::copy_tree(metadata,
                     trust.path() / "tuf" / "docker.io" / "library" / "alpine" / "metadata");
  const std::vector<std::string> base = {
      "inspect",        "--from", trust.path().string(), "--root-key",
      doi_key.string(), "--at",   "2018-08-01T00:00:00Z"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return run_dtrust(args, kClock);
  };
  auto pretty = with({"--pretty", "alpine"});
  REQUIRE(pretty.exit_code == 0);
  CHECK(pretty.err == "warning: verifying as of 2018-08-01T00:00:00Z, not the current time\n");
  CHECK(pretty.out.starts_with(
      "\nSignatures for alpine\n\n"
      "SIGNED TAG        DIGEST                                                             "
      "SIGNERS\n"
      "2.6               9ace551613070689a12857d62c30ef0daa9a376107ec0fff0e34786cedb3399b   "
      "(Repo Admin)\n"
      "2.7               "));
  CHECK(pretty.out.find(
            "3.8               7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430"
            "   (Repo Admin)\n"
            "edge              ") != std::string::npos);
  CHECK(pretty.out.ends_with(
      "integ-test-base   3952dc48dcc4136ccdde37fbef7e250346538a55a0366e3fccc683336377e372   "
      "(Repo Admin)\n"
      "latest            7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430   "
      "(Repo Admin)\n"
      "\nAdministrative keys for alpine\n\n"
      "  Repository Key:\t5a46c9aaa82ff150bb7305a2d17d0c521c2d784246807b2dc611f436a69041fd\n"
      "  Root Key:\ta2489bcac7a79aa67b19b96c4a3bf0c675ffdf00c6d2fabe1a5df1115e80adce\n"));
  CHECK(std::count(pretty.out.begin(), pretty.out.end(), '\n') == 3 + 14 + 5);

  auto json = with({"docker.io/library/alpine:latest"});
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"SignedTag\": \"latest\",\n                \"Digest\": "
                      "\"7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430\"") !=
        std::string::npos);

  auto wrong =
      with({"--root-key", "0000000000000000000000000000000000000000000000000000000000000000", "-v",
            "alpine"});
  CHECK(wrong.exit_code == 0);  // one matching pin of several is enough
  auto wrong_only = run_dtrust(
      {"inspect", "-v", "--from", trust.path().string(), "--at", "2018-08-01T00:00:00Z",
       "--root-key", "0000000000000000000000000000000000000000000000000000000000000000", "alpine"},
      kClock);
  CHECK(wrong_only.exit_code == 1);
  CHECK(wrong_only.err.ends_with(
      "no signatures or cannot access alpine\n"
      "dtrust: docker.io/library/alpine: root: root key does not match the pinned root key\n"));
}
