#include "root_checks.h"

#include <algorithm>

namespace tuf::internal {
namespace {

bool cn_matches(std::string_view cn, std::string_view gun) {
  if (cn == gun) return true;
  // Notary v1: a CN ending in "*" names every GUN it prefixes.
  return !cn.empty() && cn.back() == '*' && gun.starts_with(cn.substr(0, cn.size() - 1));
}

// Why one root key is not usable, or "" if it is.
std::string root_key_problem(const PublicKey& key, std::string_view gun, Time ref, int64_t skew,
                             bool check_validity) {
  if (!is_x509(key.type)) return "root key is not an x509 certificate";
  auto certs = crypto::parse_certificate_pem(key.public_bytes);
  if (!certs.ok()) return "unparsable root certificate";
  const crypto::CertificateInfo& leaf = certs->front();
  if (leaf.is_ca) return "root certificate is a CA certificate, not a leaf";
  if (!cn_matches(leaf.common_name, gun)) {
    return "root certificate CN \"" + leaf.common_name.substr(0, 128) + "\" does not match the GUN";
  }
  if (leaf.sha1_signature) return "root certificate is signed with SHA-1";
  if (leaf.key.algorithm == crypto::KeyAlgorithm::kRsa && leaf.key.key_bits < 2048) {
    return "root certificate RSA key shorter than 2048 bits";
  }
  const bool key_type_fits =
      (key.type == KeyType::kEcdsaX509) == (leaf.key.algorithm == crypto::KeyAlgorithm::kEcdsa);
  if (!key_type_fits) return "root key type does not match its certificate";
  if (leaf.not_before > leaf.not_after) return "root certificate validity is inverted";
  if (check_validity) {
    if (ref > leaf.not_after) {
      return "root certificate expired at " + format_rfc3339_utc(leaf.not_after);
    }
    if (leaf.not_before > ref.plus_seconds(skew)) {
      return "root certificate not valid before " + format_rfc3339_utc(leaf.not_before);
    }
  }
  return "";
}

}  // namespace

Result<KeySet> usable_root_keys(const Root& root, std::string_view gun, Time ref,
                                int64_t skew_seconds, bool check_validity) {
  KeySet usable;
  std::string first_problem;
  for (const std::string& id : root.roles.at(std::string(kRootRole)).keyids) {
    const PublicKey& key = root.keys.at(id);
    std::string problem = root_key_problem(key, gun, ref, skew_seconds, check_validity);
    if (problem.empty()) {
      usable.emplace(id, key);
    } else if (first_problem.empty()) {
      first_problem = std::move(problem);
    }
  }
  if (usable.empty()) {
    return make_error(ErrorKind::kBadCertificate, std::string(kRootRole),
                      "no valid root certificate: " + first_problem);
  }
  return usable;
}

Result<KeySet> apply_pin(const KeySet& keys, const RootPin& pin) {
  if (pin.empty()) return keys;
  KeySet pinned;
  for (const auto& [id, key] : keys) {
    auto canonical = canonical_key_id(key);
    const bool match = std::any_of(pin.key_ids.begin(), pin.key_ids.end(), [&](const auto& p) {
      return p == id || (canonical.ok() && p == *canonical);
    });
    if (match) pinned.emplace(id, key);
  }
  if (pinned.empty()) {
    return make_error(ErrorKind::kPinMismatch, std::string(kRootRole),
                      "root key does not match the pinned root key");
  }
  return pinned;
}

}  // namespace tuf::internal
