#include "tuf/resolve.h"

#include <algorithm>
#include <deque>

namespace tuf {
namespace {

bool path_allows(const std::vector<std::string>& paths, std::string_view name) {
  return std::any_of(paths.begin(), paths.end(),
                     [&](const std::string& p) { return name.starts_with(p); });
}

bool is_skippable(ErrorKind kind) {
  return kind == ErrorKind::kExpired || kind == ErrorKind::kThresholdNotMet ||
         kind == ErrorKind::kBadSignature;
}

}  // namespace

std::string TargetHit::sha256_hex() const {
  auto it = meta.hashes.find("sha256");
  return it == meta.hashes.end() ? std::string() : crypto::to_hex(it->second);
}

bool is_dct_trusted(const TargetHit& hit) {
  return hit.role == kReleasesRole || hit.role == kTargetsRole;
}

Result<bool> Resolver::ensure_loaded(const std::string& role) {
  if (set_.targets(role) != nullptr) return true;
  if (std::find(skipped_.begin(), skipped_.end(), role) != skipped_.end()) return false;
  const FileMeta* meta = set_.snapshot_meta(role);
  if (meta == nullptr || !set_.delegation(role)) {
    skipped_.push_back(role);  // never published (or no valid parent): nothing to load
    return false;
  }
  auto bytes = source_.fetch_role(role, *meta);
  if (!bytes.ok()) return bytes.error().with_context(set_.gun(), role);
  Status loaded = set_.update_delegation(role, std::move(bytes).value());
  if (loaded.ok()) return true;
  if (!is_skippable(loaded.error().kind)) return loaded.error();
  skipped_.push_back(role);
  warnings_.push_back("skipping " + role + ": " + loaded.error().detail);
  return false;
}

std::vector<std::string> Resolver::role_paths(const std::string& role) const {
  if (role == kTargetsRole) return {""};  // spec 6.7: top-level targets may sign anything
  auto info = set_.delegation(role);
  return info ? info->effective_paths : std::vector<std::string>{};
}

Result<std::optional<TargetHit>> Resolver::find(std::string_view name,
                                                const std::vector<std::string>& priority) {
  for (const std::string& start : priority) {
    std::deque<std::string> queue{start};
    while (!queue.empty()) {
      const std::string role = std::move(queue.front());
      queue.pop_front();
      DTRUST_ASSIGN_OR_RETURN(bool loaded, ensure_loaded(role));
      if (!loaded) continue;
      if (!path_allows(role_paths(role), name)) continue;
      const Targets& t = set_.targets(role)->signed_;
      auto it = t.targets.find(std::string(name));
      if (it != t.targets.end()) {
        return std::optional<TargetHit>(TargetHit{role, it->first, it->second});
      }
      for (const DelegatedRole& child : t.delegations.roles) {
        const bool other_start =
            std::find(priority.begin(), priority.end(), child.name) != priority.end();
        if (!other_start) queue.push_back(child.name);
      }
    }
  }
  return std::optional<TargetHit>();
}

Result<std::optional<TargetHit>> Resolver::find_dct(std::string_view name) {
  return find(name, {std::string(kReleasesRole), std::string(kTargetsRole)});
}

Status Resolver::for_each_target(std::optional<std::string_view> name, const TargetVisitor& visit) {
  std::deque<std::string> queue{std::string(kTargetsRole)};
  while (!queue.empty()) {
    const std::string role = std::move(queue.front());
    queue.pop_front();
    DTRUST_ASSIGN_OR_RETURN(bool loaded, ensure_loaded(role));
    if (!loaded) continue;
    const std::vector<std::string> paths = role_paths(role);
    const Targets& t = set_.targets(role)->signed_;
    if (name) {
      auto it = t.targets.find(std::string(*name));
      if (it != t.targets.end() && path_allows(paths, it->first)) {
        visit(role, it->first, it->second);
      }
    } else if (role == kTargetsRole) {
      for (const auto& [target, meta] : t.targets) visit(role, target, meta);  // paths [""]
    } else {
      for (const auto& [target, meta] : t.targets) {
        if (path_allows(paths, target)) visit(role, target, meta);
      }
    }
    for (const DelegatedRole& child : t.delegations.roles) queue.push_back(child.name);
  }
  return {};
}

Result<std::vector<TargetHit>> Resolver::all(std::optional<std::string_view> name) {
  std::vector<TargetHit> hits;
  DTRUST_TRY(for_each_target(
      name, [&](std::string_view role, const std::string& target, const FileMeta& meta) {
        hits.push_back(TargetHit{std::string(role), target, meta});
      }));
  return hits;
}

Result<std::vector<DelegationInfo>> Resolver::delegations() {
  std::vector<DelegationInfo> out;
  std::deque<std::string> queue{std::string(kTargetsRole)};
  while (!queue.empty()) {
    const std::string role = std::move(queue.front());
    queue.pop_front();
    if (role != kTargetsRole) {
      auto info = set_.delegation(role);
      if (info) out.push_back(*info);
    }
    DTRUST_ASSIGN_OR_RETURN(bool loaded, ensure_loaded(role));
    if (!loaded) continue;
    for (const DelegatedRole& child : set_.targets(role)->signed_.delegations.roles) {
      queue.push_back(child.name);
    }
  }
  return out;
}

}  // namespace tuf
