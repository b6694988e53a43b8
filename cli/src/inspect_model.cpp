#include "inspect_model.h"

#include <unordered_map>

#include <algorithm>

#include "natural_sort.h"
#include "tuf/crypto.h"
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

// Builds released_rows from hits visited in walk order. Tags and digests are held as views into
// the hits (or the trusted set's roles), which outlive the builder.
class RowBuilder {
 public:
  void add(std::string_view role, const std::string& name, const tuf::FileMeta& meta) {
    auto it = meta.hashes.find("sha256");
    const std::string_view raw =
        it == meta.hashes.end() ? std::string_view() : std::string_view(it->second);
    if (is_released_role(role)) {
      if (row_of_.emplace(std::make_pair(std::string_view(name), raw), rows_.size()).second) {
        rows_.push_back({name, raw.empty() ? std::string() : tuf::crypto::to_hex(raw), {}});
      }
      return;
    }
    // Signer occurrences are matched after the walk: their row may come later in walk order.
    if (signers_.empty() || signers_.back() != role) signers_.emplace_back(role);
    others_.push_back({name, raw, signers_.size() - 1});
  }

  std::vector<SignedTagRow> finish() && {
    for (const Other& o : others_) {
      auto row = row_of_.find(std::make_pair(o.name, o.raw));
      if (row != row_of_.end())
        rows_[row->second].signers.push_back(signer_name(signers_[o.signer]));
    }
    std::stable_sort(rows_.begin(), rows_.end(), [](const SignedTagRow& a, const SignedTagRow& b) {
      return natural_less(a.tag, b.tag);
    });
    return std::move(rows_);
  }

 private:
  struct Other {
    std::string_view name;
    std::string_view raw;
    std::size_t signer;  // index into signers_
  };
  std::vector<SignedTagRow> rows_;
  struct KeyHash {
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
      const std::hash<std::string_view> h;
      return h(k.first) * 31 + h(k.second);
    }
  };
  // (tag, raw digest) -> row index: one hash look-up per hit, not a scan of every row.
  std::unordered_map<std::pair<std::string_view, std::string_view>, std::size_t, KeyHash> row_of_;
  std::vector<std::string> signers_;  // roles of non-released hits, consecutive runs once
  std::vector<Other> others_;
};

}  // namespace

std::vector<SignedTagRow> released_rows(const std::vector<tuf::TargetHit>& hits) {
  RowBuilder builder;
  for (const tuf::TargetHit& hit : hits) builder.add(hit.role, hit.name, hit.meta);
  return std::move(builder).finish();
}

tuf::Result<RepoTrust> gather_repo_trust(std::string name, std::optional<std::string_view> tag,
                                         tuf::TrustedSet& set, tuf::Resolver& resolver) {
  // Visited, not copied: a 10,000-tag repository with two delegations would otherwise copy out
  // 20,000 hits (about 10 MiB) only to build rows from them.
  RowBuilder builder;
  DTRUST_TRY(resolver.for_each_target(
      tag, [&](std::string_view role, const std::string& target, const tuf::FileMeta& meta) {
        builder.add(role, target, meta);
      }));
  RepoTrust trust;
  trust.name = std::move(name);
  trust.signed_tags = std::move(builder).finish();
  trust.signers = gather_signers(set, resolver);
  trust.root_key_ids = role_key_ids(set.root().signed_, tuf::kRootRole);
  trust.targets_key_ids = role_key_ids(set.root().signed_, tuf::kTargetsRole);
  return trust;
}

}  // namespace cli
