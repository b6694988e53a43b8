// Natural ordering of tag names as docker trust inspect sorts them (docker-trust-cli.md §2.1,
// fvbommel/sortorder NaturalLess).
#ifndef DTRUST_CLI_NATURAL_SORT_H_
#define DTRUST_CLI_NATURAL_SORT_H_

#include <string_view>

namespace cli {

// Strict weak order. Bytes compare by value, except where both strings have a run of ASCII
// digits at the same point: the runs compare as numbers (leading zeros stripped, the shorter
// run is smaller, equal lengths compare lexically, on a tie fewer leading zeros first). A digit
// sorts before a non-digit; a prefix sorts first. "1.9" < "1.10" < "latest" < "v2" < "v10".
bool natural_less(std::string_view a, std::string_view b);

}  // namespace cli

#endif  // DTRUST_CLI_NATURAL_SORT_H_
