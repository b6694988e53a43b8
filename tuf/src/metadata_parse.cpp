// Strict parsing of notary metadata (spec 3.1-3.7, 3.9).
#include <set>

#include "json_strict.h"
#include "tuf/metadata.h"

namespace tuf {
namespace {

using internal::Json;

// Field access that names the field on every failure.
class Fields {
 public:
  explicit Fields(std::string role) : role_(std::move(role)) {}

  Error bad(const std::string& path, const std::string& why) const {
    return make_error(ErrorKind::kMalformed, role_, "field \"" + path + "\": " + why);
  }

  Result<const Json*> member(const Json& obj, const std::string& path, const char* name,
                             Json::value_t type, bool required = true) const {
    auto it = obj.find(name);
    if (it == obj.end()) {
      if (required) return bad(join(path, name), "missing");
      return static_cast<const Json*>(nullptr);
    }
    if (!same_type(it->type(), type)) return bad(join(path, name), "expected " + type_name(type));
    return &*it;
  }

  Result<std::string> string(const Json& obj, const std::string& path, const char* name) const {
    DTRUST_ASSIGN_OR_RETURN(const Json* v, member(obj, path, name, Json::value_t::string));
    return v->get<std::string>();
  }

  Result<int64_t> integer(const Json& obj, const std::string& path, const char* name,
                          int64_t min) const {
    DTRUST_ASSIGN_OR_RETURN(const Json* v, member(obj, path, name, Json::value_t::number_integer));
    const int64_t n = v->get<int64_t>();
    if (n < min) return bad(join(path, name), "must be at least " + std::to_string(min));
    return n;
  }

  Result<std::string> base64(const Json& obj, const std::string& path, const char* name) const {
    DTRUST_ASSIGN_OR_RETURN(std::string text, string(obj, path, name));
    auto decoded = crypto::base64_decode(text);
    if (!decoded.ok()) return bad(join(path, name), "invalid base64");
    return std::move(decoded).value();
  }

  Result<DateTime> expires(const Json& signed_obj) const {
    DTRUST_ASSIGN_OR_RETURN(std::string text, string(signed_obj, "signed", "expires"));
    auto t = parse_rfc3339(text);
    if (!t.ok()) return bad("signed.expires", t.error().detail);
    return std::move(t).value();
  }

  Result<std::vector<std::string>> string_array(const Json& obj, const std::string& path,
                                                const char* name, bool required) const {
    DTRUST_ASSIGN_OR_RETURN(const Json* v, member(obj, path, name, Json::value_t::array, required));
    std::vector<std::string> out;
    if (v == nullptr) return out;
    for (const Json& e : *v) {
      if (!e.is_string()) return bad(join(path, name), "expected an array of strings");
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  const std::string& role() const { return role_; }

  static std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

 private:
  static bool same_type(Json::value_t actual, Json::value_t wanted) {
    if (wanted == Json::value_t::number_integer) {
      return actual == Json::value_t::number_integer || actual == Json::value_t::number_unsigned;
    }
    return actual == wanted;
  }
  static std::string type_name(Json::value_t t) {
    switch (t) {
      case Json::value_t::object:
        return "an object";
      case Json::value_t::array:
        return "an array";
      case Json::value_t::string:
        return "a string";
      case Json::value_t::boolean:
        return "a boolean";
      default:
        return "an integer";
    }
  }

  std::string role_;
};

struct Envelope {
  Json signed_tree;
  std::vector<Signature> signatures;
  std::string canonical;
};

Result<Envelope> parse_envelope(std::string_view bytes, const Fields& f,
                                std::string_view expected_type) {
  if (bytes.size() > kMaxDocumentBytes) {
    return make_error(ErrorKind::kTooLarge, f.role(), "document larger than 100 MiB");
  }
  DTRUST_ASSIGN_OR_RETURN(Json doc, internal::parse_strict(bytes, f.role()));
  if (!doc.is_object()) return f.bad("", "document is not a JSON object");
  DTRUST_ASSIGN_OR_RETURN(const Json* signed_obj,
                          f.member(doc, "", "signed", Json::value_t::object));
  DTRUST_ASSIGN_OR_RETURN(const Json* sigs, f.member(doc, "", "signatures", Json::value_t::array));
  if (sigs->size() > kMaxSignatures) {
    return f.bad("signatures", "more than " + std::to_string(kMaxSignatures) + " signatures");
  }
  Envelope env;
  for (std::size_t i = 0; i < sigs->size(); ++i) {
    const Json& s = (*sigs)[i];
    const std::string path = "signatures[" + std::to_string(i) + "]";
    if (!s.is_object()) return f.bad(path, "expected an object");
    Signature sig;
    DTRUST_ASSIGN_OR_RETURN(sig.keyid, f.string(s, path, "keyid"));
    DTRUST_ASSIGN_OR_RETURN(sig.method, f.string(s, path, "method"));
    for (char& c : sig.method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    DTRUST_ASSIGN_OR_RETURN(sig.sig, f.base64(s, path, "sig"));
    env.signatures.push_back(std::move(sig));
  }
  DTRUST_ASSIGN_OR_RETURN(std::string type, f.string(*signed_obj, "signed", "_type"));
  if (type != expected_type) {
    return make_error(ErrorKind::kWrongType, f.role(),
                      "expected _type \"" + std::string(expected_type) + "\", got \"" +
                          type.substr(0, 32) + "\"");
  }
  env.canonical.reserve(bytes.size());  // the canonical form is never much longer
  internal::append_canonical(*signed_obj, &env.canonical);
  env.signed_tree = std::move(*signed_obj);
  return env;
}

Result<std::map<std::string, PublicKey>> parse_keys(const Json& obj, const std::string& path,
                                                    const Fields& f) {
  std::map<std::string, PublicKey> keys;
  for (const auto& [id, k] : obj.items()) {
    const std::string kp = path + "[" + id.substr(0, 64) + "]";
    if (!k.is_object()) return f.bad(kp, "expected a key object");
    DTRUST_ASSIGN_OR_RETURN(std::string type_name, f.string(k, kp, "keytype"));
    auto type = parse_key_type(type_name);
    if (!type.ok()) return f.bad(kp + ".keytype", type.error().detail);
    DTRUST_ASSIGN_OR_RETURN(const Json* val, f.member(k, kp, "keyval", Json::value_t::object));
    auto priv = val->find("private");
    if (priv != val->end() && !priv->is_null()) {
      return f.bad(kp + ".keyval.private", "private key material in metadata");
    }
    PublicKey key{*type, {}};
    DTRUST_ASSIGN_OR_RETURN(key.public_bytes, f.base64(*val, kp + ".keyval", "public"));
    if (key.id() != id) return f.bad(kp, "key ID does not match the key");
    keys.emplace(id, std::move(key));
  }
  return keys;
}

// `path` is built only when there is something to report: a 10,000-tag targets file would
// otherwise build 20,000 path strings that no one reads.
template <class PathFn>
Result<FileMeta> parse_file_meta(const Json& m, const PathFn& path, const Fields& f,
                                 bool strict_hashes) {
  if (!m.is_object()) return f.bad(path(), "expected an object");
  FileMeta meta;
  auto length = m.find("length");
  if (length == m.end()) return f.bad(Fields::join(path(), "length"), "missing");
  if (!length->is_number_integer()) {
    return f.bad(Fields::join(path(), "length"), "expected an integer");
  }
  meta.length = length->get<int64_t>();
  if (meta.length < 0) return f.bad(Fields::join(path(), "length"), "must be at least 0");
  auto hashes = m.find("hashes");
  if (hashes == m.end() || !hashes->is_object()) {
    return f.member(m, path(), "hashes", Json::value_t::object).error();
  }
  for (const auto& [alg, h] : hashes->items()) {
    auto hash_path = [&] { return path() + ".hashes." + alg.substr(0, 32); };
    if (!h.is_string()) return f.bad(hash_path(), "expected a string");
    auto raw = crypto::base64_decode(h.template get_ref<const std::string&>());
    if (!raw.ok()) return f.bad(hash_path(), "invalid base64");
    if (strict_hashes &&
        ((alg == "sha256" && raw->size() != 32) || (alg == "sha512" && raw->size() != 64))) {
      return f.bad(hash_path(), "wrong digest size");
    }
    meta.hashes.emplace(alg, std::move(raw).value());
  }
  if (meta.hashes.empty()) return f.bad(path() + ".hashes", "no hashes");
  auto custom = m.find("custom");
  if (custom != m.end() && !custom->is_null()) meta.custom = internal::canonical(*custom);
  return meta;
}

Result<std::map<std::string, FileMeta>> parse_meta_map(const Json& signed_obj, const Fields& f) {
  DTRUST_ASSIGN_OR_RETURN(const Json* meta,
                          f.member(signed_obj, "signed", "meta", Json::value_t::object));
  std::map<std::string, FileMeta> out;
  for (const auto& [name, m] : meta->items()) {
    DTRUST_ASSIGN_OR_RETURN(FileMeta fm,
                            parse_file_meta(
                                m, [&name = name] { return "signed.meta." + name; }, f, true));
    out.emplace(name, std::move(fm));
  }
  return out;
}

Status require_sha256(const std::map<std::string, FileMeta>& meta, const char* name,
                      const Fields& f) {
  auto it = meta.find(name);
  if (it == meta.end()) return f.bad(std::string("signed.meta.") + name, "missing");
  if (!it->second.hashes.count("sha256")) {
    return f.bad(std::string("signed.meta.") + name + ".hashes", "no sha256");
  }
  return {};
}

Result<RoleKeys> parse_role_keys(const Json& r, const std::string& path, const Fields& f,
                                 const std::map<std::string, PublicKey>& keys) {
  if (!r.is_object()) return f.bad(path, "expected an object");
  RoleKeys rk;
  DTRUST_ASSIGN_OR_RETURN(rk.keyids, f.string_array(r, path, "keyids", true));
  DTRUST_ASSIGN_OR_RETURN(rk.threshold, f.integer(r, path, "threshold", 1));
  for (const auto& id : rk.keyids) {
    if (!keys.count(id)) return f.bad(path + ".keyids", "unknown key ID " + id.substr(0, 64));
  }
  return rk;
}

// Snapshot and timestamp share a shape: version, expires and a meta map whose `required`
// entries must carry a sha256 (spec 3.6, 3.7).
template <class T>
Result<Signed<T>> parse_meta_role(std::string_view bytes, std::string_view role,
                                  std::string_view type, std::vector<const char*> required) {
  Fields f{std::string(role)};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, f, type));
  Signed<T> out;
  DTRUST_ASSIGN_OR_RETURN(out.signed_.version, f.integer(env.signed_tree, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(out.signed_.expires, f.expires(env.signed_tree));
  DTRUST_ASSIGN_OR_RETURN(out.signed_.meta, parse_meta_map(env.signed_tree, f));
  for (const char* name : required) DTRUST_TRY(require_sha256(out.signed_.meta, name, f));
  out.signatures = std::move(env.signatures);
  out.canonical = std::move(env.canonical);
  out.raw = std::string(bytes);
  return out;
}

}  // namespace

Result<Signed<Root>> parse_root(std::string_view bytes) {
  Fields f{std::string(kRootRole)};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, f, "Root"));
  const Json& s = env.signed_tree;
  Signed<Root> out;
  Root& root = out.signed_;
  DTRUST_ASSIGN_OR_RETURN(root.version, f.integer(s, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(root.expires, f.expires(s));
  DTRUST_ASSIGN_OR_RETURN(
      const Json* cs, f.member(s, "signed", "consistent_snapshot", Json::value_t::boolean, false));
  root.consistent_snapshot = cs != nullptr && cs->get<bool>();
  DTRUST_ASSIGN_OR_RETURN(const Json* keys, f.member(s, "signed", "keys", Json::value_t::object));
  DTRUST_ASSIGN_OR_RETURN(root.keys, parse_keys(*keys, "signed.keys", f));
  DTRUST_ASSIGN_OR_RETURN(const Json* roles, f.member(s, "signed", "roles", Json::value_t::object));
  for (const auto& [name, r] : roles->items()) {
    if (name != kRootRole && name != kTargetsRole && name != kSnapshotRole &&
        name != kTimestampRole) {
      return f.bad("signed.roles", "unexpected role \"" + name.substr(0, 64) + "\"");
    }
    DTRUST_ASSIGN_OR_RETURN(RoleKeys rk, parse_role_keys(r, "signed.roles." + name, f, root.keys));
    root.roles.emplace(name, std::move(rk));
  }
  for (std::string_view base : {kRootRole, kTargetsRole, kSnapshotRole, kTimestampRole}) {
    if (!root.roles.count(std::string(base))) {
      return f.bad("signed.roles." + std::string(base), "missing");
    }
  }
  out.signatures = std::move(env.signatures);
  out.canonical = std::move(env.canonical);
  out.raw = std::string(bytes);
  return out;
}

Result<Signed<Targets>> parse_targets(std::string_view bytes, std::string_view role) {
  Fields f{std::string(role)};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, f, "Targets"));
  const Json& s = env.signed_tree;
  Signed<Targets> out;
  Targets& t = out.signed_;
  DTRUST_ASSIGN_OR_RETURN(t.version, f.integer(s, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(t.expires, f.expires(s));
  DTRUST_ASSIGN_OR_RETURN(const Json* targets,
                          f.member(s, "signed", "targets", Json::value_t::object));
  for (const auto& [name, m] : targets->items()) {
    DTRUST_ASSIGN_OR_RETURN(
        FileMeta fm,
        parse_file_meta(
            m, [&name = name] { return "signed.targets." + name.substr(0, 64); }, f, false));
    t.targets.emplace_hint(t.targets.end(), name, std::move(fm));
  }
  DTRUST_ASSIGN_OR_RETURN(const Json* dele,
                          f.member(s, "signed", "delegations", Json::value_t::object, false));
  if (dele != nullptr) {
    DTRUST_ASSIGN_OR_RETURN(const Json* keys, f.member(*dele, "signed.delegations", "keys",
                                                       Json::value_t::object, false));
    if (keys != nullptr) {
      DTRUST_ASSIGN_OR_RETURN(t.delegations.keys, parse_keys(*keys, "signed.delegations.keys", f));
    }
    DTRUST_ASSIGN_OR_RETURN(const Json* roles, f.member(*dele, "signed.delegations", "roles",
                                                        Json::value_t::array, false));
    std::set<std::string> seen;
    for (std::size_t i = 0; roles != nullptr && i < roles->size(); ++i) {
      const std::string path = "signed.delegations.roles[" + std::to_string(i) + "]";
      const Json& r = (*roles)[i];
      if (!r.is_object()) return f.bad(path, "expected an object");
      DelegatedRole d;
      DTRUST_ASSIGN_OR_RETURN(d.name, f.string(r, path, "name"));
      if (!is_delegation_name(d.name) || parent_role(d.name) != role) {
        return f.bad(path + ".name", "\"" + d.name.substr(0, 64) +
                                         "\" is not a valid direct child of " + std::string(role));
      }
      if (!seen.insert(d.name).second) return f.bad(path + ".name", "duplicate role " + d.name);
      DTRUST_ASSIGN_OR_RETURN(RoleKeys rk, parse_role_keys(r, path, f, t.delegations.keys));
      d.keyids = std::move(rk.keyids);
      d.threshold = rk.threshold;
      DTRUST_ASSIGN_OR_RETURN(d.paths, f.string_array(r, path, "paths", false));
      t.delegations.roles.push_back(std::move(d));
    }
  }
  out.signatures = std::move(env.signatures);
  out.canonical = std::move(env.canonical);
  out.raw = std::string(bytes);
  return out;
}

Result<Signed<Snapshot>> parse_snapshot(std::string_view bytes) {
  return parse_meta_role<Snapshot>(bytes, kSnapshotRole, "Snapshot", {"root", "targets"});
}

Result<Signed<Timestamp>> parse_timestamp(std::string_view bytes) {
  return parse_meta_role<Timestamp>(bytes, kTimestampRole, "Timestamp", {"snapshot"});
}

}  // namespace tuf
