// The data of `docker trust inspect` for one repository (docker-trust-cli.md §1.1, §2.1),
// gathered from a verified trusted set and its resolver -- a folder today, a server-backed
// repository later. Formatting is in inspect_format.h.
#ifndef DTRUST_CLI_INSPECT_MODEL_H_
#define DTRUST_CLI_INSPECT_MODEL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/resolve.h"
#include "tuf/result.h"
#include "tuf/trusted_set.h"

namespace cli {

// A released (tag, digest): signed in targets or targets/releases.
struct SignedTagRow {
  std::string tag;
  std::string digest;                // lower-case hex sha256
  std::vector<std::string> signers;  // signer roles that signed the same digest, walk order
};

struct SignerInfo {
  std::string name;                  // role without "targets/" ("alice", "alice/ci")
  std::vector<std::string> key_ids;  // canonical key IDs, in the delegation's keyids order
};

struct RepoTrust {
  std::string name;                          // the argument exactly as typed
  std::vector<SignedTagRow> signed_tags;     // §2.1 order (natural order of tags)
  std::vector<SignerInfo> signers;           // delegation walk order; formatters sort
  std::vector<std::string> root_key_ids;     // root.json roles.root.keyids, file order
  std::vector<std::string> targets_key_ids;  // root.json roles.targets.keyids, file order
};

// §2.1: rows from every occurrence of the tag(s) in breadth-first walk order. Each distinct
// (tag, sha256 hex) found in targets or targets/releases is one row; an occurrence in any other
// role with the same (tag, hex) appends that role's signer name. Rows are ordered by
// natural_less of the tag; rows with equal tags keep first-occurrence order (docker's order
// there is unspecified).
std::vector<SignedTagRow> released_rows(const std::vector<tuf::TargetHit>& hits);

// Gathers everything for one argument. `tag` selects one tag (nullopt: all targets). Fails
// when the walk for targets fails (docker then reports "no signatures or cannot access");
// a failure to list delegations leaves the signer list empty, as docker does.
tuf::Result<RepoTrust> gather_repo_trust(std::string name, std::optional<std::string_view> tag,
                                         tuf::TrustedSet& set, tuf::Resolver& resolver);

}  // namespace cli

#endif  // DTRUST_CLI_INSPECT_MODEL_H_
