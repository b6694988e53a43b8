// Serialisation of the typed model exactly as Go's notary re-serialises it (spec 4.5).
#include "json_strict.h"
#include "tuf/canonical_json.h"
#include "tuf/metadata.h"

namespace tuf {
namespace {

using internal::Json;

Json key_tree(const PublicKey& key) {
  return Json{
      {"keytype", std::string(key_type_name(key.type))},
      {"keyval", Json{{"private", nullptr}, {"public", crypto::base64_encode(key.public_bytes)}}}};
}

Json keys_tree(const std::map<std::string, PublicKey>& keys) {
  Json out = Json::object();
  for (const auto& [id, key] : keys) out[id] = key_tree(key);
  return out;
}

Json file_meta_tree(const FileMeta& meta) {
  Json hashes = Json::object();
  for (const auto& [alg, digest] : meta.hashes) hashes[alg] = crypto::base64_encode(digest);
  Json out{{"hashes", std::move(hashes)}, {"length", meta.length}};
  if (meta.custom) {
    // The custom text is canonical JSON we produced or parsed strictly; re-parsing cannot fail.
    auto tree = internal::parse_strict(*meta.custom, "custom");
    if (tree.ok()) out["custom"] = std::move(tree).value();
  }
  return out;
}

Json meta_map_tree(const std::map<std::string, FileMeta>& meta) {
  Json out = Json::object();
  for (const auto& [name, m] : meta) out[name] = file_meta_tree(m);
  return out;
}

Json keyids_tree(const std::vector<std::string>& ids) {
  Json out = Json::array();
  for (const auto& id : ids) out.push_back(id);
  return out;
}

}  // namespace

bool is_delegation_name(std::string_view name) {
  constexpr std::string_view kPrefix = "targets/";
  if (name.size() >= 256 || name.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = name.substr(kPrefix.size());
  if (rest.empty()) return false;
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t end = std::min(rest.find('/', start), rest.size());
    const std::string_view seg = rest.substr(start, end - start);
    if (seg.empty() || seg == "." || seg == "..") return false;
    for (char c : seg) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

std::string parent_role(std::string_view delegation) {
  const std::size_t slash = delegation.rfind('/');
  if (slash == std::string_view::npos) return "";
  return std::string(delegation.substr(0, slash));
}

std::string canonical_signed(const Root& root) {
  Json roles = Json::object();
  for (const auto& [name, rk] : root.roles) {
    roles[name] = Json{{"keyids", keyids_tree(rk.keyids)}, {"threshold", rk.threshold}};
  }
  Json tree{{"_type", "Root"},
            {"consistent_snapshot", root.consistent_snapshot},
            {"expires", root.expires.to_rfc3339()},
            {"keys", keys_tree(root.keys)},
            {"roles", std::move(roles)},
            {"version", root.version}};
  return internal::canonical(tree);
}

std::string canonical_signed(const Targets& targets) {
  Json roles = Json::array();
  for (const DelegatedRole& d : targets.delegations.roles) {
    Json r{{"keyids", keyids_tree(d.keyids)}, {"name", d.name}, {"threshold", d.threshold}};
    if (!d.paths.empty()) r["paths"] = keyids_tree(d.paths);  // Go: omitempty
    roles.push_back(std::move(r));
  }
  Json tree{{"_type", "Targets"},
            {"delegations",
             Json{{"keys", keys_tree(targets.delegations.keys)}, {"roles", std::move(roles)}}},
            {"expires", targets.expires.to_rfc3339()},
            {"targets", meta_map_tree(targets.targets)},
            {"version", targets.version}};
  return internal::canonical(tree);
}

std::string canonical_signed(const Snapshot& snapshot) {
  Json tree{{"_type", "Snapshot"},
            {"expires", snapshot.expires.to_rfc3339()},
            {"meta", meta_map_tree(snapshot.meta)},
            {"version", snapshot.version}};
  return internal::canonical(tree);
}

std::string canonical_signed(const Timestamp& timestamp) {
  Json tree{{"_type", "Timestamp"},
            {"expires", timestamp.expires.to_rfc3339()},
            {"meta", meta_map_tree(timestamp.meta)},
            {"version", timestamp.version}};
  return internal::canonical(tree);
}

std::string envelope(std::string_view canonical_signed_json,
                     const std::vector<Signature>& signatures) {
  std::string out = "{\"signed\":";
  out += wire_escape(canonical_signed_json);
  out += ",\"signatures\":[";
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    if (i) out += ',';
    out += "{\"keyid\":";
    internal::append_canonical_string(signatures[i].keyid, &out);
    out += ",\"method\":";
    internal::append_canonical_string(signatures[i].method, &out);
    out += ",\"sig\":\"" + crypto::base64_encode(signatures[i].sig) + "\"}";
  }
  out += "]}";
  return out;
}

FileMeta file_meta_for(std::string_view bytes) {
  FileMeta meta;
  meta.length = static_cast<int64_t>(bytes.size());
  meta.hashes["sha256"] = crypto::sha256(bytes);
  meta.hashes["sha512"] = crypto::sha512(bytes);
  return meta;
}

}  // namespace tuf
