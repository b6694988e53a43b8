// The trusted-set state machine. Step numbers refer to the TUF 1.0 client workflow (section
// 5 of the specification); "Notary v1:" marks where notary's dialect differs.
#include "tuf/trusted_set.h"

#include <algorithm>
#include <set>

#include "root_checks.h"
#include "signatures.h"

namespace tuf {
namespace {

std::string versions_text(int64_t got, int64_t floor) {
  return "version " + std::to_string(got) + " is lower than trusted version " +
         std::to_string(floor) + " (rollback)";
}

// A verified targets role as the set keeps it (parse_signed_targets already dropped its
// canonical form, which served only the signature check).
std::shared_ptr<const Signed<Targets>> keep_verified(Signed<Targets> verified) {
  return std::make_shared<const Signed<Targets>>(std::move(verified));
}

Status check_expiry(const DateTime& expires, Time ref, std::string_view role) {
  // TUF 5.3.10 / 5.4.4 / 5.5.6 / 5.6.4 (freeze attack): expired at the reference time.
  if (expires.instant <= ref) {
    return make_error(ErrorKind::kExpired, std::string(role), "expired at " + expires.to_rfc3339());
  }
  return {};
}

}  // namespace

Error TrustedSet::fail(ErrorKind kind, std::string_view role, std::string detail) const {
  return Error{kind, gun_, std::string(role), std::move(detail)};
}

Result<TrustedSet> TrustedSet::create(std::string gun, std::string_view root_bytes, Time ref_time,
                                      RootPin pin, VersionFloors floors, TrustLimits limits) {
  TrustedSet set;
  set.gun_ = std::move(gun);
  set.ref_time_ = ref_time;
  set.pin_ = std::move(pin);
  set.floors_ = std::move(floors);
  set.limits_ = limits;
  if (root_bytes.size() > limits.max_root_bytes) {
    return set.fail(ErrorKind::kTooLarge, kRootRole, "larger than the root size limit");
  }
  auto parsed = parse_root(root_bytes);
  if (!parsed.ok()) return parsed.error().with_context(set.gun_, kRootRole);
  // Notary v1 (spec 6.3): root keys are x509 leaf certificates for this GUN, pinned if asked,
  // and the root is signed by its own threshold of those keys.
  auto usable = internal::usable_root_keys(parsed->signed_, set.gun_, ref_time,
                                           limits.certificate_clock_skew_seconds, true);
  if (!usable.ok()) return usable.error().with_context(set.gun_, kRootRole);
  auto pinned = internal::apply_pin(*usable, set.pin_);
  if (!pinned.ok()) return pinned.error().with_context(set.gun_, kRootRole);
  const RoleKeys& rk = parsed->signed_.roles.at(std::string(kRootRole));
  auto verified = internal::check_threshold(*parsed, *pinned, rk.threshold);
  if (!verified.ok()) return verified.error().with_context(set.gun_, kRootRole);
  if (parsed->signed_.version < set.floors_.root) {
    return set.fail(ErrorKind::kRollback, kRootRole,
                    versions_text(parsed->signed_.version, set.floors_.root));
  }
  set.root_ = std::make_shared<const Signed<Root>>(std::move(parsed).value());
  set.loaded_order_.push_back(std::string(kRootRole));
  return set;
}

Status TrustedSet::update_root(std::string_view root_bytes) {
  if (timestamp_)
    return fail(ErrorKind::kOutOfOrder, kRootRole, "cannot update root after timestamp");
  if (root_bytes.size() > limits_.max_root_bytes) {
    return fail(ErrorKind::kTooLarge, kRootRole, "larger than the root size limit");
  }
  auto parsed = parse_root(root_bytes);
  if (!parsed.ok()) return parsed.error().with_context(gun_, kRootRole);
  const int64_t old_version = root_->signed_.version;
  const int64_t new_version = parsed->signed_.version;
  if (new_version == old_version && parsed->raw == root_->raw) return {};
  if (new_version <= old_version) {
    return fail(ErrorKind::kRollback, kRootRole,
                new_version == old_version
                    ? "a different root with the same version " + std::to_string(new_version)
                    : versions_text(new_version, old_version));
  }
  // TUF 5.3.4: signed by a threshold of the trusted root's keys. Notary v1: those keys'
  // certificates may have expired since (that is why roots rotate); their CN must still match.
  auto old_keys = internal::usable_root_keys(root_->signed_, gun_, ref_time_,
                                             limits_.certificate_clock_skew_seconds, false);
  if (!old_keys.ok()) return old_keys.error().with_context(gun_, kRootRole);
  const RoleKeys& old_rk = root_->signed_.roles.at(std::string(kRootRole));
  auto by_old = internal::check_threshold(*parsed, *old_keys, old_rk.threshold);
  if (!by_old.ok()) {
    Error e = by_old.error().with_context(gun_, kRootRole);
    e.detail = "new root version " + std::to_string(new_version) +
               " is not signed by the trusted root's keys: " + e.detail;
    return e;
  }
  // TUF 5.3.5: signed by its own threshold of its own (valid, pinned) keys.
  auto new_keys = internal::usable_root_keys(parsed->signed_, gun_, ref_time_,
                                             limits_.certificate_clock_skew_seconds, true);
  if (!new_keys.ok()) return new_keys.error().with_context(gun_, kRootRole);
  auto pinned = internal::apply_pin(*new_keys, pin_);
  if (!pinned.ok()) return pinned.error().with_context(gun_, kRootRole);
  const RoleKeys& new_rk = parsed->signed_.roles.at(std::string(kRootRole));
  auto by_new = internal::check_threshold(*parsed, *pinned, new_rk.threshold);
  if (!by_new.ok()) return by_new.error().with_context(gun_, kRootRole);
  root_ = std::make_shared<const Signed<Root>>(std::move(parsed).value());
  return {};
}

Status TrustedSet::update_timestamp(std::string_view bytes) {
  if (timestamp_) return fail(ErrorKind::kOutOfOrder, kTimestampRole, "timestamp already loaded");
  // TUF 5.3.10: the final root must not be expired.
  Status root_fresh = check_expiry(root_->signed_.expires, ref_time_, kRootRole);
  if (!root_fresh.ok()) return root_fresh.error().with_context(gun_, kRootRole);
  if (bytes.size() > limits_.max_timestamp_bytes) {
    return fail(ErrorKind::kTooLarge, kTimestampRole, "larger than the timestamp size limit");
  }
  auto parsed = parse_timestamp(bytes);
  if (!parsed.ok()) return parsed.error().with_context(gun_, kTimestampRole);
  // TUF 5.4.2: signed by a threshold of the root's timestamp keys.
  const RoleKeys& rk = root_->signed_.roles.at(std::string(kTimestampRole));
  auto keys = internal::role_keys(root_->signed_.keys, rk.keyids);
  Status sigs = internal::check_threshold(*parsed, keys, rk.threshold);
  if (!sigs.ok()) return sigs.error().with_context(gun_, kTimestampRole);
  // TUF 5.4.3 (rollback). Notary v1: an equal version is accepted.
  if (parsed->signed_.version < floors_.timestamp) {
    return fail(ErrorKind::kRollback, kTimestampRole,
                versions_text(parsed->signed_.version, floors_.timestamp));
  }
  Status fresh = check_expiry(parsed->signed_.expires, ref_time_, kTimestampRole);
  if (!fresh.ok()) return fresh.error().with_context(gun_, kTimestampRole);
  timestamp_ = std::make_shared<const Signed<Timestamp>>(std::move(parsed).value());
  loaded_order_.push_back(std::string(kTimestampRole));
  return {};
}

Status TrustedSet::update_snapshot(std::string_view bytes) {
  if (!timestamp_)
    return fail(ErrorKind::kOutOfOrder, kSnapshotRole, "cannot load snapshot before timestamp");
  if (snapshot_) return fail(ErrorKind::kOutOfOrder, kSnapshotRole, "snapshot already loaded");
  // TUF 5.5.2: hashes and length from the timestamp (mix-and-match protection).
  Status match = internal::check_bytes(bytes, timestamp_->signed_.meta.at("snapshot"));
  if (!match.ok()) return match.error().with_context(gun_, kSnapshotRole);
  auto parsed = parse_snapshot(bytes);
  if (!parsed.ok()) return parsed.error().with_context(gun_, kSnapshotRole);
  const RoleKeys& rk = root_->signed_.roles.at(std::string(kSnapshotRole));
  auto keys = internal::role_keys(root_->signed_.keys, rk.keyids);
  Status sigs = internal::check_threshold(*parsed, keys, rk.threshold);
  if (!sigs.ok()) return sigs.error().with_context(gun_, kSnapshotRole);
  if (parsed->signed_.version < floors_.snapshot) {
    return fail(ErrorKind::kRollback, kSnapshotRole,
                versions_text(parsed->signed_.version, floors_.snapshot));
  }
  Status fresh = check_expiry(parsed->signed_.expires, ref_time_, kSnapshotRole);
  if (!fresh.ok()) return fresh.error().with_context(gun_, kSnapshotRole);
  // Notary v1 (spec 6.4 step 2): the trusted root must be the one the snapshot records.
  Status root_match = internal::check_bytes(root_->raw, parsed->signed_.meta.at("root"));
  if (!root_match.ok()) {
    return fail(ErrorKind::kHashMismatch, kRootRole,
                "trusted root version " + std::to_string(root_->signed_.version) +
                    " is not the root the snapshot records (a newer root may exist)");
  }
  snapshot_ = std::make_shared<const Signed<Snapshot>>(std::move(parsed).value());
  loaded_order_.push_back(std::string(kSnapshotRole));
  return {};
}

Status TrustedSet::update_targets(std::string_view bytes) {
  return update_targets(std::string(bytes));
}

Status TrustedSet::update_targets(std::string&& bytes) {
  if (!snapshot_)
    return fail(ErrorKind::kOutOfOrder, kTargetsRole, "cannot load targets before snapshot");
  if (targets_.count(kTargetsRole))
    return fail(ErrorKind::kOutOfOrder, kTargetsRole, "targets already loaded");
  const FileMeta* meta = snapshot_meta(kTargetsRole);
  // TUF 5.6.2: hashes and length from the snapshot.
  Status match = internal::check_bytes(bytes, *meta);
  if (!match.ok()) return match.error().with_context(gun_, kTargetsRole);
  // TUF 5.6.3: signed by the root's targets role, checked before the model is built.
  const RoleKeys& rk = root_->signed_.roles.at(std::string(kTargetsRole));
  auto keys = internal::role_keys(root_->signed_.keys, rk.keyids);
  auto parsed = internal::parse_signed_targets(std::move(bytes), kTargetsRole, keys, rk.threshold);
  if (!parsed.ok()) return parsed.error().with_context(gun_, kTargetsRole);
  if (parsed->signed_.version < floors_.targets) {
    return fail(ErrorKind::kRollback, kTargetsRole,
                versions_text(parsed->signed_.version, floors_.targets));
  }
  Status fresh = check_expiry(parsed->signed_.expires, ref_time_, kTargetsRole);
  if (!fresh.ok()) return fresh.error().with_context(gun_, kTargetsRole);
  targets_.emplace(std::string(kTargetsRole), keep_verified(std::move(parsed).value()));
  loaded_order_.push_back(std::string(kTargetsRole));
  return {};
}

Status TrustedSet::update_delegation(std::string_view role, std::string_view bytes) {
  return update_delegation(role, std::string(bytes));
}

Status TrustedSet::update_delegation(std::string_view role, std::string&& bytes) {
  const std::string name(role);
  if (!is_delegation_name(name))
    return fail(ErrorKind::kMalformed, name, "not a delegated role name");
  if (targets_.count(name)) return fail(ErrorKind::kOutOfOrder, name, "already loaded");
  const std::string parent = parent_role(name);
  if (!targets_.count(parent)) {
    return fail(ErrorKind::kOutOfOrder, name, "cannot load before its parent " + parent);
  }
  auto info = delegation(name);
  if (!info) return fail(ErrorKind::kNotFound, name, "not delegated by " + parent);
  if (std::count(name.begin(), name.end(), '/') > limits_.max_delegation_depth) {
    return fail(ErrorKind::kMalformed, name, "delegation depth over the limit");
  }
  const FileMeta* meta = snapshot_meta(name);
  if (meta == nullptr) return fail(ErrorKind::kNotFound, name, "not listed in the snapshot");
  Status match = internal::check_bytes(bytes, *meta);
  if (!match.ok()) return match.error().with_context(gun_, name);
  // TUF 5.6.3 for delegations: keys and threshold come from the verified parent; checked
  // before the model is built.
  const Targets& parent_targets = targets_.at(parent)->signed_;
  auto keys = internal::role_keys(parent_targets.delegations.keys, info->keyids);
  auto parsed = internal::parse_signed_targets(std::move(bytes), name, keys, info->threshold);
  if (!parsed.ok()) return parsed.error().with_context(gun_, name);
  auto floor = floors_.delegations.find(name);
  if (floor != floors_.delegations.end() && parsed->signed_.version < floor->second) {
    return fail(ErrorKind::kRollback, name, versions_text(parsed->signed_.version, floor->second));
  }
  Status fresh = check_expiry(parsed->signed_.expires, ref_time_, name);
  if (!fresh.ok()) return fresh.error().with_context(gun_, name);
  targets_.emplace(name, keep_verified(std::move(parsed).value()));
  loaded_order_.push_back(name);
  return {};
}

const Signed<Targets>* TrustedSet::targets(std::string_view role) const {
  auto it = targets_.find(role);
  return it == targets_.end() ? nullptr : it->second.get();
}

std::optional<DelegationInfo> TrustedSet::delegation(std::string_view role) const {
  const std::string parent = parent_role(role);
  const Signed<Targets>* p = targets(parent);
  if (p == nullptr) return std::nullopt;
  std::vector<std::string> parent_paths{""};  // spec 6.7: top-level targets may sign anything
  if (parent != kTargetsRole) {
    auto pinfo = delegation(parent);
    if (!pinfo) return std::nullopt;
    parent_paths = pinfo->effective_paths;
  }
  for (const DelegatedRole& d : p->signed_.delegations.roles) {
    if (d.name != role) continue;
    DelegationInfo info{d.name, parent, {}, d.threshold, d.keyids};
    for (const std::string& path : d.paths) {
      const bool allowed = std::any_of(parent_paths.begin(), parent_paths.end(),
                                       [&](const std::string& pp) { return path.starts_with(pp); });
      if (allowed) info.effective_paths.push_back(path);
    }
    return info;
  }
  return std::nullopt;
}

const FileMeta* TrustedSet::snapshot_meta(std::string_view role) const {
  if (!snapshot_) return nullptr;
  auto it = snapshot_->signed_.meta.find(std::string(role));
  return it == snapshot_->signed_.meta.end() ? nullptr : &it->second;
}

}  // namespace tuf
