// The changelist folder in notary's format (spec notary-v1-protocol.md 7.1).
#include "notary/changelist.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

#include "tuf/canonical_json.h"
#include "tuf/crypto.h"

namespace notary {
namespace {

using tuf::ErrorKind;
using OrderedJson = nlohmann::ordered_json;

constexpr std::size_t kMaxChangeBytes = 10u << 20;

tuf::Error io_error(const std::filesystem::path& path, std::string_view what) {
  return tuf::make_error(ErrorKind::kIo, "",
                         std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

tuf::Error malformed(std::string detail) {
  return tuf::make_error(ErrorKind::kMalformed, "", "changelist: " + std::move(detail));
}

// Random UUID v4 in its 8-4-4-4-12 text form.
std::string uuid_v4() {
  std::string b = tuf::crypto::random_bytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  const std::string hex = tuf::crypto::to_hex(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

tuf::Status make_private_dirs(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return tuf::make_error(ErrorKind::kIo, "", "create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  return {};
}

// Writes `bytes` to `path` atomically for readers: a 0600 temporary file in the same folder,
// renamed into place. Not fsynced (see the header: the batch syncs its folder once).
tuf::Status write_atomic(const std::filesystem::path& path, std::string_view bytes) {
  const std::filesystem::path tmp = path.string() + ".tmp";  // `path` is already unique
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(tmp, "create");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      tuf::Error e = io_error(tmp, "write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    tuf::Error e = io_error(tmp, "write");
    ::unlink(tmp.c_str());
    return e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    tuf::Error e = io_error(path, "rename to");
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

tuf::Status sync_folder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    return io_error(dir, "open");
  }
  if (::fsync(fd) != 0) {
    tuf::Error e = io_error(dir, "sync");
    ::close(fd);
    return e;
  }
  ::close(fd);
  return {};
}

// The whole file at `path` (at most kMaxChangeBytes).
tuf::Result<std::string> read_change_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(path, "open");
  std::string bytes;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      tuf::Error e = io_error(path, "read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
    if (bytes.size() > kMaxChangeBytes) {
      ::close(fd);
      return malformed(path.string() + " is too large");
    }
  }
  ::close(fd);
  return bytes;
}

OrderedJson hashes_json(const tuf::Hashes& hashes) {
  OrderedJson out = OrderedJson::object();
  for (const auto& [name, digest] : hashes) out[name] = tuf::crypto::base64_encode(digest);
  return out;
}

tuf::Result<std::string> b64(const nlohmann::json& value, std::string_view field) {
  if (!value.is_string()) return malformed(std::string(field) + " is not a string");
  auto decoded = tuf::crypto::base64_decode(value.get<std::string>());
  if (!decoded.ok()) return malformed(std::string(field) + " is not base64");
  return std::move(decoded).value();
}

tuf::Result<std::vector<std::string>> string_list(const nlohmann::json& doc, const char* field) {
  std::vector<std::string> out;
  if (!doc.contains(field) || doc[field].is_null()) return out;
  if (!doc[field].is_array()) return malformed(std::string(field) + " is not a list");
  for (const auto& v : doc[field]) {
    if (!v.is_string()) return malformed(std::string(field) + " holds a non-string");
    out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

std::string_view change_action_name(ChangeAction action) {
  switch (action) {
    case ChangeAction::kCreate:
      return "create";
    case ChangeAction::kUpdate:
      return "update";
    case ChangeAction::kDelete:
      return "delete";
  }
  return "create";
}

tuf::Result<ChangeAction> parse_change_action(std::string_view name) {
  if (name == "create") return ChangeAction::kCreate;
  if (name == "update") return ChangeAction::kUpdate;
  if (name == "delete") return ChangeAction::kDelete;
  return malformed("unknown action \"" + std::string(name) + "\"");
}

Change target_change(ChangeAction action, std::string role, std::string name,
                     const tuf::FileMeta& meta) {
  Change c{action, std::move(role), std::string(kChangeTarget), std::move(name), {}, {}};
  if (action == ChangeAction::kDelete) return c;  // notary writes "data":null for a removal
  // Go's data.FileMeta field order: length, hashes, custom (omitted when absent).
  std::string text = "{\"length\":" + std::to_string(meta.length) +
                     ",\"hashes\":" + hashes_json(meta.hashes).dump();
  if (meta.custom) text += ",\"custom\":" + *meta.custom;
  c.data = text + "}";
  return c;
}

Change delegation_change(ChangeAction action, std::string role, const DelegationEdit& edit) {
  OrderedJson doc = OrderedJson::object();
  if (edit.new_name) doc["new_name"] = *edit.new_name;
  if (edit.threshold != 0) doc["threshold"] = edit.threshold;
  if (!edit.add_keys.empty()) {
    doc["add_keys"] = OrderedJson::array();
    for (const auto& key : edit.add_keys)
      doc["add_keys"].push_back(OrderedJson::parse(key_object_json(key)));
  }
  if (!edit.remove_keys.empty()) doc["remove_keys"] = edit.remove_keys;
  if (!edit.add_paths.empty()) doc["add_paths"] = edit.add_paths;
  if (!edit.remove_paths.empty()) doc["remove_paths"] = edit.remove_paths;
  if (edit.clear_paths) doc["clear_paths"] = true;
  return Change{action, std::move(role), std::string(kChangeDelegation), "", doc.dump(), {}};
}

tuf::Result<tuf::FileMeta> target_meta_of(const Change& change) {
  const auto doc = nlohmann::json::parse(change.data, nullptr, false);
  if (!doc.is_object()) return malformed("target data of \"" + change.path + "\" is not an object");
  tuf::FileMeta meta;
  if (!doc.contains("length") || !doc["length"].is_number_integer())
    return malformed("target \"" + change.path + "\" has no integer length");
  meta.length = doc["length"].get<int64_t>();
  if (doc.contains("hashes") && !doc["hashes"].is_null()) {
    if (!doc["hashes"].is_object()) return malformed("hashes is not an object");
    for (const auto& [name, value] : doc["hashes"].items()) {
      DTRUST_ASSIGN_OR_RETURN(meta.hashes[name], b64(value, "hashes." + name));
    }
  }
  if (doc.contains("custom") && !doc["custom"].is_null()) meta.custom = doc["custom"].dump();
  return meta;
}

tuf::Result<DelegationEdit> delegation_edit_of(const Change& change) {
  const auto doc = nlohmann::json::parse(change.data.empty() ? "{}" : change.data, nullptr, false);
  if (!doc.is_object()) return malformed("delegation data of " + change.role + " is not an object");
  DelegationEdit edit;
  if (doc.contains("new_name") && doc["new_name"].is_string() &&
      !doc["new_name"].get<std::string>().empty())
    edit.new_name = doc["new_name"].get<std::string>();
  if (doc.contains("threshold") && !doc["threshold"].is_null()) {
    if (!doc["threshold"].is_number_integer()) return malformed("threshold is not an integer");
    edit.threshold = doc["threshold"].get<int64_t>();
  }
  if (doc.contains("add_keys") && !doc["add_keys"].is_null()) {
    if (!doc["add_keys"].is_array()) return malformed("add_keys is not a list");
    for (const auto& k : doc["add_keys"]) {
      DTRUST_ASSIGN_OR_RETURN(tuf::PublicKey key, parse_key_object(k.dump()));
      edit.add_keys.push_back(std::move(key));
    }
  }
  DTRUST_ASSIGN_OR_RETURN(edit.remove_keys, string_list(doc, "remove_keys"));
  DTRUST_ASSIGN_OR_RETURN(edit.add_paths, string_list(doc, "add_paths"));
  DTRUST_ASSIGN_OR_RETURN(edit.remove_paths, string_list(doc, "remove_paths"));
  edit.clear_paths = doc.contains("clear_paths") && doc["clear_paths"].is_boolean() &&
                     doc["clear_paths"].get<bool>();
  return edit;
}

std::string key_object_json(const tuf::PublicKey& key) {
  OrderedJson doc = OrderedJson::object();
  doc["keytype"] = std::string(tuf::key_type_name(key.type));
  doc["keyval"] = OrderedJson::object();
  doc["keyval"]["public"] = tuf::crypto::base64_encode(key.public_bytes);
  doc["keyval"]["private"] = nullptr;
  return doc.dump();
}

tuf::Result<tuf::PublicKey> parse_key_object(std::string_view json) {
  const auto doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object() || !doc.contains("keytype") || !doc["keytype"].is_string() ||
      !doc.contains("keyval") || !doc["keyval"].is_object() || !doc["keyval"].contains("public"))
    return malformed("a key object needs keytype and keyval.public");
  tuf::PublicKey key;
  DTRUST_ASSIGN_OR_RETURN(key.type, tuf::parse_key_type(doc["keytype"].get<std::string>()));
  DTRUST_ASSIGN_OR_RETURN(key.public_bytes, b64(doc["keyval"]["public"], "keyval.public"));
  return key;
}

std::string encode_change(const Change& change) {
  OrderedJson doc = OrderedJson::object();
  doc["action"] = std::string(change_action_name(change.action));
  doc["role"] = change.role;
  doc["type"] = change.type;
  doc["path"] = change.path;
  if (change.data.empty()) {
    doc["data"] = nullptr;
  } else {
    doc["data"] = tuf::crypto::base64_encode(change.data);
  }
  return doc.dump();
}

tuf::Result<Change> decode_change(std::string_view bytes) {
  const auto doc = nlohmann::json::parse(bytes, nullptr, false);
  if (!doc.is_object()) return malformed("a change is not a JSON object");
  for (const char* field : {"action", "role", "type"}) {
    if (!doc.contains(field) || !doc[field].is_string())
      return malformed(std::string("a change has no ") + field);
  }
  Change c;
  DTRUST_ASSIGN_OR_RETURN(c.action, parse_change_action(doc["action"].get<std::string>()));
  c.role = doc["role"].get<std::string>();
  c.type = doc["type"].get<std::string>();
  if (doc.contains("path") && doc["path"].is_string()) c.path = doc["path"].get<std::string>();
  if (doc.contains("data") && !doc["data"].is_null()) {
    DTRUST_ASSIGN_OR_RETURN(c.data, b64(doc["data"], "data"));
  }
  return c;
}

Changelist::Changelist(const std::filesystem::path& trust_dir, std::string_view gun)
    : dir_(trust_dir / "tuf" / std::filesystem::path(std::string(gun)) / "changelist") {}

tuf::Result<std::vector<Change>> Changelist::list() const {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return std::vector<Change>{};
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".change" && entry.is_regular_file())
      files.push_back(entry.path());
  }
  if (ec) return tuf::make_error(ErrorKind::kIo, "", "read " + dir_.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Change> out;
  out.reserve(files.size());
  for (const auto& path : files) {
    DTRUST_ASSIGN_OR_RETURN(std::string bytes, read_change_file(path));
    auto change = decode_change(bytes);
    if (!change.ok()) return malformed(path.filename().string() + ": " + change.error().detail);
    change->file = path.filename().string();
    out.push_back(std::move(change).value());
  }
  return out;
}

tuf::Result<std::string> Changelist::add(const Change& change) const {
  DTRUST_ASSIGN_OR_RETURN(std::vector<std::string> names, add_all({change}, Sync::kFolder));
  return names.front();
}

tuf::Result<std::vector<std::string>> Changelist::add_all(const std::vector<Change>& changes,
                                                          Sync sync) const {
  for (const Change& change : changes) {
    if (change.role.empty() || change.type.empty())
      return tuf::make_error(ErrorKind::kUsage, change.role, "a change needs a role and a type");
  }
  std::vector<std::string> names;
  if (changes.empty()) return names;
  DTRUST_TRY(make_private_dirs(dir_));
  long long last = 0;
  for (const Change& change : changes) {
    // Notary applies changes in file-name order: the stamps of one batch strictly increase.
    long long nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    if (nanos <= last) nanos = last + 1;
    last = nanos;
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%020lld", nanos);
    std::string name = std::string(stamp) + "_" + uuid_v4() + ".change";
    if (auto written = write_atomic(dir_ / name, encode_change(change)); !written.ok()) {
      (void)remove(names);
      return written.error();
    }
    names.push_back(std::move(name));
  }
  if (sync == Sync::kFolder) {
    if (auto synced = sync_folder(dir_); !synced.ok()) {
      (void)remove(names);
      return synced.error();
    }
  }
  return names;
}

tuf::Status Changelist::sync() const { return sync_folder(dir_); }

tuf::Status Changelist::remove(const std::vector<std::string>& names) const {
  for (const std::string& name : names) {
    const std::filesystem::path path = dir_ / name;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error(path, "remove");
  }
  return {};
}

tuf::Status Changelist::clear() const {
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return {};
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".change") names.push_back(entry.path().filename().string());
  }
  if (ec) return tuf::make_error(ErrorKind::kIo, "", "read " + dir_.string() + ": " + ec.message());
  return remove(names);
}

}  // namespace notary
