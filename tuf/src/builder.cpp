#include "tuf/builder.h"

namespace tuf {
namespace {

template <class T>
std::string sign_any(const T& role, const std::vector<SigningKey>& keys) {
  const std::string canonical = canonical_signed(role);
  return envelope(canonical, sign_canonical(canonical, keys));
}

RoleKeys one_key(const PublicKey& key) { return RoleKeys{{key.id()}, 1}; }

}  // namespace

DateTime expiry_after(Time now, int64_t seconds) { return DateTime{now.plus_seconds(seconds), 0}; }

std::vector<Signature> sign_canonical(std::string_view canonical,
                                      const std::vector<SigningKey>& keys) {
  std::vector<Signature> out;
  out.reserve(keys.size());
  for (const SigningKey& k : keys) {
    out.push_back(
        Signature{k.keyid, std::string(signing_method(k.key.algorithm())), k.key.sign(canonical)});
  }
  return out;
}

std::string sign_role(const Root& root, const std::vector<SigningKey>& keys) {
  return sign_any(root, keys);
}
std::string sign_role(const Targets& targets, const std::vector<SigningKey>& keys) {
  return sign_any(targets, keys);
}
std::string sign_role(const Snapshot& snapshot, const std::vector<SigningKey>& keys) {
  return sign_any(snapshot, keys);
}
std::string sign_role(const Timestamp& timestamp, const std::vector<SigningKey>& keys) {
  return sign_any(timestamp, keys);
}

Result<PublicKey> make_root_certificate_key(const crypto::PrivateKey& root_key,
                                            std::string_view gun, Time now) {
  // Certificates carry whole seconds.
  const Time start{now.seconds, 0};
  DTRUST_ASSIGN_OR_RETURN(
      std::string der,
      crypto::make_self_signed_certificate(root_key, gun, start,
                                           start.plus_seconds(kRootCertificateValiditySeconds)));
  const KeyType type =
      root_key.algorithm() == crypto::KeyAlgorithm::kRsa ? KeyType::kRsaX509 : KeyType::kEcdsaX509;
  return PublicKey{type, crypto::pem_encode("CERTIFICATE", der)};
}

Root new_root(const PublicKey& root_key, const PublicKey& targets_key,
              const PublicKey& snapshot_key, const PublicKey& timestamp_key, Time now) {
  Root root;
  root.version = 1;
  root.expires = expiry_after(now, kRootExpirySeconds);
  root.consistent_snapshot = false;
  for (const PublicKey* k : {&root_key, &targets_key, &snapshot_key, &timestamp_key}) {
    root.keys.emplace(k->id(), *k);
  }
  root.roles.emplace(std::string(kRootRole), one_key(root_key));
  root.roles.emplace(std::string(kTargetsRole), one_key(targets_key));
  root.roles.emplace(std::string(kSnapshotRole), one_key(snapshot_key));
  root.roles.emplace(std::string(kTimestampRole), one_key(timestamp_key));
  return root;
}

Targets new_targets(Time now) {
  Targets t;
  t.version = 1;
  t.expires = expiry_after(now, kTargetsExpirySeconds);
  return t;
}

void bump(Root* root, Time now) {
  root->version += 1;
  root->expires = expiry_after(now, kRootExpirySeconds);
}
void bump(Targets* targets, Time now) {
  targets->version += 1;
  targets->expires = expiry_after(now, kTargetsExpirySeconds);
}
void bump(Snapshot* snapshot, Time now) {
  snapshot->version += 1;
  snapshot->expires = expiry_after(now, kSnapshotExpirySeconds);
}

Snapshot make_snapshot(const std::vector<std::pair<std::string, std::string>>& roles,
                       int64_t version, Time now) {
  Snapshot s;
  s.version = version;
  s.expires = expiry_after(now, kSnapshotExpirySeconds);
  for (const auto& [name, bytes] : roles) s.meta.emplace(name, file_meta_for(bytes));
  return s;
}

}  // namespace tuf
