// Pending local changes for one GUN, persisted in notary's changelist format (spec
// notary-v1-protocol.md 7.1) so that the Go `notary` CLI and dtrust read each other's staging:
//
//   <trust dir>/tuf/<GUN>/changelist/<%020d unix nanos>_<uuid v4>.change
//   {"action":"create|update|delete","role":"targets|targets/x","type":"target|delegation",
//    "path":"<target name>","data":"<base64 of the inner JSON>"}
//
// Inner JSON: a target is {"length":N,"hashes":{"sha256":"<b64>",...},"custom":<json>?}; a
// delegation is {"new_name"?,"threshold"?,"add_keys"?:[key objects],"remove_keys"?:[canonical
// IDs],"add_paths"?,"remove_paths"?,"clear_paths"?}. Changes are applied in file-name order.
//
// Errors: kIo (the file system), kMalformed (a file in the folder that is not a change),
// kUsage (a change that cannot be written: empty role, unknown action). Directories are made
// 0700 and files 0600.
//
// Durability: each file is written to a temporary name in the folder and renamed, so a reader
// (another dtrust or notary process) never sees a half-written change. Files are not fsynced one
// by one -- the Go client does not sync its changelist at all, and 100 fsyncs cost 170-400 ms on
// a loaded disk -- instead a batch ends with one fsync of the folder (Sync::kFolder), which makes
// the new names durable. After a power loss a change file's content may still be lost (an empty
// file, which list() reports as kMalformed naming it, as with notary's files); `dtrust reset`
// drops it. Removals (clear, remove) are not synced: a crash may bring back changes that were
// already published, and publishing them again is a no-op.
// Thread-safety: a Changelist holds only its path; concurrent adds are safe (unique names).
#ifndef DTRUST_NOTARY_CHANGELIST_H_
#define DTRUST_NOTARY_CHANGELIST_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/keys.h"
#include "tuf/metadata.h"
#include "tuf/result.h"

namespace notary {

enum class ChangeAction { kCreate, kUpdate, kDelete };

// Notary's change types. kRole (root key changes) and kWitness are read and kept, but
// apply_changes refuses them (dtrust rotates keys through its own commands).
inline constexpr std::string_view kChangeTarget = "target";
inline constexpr std::string_view kChangeDelegation = "delegation";

// One change as stored: `data` is the decoded inner JSON ("" for Go's `"data":null`).
struct Change {
  ChangeAction action = ChangeAction::kCreate;
  std::string role;  // scope: "targets", "targets/releases", ...
  std::string type;  // "target", "delegation", "role", "witness"
  std::string path;  // target name ("" for delegations)
  std::string data;  // inner JSON bytes
  std::string file;  // the file name it was read from ("" before it is stored)
};

// A delegation edit (notary's TUFDelegation). Empty members are left out of the JSON.
struct DelegationEdit {
  std::optional<std::string> new_name;
  int64_t threshold = 0;  // 0: unchanged (a new delegation gets 1)
  std::vector<tuf::PublicKey> add_keys;
  std::vector<std::string> remove_keys;  // canonical key IDs (spec 5.2)
  std::vector<std::string> add_paths;
  std::vector<std::string> remove_paths;
  bool clear_paths = false;
};

// "create", "update", "delete"; parse_change_action refuses anything else (kMalformed).
std::string_view change_action_name(ChangeAction action);
tuf::Result<ChangeAction> parse_change_action(std::string_view name);

// Change builders. Target names and `custom` are checked by apply_changes, not here.
Change target_change(ChangeAction action, std::string role, std::string name,
                     const tuf::FileMeta& meta);
Change delegation_change(ChangeAction action, std::string role, const DelegationEdit& edit);

// Decoders of the inner JSON (kMalformed on a bad document). A target's `custom` comes back
// compacted but otherwise as stored; apply_changes checks and canonicalises it (check_custom).
tuf::Result<tuf::FileMeta> target_meta_of(const Change& change);
tuf::Result<DelegationEdit> delegation_edit_of(const Change& change);

// A key object {"keytype":T,"keyval":{"private":null,"public":B64}} as notary writes it and its
// parser (used for delegation keys).
std::string key_object_json(const tuf::PublicKey& key);
tuf::Result<tuf::PublicKey> parse_key_object(std::string_view json);

// The serialised form of a change file and its parser.
std::string encode_change(const Change& change);
tuf::Result<Change> decode_change(std::string_view bytes);

class Changelist {
 public:
  // The changelist of `gun` under `trust_dir`. Nothing is touched until a call needs it.
  Changelist(const std::filesystem::path& trust_dir, std::string_view gun);

  const std::filesystem::path& dir() const { return dir_; }

  // Every change in file-name order (a missing folder is an empty list). Files not ending in
  // ".change" are ignored; a ".change" file that does not parse is kMalformed naming it.
  tuf::Result<std::vector<Change>> list() const;
  // Whether a batch of adds ends with an fsync of the folder.
  enum class Sync { kFolder, kNone };

  // Stores `change` under a new name (the current time and a random UUID v4), then syncs the
  // folder. Returns the name.
  tuf::Result<std::string> add(const Change& change) const;
  // Stores `changes` in order, all or nothing: when one cannot be written, the ones already
  // written are removed again and the error is returned. Names sort in the order given (strictly
  // increasing time stamps). With Sync::kFolder the folder is synced once at the end (an error
  // there removes the batch too). Returns the names.
  tuf::Result<std::vector<std::string>> add_all(const std::vector<Change>& changes,
                                                Sync sync = Sync::kFolder) const;
  // One fsync of the folder (after adds made with Sync::kNone that are to stay). A missing
  // folder is fine.
  tuf::Status sync() const;
  // Removes the named files (as add/add_all returned them); a name already gone is fine.
  tuf::Status remove(const std::vector<std::string>& names) const;
  // Removes every ".change" file. Call only after a successful publish. Not synced.
  tuf::Status clear() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_CHANGELIST_H_
