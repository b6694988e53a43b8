// `dtrust key list|import|export|passwd|remove`: the Go notary client's `notary key ...`
// (notary spec 8), its output and messages, on the key store of <trust dir>/private.
#include "cmd_key_notary.h"

#include <algorithm>
#include <fstream>
#include <istream>
#include <ostream>
#include <set>
#include <sstream>

#include "command.h"
#include "key_list_format.h"
#include "passphrase_prompt.h"
#include "trustcache/key_store.h"

namespace cli {
namespace {

namespace fs = std::filesystem;
using trustcache::KeyFileInfo;
using trustcache::KeyStore;

constexpr std::size_t kKeyIdLength = 64;  // notary.SHA256HexSize

// The key store's name in notary's output: the absolute, cleaned <trust dir>/private.
std::string store_location(const fs::path& trust_dir) {
  std::error_code ec;
  std::string location = fs::absolute(trust_dir / "private", ec).lexically_normal().string();
  while (location.size() > 1 && location.back() == '/') location.pop_back();
  return location;
}

// Every key once: a current-layout file hides a legacy copy of the same key (notary would
// have migrated the legacy one over it). Sorted by ID, as notary's file walk finds them.
tuf::Result<std::vector<KeyFileInfo>> keys_in(const KeyStore& store) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<KeyFileInfo> all, store.list());
  std::vector<KeyFileInfo> keys;
  std::set<std::string> seen;
  for (KeyFileInfo& info : all) {
    if (seen.insert(info.id).second) keys.push_back(std::move(info));
  }
  std::stable_sort(keys.begin(), keys.end(),
                   [](const KeyFileInfo& a, const KeyFileInfo& b) { return a.id < b.id; });
  return keys;
}

// The ID notary shows and matches --key against: the file name, also for a key file in a
// subdirectory of private/ (spec 8.1).
std::string base_id(const KeyFileInfo& info) { return fs::path(info.id).filename().string(); }

int fail(Io& io, const std::string& message) {
  io.err << message << "\n";
  return kExitFailure;
}

// Notary's askConfirm: "y" or "yes", any case, surrounding blanks ignored.
bool read_yes(Io& io) {
  std::string line;
  if (!std::getline(io.in, line)) return false;
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  line = first == std::string::npos ? "" : line.substr(first, last - first + 1);
  std::transform(line.begin(), line.end(), line.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return line == "y" || line == "yes";
}

}  // namespace

int key_list(const ParsedArgs& args, const fs::path& trust_dir, Io& io) {
  if (args.positionals.size() != 1) return fail(io, "list does not take any positional arguments");
  auto keys = keys_in(KeyStore(trust_dir));
  if (!keys.ok()) return fail(io, keys.error().message());
  const std::string location = store_location(trust_dir);
  std::vector<KeyListRow> rows;
  for (const KeyFileInfo& info : *keys) {
    rows.push_back({info.role, info.gun, base_id(info), location});
  }
  io.out << format_notary_key_list(std::move(rows));
  return kExitOk;
}

int key_import(const ParsedArgs& args, const fs::path& trust_dir, Io& io) {
  if (args.positionals.size() < 2) {
    return fail(io, "must specify at least one input file to import keys from");
  }
  const KeyStore store(trust_dir);
  PromptingPassphraseProvider passphrases(io, trustcache::PassphraseEnv::kNotary);
  const std::string role = args.value("role").value_or("");
  const std::string gun = args.value("gun").value_or("");
  // File by file, as notary does: a failing file stops the run, earlier files stay imported.
  for (size_t i = 1; i < args.positionals.size(); ++i) {
    const std::string& file = args.positionals[i];
    std::ifstream in(file, std::ios::binary);
    if (!in) return fail(io, "open " + file + ": no such file or directory");
    std::stringstream text;
    text << in.rdbuf();
    auto imported = store.import_notary(text.str(), role, gun, passphrases);
    if (!imported.ok()) {
      return fail(io, "failed to import keys from " + file + ": " + imported.error().message());
    }
  }
  return kExitOk;
}

int key_export(const ParsedArgs& args, const fs::path& trust_dir, Io& io) {
  if (args.positionals.size() != 1) {
    return fail(io, "export does not take any positional arguments");
  }
  const std::vector<std::string> ids = args.all("key");
  const std::vector<std::string> guns = args.all("gun");
  if (!ids.empty() && !guns.empty()) {
    return fail(io, "Only the --gun or --key flag may be provided, not a mix of the two flags");
  }
  const KeyStore store(trust_dir);
  auto keys = keys_in(store);
  if (!keys.ok()) return fail(io, keys.error().message());
  std::vector<const KeyFileInfo*> chosen;
  if (!guns.empty()) {
    // notary 0.7 exports only the first --gun (it returns inside its loop); we export each.
    for (const std::string& gun : guns) {
      for (const KeyFileInfo& info : *keys) {
        if (info.gun == gun) chosen.push_back(&info);
      }
    }
  } else {
    for (const KeyFileInfo& info : *keys) {
      if (ids.empty() || std::find(ids.begin(), ids.end(), base_id(info)) != ids.end()) {
        chosen.push_back(&info);
      }
    }
    // Off-notary: an unknown --key is an error, not an empty export.
    for (const std::string& id : ids) {
      if (std::none_of(chosen.begin(), chosen.end(),
                       [&](const KeyFileInfo* k) { return base_id(*k) == id; })) {
        return fail(io, "No key with ID " + id + " found");
      }
    }
  }
  std::string text;
  for (const KeyFileInfo* info : chosen) {
    auto pem = store.export_pem(*info);
    if (!pem.ok()) return fail(io, pem.error().message());
    text += *pem;
  }
  if (auto output = args.value("output")) {
    auto written = trustcache::write_private_file(*output, text);
    if (!written.ok()) return fail(io, written.error().message());
    return kExitOk;
  }
  io.out << text;
  return kExitOk;
}

int key_passwd(const ParsedArgs& args, const fs::path& trust_dir, Io& io) {
  if (args.positionals.size() != 2) {
    return fail(io, "must specify the key ID of the key to change the passphrase of");
  }
  const std::string& id = args.positionals[1];
  if (id.size() != kKeyIdLength) return fail(io, "invalid key ID provided: " + id);
  const KeyStore store(trust_dir);
  if (!store.find(id).ok()) {
    return fail(io, "could not retrieve local key for key ID provided: " + id);
  }
  // Two providers, as notary uses a fresh retriever: the old answer is not remembered as new.
  PromptingPassphraseProvider current(io, trustcache::PassphraseEnv::kNotary);
  PromptingPassphraseProvider fresh(io, trustcache::PassphraseEnv::kNotary);
  auto changed = store.change_passphrase(id, current, fresh);
  if (!changed.ok()) return fail(io, changed.error().message());
  io.out << "\nSuccessfully updated passphrase for key ID: " << id << "\n";
  return kExitOk;
}

int key_remove(const ParsedArgs& args, const fs::path& trust_dir, Io& io) {
  if (args.positionals.size() != 2) return fail(io, "must specify the key ID of the key to remove");
  const std::string& id = args.positionals[1];
  if (id.size() != kKeyIdLength) return fail(io, "invalid key ID provided: " + id);
  const KeyStore store(trust_dir);
  auto info = store.find(id);
  if (!info.ok()) return fail(io, "No key with ID " + id + " found");
  const std::string description =
      id + " (role " + info->role + ") from " + store_location(trust_dir);
  if (!args.flag("yes")) {
    if (!io.stdin_is_tty) {
      return fail(io, "refusing to remove key " + id +
                          " without confirmation: stdin is not a terminal (use -y)");
    }
    io.out << "\nAre you sure you want to remove " << description << "?  (yes/no)  ";
    io.out.flush();
    if (!read_yes(io)) {
      io.out << "\nAborting action.\n\n";
      return kExitOk;
    }
  } else {
    io.out << "\n";
  }
  auto removed = store.remove(id);
  if (!removed.ok()) return fail(io, removed.error().message());
  io.out << "\nDeleted " << description << ".\n\n";
  return kExitOk;
}

}  // namespace cli
