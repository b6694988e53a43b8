// The table of the Go notary client's `key list`, byte for byte (captured from /usr/bin/notary
// 0.7; tests compare against it on the same trust dir):
//
//   "\n" + a tabwriter table (minwidth 4, padding 4) with the header "ROLE", "GUN", "KEY ID",
//   "LOCATION" and a line of dashes under each header word + "\n". Rows: root keys first, then
//   by GUN, role, key ID. A GUN longer than 25 bytes is shown as "..." + its last 22 bytes, a
//   location longer than 40 bytes as "..." + its last 37 bytes.
//   With no keys: "\nNo signing keys found.\n\n".
#ifndef DTRUST_CLI_KEY_LIST_FORMAT_H_
#define DTRUST_CLI_KEY_LIST_FORMAT_H_

#include <string>
#include <vector>

namespace cli {

struct KeyListRow {
  std::string role;
  std::string gun;
  std::string id;
  std::string location;  // the key store's name: the absolute path of <trust dir>/private
};

std::string format_notary_key_list(std::vector<KeyListRow> rows);

// Notary's truncateWithEllipsis(text, width, leftTruncate = true), counting bytes.
std::string left_ellipsis(const std::string& text, std::size_t width);

}  // namespace cli

#endif  // DTRUST_CLI_KEY_LIST_FORMAT_H_
