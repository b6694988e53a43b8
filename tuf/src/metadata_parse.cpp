// Strict parsing of notary metadata (spec 3.1-3.7, 3.9).
#include <set>
#include <span>

#include "json_strict.h"
#include "signatures.h"
#include "tuf/metadata.h"

namespace tuf {
namespace {

using internal::JsonDoc;
using internal::JsonKind;
using internal::JsonMember;
using internal::JsonValue;

// Field access that names the field on every failure.
class Fields {
 public:
  Fields(std::string role, const JsonDoc* doc) : role_(std::move(role)), doc_(doc) {}

  Error bad(const std::string& path, const std::string& why) const {
    return make_error(ErrorKind::kMalformed, role_, "field \"" + path + "\": " + why);
  }

  const JsonDoc& doc() const { return *doc_; }
  std::span<const JsonMember> members(const JsonValue& v) const { return doc_->members(v); }
  const JsonValue& at(const JsonMember& m) const { return doc_->value(m.value); }

  Result<const JsonValue*> member(const JsonValue& obj, const std::string& path, const char* name,
                                  JsonKind type, bool required = true) const {
    const JsonValue* v = doc_->find(obj, name);
    if (v == nullptr) {
      if (required) return bad(join(path, name), "missing");
      return static_cast<const JsonValue*>(nullptr);
    }
    if (v->kind != type) return bad(join(path, name), "expected " + type_name(type));
    return v;
  }

  Result<std::string_view> string(const JsonValue& obj, const std::string& path,
                                  const char* name) const {
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* v, member(obj, path, name, JsonKind::kString));
    return v->text();
  }

  Result<int64_t> integer(const JsonValue& obj, const std::string& path, const char* name,
                          int64_t min) const {
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* v, member(obj, path, name, JsonKind::kInteger));
    if (v->integer < min) {
      return bad(join(path, name), "must be at least " + std::to_string(min));
    }
    return v->integer;
  }

  Result<std::string> base64(const JsonValue& obj, const std::string& path,
                             const char* name) const {
    DTRUST_ASSIGN_OR_RETURN(std::string_view text, string(obj, path, name));
    auto decoded = crypto::base64_decode(text);
    if (!decoded.ok()) return bad(join(path, name), "invalid base64");
    return std::move(decoded).value();
  }

  Result<DateTime> expires(const JsonValue& signed_obj) const {
    DTRUST_ASSIGN_OR_RETURN(std::string_view text, string(signed_obj, "signed", "expires"));
    auto t = parse_rfc3339(text);
    if (!t.ok()) return bad("signed.expires", t.error().detail);
    return std::move(t).value();
  }

  Result<std::vector<std::string>> string_array(const JsonValue& obj, const std::string& path,
                                                const char* name, bool required) const {
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* v,
                            member(obj, path, name, JsonKind::kArray, required));
    std::vector<std::string> out;
    if (v == nullptr) return out;
    for (const JsonMember& m : members(*v)) {
      const JsonValue& e = at(m);
      if (e.kind != JsonKind::kString) return bad(join(path, name), "expected an array of strings");
      out.emplace_back(e.text());
    }
    return out;
  }

  const std::string& role() const { return role_; }

  static std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

 private:
  static std::string type_name(JsonKind t) {
    switch (t) {
      case JsonKind::kObject:
        return "an object";
      case JsonKind::kArray:
        return "an array";
      case JsonKind::kString:
        return "a string";
      case JsonKind::kBool:
        return "a boolean";
      default:
        return "an integer";
    }
  }

  std::string role_;
  const JsonDoc* doc_;
};

struct Envelope {
  const JsonValue* signed_obj = nullptr;
  std::vector<Signature> signatures;
  std::string canonical;
};

// Parses `bytes` into `doc` (which `f` reads) and checks the envelope (spec 3.1).
Result<Envelope> parse_envelope(std::string_view bytes, JsonDoc* doc, const Fields& f,
                                std::string_view expected_type) {
  if (bytes.size() > kMaxDocumentBytes) {
    return make_error(ErrorKind::kTooLarge, f.role(), "document larger than 100 MiB");
  }
  DTRUST_TRY(doc->parse(bytes, f.role()));
  const JsonValue& root = doc->root();
  if (root.kind != JsonKind::kObject) return f.bad("", "document is not a JSON object");
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* signed_obj,
                          f.member(root, "", "signed", JsonKind::kObject));
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* sigs,
                          f.member(root, "", "signatures", JsonKind::kArray));
  if (sigs->size > kMaxSignatures) {
    return f.bad("signatures", "more than " + std::to_string(kMaxSignatures) + " signatures");
  }
  Envelope env;
  const auto sig_members = f.members(*sigs);
  for (std::size_t i = 0; i < sig_members.size(); ++i) {
    const JsonValue& s = f.at(sig_members[i]);
    const std::string path = "signatures[" + std::to_string(i) + "]";
    if (s.kind != JsonKind::kObject) return f.bad(path, "expected an object");
    Signature sig;
    DTRUST_ASSIGN_OR_RETURN(std::string_view keyid, f.string(s, path, "keyid"));
    sig.keyid = std::string(keyid);
    DTRUST_ASSIGN_OR_RETURN(std::string_view method, f.string(s, path, "method"));
    sig.method = std::string(method);
    for (char& c : sig.method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    DTRUST_ASSIGN_OR_RETURN(sig.sig, f.base64(s, path, "sig"));
    env.signatures.push_back(std::move(sig));
  }
  DTRUST_ASSIGN_OR_RETURN(std::string_view type, f.string(*signed_obj, "signed", "_type"));
  if (type != expected_type) {
    return make_error(ErrorKind::kWrongType, f.role(),
                      "expected _type \"" + std::string(expected_type) + "\", got \"" +
                          std::string(type.substr(0, 32)) + "\"");
  }
  env.canonical.reserve(bytes.size());  // the canonical form is never much longer
  doc->append_canonical(*signed_obj, &env.canonical);
  env.signed_obj = signed_obj;
  return env;
}

Result<std::map<std::string, PublicKey>> parse_keys(const JsonValue& obj, const std::string& path,
                                                    const Fields& f) {
  std::map<std::string, PublicKey> keys;
  for (const JsonMember& m : f.members(obj)) {
    const std::string id(m.key);
    const JsonValue& k = f.at(m);
    const std::string kp = path + "[" + id.substr(0, 64) + "]";
    if (k.kind != JsonKind::kObject) return f.bad(kp, "expected a key object");
    DTRUST_ASSIGN_OR_RETURN(std::string_view type_name, f.string(k, kp, "keytype"));
    auto type = parse_key_type(type_name);
    if (!type.ok()) return f.bad(kp + ".keytype", type.error().detail);
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* val, f.member(k, kp, "keyval", JsonKind::kObject));
    const JsonValue* priv = f.doc().find(*val, "private");
    if (priv != nullptr && priv->kind != JsonKind::kNull) {
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
Result<FileMeta> parse_file_meta(const JsonValue& m, const PathFn& path, const Fields& f,
                                 bool strict_hashes) {
  if (m.kind != JsonKind::kObject) return f.bad(path(), "expected an object");
  FileMeta meta;
  const JsonValue* length = f.doc().find(m, "length");
  if (length == nullptr) return f.bad(Fields::join(path(), "length"), "missing");
  if (length->kind != JsonKind::kInteger) {
    return f.bad(Fields::join(path(), "length"), "expected an integer");
  }
  meta.length = length->integer;
  if (meta.length < 0) return f.bad(Fields::join(path(), "length"), "must be at least 0");
  const JsonValue* hashes = f.doc().find(m, "hashes");
  if (hashes == nullptr || hashes->kind != JsonKind::kObject) {
    return f.member(m, path(), "hashes", JsonKind::kObject).error();
  }
  for (const JsonMember& hm : f.members(*hashes)) {
    const std::string_view alg = hm.key;
    const JsonValue& h = f.at(hm);
    auto hash_path = [&] { return path() + ".hashes." + std::string(alg.substr(0, 32)); };
    if (h.kind != JsonKind::kString) return f.bad(hash_path(), "expected a string");
    std::string raw;
    if (!internal::decode_base64(h.text(), &raw)) return f.bad(hash_path(), "invalid base64");
    if (strict_hashes &&
        ((alg == "sha256" && raw.size() != 32) || (alg == "sha512" && raw.size() != 64))) {
      return f.bad(hash_path(), "wrong digest size");
    }
    meta.hashes.emplace_hint(meta.hashes.end(), alg, std::move(raw));
  }
  if (meta.hashes.empty()) return f.bad(path() + ".hashes", "no hashes");
  const JsonValue* custom = f.doc().find(m, "custom");
  if (custom != nullptr && custom->kind != JsonKind::kNull) {
    std::string text;
    f.doc().append_canonical(*custom, &text);
    meta.custom = std::move(text);
  }
  return meta;
}

Result<std::map<std::string, FileMeta>> parse_meta_map(const JsonValue& signed_obj,
                                                       const Fields& f) {
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* meta,
                          f.member(signed_obj, "signed", "meta", JsonKind::kObject));
  std::map<std::string, FileMeta> out;
  for (const JsonMember& m : f.members(*meta)) {
    const std::string_view name = m.key;
    DTRUST_ASSIGN_OR_RETURN(
        FileMeta fm, parse_file_meta(
                         f.at(m), [name] { return "signed.meta." + std::string(name); }, f, true));
    out.emplace_hint(out.end(), name, std::move(fm));
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

Result<RoleKeys> parse_role_keys(const JsonValue& r, const std::string& path, const Fields& f,
                                 const std::map<std::string, PublicKey>& keys) {
  if (r.kind != JsonKind::kObject) return f.bad(path, "expected an object");
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
  JsonDoc doc;
  Fields f{std::string(role), &doc};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, &doc, f, type));
  const JsonValue& s = *env.signed_obj;
  Signed<T> out;
  DTRUST_ASSIGN_OR_RETURN(out.signed_.version, f.integer(s, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(out.signed_.expires, f.expires(s));
  DTRUST_ASSIGN_OR_RETURN(out.signed_.meta, parse_meta_map(s, f));
  for (const char* name : required) DTRUST_TRY(require_sha256(out.signed_.meta, name, f));
  out.signatures = std::move(env.signatures);
  out.canonical = std::move(env.canonical);
  out.raw = std::string(bytes);
  return out;
}

}  // namespace

Result<Signed<Root>> parse_root(std::string_view bytes) {
  JsonDoc doc;
  Fields f{std::string(kRootRole), &doc};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, &doc, f, "Root"));
  const JsonValue& s = *env.signed_obj;
  Signed<Root> out;
  Root& root = out.signed_;
  DTRUST_ASSIGN_OR_RETURN(root.version, f.integer(s, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(root.expires, f.expires(s));
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* cs,
                          f.member(s, "signed", "consistent_snapshot", JsonKind::kBool, false));
  root.consistent_snapshot = cs != nullptr && cs->boolean;
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* keys, f.member(s, "signed", "keys", JsonKind::kObject));
  DTRUST_ASSIGN_OR_RETURN(root.keys, parse_keys(*keys, "signed.keys", f));
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* roles,
                          f.member(s, "signed", "roles", JsonKind::kObject));
  for (const JsonMember& m : f.members(*roles)) {
    const std::string name(m.key);
    if (name != kRootRole && name != kTargetsRole && name != kSnapshotRole &&
        name != kTimestampRole) {
      return f.bad("signed.roles", "unexpected role \"" + name.substr(0, 64) + "\"");
    }
    DTRUST_ASSIGN_OR_RETURN(RoleKeys rk,
                            parse_role_keys(f.at(m), "signed.roles." + name, f, root.keys));
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

namespace {

// parse_targets, and with `eligible` set, internal::parse_signed_targets.
Result<Signed<Targets>> parse_targets_model(std::string&& bytes, std::string_view role,
                                            const internal::KeySet* eligible, int64_t threshold) {
  JsonDoc doc;
  Fields f{std::string(role), &doc};
  DTRUST_ASSIGN_OR_RETURN(Envelope env, parse_envelope(bytes, &doc, f, "Targets"));
  if (eligible != nullptr) {
    DTRUST_TRY(internal::check_signatures(env.canonical, env.signatures, *eligible, threshold));
    std::string().swap(env.canonical);
  }
  const JsonValue& s = *env.signed_obj;
  Signed<Targets> out;
  Targets& t = out.signed_;
  DTRUST_ASSIGN_OR_RETURN(t.version, f.integer(s, "signed", "version", 1));
  DTRUST_ASSIGN_OR_RETURN(t.expires, f.expires(s));
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* targets,
                          f.member(s, "signed", "targets", JsonKind::kObject));
  for (const JsonMember& m : f.members(*targets)) {
    const std::string_view name = m.key;
    DTRUST_ASSIGN_OR_RETURN(
        FileMeta fm,
        parse_file_meta(
            f.at(m), [name] { return "signed.targets." + std::string(name.substr(0, 64)); }, f,
            false));
    t.targets.emplace_hint(t.targets.end(), name, std::move(fm));
  }
  DTRUST_ASSIGN_OR_RETURN(const JsonValue* dele,
                          f.member(s, "signed", "delegations", JsonKind::kObject, false));
  if (dele != nullptr) {
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* keys, f.member(*dele, "signed.delegations", "keys",
                                                            JsonKind::kObject, false));
    if (keys != nullptr) {
      DTRUST_ASSIGN_OR_RETURN(t.delegations.keys, parse_keys(*keys, "signed.delegations.keys", f));
    }
    DTRUST_ASSIGN_OR_RETURN(const JsonValue* roles, f.member(*dele, "signed.delegations", "roles",
                                                             JsonKind::kArray, false));
    std::set<std::string> seen;
    const auto role_members = roles != nullptr ? f.members(*roles) : std::span<const JsonMember>();
    for (std::size_t i = 0; i < role_members.size(); ++i) {
      const std::string path = "signed.delegations.roles[" + std::to_string(i) + "]";
      const JsonValue& r = f.at(role_members[i]);
      if (r.kind != JsonKind::kObject) return f.bad(path, "expected an object");
      DelegatedRole d;
      DTRUST_ASSIGN_OR_RETURN(std::string_view name, f.string(r, path, "name"));
      d.name = std::string(name);
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
  out.raw = std::move(bytes);  // nothing in `out` views the bytes; the document dies here
  return out;
}

}  // namespace

Result<Signed<Targets>> parse_targets(std::string_view bytes, std::string_view role) {
  return parse_targets(std::string(bytes), role);
}

Result<Signed<Targets>> parse_targets(std::string&& bytes, std::string_view role) {
  return parse_targets_model(std::move(bytes), role, nullptr, 0);
}

Result<Signed<Targets>> internal::parse_signed_targets(std::string&& bytes, std::string_view role,
                                                       const KeySet& eligible, int64_t threshold) {
  return parse_targets_model(std::move(bytes), role, &eligible, threshold);
}
Result<Signed<Snapshot>> parse_snapshot(std::string_view bytes) {
  return parse_meta_role<Snapshot>(bytes, kSnapshotRole, "Snapshot", {"root", "targets"});
}

Result<Signed<Timestamp>> parse_timestamp(std::string_view bytes) {
  return parse_meta_role<Timestamp>(bytes, kTimestampRole, "Timestamp", {"snapshot"});
}

}  // namespace tuf
