// docker's config.json credential lookup (auths, credHelpers, credsStore) with a real
// shell-script credential helper, and NOTARY_AUTH (notary-v1-protocol.md 2.4,
// test-peers-recipes.md 1.9).
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "notary/auth.h"
#include "test_support.h"

using notary::Credentials;
using testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Writes `docker-credential-<name>` into `dir`: it appends its arguments to <name>.argv,
// saves its stdin as <name>.stdin, prints `out` and exits with `code`.
void write_helper(const fs::path& dir, const std::string& name, const std::string& out,
                  int code = 0) {
  const fs::path script = dir / ("docker-credential-" + name);
  testing::write_file(script, "#!/bin/sh\necho \"$@\" >> '" + (dir / (name + ".argv")).string() +
                                  "'\ncat > '" + (dir / (name + ".stdin")).string() +
                                  "'\nprintf '%s' '" + out + "'\nexit " + std::to_string(code) +
                                  "\n");
  fs::permissions(script, fs::perms::owner_all);
}

// Puts a directory first on PATH for the lifetime of the object.
class PathPrefix {
 public:
  explicit PathPrefix(const fs::path& dir) {
    const char* old = std::getenv("PATH");
    old_ = old != nullptr ? old : "/usr/bin:/bin";
    ::setenv("PATH", (dir.string() + ":" + old_).c_str(), 1);
  }
  ~PathPrefix() { ::setenv("PATH", old_.c_str(), 1); }

 private:
  std::string old_;
};

Credentials lookup(const TempDir& dir, const std::string& config, const std::string& key) {
  testing::write_file(dir.path() / "config.json", config);
  return notary::docker_credentials(dir.path().string())->get(key);
}

bool is_alice(const Credentials& c) {
  return c.username == "alice" && c.password == "alicepw" && c.identity_token.empty();
}

std::string read_or_empty(const fs::path& path) {
  return fs::exists(path) ? testing::read_file(path) : std::string();
}

constexpr const char* kAliceHelperJson =
    R"({"ServerURL":"localhost:5000","Username":"alice","Secret":"alicepw"})";

}  // namespace

TEST_CASE("credentials: auths entries with auth, username/password and identitytoken", "[auth]") {
  TempDir dir;
  CHECK(is_alice(lookup(dir, R"({"auths":{"localhost:5000":{"auth":"YWxpY2U6YWxpY2Vwdw=="}}})",
                        "localhost:5000")));
  CHECK(is_alice(lookup(dir,
                        R"({"auths":{"localhost:5000":{"username":"alice","password":"alicepw"}}})",
                        "localhost:5000")));
  const Credentials token = lookup(
      dir,
      R"({"auths":{"localhost:5000":{"auth":"YWxpY2U6YWxpY2Vwdw==","identitytoken":"rt-alice"}}})",
      "localhost:5000");
  CHECK(token.identity_token == "rt-alice");
  CHECK(
      lookup(dir, R"({"auths":{"localhost:5000":{"identitytoken":"rt-alice"}}})", "localhost:5000")
          .identity_token == "rt-alice");
}

TEST_CASE("credentials: auths keys are matched with scheme and path stripped", "[auth]") {
  TempDir dir;
  for (const char* key : {"https://localhost:5000", "http://localhost:5000/v2/"}) {
    INFO(key);
    const std::string config =
        std::string(R"({"auths":{")") + key + R"(":{"auth":"YWxpY2U6YWxpY2Vwdw=="}}})";
    CHECK(is_alice(lookup(dir, config, "localhost:5000")));
  }
  // No aliasing of hosts, and the notary host's entry is not the registry's.
  const std::string config = R"({"auths":{"127.0.0.1:5000":{"auth":"YWxpY2U6YWxpY2Vwdw=="},
                                          "localhost:4443":{"auth":"YWxpY2U6YWxpY2Vwdw=="}}})";
  CHECK(lookup(dir, config, "localhost:5000").empty());
}

TEST_CASE("credentials: missing, unreadable or malformed config means anonymous", "[auth]") {
  TempDir dir;
  CHECK(notary::docker_credentials(dir.path().string())->get("localhost:5000").empty());
  CHECK(lookup(dir, "{not json", "localhost:5000").empty());
  CHECK(lookup(dir, R"({"auths":{"localhost:5000":{"auth":"not base64!"}}})", "localhost:5000")
            .empty());
}

TEST_CASE("credentials: credHelpers runs docker-credential-<name> get with the bare key",
          "[auth]") {
  TempDir dir;
  write_helper(dir.path(), "dtest", kAliceHelperJson);
  PathPrefix path(dir.path());
  testing::write_file(dir.path() / "config.json", R"({"credHelpers":{"localhost:5000":"dtest"}})");
  auto source = notary::docker_credentials(dir.path().string());
  CHECK(is_alice(source->get("localhost:5000")));
  CHECK(is_alice(source->get("localhost:5000")));  // cached: the helper runs once
  CHECK(testing::read_file(dir.path() / "dtest.argv") == "get\n");
  CHECK(testing::read_file(dir.path() / "dtest.stdin") == "localhost:5000");  // no newline

  // A helper configured for another host (e.g. the notary host) is not run.
  CHECK(source->get("localhost:4443").empty());
  CHECK(testing::read_file(dir.path() / "dtest.argv") == "get\n");
}

TEST_CASE("credentials: credsStore helper, <token> user and Docker Hub key", "[auth]") {
  TempDir dir;
  write_helper(
      dir.path(), "dtest",
      R"({"ServerURL":"https://index.docker.io/v1/","Username":"<token>","Secret":"rt-hub"})");
  PathPrefix path(dir.path());
  const std::string hub = notary::registry_credential_key("docker.io");
  CHECK(hub == "https://index.docker.io/v1/");
  // credHelpers keyed by the short names are not consulted for Docker Hub.
  const Credentials c = lookup(
      dir, R"({"credsStore":"dtest","credHelpers":{"docker.io":"none","index.docker.io":"none"}})",
      hub);
  CHECK(c.identity_token == "rt-hub");
  CHECK(c.username.empty());
  CHECK(c.password.empty());
  CHECK(testing::read_file(dir.path() / "dtest.stdin") == "https://index.docker.io/v1/");
}

TEST_CASE("credentials: helper not found, missing and broken helpers", "[auth]") {
  TempDir dir;
  write_helper(dir.path(), "nocreds", "credentials not found in native keychain", 1);
  write_helper(dir.path(), "broken", "something else went wrong", 1);
  PathPrefix path(dir.path());
  const std::string auths = R"("auths":{"localhost:5000":{"auth":"YWxpY2U6YWxpY2Vwdw=="}})";
  SECTION("not found means anonymous, even with an auths entry") {
    CHECK(lookup(dir, R"({"credHelpers":{"localhost:5000":"nocreds"}})", "localhost:5000").empty());
    CHECK(lookup(dir, R"({"credHelpers":{"localhost:5000":"nocreds"},)" + auths + "}",
                 "localhost:5000")
              .empty());
    CHECK(read_or_empty(dir.path() / "nocreds.stdin") == "localhost:5000");
  }
  SECTION("a missing executable is silently anonymous") {
    CHECK(lookup(dir, R"({"credHelpers":{"localhost:5000":"nonexistent"}})", "localhost:5000")
              .empty());
    CHECK(lookup(dir, R"({"credsStore":"nonexistent"})", "localhost:5000").empty());
  }
  SECTION("other helper failures fall back to auths, as docker's native store does") {
    CHECK(is_alice(lookup(dir, R"({"credHelpers":{"localhost:5000":"broken"},)" + auths + "}",
                          "localhost:5000")));
    CHECK(is_alice(lookup(dir, R"({"credHelpers":{"localhost:5000":"nonexistent"},)" + auths + "}",
                          "localhost:5000")));
  }
}

TEST_CASE("credentials: registry keys and NOTARY_AUTH", "[auth]") {
  CHECK(notary::registry_credential_key("docker.io") == "https://index.docker.io/v1/");
  CHECK(notary::registry_credential_key("index.docker.io") == "https://index.docker.io/v1/");
  CHECK(notary::registry_credential_key("localhost:5000") == "localhost:5000");
  CHECK(notary::registry_credential_key("registry.example.com") == "registry.example.com");

  CHECK(is_alice(notary::notary_env_credentials("YWxpY2U6YWxpY2Vwdw==")->get("any")));
  // "alice:alicepw \n": the password is trimmed.
  CHECK(is_alice(notary::notary_env_credentials("YWxpY2U6YWxpY2VwdyAK")->get("any")));
  CHECK(notary::notary_env_credentials("OmFsaWNlcHc=")->get("any").empty());  // ":alicepw"
  CHECK(notary::notary_env_credentials("YWxpY2U=")->get("any").empty());      // "alice"
  CHECK(notary::notary_env_credentials("%%%")->get("any").empty());
}
