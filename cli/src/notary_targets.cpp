#include "notary_targets.h"

#include <algorithm>
#include <unordered_set>

#include "tuf/crypto.h"
#include "tuf/metadata.h"

namespace cli {
namespace {

bool in_subtree(std::string_view role, std::string_view top) {
  return role == top ||
         (role.size() > top.size() && role.starts_with(top) && role[top.size()] == '/');
}

// notary WalkTargets(role, skipRoles = roles - {top}): `role` is visited when it lies in the
// subtree of `top` and no other requested role below `top` lies on its path.
bool visited_in_walk(std::string_view role, const std::string& top,
                     const std::vector<std::string>& roles) {
  if (!in_subtree(role, top)) return false;
  return std::none_of(roles.begin(), roles.end(), [&](const std::string& other) {
    return other != top && in_subtree(other, top) && in_subtree(role, other);
  });
}

ListedTarget to_listed(const tuf::TargetHit& hit) {
  return ListedTarget{hit.name, hit.sha256_hex(), hit.meta.length, hit.role};
}

std::vector<std::string> or_targets(const std::vector<std::string>& roles) {
  return roles.empty() ? std::vector<std::string>{std::string(tuf::kTargetsRole)} : roles;
}

}  // namespace

tuf::Result<std::vector<ListedTarget>> list_targets(tuf::Resolver& resolver,
                                                    const std::vector<std::string>& roles) {
  // A breadth-first walk of the whole tree, restricted to one subtree, visits that subtree's
  // roles in the order a walk started at its top would. The hits are visited, not copied out.
  std::vector<ListedTarget> out;
  std::unordered_set<std::string_view> seen;  // views into the set's loaded roles
  for (const std::string& top : or_targets(roles)) {
    DTRUST_TRY(resolver.for_each_target(
        std::nullopt,
        [&](std::string_view role, const std::string& name, const tuf::FileMeta& meta) {
          if (!visited_in_walk(role, top, roles) || !seen.insert(name).second) return;
          auto sha = meta.hashes.find("sha256");
          out.push_back(ListedTarget{
              name, sha == meta.hashes.end() ? std::string() : tuf::crypto::to_hex(sha->second),
              meta.length, std::string(role)});
        }));
  }
  return out;
}

tuf::Result<std::optional<ListedTarget>> lookup_target(tuf::Resolver& resolver,
                                                       std::string_view name,
                                                       const std::vector<std::string>& roles) {
  if (!roles.empty()) {
    // A walk may start at a nested role; its ancestors must be loaded for it to be reachable.
    DTRUST_TRY(resolver.delegations());
  }
  DTRUST_ASSIGN_OR_RETURN(std::optional<tuf::TargetHit> hit,
                          resolver.find(name, or_targets(roles)));
  if (!hit) return std::optional<ListedTarget>();
  return std::optional<ListedTarget>(to_listed(*hit));
}

}  // namespace cli
