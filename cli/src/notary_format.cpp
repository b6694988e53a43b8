#include "notary_format.h"

#include <algorithm>

#include "tabwriter.h"

namespace cli {

std::string format_notary_list(std::vector<ListedTarget> targets) {
  if (targets.empty()) return "\nNo targets present in this repository.\n\n";
  std::stable_sort(targets.begin(), targets.end(),
                   [](const ListedTarget& a, const ListedTarget& b) { return a.name < b.name; });
  TabWriter table(/*min_width=*/4, /*padding=*/4);
  table.add_header({"NAME", "DIGEST", "SIZE (BYTES)", "ROLE"});
  for (const ListedTarget& t : targets) {
    table.add_line({t.name, t.sha256_hex, std::to_string(t.length), t.role});
  }
  return table.render();
}

std::string format_notary_lookup(const ListedTarget& target) {
  return target.name + " sha256:" + target.sha256_hex + " " + std::to_string(target.length) + "\n";
}

}  // namespace cli
