// Helpers for the `dtrust key` tests against the real Go notary client on the same trust dirs
// (publish_cli_key_notary_test.cpp, publish_cli_key_notary_passwd_test.cpp): dtrust in-process,
// notary with an unreachable server, keys made by notary itself, the legacy key layouts of
// notary 0.1 and 0.3 (realdata/notary-compat), and snapshots of a trust dir.
#ifndef DTRUST_TESTS_CLI_KEY_NOTARY_UTIL_H_
#define DTRUST_TESTS_CLI_KEY_NOTARY_UTIL_H_

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "test_support.h"
#include "trustcache/key_store.h"

namespace key_notary_test {

using RunResult = clitest::RunResult;
using Session = clitest::DtrustSession;

inline constexpr const char* kGun = "example.com/org/repo";
inline const std::vector<std::string> kNotaryEnv = {
    "NOTARY_ROOT_PASSPHRASE=root-pass-1", "NOTARY_TARGETS_PASSPHRASE=targets-pass-1",
    "NOTARY_SNAPSHOT_PASSPHRASE=snapshot-pass-1", "NOTARY_DELEGATION_PASSPHRASE=deleg-pass-1"};

// dtrust in-process with this environment, stdin text and terminal flag.
inline RunResult dtrust(const std::vector<std::string>& args, const Session& session = {}) {
  return clitest::run_dtrust(args, session);
}

// The Go notary with an unreachable server, the trust dir `dir` and `env` added.
inline RunResult notary(const std::filesystem::path& dir, std::vector<std::string> args,
                        const std::vector<std::string>& env = kNotaryEnv) {
  std::vector<std::string> argv = {clitest::kNotaryBinary, "-s", "http://127.0.0.1:1", "-d",
                                   dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return clitest::run_process(argv, env);
}

inline std::filesystem::path compat_dir() { return testing::realdata_dir() / "notary-compat"; }

inline bool have_peers() {
  if (!clitest::have_notary()) {
    WARN("the Go notary client is not installed: skipping");
    return false;
  }
  if (!std::filesystem::exists(compat_dir())) {
    WARN("realdata/notary-compat is absent: skipping");
    return false;
  }
  return true;
}

// The private/ folders of notary 0.1 and 0.3 (root_keys/, tuf_keys/), made writable.
inline void copy_legacy_keys(const std::filesystem::path& trust_dir) {
  namespace fs = std::filesystem;
  for (const char* set : {"notary0.1", "notary0.3"}) {
    clitest::copy_tree(compat_dir() / set / "private", trust_dir / "private");
  }
  for (const auto& e : fs::recursive_directory_iterator(trust_dir / "private")) {
    fs::permissions(e.path(), e.is_directory() ? fs::perms::owner_all
                                               : fs::perms::owner_read | fs::perms::owner_write);
  }
  fs::permissions(trust_dir / "private", fs::perms::owner_all);
}

// Keys made by notary itself (a root key, a delegation key, and the targets and snapshot keys
// of `notary init`, which fails afterwards at the unreachable server).
inline void notary_made_keys(const std::filesystem::path& trust_dir) {
  REQUIRE(notary(trust_dir, {"key", "generate"}).exit_code == 0);
  REQUIRE(notary(trust_dir, {"key", "generate", "--role", "targets/releases"}).exit_code == 0);
  notary(trust_dir, {"init", kGun});
}

// Every file below `dir` with its mode and bytes: equal snapshots mean nothing changed.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
  return clitest::tree_with_modes(dir);
}

inline std::string id_with_role(const std::filesystem::path& trust_dir, const std::string& role) {
  auto keys = trustcache::KeyStore(trust_dir).list();
  REQUIRE(keys.ok());
  for (const auto& k : *keys) {
    if (k.role == role) return k.id;
  }
  FAIL("no " << role << " key");
  return "";
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace key_notary_test

#endif  // DTRUST_TESTS_CLI_KEY_NOTARY_UTIL_H_
