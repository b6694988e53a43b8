#include "natural_sort.h"

#include <cstddef>

namespace cli {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// docker-trust-cli.md §2.1 step 3: "Compare byte by byte. At a point where both strings have a
// run of digits, compare the runs as numbers ...".
bool natural_less(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const bool da = is_digit(a[i]);
    const bool db = is_digit(b[j]);
    if (da != db) return da;  // a digit sorts before a non-digit
    if (!da) {
      if (a[i] != b[j]) {
        return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[j]);
      }
      ++i;
      ++j;
      continue;
    }
    while (i < a.size() && a[i] == '0') ++i;  // leading zeros
    while (j < b.size() && b[j] == '0') ++j;
    const std::size_t start_a = i;
    const std::size_t start_b = j;
    while (i < a.size() && is_digit(a[i])) ++i;
    while (j < b.size() && is_digit(b[j])) ++j;
    const std::string_view run_a = a.substr(start_a, i - start_a);
    const std::string_view run_b = b.substr(start_b, j - start_b);
    if (run_a.size() != run_b.size()) return run_a.size() < run_b.size();
    if (run_a != run_b) return run_a < run_b;
    // Equal numbers: everything before was equal, so the later start has more zeros.
    if (start_a != start_b) return start_a < start_b;
  }
  return a.size() < b.size();  // equal so far: the one that ended first is smaller
}

}  // namespace cli
