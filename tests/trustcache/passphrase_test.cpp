// The environment-variable passphrase rules of docker and notary.
#include <catch2/catch.hpp>

#include <map>

#include "trustcache/passphrase.h"

namespace {

using trustcache::EnvPassphraseProvider;
using trustcache::PassphraseEnv;

EnvPassphraseProvider provider(PassphraseEnv env, std::map<std::string, std::string> vars) {
  return EnvPassphraseProvider(env, [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  });
}

}  // namespace

TEST_CASE("passphrase: docker root never falls back to the repository variable",
          "[keystore][passphrase]") {
  auto env = provider(PassphraseEnv::kDocker,
                      {{"DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE", "repo-pass"}});
  auto root = env.get("abcdef0123", "root", false, 0);
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().kind == tuf::ErrorKind::kBadPassphrase);
  CHECK_THAT(root.error().message(), Catch::Contains("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE"));
  for (const char* role : {"targets", "snapshot", "targets/releases", "alice", "encrypted"}) {
    auto got = env.get("abcdef0123", role, false, 0);
    REQUIRE(got.ok());
    CHECK(*got == "repo-pass");
  }
}

TEST_CASE("passphrase: docker root uses the root variable", "[keystore][passphrase]") {
  auto env = provider(PassphraseEnv::kDocker, {{"DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", "rp"}});
  auto root = env.get("", "root", true, 0);
  REQUIRE(root.ok());
  CHECK(*root == "rp");
  auto targets = env.get("", "targets", true, 0);
  REQUIRE_FALSE(targets.ok());
  CHECK_THAT(targets.error().message(),
             Catch::Contains("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE"));
}

TEST_CASE("passphrase: an empty variable counts as unset", "[keystore][passphrase]") {
  auto env = provider(PassphraseEnv::kDocker, {{"DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE", ""}});
  auto root = env.get("", "root", false, 0);
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().kind == tuf::ErrorKind::kBadPassphrase);
}

TEST_CASE("passphrase: notary maps each role to its variable", "[keystore][passphrase]") {
  auto env = provider(PassphraseEnv::kNotary, {{"NOTARY_ROOT_PASSPHRASE", "r"},
                                               {"NOTARY_TARGETS_PASSPHRASE", "t"},
                                               {"NOTARY_SNAPSHOT_PASSPHRASE", "s"},
                                               {"NOTARY_DELEGATION_PASSPHRASE", "d"}});
  CHECK(*env.get("", "root", false, 0) == "r");
  CHECK(*env.get("", "targets", false, 0) == "t");
  CHECK(*env.get("", "snapshot", false, 0) == "s");
  CHECK(*env.get("", "targets/releases", false, 0) == "d");
  CHECK(*env.get("", "alice", false, 0) == "d");
  CHECK_FALSE(env.get("", "timestamp", false, 0).ok());
  CHECK(trustcache::passphrase_variable(PassphraseEnv::kNotary, "timestamp").empty());
}

TEST_CASE("passphrase: a retry with the same variable is refused", "[keystore][passphrase]") {
  auto env = provider(PassphraseEnv::kNotary, {{"NOTARY_TARGETS_PASSPHRASE", "t"}});
  auto retry = env.get("0123456789", "targets", false, 1);
  REQUIRE_FALSE(retry.ok());
  CHECK(retry.error().kind == tuf::ErrorKind::kBadPassphrase);
  CHECK_THAT(retry.error().message(), Catch::Contains("NOTARY_TARGETS_PASSPHRASE"));
  CHECK_THAT(retry.error().message(), Catch::Contains("0123456"));

  trustcache::FixedPassphraseProvider fixed("pw");
  CHECK(*fixed.get("", "root", false, 0) == "pw");
  CHECK(fixed.get("", "root", false, 1).error().kind == tuf::ErrorKind::kBadPassphrase);
}
