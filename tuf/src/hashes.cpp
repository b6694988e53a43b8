// tuf::Hashes (tuf/metadata.h): a sorted vector with std::map's lookup semantics.
#include <algorithm>
#include <stdexcept>

#include "tuf/metadata.h"

namespace tuf {

Hashes::iterator Hashes::lower(std::string_view name) {
  return std::lower_bound(entries_.begin(), entries_.end(), name,
                          [](const value_type& e, std::string_view n) { return e.first < n; });
}

const std::string& Hashes::at(std::string_view name) const {
  auto it = find(name);
  if (it == end()) throw std::out_of_range("tuf::Hashes::at: no " + std::string(name));
  return it->second;
}

std::string& Hashes::operator[](std::string_view name) {
  auto it = lower(name);
  if (it == entries_.end() || it->first != name) {
    it = entries_.emplace(it, std::string(name), std::string());
  }
  return it->second;
}

std::pair<Hashes::iterator, bool> Hashes::emplace_hint(const_iterator /*hint*/,
                                                       std::string_view name, std::string digest) {
  auto it = lower(name);
  if (it != entries_.end() && it->first == name) return {it, false};
  return {entries_.emplace(it, std::string(name), std::move(digest)), true};
}

}  // namespace tuf
