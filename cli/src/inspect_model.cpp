#include "inspect_model.h"

#include <map>

#include <algorithm>

#include "natural_sort.h"
#include "tuf/keys.h"
#include "tuf/metadata.h"

namespace cli {
namespace {

bool is_released_role(std::string_view role) {
  return role == tuf::kTargetsRole || role == tuf::kReleasesRole;
}

// docker's notaryRoleToSigner: the role name without its "targets/" prefix.
std::string signer_name(std::string_view role) {
  constexpr std::string_view kPrefix = "targets/";
  if (role.starts_with(kPrefix)) role.remove_prefix(kPrefix.size());
  return std::string(role);
}

// The canonical IDs of a delegation's keys, as notary's GetDelegationRoles reports them.
tuf::Result<std::vector<std::string>> canonical_ids(const tuf::TrustedSet& set,
                                                    const tuf::DelegationInfo& info) {
  const tuf::Signed<tuf::Targets>* parent = set.targets(info.parent);
  if (parent == nullptr) {
    return tuf::Error{tuf::ErrorKind::kInternal, set.gun(), info.name, "parent not loaded"};
  }
  std::vector<std::string> ids;
  for (const std::string& keyid : info.keyids) {
    auto key = parent->signed_.delegations.keys.find(keyid);
    if (key == parent->signed_.delegations.keys.end()) {
      return tuf::Error{tuf::ErrorKind::kMalformed, set.gun(), info.name,
                        "delegation key " + keyid + " is not listed"};
    }
    DTRUST_ASSIGN_OR_RETURN(std::string id, tuf::canonical_key_id(key->second));
    ids.push_back(std::move(id));
  }
  return ids;
}

// docker: signers from GetDelegationRoles without targets/releases; on any error, none.
std::vector<SignerInfo> gather_signers(tuf::TrustedSet& set, tuf::Resolver& resolver) {
  auto delegations = resolver.delegations();
  if (!delegations.ok()) return {};
  std::vector<SignerInfo> signers;
  for (const tuf::DelegationInfo& info : *delegations) {
    if (info.name == tuf::kReleasesRole) continue;
    auto ids = canonical_ids(set, info);
    if (!ids.ok()) return {};
    signers.push_back(SignerInfo{signer_name(info.name), std::move(*ids)});
  }
  return signers;
}

std::vector<std::string> role_key_ids(const tuf::Root& root, std::string_view role) {
  auto it = root.roles.find(std::string(role));
  return it == root.roles.end() ? std::vector<std::string>{} : it->second.keyids;
}

}  // namespace

std::vector<SignedTagRow> released_rows(const std::vector<tuf::TargetHit>& hits) {
  // The raw sha256 of a hit ("" without one), a view into `hits`.
  auto raw_sha256 = [](const tuf::TargetHit& hit) -> std::string_view {
    auto it = hit.meta.hashes.find("sha256");
    return it == hit.meta.hashes.end() ? std::string_view() : std::string_view(it->second);
  };
  std::vector<SignedTagRow> rows;
  // (tag, raw digest) -> row index: one map look-up per hit, not a scan of every row; the keys
  // are views into `hits`, which outlive the map.
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> row_of;
  for (const tuf::TargetHit& hit : hits) {
    if (!is_released_role(hit.role)) continue;
    if (row_of.emplace(std::make_pair(std::string_view(hit.name), raw_sha256(hit)), rows.size())
            .second) {
      rows.push_back({hit.name, hit.sha256_hex(), {}});
    }
  }
  for (const tuf::TargetHit& hit : hits) {
    if (is_released_role(hit.role)) continue;
    auto row = row_of.find(std::make_pair(std::string_view(hit.name), raw_sha256(hit)));
    if (row != row_of.end()) rows[row->second].signers.push_back(signer_name(hit.role));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const SignedTagRow& a, const SignedTagRow& b) {
    return natural_less(a.tag, b.tag);
  });
  return rows;
}

tuf::Result<RepoTrust> gather_repo_trust(std::string name, std::optional<std::string_view> tag,
                                         tuf::TrustedSet& set, tuf::Resolver& resolver) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<tuf::TargetHit> hits, resolver.all(tag));
  RepoTrust trust;
  trust.name = std::move(name);
  trust.signed_tags = released_rows(hits);
  trust.signers = gather_signers(set, resolver);
  trust.root_key_ids = role_key_ids(set.root().signed_, tuf::kRootRole);
  trust.targets_key_ids = role_key_ids(set.root().signed_, tuf::kTargetsRole);
  return trust;
}

}  // namespace cli
