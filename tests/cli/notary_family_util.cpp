#include "notary_family_util.h"

#include <catch2/catch.hpp>
#include <stdexcept>

namespace clitest {

namespace fs = std::filesystem;

namespace {

void run_openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = testing::run_command(argv);
  if (result.exit_code != 0) throw std::runtime_error("openssl failed: " + result.output);
}

}  // namespace

std::map<std::string, std::string> snapshot_files(const fs::path& dir) {
  std::map<std::string, std::string> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = testing::read_file(entry.path());
    }
  }
  return files;
}

std::string changed_entries(const std::map<std::string, std::string>& a,
                            const std::map<std::string, std::string>& b) {
  std::string out;
  for (const auto& [name, bytes] : a) {
    auto it = b.find(name);
    if (it == b.end() || it->second != bytes) out += name + " ";
  }
  for (const auto& [name, bytes] : b) {
    if (!a.contains(name)) out += name + " ";
  }
  return out;
}

std::vector<std::string> NotaryFamily::passphrase_env() {
  return {"NOTARY_ROOT_PASSPHRASE=root-pass", "NOTARY_TARGETS_PASSPHRASE=targets-pass",
          "NOTARY_SNAPSHOT_PASSPHRASE=snapshot-pass",
          "NOTARY_DELEGATION_PASSPHRASE=delegation-pass"};
}

NotaryFamily::NotaryFamily()
    : server(testing::NotaryServerOptions::with_tls()),
      trust_(dir_.path() / "trust"),
      go_same_(server, trust_),
      go_reader_(server) {}

RunResult NotaryFamily::dtrust(const std::vector<std::string>& args, const fs::path& trust_dir,
                               const std::vector<std::string>& extra_env) const {
  std::vector<std::string> argv = {DTRUST_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.insert(argv.end(), {"-s", server.url(), "--tlscacert", server.ca_file().string(), "-d",
                           (trust_dir.empty() ? trust_ : trust_dir).string()});
  std::vector<std::string> env = passphrase_env();
  env.push_back("DOCKER_CONFIG=" + (dir_.path() / "docker").string());
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  return run_process(argv, env);
}

testing::CommandResult NotaryFamily::go_same_dir(const std::vector<std::string>& args) const {
  return go_same_.run(args);
}

testing::CommandResult NotaryFamily::go_reader(const std::vector<std::string>& args) const {
  return go_reader_.run(args);
}

testing::CommandResult NotaryFamily::go_at(const fs::path& trust_dir,
                                           const std::vector<std::string>& args) const {
  return testing::NotaryCli(server, trust_dir).run(args);
}

KeyFiles NotaryFamily::make_key(const std::string& name) const {
  KeyFiles key{dir_.path() / (name + ".key"), dir_.path() / (name + ".pub"),
               dir_.path() / (name + ".crt")};
  run_openssl(
      {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.private_key.string()});
  run_openssl(
      {"pkey", "-in", key.private_key.string(), "-pubout", "-out", key.public_key.string()});
  run_openssl({"req", "-new", "-x509", "-key", key.private_key.string(), "-out",
               key.certificate.string(), "-days", "30", "-subj", "/CN=" + name});
  return key;
}

void NotaryFamily::import_key(const fs::path& trust_dir, const KeyFiles& key,
                              const std::string& role) const {
  auto result = go_at(trust_dir, {"key", "import", key.private_key.string(), "-r", role});
  if (result.exit_code != 0) throw std::runtime_error("notary key import: " + result.output);
}

std::map<std::string, std::string> NotaryFamily::state() const {
  std::map<std::string, std::string> files = snapshot_files(trust_ / "private");
  for (const auto& [name, bytes] : snapshot_files(trust_ / "tuf")) files["tuf/" + name] = bytes;
  auto cached = dtrust({"list", gun, "--offline"});
  // stdout only: the warning on stderr says when the cache was last verified, which a failed
  // publish legitimately refreshes.
  files["<offline list>"] = std::to_string(cached.exit_code) + cached.out;
  return files;
}

void NotaryFamily::publish_team_under_raised_threshold(const KeyFiles& signer,
                                                       const KeyFiles& second,
                                                       const std::string& hex) const {
  import_key(trust_, signer, "targets/team");
  auto run = [&](const std::vector<std::string>& args) {
    auto r = dtrust(args);
    INFO(args[0] << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  };
  run({"init", gun});
  run({"delegation", "add", gun, "targets/team", signer.certificate.string(), "--all-paths", "-p"});
  run({"add", gun, "v1", "--digest", "sha256:" + hex, "--size", "3", "-r", "targets/team", "-p"});
  run({"lookup", gun, "v1"});
  run({"delegation", "add", gun, "targets/team", second.public_key.string(), "--threshold", "2",
       "-p"});
}

}  // namespace clitest
