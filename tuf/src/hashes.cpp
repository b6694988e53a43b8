// tuf::Hashes (tuf/metadata.h): a sorted vector with std::map's lookup semantics.
#include <algorithm>
#include <stdexcept>

#include "tuf/metadata.h"

namespace tuf {

std::size_t Hashes::lower(std::string_view name) const {
  const auto it =
      std::lower_bound(entries_.begin(), entries_.end(), name,
                       [](const value_type& e, std::string_view n) { return e.first < n; });
  return static_cast<std::size_t>(it - entries_.begin());
}

Hashes::iterator Hashes::find(std::string_view name) {
  const std::size_t i = lower(name);
  if (i == entries_.size() || entries_[i].first != name) return entries_.end();
  return entries_.begin() + static_cast<std::ptrdiff_t>(i);
}

Hashes::const_iterator Hashes::find(std::string_view name) const {
  const std::size_t i = lower(name);
  if (i == entries_.size() || entries_[i].first != name) return entries_.end();
  return entries_.begin() + static_cast<std::ptrdiff_t>(i);
}

const std::string& Hashes::at(std::string_view name) const {
  auto it = find(name);
  if (it == end()) throw std::out_of_range("tuf::Hashes::at: no " + std::string(name));
  return it->second;
}

std::string& Hashes::operator[](std::string_view name) {
  auto it = entries_.begin() + static_cast<std::ptrdiff_t>(lower(name));
  if (it == entries_.end() || it->first != name) {
    it = entries_.emplace(it, std::string(name), std::string());
  }
  return it->second;
}

std::pair<Hashes::iterator, bool> Hashes::emplace_hint(const_iterator /*hint*/,
                                                       std::string_view name, std::string digest) {
  auto it = entries_.begin() + static_cast<std::ptrdiff_t>(lower(name));
  if (it != entries_.end() && it->first == name) return {it, false};
  return {entries_.emplace(it, std::string(name), std::move(digest)), true};
}

}  // namespace tuf
