// The metadata model for Notary's four base roles and delegated targets roles (spec 3), with
// strict parsing from wire bytes and byte-exact serialisation (spec 4.5).
#ifndef DTRUST_TUF_METADATA_H_
#define DTRUST_TUF_METADATA_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tuf/keys.h"
#include "tuf/result.h"
#include "tuf/time.h"

namespace tuf {

inline constexpr std::string_view kRootRole = "root";
inline constexpr std::string_view kTargetsRole = "targets";
inline constexpr std::string_view kSnapshotRole = "snapshot";
inline constexpr std::string_view kTimestampRole = "timestamp";
inline constexpr std::string_view kReleasesRole = "targets/releases";

// Delegation name rule (spec 9.2): "targets/" + segments of [-a-z0-9_], no empty, "." or ".."
// segment, no trailing "/", fewer than 256 characters.
bool is_delegation_name(std::string_view name);
// The parent of a delegated role ("targets/a/b" -> "targets/a"; "targets/a" -> "targets").
std::string parent_role(std::string_view delegation);

struct Signature {
  std::string keyid;
  std::string method;  // lower case
  std::string sig;     // raw signature bytes (base64-decoded)
  friend bool operator==(const Signature&, const Signature&) = default;
};

struct RoleKeys {
  std::vector<std::string> keyids;
  int64_t threshold = 1;
  friend bool operator==(const RoleKeys&, const RoleKeys&) = default;
};

// Hash algorithm name ("sha256", "sha512") -> raw digest bytes, in name order: the subset of
// std::map's interface the model uses, held as one sorted vector. A 10,000-tag targets file
// has 10,000 of these, almost all with one or two entries, where a map node each cost a
// cold docker-shaped `inspect` 1 MiB.
class Hashes {
 public:
  using value_type = std::pair<std::string, std::string>;
  using iterator = std::vector<value_type>::iterator;
  using const_iterator = std::vector<value_type>::const_iterator;

  Hashes() = default;
  Hashes(std::initializer_list<value_type> entries) {
    for (const value_type& e : entries) (*this)[e.first] = e.second;
  }

  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }

  iterator find(std::string_view name);
  const_iterator find(std::string_view name) const;
  std::size_t count(std::string_view name) const { return find(name) == end() ? 0 : 1; }
  // The digest for `name`; std::out_of_range if there is none (as std::map::at).
  const std::string& at(std::string_view name) const;
  // The digest for `name`, inserted empty if there was none.
  std::string& operator[](std::string_view name);
  // Inserts unless `name` is present; `hint` is ignored (kept for std::map's spelling).
  std::pair<iterator, bool> emplace_hint(const_iterator hint, std::string_view name,
                                         std::string digest);

  friend bool operator==(const Hashes&, const Hashes&) = default;

 private:
  // The index of the first entry whose name is not below `name`.
  std::size_t lower(std::string_view name) const;

  std::vector<value_type> entries_;  // sorted by name, names unique
};

// Optional text behind one pointer, with std::optional<std::string>'s spelling for what the
// model does with it (test, dereference, assign a string, compare by content). FileMeta::custom
// is absent for nearly every target, and std::optional<std::string> cost each of a 10,000-tag
// file's entries 32 bytes more.
class OptionalText {
 public:
  OptionalText() = default;
  OptionalText(std::nullopt_t) {}  // implicit, as std::optional's
  OptionalText(std::string text)   // implicit, as std::optional's
      : text_(std::make_unique<std::string>(std::move(text))) {}
  OptionalText(const OptionalText& other)
      : text_(other.text_ ? std::make_unique<std::string>(*other.text_) : nullptr) {}
  OptionalText(OptionalText&&) noexcept = default;
  OptionalText& operator=(const OptionalText& other) {
    if (this != &other) text_ = other.text_ ? std::make_unique<std::string>(*other.text_) : nullptr;
    return *this;
  }
  OptionalText& operator=(OptionalText&&) noexcept = default;
  OptionalText& operator=(std::string text) {
    text_ = std::make_unique<std::string>(std::move(text));
    return *this;
  }

  bool has_value() const { return text_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  const std::string& operator*() const { return *text_; }  // REQUIRES: has_value()
  const std::string* operator->() const { return text_.get(); }

  friend bool operator==(const OptionalText& a, const OptionalText& b) {
    return a.text_ && b.text_ ? *a.text_ == *b.text_ : a.text_ == b.text_;
  }

 private:
  std::unique_ptr<std::string> text_;
};

struct FileMeta {
  int64_t length = 0;
  Hashes hashes;
  OptionalText custom;  // canonical JSON text of `custom`, when present
  friend bool operator==(const FileMeta&, const FileMeta&) = default;
};

struct Root {
  int64_t version = 1;
  DateTime expires;
  bool consistent_snapshot = false;
  std::map<std::string, PublicKey> keys;  // TUF key ID -> key
  std::map<std::string, RoleKeys> roles;  // exactly root, snapshot, targets, timestamp
};

struct DelegatedRole {
  std::string name;
  std::vector<std::string> keyids;
  std::vector<std::string> paths;  // empty: none (written without `paths`); [""] = all
  int64_t threshold = 1;
  friend bool operator==(const DelegatedRole&, const DelegatedRole&) = default;
};

struct Delegations {
  std::map<std::string, PublicKey> keys;
  std::vector<DelegatedRole> roles;  // file order is meaningful (walk order)
};

struct Targets {
  int64_t version = 1;
  DateTime expires;
  std::map<std::string, FileMeta> targets;
  Delegations delegations;
};

struct Snapshot {
  int64_t version = 1;
  DateTime expires;
  std::map<std::string, FileMeta> meta;  // role name -> meta of its file
};

struct Timestamp {
  int64_t version = 1;
  DateTime expires;
  std::map<std::string, FileMeta> meta;  // exactly "snapshot"
};

// A parsed document together with the bytes it came from.
template <class T>
struct Signed {
  T signed_;  // the typed `signed` object
  std::vector<Signature> signatures;
  std::string canonical;  // canonical JSON of the parsed `signed` tree: what is signed
  std::string raw;        // the exact bytes received: what is hashed and cached
};

// Size cap for any document handed to the parsers, and for signatures in one document.
inline constexpr std::size_t kMaxDocumentBytes = 100u << 20;
inline constexpr std::size_t kMaxSignatures = 64;

// Strict parsers. They reject: invalid JSON or UTF-8, duplicate object keys anywhere, numbers
// that are not integers in int64 range, control characters in strings, missing or wrongly typed
// fields, a wrong `_type`, version < 1, bad dates, more than kMaxSignatures signatures, key IDs
// that do not match their key, unknown key types. Unknown extra fields are ignored (they stay
// covered by the signature through `canonical`). Errors are kMalformed or kWrongType with
// `role` set and a detail naming the field. `role` is the role the caller expects the document
// to be (a delegated role's name for parse_targets).
Result<Signed<Root>> parse_root(std::string_view bytes);
Result<Signed<Targets>> parse_targets(std::string_view bytes, std::string_view role);
// The same, taking the bytes: Signed::raw holds them without a copy (a megabyte delegation is
// otherwise in memory twice while it is parsed).
Result<Signed<Targets>> parse_targets(std::string&& bytes, std::string_view role);
Result<Signed<Snapshot>> parse_snapshot(std::string_view bytes);
Result<Signed<Timestamp>> parse_timestamp(std::string_view bytes);

// Canonical JSON of the typed `signed` objects exactly as Go's notary would produce it.
std::string canonical_signed(const Root& root);
std::string canonical_signed(const Targets& targets);
std::string canonical_signed(const Snapshot& snapshot);
std::string canonical_signed(const Timestamp& timestamp);

// TUF "verify signatures", the count: how many distinct keys among `keyids` (resolved through
// `keys`) signed `canonical` validly. A key counts once however many IDs or signatures name it
// (compared by the key material that verifies); a signature whose method does not fit its key
// is not valid. The trusted set requires this count to reach the role's threshold.
int64_t count_valid_signatures(std::string_view canonical, const std::vector<Signature>& signatures,
                               const std::map<std::string, PublicKey>& keys,
                               const std::vector<std::string>& keyids);

// The wire envelope (spec 4.3): {"signed":<html-escaped canonical>,"signatures":[...]}.
std::string envelope(std::string_view canonical_signed_json,
                     const std::vector<Signature>& signatures);

// FileMeta for exact bytes: sha256 + sha512 + length (what snapshot/timestamp record).
FileMeta file_meta_for(std::string_view bytes);

}  // namespace tuf

#endif  // DTRUST_TUF_METADATA_H_
