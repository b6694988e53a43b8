// Shared set-up of the notary-family publishing tests (delegation, remove, cosign): a real TLS
// notary-server, a dtrust trust dir, Go `notary` clients (one sharing dtrust's trust dir, so
// both clients hold the same keys, and one with a trust dir of its own), key files made by
// the OpenSSL CLI, and snapshots of directories to prove that a failed command changed nothing.
#ifndef DTRUST_TESTS_CLI_NOTARY_FAMILY_UTIL_H_
#define DTRUST_TESTS_CLI_NOTARY_FAMILY_UTIL_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "notary_server.h"
#include "test_support.h"

namespace clitest {

// An ECDSA P-256 key made by `openssl`: the private key PEM, its public key PEM (docker's .pub
// form) and a self-signed certificate (notary's delegation form).
struct KeyFiles {
  std::filesystem::path private_key;
  std::filesystem::path public_key;
  std::filesystem::path certificate;
};

// Every regular file under `dir` (relative path -> bytes); missing dir = empty.
std::map<std::string, std::string> snapshot_files(const std::filesystem::path& dir);

// The names of the entries that differ between two snapshots (for failure messages).
std::string changed_entries(const std::map<std::string, std::string>& a,
                            const std::map<std::string, std::string>& b);

class NotaryFamily {
 public:
  // Passphrases shared by dtrust and the Go client (NotaryCli's presets).
  static std::vector<std::string> passphrase_env();

  NotaryFamily();

  // `dtrust <command> <args> -s URL --tlscacert CA -d <trust dir>` as a process.
  RunResult dtrust(const std::vector<std::string>& args,
                   const std::filesystem::path& trust_dir = {},
                   const std::vector<std::string>& extra_env = {}) const;
  // The Go client on dtrust's trust dir (same keys and changelist).
  testing::CommandResult go_same_dir(const std::vector<std::string>& args) const;
  // A Go client with a trust dir of its own (a reader that holds no keys).
  testing::CommandResult go_reader(const std::vector<std::string>& args) const;
  // A Go client on any trust dir.
  testing::CommandResult go_at(const std::filesystem::path& trust_dir,
                               const std::vector<std::string>& args) const;

  KeyFiles make_key(const std::string& name) const;
  // `notary key import FILE -r ROLE` into `trust_dir` (the key is stored encrypted with the
  // delegation passphrase, in notary's layout, which dtrust reads).
  void import_key(const std::filesystem::path& trust_dir, const KeyFiles& key,
                  const std::string& role) const;

  // Publishes the repository with a delegation targets/team (all paths) that `signer`'s key
  // (imported into trust()) signs, holding v1 (sha256 `hex`, 3 bytes), which a look-up then
  // finds; then adds `second`'s key and raises the threshold to 2. That re-signs only the
  // parent: targets/team keeps one signature, and every reader must skip it.
  void publish_team_under_raised_threshold(const KeyFiles& signer, const KeyFiles& second,
                                           const std::string& hex) const;

  const std::filesystem::path& trust() const { return trust_; }
  std::filesystem::path scratch(const std::string& name) const { return dir_.path() / name; }
  // Changelist, private keys and metadata of dtrust's trust dir, plus the table an offline
  // `dtrust list` prints from the trust cache.
  std::map<std::string, std::string> state() const;

  testing::NotaryServer server;
  const std::string gun = "localhost:5000/family/app";

 private:
  testing::TempDir dir_;
  std::filesystem::path trust_;
  testing::NotaryCli go_same_;
  testing::NotaryCli go_reader_;
};

}  // namespace clitest

#endif  // DTRUST_TESTS_CLI_NOTARY_FAMILY_UTIL_H_
