// `docker trust inspect` output, byte for byte (docker-trust-cli.md §2.2 and §2.3).
#ifndef DTRUST_CLI_INSPECT_FORMAT_H_
#define DTRUST_CLI_INSPECT_FORMAT_H_

#include <ostream>
#include <string>
#include <vector>

#include "inspect_model.h"

namespace cli {

// §2.2: the JSON array of every successful argument, Go MarshalIndent layout with 4 spaces,
// newline-terminated; "[]\n" when empty. Per-tag signers in walk order ("Repo Admin" when
// none), top-level Signers by name descending (bytes), admin keys Root then Repository with
// IDs in file order; a signer without keys has no "Keys" member (omitempty).
std::string format_inspect_json(const std::vector<RepoTrust>& repos);
// The same text written to `out` as it is made, never held whole.
void write_inspect_json(const std::vector<RepoTrust>& repos, std::ostream& out);

// §2.3: the --pretty text of one argument: signatures table (signers sorted and joined, or
// "(Repo Admin)"), the signer table when there are signers (natural order, keys sorted and cut
// to 12 characters), then the administrative keys. Tables use minwidth 10, padding 3.
std::string format_inspect_pretty(const RepoTrust& repo);

}  // namespace cli

#endif  // DTRUST_CLI_INSPECT_FORMAT_H_
