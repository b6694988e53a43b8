// `dtrust key generate` / `key load` (docker-trust-cli.md 1.4, 1.5), run as a process with
// stdin from /dev/null: passphrases come from the environment or the command fails.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_test_util.h"
#include "test_support.h"
#include "trustcache/key_store.h"

namespace {

namespace fs = std::filesystem;
using clitest::run_process;

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<fs::path> key_files(const fs::path& config) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(config / "trust" / "private", ec)) {
    out.push_back(e.path());
  }
  return out;
}

}  // namespace

TEST_CASE("key generate: writes docker's .pub and an encrypted key that decrypts",
          "[cli][publish][key]") {
  testing::TempDir tmp;
  const fs::path config = tmp.path() / "cfg";
  const std::string env_config = "DOCKER_CONFIG=" + config.string();
  auto r = run_process({DTRUST_BINARY, "key", "generate", "alice", "--dir", tmp.path().string()},
                       {env_config, "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=secret123"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const fs::path pub = tmp.path() / "alice.pub";
  CHECK(r.out ==
        "Generating key for alice...\nSuccessfully generated and loaded private key. "
        "Corresponding public key available: " +
            pub.string() + "\n");
  const std::string text = slurp(pub);
  CHECK(text.starts_with("-----BEGIN PUBLIC KEY-----\nrole: alice\n\n"));
  CHECK((fs::status(pub).permissions() & fs::perms::group_all) == fs::perms::none);
  // OpenSSL parses the body (it does not accept the role header, so drop it).
  std::string bare = text;
  bare.erase(bare.find("role: alice\n\n"), 13);
  std::ofstream(tmp.path() / "bare.pub") << bare;
  auto openssl = run_process(
      {"/usr/bin/openssl", "pkey", "-pubin", "-in", (tmp.path() / "bare.pub").string(), "-noout"});
  CHECK(openssl.exit_code == 0);

  const auto files = key_files(config);
  REQUIRE(files.size() == 1);
  trustcache::KeyStore store(config / "trust");
  trustcache::FixedPassphraseProvider right("secret123");
  auto loaded = store.load(files[0].stem().string(), right);
  REQUIRE(loaded.ok());
  CHECK(loaded->info.role == "alice");
  trustcache::FixedPassphraseProvider wrong("nope-nope");
  CHECK(!store.load(files[0].stem().string(), wrong).ok());

  auto again =
      run_process({DTRUST_BINARY, "key", "generate", "alice", "--dir", tmp.path().string()},
                  {env_config, "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=secret123"});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "public key file already exists: \"" + pub.string() + "\"\n");
}

TEST_CASE("key generate: no passphrase and no terminal fails naming the variable",
          "[cli][publish][key]") {
  testing::TempDir tmp;
  const fs::path config = tmp.path() / "cfg";
  auto r = run_process({DTRUST_BINARY, "key", "generate", "bob", "--dir", tmp.path().string()},
                       {"DOCKER_CONFIG=" + config.string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.starts_with("failed to generate key for bob: "));
  CHECK(r.err.find("DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE") != std::string::npos);
  CHECK(key_files(config).empty());
  CHECK(!fs::exists(tmp.path() / "bob.pub"));
  auto root = run_process(
      {DTRUST_BINARY, "key", "generate", "root", "--dir", tmp.path().string()},
      {"DOCKER_CONFIG=" + config.string(), "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=secret123"});
  CHECK(root.exit_code == 1);
  CHECK(root.err.find("DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE") != std::string::npos);
  auto bad = run_process({DTRUST_BINARY, "key", "generate", "Bad"}, {});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err ==
        "key name \"Bad\" must start with lowercase alphanumeric characters and can include "
        "\"-\" or \"_\" after the first character\n");
}

TEST_CASE("key load: an encrypted PKCS#8 file is really imported", "[cli][publish][key]") {
  testing::TempDir tmp;
  const fs::path config = tmp.path() / "cfg";
  const fs::path file = tmp.path() / "enc.pem";
  auto make = run_process({"/bin/sh", "-c",
                           "openssl ecparam -genkey -name prime256v1 -noout | openssl pkcs8 "
                           "-topk8 -v2 aes-256-cbc -v2prf hmacWithSHA1 -passout pass:filepass1 > " +
                               file.string()});
  REQUIRE(make.exit_code == 0);
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  const std::string env_config = "DOCKER_CONFIG=" + config.string();
  auto wrong = run_process({DTRUST_BINARY, "key", "load", "--name", "carol", file.string()},
                           {env_config, "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=wrongpass"});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err == "error importing key from " + file.string() + ": cannot load key from " +
                         "provided file " + file.string() + ": could not decrypt key\n");
  CHECK(key_files(config).empty());
  auto ok = run_process({DTRUST_BINARY, "key", "load", "--name", "carol", file.string()},
                        {env_config, "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=filepass1"});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.out == "Loading key from \"" + file.string() + "\"...\nSuccessfully imported key from " +
                      file.string() + "\n");
  const auto files = key_files(config);
  REQUIRE(files.size() == 1);
  CHECK(slurp(files[0]).starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\nrole: carol\n"));

  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  auto open = run_process({DTRUST_BINARY, "key", "load", file.string()}, {env_config});
  CHECK(open.exit_code == 1);
  CHECK(open.err == "refusing to load key from " + file.string() + ": private key file " +
                        file.string() + " must not be readable or writable by others\n");
}
