// The output of the Go notary client's `list` and `lookup`, byte for byte (captured from
// /usr/bin/notary 0.7; tests compare against it):
//
//   list:   a tabwriter table (minwidth 4, padding 4) with the header
//           "NAME", "DIGEST", "SIZE (BYTES)", "ROLE" and a line of dashes under each header
//           word; rows sorted by name (byte order); the ROLE column is not padded. With no
//           targets: "\nNo targets present in this repository.\n\n".
//   lookup: "<name> sha256:<hex> <length>\n".
#ifndef DTRUST_CLI_NOTARY_FORMAT_H_
#define DTRUST_CLI_NOTARY_FORMAT_H_

#include <string>
#include <vector>

#include "notary_targets.h"

namespace cli {

std::string format_notary_list(std::vector<ListedTarget> targets);
std::string format_notary_lookup(const ListedTarget& target);

}  // namespace cli

#endif  // DTRUST_CLI_NOTARY_FORMAT_H_
