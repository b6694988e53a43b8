// The signing side: building and signing metadata exactly as Go's notary writes it
// (spec 3.8, 4.3, 4.5, 7.3).
#ifndef DTRUST_TUF_BUILDER_H_
#define DTRUST_TUF_BUILDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/crypto.h"
#include "tuf/metadata.h"

namespace tuf {

// Default lifetimes notary gives each role on every (re-)signing (spec 3.8).
inline constexpr int64_t kDay = 24 * 3600;
inline constexpr int64_t kRootExpirySeconds = 3650 * kDay;
inline constexpr int64_t kTargetsExpirySeconds = 1095 * kDay;
inline constexpr int64_t kSnapshotExpirySeconds = 1095 * kDay;
inline constexpr int64_t kTimestampExpirySeconds = 14 * kDay;
inline constexpr int64_t kRootCertificateValiditySeconds = 3650 * kDay;
// Root is re-signed on publish when it expires within this window (spec 3.8).
inline constexpr int64_t kNearExpirySeconds = 182 * kDay;

// A private key and the TUF key ID it signs as (for an x509 root key: the certificate's ID).
struct SigningKey {
  std::string keyid;
  crypto::PrivateKey key;
};

// `now + seconds` as a UTC DateTime (what dtrust writes: "Z", trimmed fraction).
DateTime expiry_after(Time now, int64_t seconds);

// Signatures over `canonical` by every key, in the order given, with notary's method names.
std::vector<Signature> sign_canonical(std::string_view canonical,
                                      const std::vector<SigningKey>& keys);

// Serialises, signs and wraps a role: the exact wire bytes to upload (spec 4.3 recipe).
std::string sign_role(const Root& root, const std::vector<SigningKey>& keys);
std::string sign_role(const Targets& targets, const std::vector<SigningKey>& keys);
std::string sign_role(const Snapshot& snapshot, const std::vector<SigningKey>& keys);
std::string sign_role(const Timestamp& timestamp, const std::vector<SigningKey>& keys);

// The root key as root.json lists it: an ecdsa-x509 key holding a new self-signed certificate
// for `gun` valid from `now` for 10 years (spec 7.3).
Result<PublicKey> make_root_certificate_key(const crypto::PrivateKey& root_key,
                                            std::string_view gun, Time now);

// Root version 1 listing one key per base role, threshold 1, expiring 10 years from now.
Root new_root(const PublicKey& root_key, const PublicKey& targets_key,
              const PublicKey& snapshot_key, const PublicKey& timestamp_key, Time now);

// An empty targets role (version 1, "delegations":{"keys":{},"roles":[]}), 3 years.
Targets new_targets(Time now);

// Prepares a changed role for re-signing: version + 1 and a fresh default expiry.
void bump(Root* root, Time now);
void bump(Targets* targets, Time now);
void bump(Snapshot* snapshot, Time now);

// Snapshot meta for the roles given as (name, exact wire bytes).
Snapshot make_snapshot(const std::vector<std::pair<std::string, std::string>>& roles,
                       int64_t version, Time now);

}  // namespace tuf

#endif  // DTRUST_TUF_BUILDER_H_
