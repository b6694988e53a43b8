#include "test_repo.h"

#include <deque>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "test_support.h"

namespace testing {
namespace {

namespace fs = std::filesystem;

template <class T>
T must(tuf::Result<T> r, const std::string& what) {
  if (!r.ok()) throw std::runtime_error(what + ": " + r.error().message());
  return std::move(r).value();
}

// Replaces the keys of base role `role` by one fresh test key and returns it.
tuf::SigningKey replace_base_role_key(tuf::Root* root, const std::string& role,
                                      tuf::crypto::PrivateKey key) {
  tuf::PublicKey pub = tuf::public_key_of(key);
  for (const std::string& id : root->roles.at(role).keyids) root->keys.erase(id);
  root->keys.emplace(pub.id(), pub);
  root->roles[role] = tuf::RoleKeys{{pub.id()}, 1};
  return tuf::SigningKey{pub.id(), std::move(key)};
}

}  // namespace

tuf::crypto::PrivateKey load_key_file(const std::string& pem_text, const std::string& passphrase) {
  std::string body;
  bool in_body = false, past_headers = false;
  std::size_t pos = 0;
  while (pos < pem_text.size()) {
    std::size_t end = pem_text.find('\n', pos);
    if (end == std::string::npos) end = pem_text.size();
    const std::string line = pem_text.substr(pos, end - pos);
    pos = end + 1;
    if (line.starts_with("-----BEGIN")) {
      in_body = true;
      continue;
    }
    if (line.starts_with("-----END")) break;
    if (!in_body) continue;
    if (!past_headers && line.find(':') != std::string::npos) continue;
    if (line.empty()) {
      past_headers = true;
      continue;
    }
    past_headers = true;
    body += line;
  }
  std::string der = must(tuf::crypto::base64_decode(body), "key base64");
  std::string plain = must(tuf::crypto::pbes2_decrypt(der, passphrase), "key decryption");
  return must(tuf::crypto::PrivateKey::from_pkcs8(plain), "key parse");
}

tuf::Result<std::string> MapSource::fetch_role(std::string_view role, const tuf::FileMeta&) {
  auto it = files_.find(std::string(role));
  if (it == files_.end())
    return tuf::make_error(tuf::ErrorKind::kNotFound, std::string(role), "no such file");
  return it->second;
}

TestRepo TestRepo::from_fixture(const std::string& set) {
  const fs::path dir = fixtures_dir() / set;
  const auto manifest = nlohmann::json::parse(read_file(dir / "MANIFEST.json"));
  TestRepo repo;
  repo.gun = manifest.at("gun").get<std::string>();
  repo.now = at(manifest.at("generated_at").get<std::string>()).plus_seconds(60);
  const fs::path meta = dir / manifest.at("metadata_dir").get<std::string>();
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    repo.original[role] = read_file(meta / (std::string(role) + ".json"));
  }
  if (fs::is_directory(meta / "targets")) {
    for (const auto& entry : fs::recursive_directory_iterator(meta / "targets")) {
      if (!entry.is_regular_file()) continue;
      std::string rel = fs::relative(entry.path(), meta).replace_extension().generic_string();
      repo.original[rel] = read_file(entry.path());
    }
  }
  repo.root = must(tuf::parse_root(repo.original["root"]), set + " root").signed_;
  repo.targets = must(tuf::parse_targets(repo.original["targets"], "targets"), set).signed_;
  repo.snapshot = must(tuf::parse_snapshot(repo.original["snapshot"]), set).signed_;
  repo.timestamp = must(tuf::parse_timestamp(repo.original["timestamp"]), set).signed_;
  for (const auto& [role, bytes] : repo.original) {
    if (role.starts_with("targets/")) {
      repo.delegations[role] = must(tuf::parse_targets(bytes, role), set + " " + role).signed_;
    }
  }
  // Private keys by canonical ID.
  std::map<std::string, tuf::crypto::PrivateKey> private_keys;
  const std::string passphrase = manifest.at("passphrase").get<std::string>();
  for (const auto& entry : fs::directory_iterator(dir / "private")) {
    auto key = load_key_file(read_file(entry.path()), passphrase);
    private_keys.emplace(tuf::public_key_of(key).id(), key);
  }
  auto attach = [&](const std::string& role, const std::vector<std::string>& keyids,
                    const std::map<std::string, tuf::PublicKey>& listed) {
    for (const std::string& id : keyids) {
      auto cid = tuf::canonical_key_id(listed.at(id));
      if (!cid.ok()) continue;
      auto priv = private_keys.find(*cid);
      if (priv != private_keys.end()) repo.keys[role].push_back({id, priv->second});
    }
  };
  for (const auto& [role, rk] : repo.root.roles) attach(role, rk.keyids, repo.root.keys);
  for (const auto& [role, model] : repo.delegations) {
    const std::string parent = tuf::parent_role(role);
    const tuf::Targets& p = parent == "targets" ? repo.targets : repo.delegations.at(parent);
    for (const auto& d : p.delegations.roles) {
      if (d.name == role) attach(role, d.keyids, p.delegations.keys);
    }
  }
  if (repo.keys["root"].empty()) throw std::runtime_error(set + ": no root private key");
  for (const char* role : {"timestamp", "snapshot"}) {
    if (repo.keys[role].empty()) {
      repo.keys[role] = {
          replace_base_role_key(&repo.root, role, tuf::crypto::PrivateKey::generate_ed25519())};
    }
  }
  repo.files = repo.original;
  repo.publish();
  return repo;
}

TestRepo TestRepo::fresh(const std::string& gun, tuf::Time now) {
  TestRepo repo;
  repo.gun = gun;
  repo.now = now;
  auto root_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto targets_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto snapshot_key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto timestamp_key = tuf::crypto::PrivateKey::generate_ed25519();
  tuf::PublicKey root_pub = must(tuf::make_root_certificate_key(root_key, gun, now), "root cert");
  const tuf::PublicKey targets_pub = tuf::public_key_of(targets_key);
  const tuf::PublicKey snapshot_pub = tuf::public_key_of(snapshot_key);
  const tuf::PublicKey timestamp_pub = tuf::public_key_of(timestamp_key);
  repo.root = tuf::new_root(root_pub, targets_pub, snapshot_pub, timestamp_pub, now);
  repo.keys["root"] = {{root_pub.id(), root_key}};
  repo.keys["targets"] = {{targets_pub.id(), targets_key}};
  repo.keys["snapshot"] = {{snapshot_pub.id(), snapshot_key}};
  repo.keys["timestamp"] = {{timestamp_pub.id(), timestamp_key}};
  repo.targets = tuf::new_targets(now);
  repo.snapshot.expires = tuf::expiry_after(now, tuf::kSnapshotExpirySeconds);
  repo.timestamp.expires = tuf::expiry_after(now, tuf::kTimestampExpirySeconds);
  repo.publish();
  return repo;
}

void TestRepo::sign(const std::string& role) {
  const auto& k = keys[role];
  if (role == "root") {
    files[role] = tuf::sign_role(root, k);
  } else if (role == "targets") {
    files[role] = tuf::sign_role(targets, k);
  } else if (role == "snapshot") {
    files[role] = tuf::sign_role(snapshot, k);
  } else if (role == "timestamp") {
    files[role] = tuf::sign_role(timestamp, k);
  } else {
    files[role] = tuf::sign_role(delegations.at(role), k);
  }
}

void TestRepo::publish() {
  sign("root");
  sign("targets");
  for (const auto& [role, model] : delegations) sign(role);
  snapshot.meta.clear();
  snapshot.meta["root"] = tuf::file_meta_for(files["root"]);
  snapshot.meta["targets"] = tuf::file_meta_for(files["targets"]);
  for (const auto& [role, model] : delegations)
    snapshot.meta[role] = tuf::file_meta_for(files[role]);
  sign("snapshot");
  timestamp.meta["snapshot"] = tuf::file_meta_for(files["snapshot"]);
  sign("timestamp");
}

void TestRepo::add_delegation(const std::string& name, std::vector<std::string> paths) {
  auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const tuf::PublicKey pub = tuf::public_key_of(key);
  const std::string parent = tuf::parent_role(name);
  tuf::Targets& p = parent == "targets" ? targets : delegations.at(parent);
  p.delegations.keys[pub.id()] = pub;
  p.delegations.roles.push_back(tuf::DelegatedRole{name, {pub.id()}, std::move(paths), 1});
  delegations[name] = tuf::new_targets(now);
  keys[name] = {{pub.id(), key}};
}

void TestRepo::add_target(const std::string& role, const std::string& name,
                          std::string_view bytes) {
  tuf::Targets& t = role == "targets" ? targets : delegations.at(role);
  t.targets[name] = tuf::file_meta_for(bytes);
}

tuf::Status TestRepo::verify(tuf::Time when, tuf::RootPin pin, tuf::VersionFloors floors) const {
  DTRUST_ASSIGN_OR_RETURN(tuf::TrustedSet set,
                          tuf::TrustedSet::create(gun, files.at("root"), when, pin, floors));
  DTRUST_TRY(set.update_timestamp(files.at("timestamp")));
  DTRUST_TRY(set.update_snapshot(files.at("snapshot")));
  DTRUST_TRY(set.update_targets(files.at("targets")));
  std::deque<std::string> queue;
  for (const auto& d : set.targets("targets")->signed_.delegations.roles) queue.push_back(d.name);
  while (!queue.empty()) {
    const std::string role = queue.front();
    queue.pop_front();
    if (set.snapshot_meta(role) == nullptr) continue;
    auto it = files.find(role);
    if (it == files.end()) {
      return tuf::Error{tuf::ErrorKind::kNotFound, gun, role, "listed in snapshot but missing"};
    }
    DTRUST_TRY(set.update_delegation(role, it->second));
    for (const auto& d : set.targets(role)->signed_.delegations.roles) queue.push_back(d.name);
  }
  return {};
}

}  // namespace testing
