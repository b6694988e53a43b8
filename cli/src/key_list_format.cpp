#include "key_list_format.h"

#include <algorithm>
#include <tuple>

#include "tabwriter.h"

namespace cli {
namespace {

constexpr std::size_t kMaxGunWidth = 25;       // notary's maxGUNWidth
constexpr std::size_t kMaxLocationWidth = 40;  // notary's maxLocWidth

// Notary's keyInfoSorter: a root key before any other role, then GUN, role, key ID, location.
bool key_row_less(const KeyListRow& a, const KeyListRow& b) {
  return std::forward_as_tuple(a.role != "root", a.gun, a.role, a.id, a.location) <
         std::forward_as_tuple(b.role != "root", b.gun, b.role, b.id, b.location);
}

}  // namespace

std::string left_ellipsis(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text;
  return "..." + text.substr(text.size() - (width - 3));
}

std::string format_notary_key_list(std::vector<KeyListRow> rows) {
  if (rows.empty()) return "\nNo signing keys found.\n\n";
  std::stable_sort(rows.begin(), rows.end(), key_row_less);
  TabWriter table(/*min_width=*/4, /*padding=*/4);
  table.add_header({"ROLE", "GUN", "KEY ID", "LOCATION"});
  for (const KeyListRow& row : rows) {
    table.add_line({row.role, left_ellipsis(row.gun, kMaxGunWidth), row.id,
                    left_ellipsis(row.location, kMaxLocationWidth)});
  }
  return "\n" + table.render() + "\n";
}

}  // namespace cli
