// Target resolution over a trusted set, loading delegated roles on demand (spec 6.7 and
// docker-trust-cli.md section 3).
#ifndef DTRUST_TUF_RESOLVE_H_
#define DTRUST_TUF_RESOLVE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/metadata.h"
#include "tuf/trusted_set.h"

namespace tuf {

// Where delegated roles' bytes come from (a cache folder, the trust cache, a server).
class RoleSource {
 public:
  virtual ~RoleSource() = default;
  // The bytes of `role` whose snapshot record is `meta`. kNotFound when there is no such file.
  // Implementations cap what they read at meta.length.
  virtual Result<std::string> fetch_role(std::string_view role, const FileMeta& meta) = 0;
};

struct TargetHit {
  std::string role;  // "targets", "targets/releases", "targets/alice", ...
  std::string name;  // the target (tag) name
  FileMeta meta;
  // Docker's digest form: lower-case hex of hashes.sha256 ("" if the entry has no sha256).
  std::string sha256_hex() const;
};

// True when the hit counts for Docker Content Trust: found in targets/releases or targets.
bool is_dct_trusted(const TargetHit& hit);

// Walks the delegation tree of a TrustedSet whose top-level targets is loaded. Delegated roles
// are loaded into the set the first time a walk reaches them. A delegated role that is not in
// the snapshot is skipped (never published); one that fails verification because it is
// expired, under threshold or badly signed is skipped with a warning together with its
// children (notary's behaviour); any other failure -- a missing file, wrong hash, malformed
// document -- is returned as an error.
class Resolver {
 public:
  // REQUIRES: set.targets("targets") != nullptr. Both must outlive the resolver.
  Resolver(TrustedSet& set, RoleSource& source) : set_(set), source_(source) {}

  // notary GetTargetByName: for each role of `priority` in order, walk that role's subtree
  // breadth-first (skipping the subtrees of the other roles in `priority`), visiting only
  // roles whose paths allow `name`; the first role that lists `name` wins.
  Result<std::optional<TargetHit>> find(std::string_view name,
                                        const std::vector<std::string>& priority);

  // DCT resolution (docker pull): find(name, {"targets/releases", "targets"}). The hit's role
  // tells whether it is trusted (is_dct_trusted).
  Result<std::optional<TargetHit>> find_dct(std::string_view name);

  // Every occurrence of `name` (all targets when nullopt) in breadth-first walk order over the
  // whole tree, children in their parent's `delegations.roles` order (docker trust inspect).
  Result<std::vector<TargetHit>> all(std::optional<std::string_view> name);

  // What all(name) returns, one occurrence at a time and without copies: `visit(role, name,
  // meta)` for each, in the same order. `role` is valid during the call only; `name` and `meta`
  // refer into the set's loaded role and stay valid while that role stays loaded (loading
  // further roles does not move them). Errors are all()'s; hits visited before one stand.
  using TargetVisitor =
      std::function<void(std::string_view role, const std::string& name, const FileMeta& meta)>;
  Status for_each_target(std::optional<std::string_view> name, const TargetVisitor& visit);

  // Every delegated role at every depth declared by a loaded, valid role, in walk order,
  // including roles never published. Walks (loads) the whole tree.
  Result<std::vector<DelegationInfo>> delegations();

  // Warnings about skipped roles, one line each ("targets/x: expired at ...").
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  // Loads `role` if needed. Returns false (no error) when the role is to be skipped.
  Result<bool> ensure_loaded(const std::string& role);
  // The effective paths of a loaded role ([""] for targets).
  std::vector<std::string> role_paths(const std::string& role) const;

  TrustedSet& set_;
  RoleSource& source_;
  std::vector<std::string> skipped_;
  std::vector<std::string> warnings_;
};

}  // namespace tuf

#endif  // DTRUST_TUF_RESOLVE_H_
