// `dtrust key generate [--dir DIR] NAME` and `dtrust key load [--name NAME] KEYFILE`
// (docker-trust-cli.md 1.4, 1.5, 4.1): local only, docker's messages. Keys are stored encrypted
// in <trust dir>/private/<id>.key. Unlike docker 28.2.2, `key load` really imports encrypted
// key files. The notary-family subcommands (list, import, export, passwd, remove) are in
// cmd_key_notary.cpp; this file dispatches them.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <regex>
#include <sstream>

#include "cmd_key_notary.h"
#include "command.h"
#include "passphrase_prompt.h"
#include "source_options.h"
#include "trustcache/key_store.h"
#include "tuf/crypto.h"
#include "usage.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

bool valid_key_name(const std::string& name) {
  static const std::regex kName("^[a-z0-9][a-z0-9_-]*$");
  return std::regex_match(name, kName);
}

// Docker's NAME.pub (4.1): a PUBLIC KEY block with a `role` header, 64-column base64.
std::string public_key_file(const tuf::crypto::PrivateKey& key, const std::string& role) {
  const std::string b64 = tuf::crypto::base64_encode(key.public_spki_der());
  std::string out = "-----BEGIN PUBLIC KEY-----\nrole: " + role + "\n\n";
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END PUBLIC KEY-----\n";
}

std::optional<fs::path> trust_dir_of(const ParsedArgs& args, Io& io) {
  ServerOptions server;
  if (read_server_options(args, io, &server)) return std::nullopt;
  return server.trust_dir;
}

int generate(const ParsedArgs& args, Io& io) {
  if (args.positionals.size() != 2) {
    io.err << "dtrust: 'dtrust key generate' requires 1 argument\n";
    return kExitFailure;
  }
  const std::string& name = args.positionals[1];
  if (!valid_key_name(name)) {
    io.err << "key name \"" << name
           << "\" must start with lowercase alphanumeric characters and can include \"-\" or "
              "\"_\" after the first character\n";
    return kExitFailure;
  }
  std::error_code ec;
  const std::string dir_arg = args.value("dir").value_or(fs::current_path(ec).string());
  if (!fs::exists(dir_arg, ec)) {
    io.err << "public key path does not exist: \"" << dir_arg << "\"\n";
    return kExitFailure;
  }
  const fs::path pub = (fs::path(dir_arg) / (name + ".pub")).lexically_normal();
  if (fs::exists(pub, ec)) {
    io.err << "public key file already exists: \"" << pub.string() << "\"\n";
    return kExitFailure;
  }
  const auto trust_dir = trust_dir_of(args, io);
  if (!trust_dir) {
    io.err << "failed to generate key for " << name << ": bad trust configuration\n";
    return kExitFailure;
  }
  io.out << "Generating key for " << name << "...\n";
  io.out.flush();
  const auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  PromptingPassphraseProvider passphrases(io, trustcache::PassphraseEnv::kDocker);
  const std::string id = trustcache::canonical_key_id(key);
  auto fail = [&](const std::string& why) {
    io.out << why;  // docker prints the reason on stdout first, without a newline
    io.err << "failed to generate key for " << name << ": " << why << "\n";
    return kExitFailure;
  };
  auto passphrase = passphrases.get(id, name, /*create_new=*/true, 0);
  if (!passphrase.ok()) return fail(passphrase.error().detail);
  trustcache::KeyStore store(*trust_dir);
  auto stored = store.store(key, name, "", *passphrase);
  if (!stored.ok()) return fail(stored.error().detail);
  if (!trustcache::write_private_file(pub, public_key_file(key, name)).ok()) {
    io.err << "failed to generate key for " << name << ": cannot write " << pub.string() << "\n";
    return kExitFailure;
  }
  io.out << "Successfully generated and loaded private key. Corresponding public key available: "
         << pub.string() << "\n";
  return kExitOk;
}

int load(const ParsedArgs& args, Io& io) {
  if (args.positionals.size() != 2) {
    io.err << "dtrust: 'dtrust key load' requires 1 argument\n";
    return kExitFailure;
  }
  const std::string& file = args.positionals[1];
  const std::string name = args.value("name").value_or("signer");
  if (!name.empty() && !valid_key_name(name)) {
    io.err << "key name \"" << name
           << "\" must start with lowercase alphanumeric characters and can include \"-\" or "
              "\"_\" after the first character\n";
    return kExitFailure;
  }
  io.out << "Loading key from \"" << file << "\"...\n";
  io.out.flush();
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    io.err << "refusing to load key from " << file << ": stat " << file
           << ": no such file or directory\n";
    return kExitFailure;
  }
  if ((st.st_mode & 077) != 0) {
    io.err << "refusing to load key from " << file << ": private key file " << file
           << " must not be readable or writable by others\n";
    return kExitFailure;
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto trust_dir = trust_dir_of(args, io);
  if (!trust_dir) {
    io.err << "error importing key from " << file << ": bad trust configuration\n";
    return kExitFailure;
  }
  PromptingPassphraseProvider passphrases(io, trustcache::PassphraseEnv::kDocker);
  const std::string prefix = "error importing key from " + file + ": ";
  auto keys = trustcache::import_pem(text.str(), name.empty() ? "signer" : name, "", passphrases);
  if (!keys.ok()) {
    const tuf::Error& e = keys.error();
    if (e.kind == tuf::ErrorKind::kBadPassphrase && e.detail.find(": set ") == std::string::npos) {
      io.err << prefix << "cannot load key from provided file " << file
             << ": could not decrypt key\n";
    } else if (e.kind == tuf::ErrorKind::kUsage &&
               e.detail.find("not a supported") != std::string::npos) {
      io.err << prefix << "provided file " << file
             << " is not a supported private key - to add a signer's public key use docker "
                "trust signer add\n";
    } else {
      io.err << prefix << e.detail << "\n";
    }
    return kExitFailure;
  }
  trustcache::KeyStore store(*trust_dir);
  // Every passphrase first, then every write: a refused passphrase stores nothing.
  std::vector<std::string> chosen;
  for (const trustcache::ImportedKey& k : *keys) {
    auto passphrase = passphrases.get(k.id, k.role, /*create_new=*/true, 0);
    if (!passphrase.ok()) {
      io.err << prefix << passphrase.error().detail << "\n";
      return kExitFailure;
    }
    chosen.push_back(*passphrase);
  }
  for (size_t i = 0; i < keys->size(); ++i) {
    const trustcache::ImportedKey& k = (*keys)[i];
    auto stored = store.store(k.key, k.role, k.gun, chosen[i]);
    if (!stored.ok()) {
      io.err << prefix << stored.error().detail << "\n";
      return kExitFailure;
    }
  }
  io.out << "Successfully imported key from " << file << "\n";
  return kExitOk;
}

struct Subcommand {
  std::string_view name;
  std::vector<std::string_view> flags;  // besides --trust-dir and --help
  int (*run)(const ParsedArgs&, const fs::path& trust_dir, Io&);
};

const std::vector<Subcommand>& notary_subcommands() {
  static const std::vector<Subcommand> all = {
      {"list", {}, key_list},
      {"import", {"role", "gun"}, key_import},
      {"export", {"key", "gun", "output"}, key_export},
      {"passwd", {}, key_passwd},
      {"remove", {"yes"}, key_remove},
  };
  return all;
}

// The flags `sub` accepts; any other given flag is pflag's "unknown flag" for that subcommand.
std::optional<std::string> unexpected_flag(const ParsedArgs& args,
                                           const std::vector<std::string_view>& allowed) {
  for (const auto& [name, values] : args.values) {
    if (name == "trust-dir" || name == "help") continue;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return name;
  }
  return std::nullopt;
}

int run_key(const Command& command, const ParsedArgs& args, Io& io) {
  const std::string& sub = args.positionals[0];
  std::optional<std::string> bad;
  if (sub == "generate") bad = unexpected_flag(args, {"dir"});
  if (sub == "load") bad = unexpected_flag(args, {"name"});
  const auto& notary = notary_subcommands();
  const auto it = std::find_if(notary.begin(), notary.end(),
                               [&](const Subcommand& s) { return s.name == sub; });
  if (it != notary.end()) bad = unexpected_flag(args, it->flags);
  if (bad) {
    io.err << flag_error(command, "unknown flag: --" + *bad + " for 'dtrust key " + sub + "'");
    return kExitUsage;
  }
  if (sub == "generate") return generate(args, io);
  if (sub == "load") return load(args, io);
  if (it != notary.end()) {
    const auto trust_dir = trust_dir_of(args, io);
    if (!trust_dir) {
      io.err << "bad trust configuration\n";
      return kExitFailure;
    }
    return it->run(args, *trust_dir, io);
  }
  io.err << "dtrust: unknown command: dtrust key " << sub << "\n\nUsage:  dtrust key "
         << command.synopsis << "\n\nRun 'dtrust key --help' for more information\n";
  return kExitFailure;
}

}  // namespace

Command key_command() {
  return Command{
      .name = "key",
      .synopsis =
          "generate [--dir DIR] NAME | load [--name NAME] KEYFILE | list | import [-r ROLE] "
          "[-g GUN] FILE... | export [--key ID]... [--gun GUN]... [-o FILE] | passwd KEYID | "
          "remove [-y] KEYID",
      .summary = "Manage signing keys (docker trust key, notary key)",
      .details =
          "generate: makes an ECDSA P-256 key, stores it encrypted in <trust dir>/private and\n"
          "writes NAME.pub to DIR (default: the current directory) for `signer add`.\n"
          "load: imports the private keys of KEYFILE (also encrypted ones) under the role NAME.\n"
          "  generate and load take passphrases from DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE\n"
          "  (DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE for the name root).\n"
          "list, import, export, passwd, remove: `notary key ...` on the same trust dir, with\n"
          "notary's output. Passphrases come from NOTARY_ROOT_PASSPHRASE,\n"
          "NOTARY_TARGETS_PASSPHRASE, NOTARY_SNAPSHOT_PASSPHRASE or NOTARY_DELEGATION_PASSPHRASE.\n"
          "  import: PEM files (encrypted PKCS#8 or legacy, kept encrypted; unencrypted keys are\n"
          "  encrypted with a new passphrase). export: encrypted PEMs with notary's `path` "
          "header.\n"
          "  passwd: asks the old passphrase, then a new one twice. remove: asks for confirmation\n"
          "  on a terminal; without one it needs -y.\n"
          "Without a passphrase variable a prompt is shown when stdin is a terminal; without\n"
          "either the command fails naming the variable.",
      .flags = {{"dir", 0, "string", "generate: directory to write NAME.pub in (default: current)"},
                {"name", 0, "string", "load: name for the loaded key (default \"signer\")"},
                {"role", 'r', "string", "import: role for keys without a role header"},
                {"gun", 'g', "strings",
                 "import: GUN for keys without a gun header; export: keys of these GUNs", true},
                {"key", 0, "strings", "export: key IDs to export", true},
                {"output", 'o', "string", "export: write to this file (mode 0600), not stdout"},
                {"yes", 'y', "", "remove: do not ask for confirmation"},
                {"trust-dir", 'd', "string",
                 "Trust directory holding private/ (default $DOCKER_CONFIG/trust)"}},
      .min_args = 1,
      .max_args = -1,
      .run = run_key,
  };
}

}  // namespace cli
