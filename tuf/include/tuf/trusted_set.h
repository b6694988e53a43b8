// The trusted-set state machine: the verified metadata of one GUN, built strictly in TUF order
// root -> timestamp -> snapshot -> targets -> delegations (go-tuf's TrustedMetadataSet is the
// model; Notary v1's differences are marked "Notary v1:").
//
// Pure: no I/O, no clock. Every check uses the reference time given at construction. An
// update that fails leaves the set exactly as it was. Not thread-safe.
#ifndef DTRUST_TUF_TRUSTED_SET_H_
#define DTRUST_TUF_TRUSTED_SET_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/metadata.h"
#include "tuf/result.h"
#include "tuf/time.h"

namespace tuf {

// Which root keys are acceptable for a GUN (notary trust_pinning.certs, or Docker Official
// Images' published root key IDs). Empty = trust on first use.
struct RootPin {
  // Each entry is either the TUF key ID of an x509 root key (the certificate's ID, what
  // notary's trust_pinning uses) or the canonical ID of the bare key (what Docker publishes).
  std::vector<std::string> key_ids;
  bool empty() const { return key_ids.empty(); }
};

// Versions already trusted before this session (from the trust cache): rollback protection.
// A newly verified role must have version >= its floor (Notary allows equal).
struct VersionFloors {
  int64_t root = 0;
  int64_t timestamp = 0;
  int64_t snapshot = 0;
  int64_t targets = 0;
  std::map<std::string, int64_t> delegations;
};

// Limits the set enforces on its own inputs.
struct TrustLimits {
  std::size_t max_root_bytes = 100u << 20;
  std::size_t max_timestamp_bytes = 1u << 20;
  int max_delegation_depth = 16;
  // How far a certificate's NotBefore may lie in the future (notary: 1 day).
  int64_t certificate_clock_skew_seconds = 24 * 3600;
};

// A delegated role's definition as its verified parent declares it.
struct DelegationInfo {
  std::string name;
  std::string parent;
  std::vector<std::string> effective_paths;  // spec 6.7: own paths under the parent's
  int64_t threshold = 1;
  std::vector<std::string> keyids;
};

class TrustedSet {
 public:
  // Starts a set from a root. With an empty pin this is trust on first use; with a pin the root
  // must be signed by a threshold of pinned keys. Checks (spec 6.3): structure; root keys are
  // x509 leaf certificates (CA:TRUE rejected) with CN == gun (or a "*" prefix CN), valid at
  // ref_time, not SHA-1 signed, RSA >= 2048; self-signed by its own threshold of distinct keys;
  // version >= floors.root. Root expiry is checked when the timestamp is loaded (TUF 5.3.10),
  // so an expired root can still be rotated away from.
  static Result<TrustedSet> create(std::string gun, std::string_view root_bytes, Time ref_time,
                                   RootPin pin = {}, VersionFloors floors = {},
                                   TrustLimits limits = {});

  // TUF 5.3 root rotation: the new root must be signed by a threshold of the trusted root's
  // root keys and by its own threshold, pass the certificate checks and the pin, and have a
  // higher version (an identical re-load of the same version is accepted as a no-op).
  // REQUIRES: no timestamp loaded yet (otherwise kOutOfOrder).
  Status update_root(std::string_view root_bytes);

  // TUF 5.4: signed by the root's timestamp role, right _type, version >= floor, not expired;
  // the trusted root must not be expired either.
  Status update_timestamp(std::string_view bytes);

  // TUF 5.5: bytes match the timestamp's meta.snapshot (every listed sha256/sha512, exact
  // length), signed by the snapshot role, version >= floor, not expired, lists root and
  // targets. Notary v1: the trusted root's bytes must match meta.root (kHashMismatch, role
  // "root", tells the caller a newer root exists).
  Status update_snapshot(std::string_view bytes);

  // TUF 5.6: bytes match snapshot meta.targets; signed by the root's targets role; version
  // >= floor; not expired.
  Status update_targets(std::string_view bytes);
  Status update_targets(std::string&& bytes);  // the same, keeping `bytes` without a copy

  // A delegated role: its parent is loaded and lists it, the snapshot lists it (kNotFound
  // otherwise), bytes match snapshot meta, signed by a threshold of the keys the parent gives,
  // version >= floor, not expired, depth <= limit.
  Status update_delegation(std::string_view role, std::string_view bytes);
  Status update_delegation(std::string_view role, std::string&& bytes);  // keeps `bytes`

  const std::string& gun() const { return gun_; }
  Time reference_time() const { return ref_time_; }
  const Signed<Root>& root() const { return *root_; }
  const Signed<Timestamp>* timestamp() const { return timestamp_.get(); }
  const Signed<Snapshot>* snapshot() const { return snapshot_.get(); }
  // "targets" or a loaded delegated role; nullptr if not loaded. Its `canonical` is empty:
  // dropped once the signatures were checked (re-derive it from `raw` if ever needed).
  const Signed<Targets>* targets(std::string_view role) const;
  // The definition of a delegated role from its loaded parent; nullopt if no loaded parent
  // lists it.
  std::optional<DelegationInfo> delegation(std::string_view role) const;
  // The snapshot's meta for a role, if the snapshot is loaded and lists it.
  const FileMeta* snapshot_meta(std::string_view role) const;
  // Verified roles in load order (for committing to a cache).
  const std::vector<std::string>& loaded_roles() const { return loaded_order_; }

 private:
  TrustedSet() = default;
  Error fail(ErrorKind kind, std::string_view role, std::string detail) const;

  std::string gun_;
  Time ref_time_;
  RootPin pin_;
  VersionFloors floors_;
  TrustLimits limits_;
  std::shared_ptr<const Signed<Root>> root_;
  std::shared_ptr<const Signed<Timestamp>> timestamp_;
  std::shared_ptr<const Signed<Snapshot>> snapshot_;
  std::map<std::string, std::shared_ptr<const Signed<Targets>>, std::less<>> targets_;
  std::vector<std::string> loaded_order_;
};

}  // namespace tuf

#endif  // DTRUST_TUF_TRUSTED_SET_H_
