// The data behind `notary list` and `notary lookup` (notary-v1-protocol.md §6.7): which role
// each target name resolves to.
#ifndef DTRUST_CLI_NOTARY_TARGETS_H_
#define DTRUST_CLI_NOTARY_TARGETS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/resolve.h"
#include "tuf/result.h"

namespace cli {

struct ListedTarget {
  std::string name;
  std::string sha256_hex;  // "" when the entry has no sha256
  int64_t length = 0;
  std::string role;
};

// notary ListTargets: for each role of `roles` in order ({"targets"} when empty), walk that
// role's subtree breadth-first, leaving out the subtrees of the other roles given; a name is
// taken from the first role that lists it (and whose paths allow it). Loads the whole
// delegation tree. Result in walk order.
tuf::Result<std::vector<ListedTarget>> list_targets(tuf::Resolver& resolver,
                                                    const std::vector<std::string>& roles);

// notary GetTargetByName: the first role of the priority walk that lists `name` (see
// tuf::Resolver::find); `roles` defaults to {"targets"}, i.e. the whole tree. nullopt when no
// role has it.
tuf::Result<std::optional<ListedTarget>> lookup_target(tuf::Resolver& resolver,
                                                       std::string_view name,
                                                       const std::vector<std::string>& roles);

}  // namespace cli

#endif  // DTRUST_CLI_NOTARY_TARGETS_H_
