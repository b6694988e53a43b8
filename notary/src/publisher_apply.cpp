// Pure change application: staged changes -> new targets models (spec notary-v1-protocol.md
// 7.2 step 2, 7.4, 7.5; docker-trust-cli 3.5). No I/O, no clock.
#include <algorithm>

#include "notary/publisher.h"
#include "tuf/canonical_json.h"

namespace notary {
namespace {

using tuf::ErrorKind;

tuf::Error usage(std::string_view role, std::string detail) {
  return tuf::make_error(ErrorKind::kUsage, std::string(role), std::move(detail));
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    if (c < 0x80) {
      extra = 0;
    } else if ((c >> 5) == 0x6 && c >= 0xc2) {
      extra = 1;
    } else if ((c >> 4) == 0xe) {
      extra = 2;
    } else if ((c >> 3) == 0x1e && c <= 0xf4) {
      extra = 3;
    } else {
      return false;
    }
    if (extra != 0 && i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += extra + 1;
  }
  return true;
}

bool path_allowed(const std::vector<std::string>& paths, std::string_view name) {
  return std::any_of(paths.begin(), paths.end(),
                     [&](const std::string& p) { return name.starts_with(p); });
}

tuf::DelegatedRole* find_entry(tuf::Targets& parent, std::string_view role) {
  for (auto& r : parent.delegations.roles) {
    if (r.name == role) return &r;
  }
  return nullptr;
}

const tuf::DelegatedRole* find_entry(const RoleModels& models, std::string_view role) {
  auto parent = models.roles.find(tuf::parent_role(role));
  if (parent == models.roles.end()) return nullptr;
  for (const auto& r : parent->second.delegations.roles) {
    if (r.name == role) return &r;
  }
  return nullptr;
}

// Keys no delegation of `parent` uses any more are dropped (as notary does).
void purge_unused_keys(tuf::Targets& parent) {
  for (auto it = parent.delegations.keys.begin(); it != parent.delegations.keys.end();) {
    const bool used = std::any_of(
        parent.delegations.roles.begin(), parent.delegations.roles.end(), [&](const auto& r) {
          return std::find(r.keyids.begin(), r.keyids.end(), it->first) != r.keyids.end();
        });
    it = used ? std::next(it) : parent.delegations.keys.erase(it);
  }
}

// The model of a declared role, created empty (version 0) when it has no file yet.
tuf::Result<tuf::Targets*> editable(RoleModels& models, const std::string& role) {
  if (models.unavailable.count(role) != 0) {
    return tuf::make_error(ErrorKind::kNotFound, role,
                           "the published role could not be loaded, so it cannot be changed");
  }
  if (auto it = models.roles.find(role); it != models.roles.end()) return &it->second;
  if (role == tuf::kTargetsRole || find_entry(models, role) == nullptr) {
    return tuf::make_error(ErrorKind::kNotFound, role, "no such role in the repository");
  }
  tuf::Targets empty;
  empty.version = 0;
  return &models.roles.emplace(role, std::move(empty)).first->second;
}

tuf::Status apply_target(RoleModels& models, const Change& change) {
  DTRUST_TRY(check_target_name(change.path));
  if (change.role != tuf::kTargetsRole && !tuf::is_delegation_name(change.role))
    return usage(change.role, "targets can only be added to targets roles");
  if (change.action == ChangeAction::kDelete) {
    auto it = models.roles.find(change.role);
    if (it != models.roles.end() && it->second.targets.erase(change.path) != 0)
      models.changed.insert(change.role);
    return {};
  }
  DTRUST_ASSIGN_OR_RETURN(tuf::FileMeta meta, target_meta_of(change));
  if (meta.hashes.empty())
    return usage(change.role, "target \"" + change.path + "\" has no hashes");
  if (meta.custom) {
    DTRUST_ASSIGN_OR_RETURN(meta.custom, check_custom(*meta.custom));
  }
  DTRUST_ASSIGN_OR_RETURN(tuf::Targets * model, editable(models, change.role));
  if (!role_allows(models, change.role, change.path)) {
    return tuf::make_error(ErrorKind::kPathNotAllowed, change.role,
                           "target \"" + change.path + "\" is outside the role's paths");
  }
  auto it = model->targets.find(change.path);
  if (it != model->targets.end() && it->second == meta) return {};  // identical: no-op
  model->targets[change.path] = std::move(meta);
  models.changed.insert(change.role);
  return {};
}

void add_unique(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

tuf::Status update_delegation(RoleModels& models, tuf::Targets& parent, const Change& change,
                              const DelegationEdit& edit) {
  tuf::DelegatedRole* entry = find_entry(parent, change.role);
  if (entry == nullptr) {
    parent.delegations.roles.push_back(tuf::DelegatedRole{change.role, {}, {}, 1});
    entry = &parent.delegations.roles.back();
  }
  for (const tuf::PublicKey& key : edit.add_keys) {
    const std::string id = key.id();
    parent.delegations.keys[id] = key;
    add_unique(entry->keyids, id);
  }
  for (const std::string& gone : edit.remove_keys) {
    std::erase_if(entry->keyids, [&](const std::string& id) {
      if (id == gone) return true;
      auto key = parent.delegations.keys.find(id);
      if (key == parent.delegations.keys.end()) return false;
      auto canonical = tuf::canonical_key_id(key->second);
      return canonical.ok() && *canonical == gone;
    });
  }
  if (edit.clear_paths) entry->paths.clear();
  for (const std::string& p : edit.remove_paths) std::erase(entry->paths, p);
  for (const std::string& p : edit.add_paths) add_unique(entry->paths, p);
  if (edit.threshold != 0) entry->threshold = edit.threshold;
  if (entry->keyids.empty())
    return usage(change.role, "a delegation needs at least one key (remove the role instead)");
  if (entry->threshold < 1 || entry->threshold > static_cast<int64_t>(entry->keyids.size())) {
    return usage(change.role, "threshold " + std::to_string(entry->threshold) + " needs 1 to " +
                                  std::to_string(entry->keyids.size()) + " keys");
  }
  purge_unused_keys(parent);
  models.changed.insert(tuf::parent_role(change.role));
  return {};
}

tuf::Status apply_delegation(RoleModels& models, const Change& change) {
  if (!tuf::is_delegation_name(change.role))
    return usage(change.role, "not a valid delegation name");
  DTRUST_ASSIGN_OR_RETURN(tuf::Targets * parent, editable(models, tuf::parent_role(change.role)));
  if (change.action == ChangeAction::kDelete) {
    if (find_entry(*parent, change.role) == nullptr) return {};
    std::erase_if(parent->delegations.roles,
                  [&](const tuf::DelegatedRole& r) { return r.name == change.role; });
    purge_unused_keys(*parent);
    models.changed.insert(tuf::parent_role(change.role));
    const std::string prefix = change.role + "/";
    for (auto it = models.roles.begin(); it != models.roles.end();) {
      if (it->first == change.role || it->first.starts_with(prefix)) {
        models.deleted.insert(it->first);
        models.changed.erase(it->first);
        it = models.roles.erase(it);
      } else {
        ++it;
      }
    }
    return {};
  }
  DTRUST_ASSIGN_OR_RETURN(DelegationEdit edit, delegation_edit_of(change));
  if (edit.new_name) return usage(change.role, "renaming a delegation is not supported");
  return update_delegation(models, *parent, change, edit);
}

}  // namespace

tuf::Status check_target_name(std::string_view name) {
  if (name.empty()) return usage("", "a target name cannot be empty");
  if (!valid_utf8(name)) return usage("", "target name is not valid UTF-8");
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return usage("", "target name contains a control character");
  }
  return {};
}

tuf::Result<std::string> check_custom(std::string_view custom_json) {
  auto canonical = tuf::canonicalize(custom_json);
  if (!canonical.ok()) {
    return usage(
        "", "custom data is not canonical JSON with integer numbers: " + canonical.error().detail);
  }
  const std::string& c = *canonical;
  if (c.find_first_of("<>&\\") != std::string::npos ||
      c.find("\xe2\x80\xa8") != std::string::npos || c.find("\xe2\x80\xa9") != std::string::npos) {
    // Spec 4.4: Go embeds custom raw, so escapes and HTML-escaped characters break signatures.
    return usage("", "custom data must not contain <, >, & or escaped characters");
  }
  return canonical;
}

bool role_allows(const RoleModels& models, std::string_view role, std::string_view name) {
  std::string current(role);
  while (current != tuf::kTargetsRole) {
    const tuf::DelegatedRole* entry = find_entry(models, current);
    if (entry == nullptr || !path_allowed(entry->paths, name)) return false;
    current = tuf::parent_role(current);
  }
  return true;
}

tuf::Status apply_changes(RoleModels& models, const std::vector<Change>& changes) {
  for (const Change& change : changes) {
    tuf::Status status;
    if (change.type == kChangeTarget) {
      status = apply_target(models, change);
    } else if (change.type == kChangeDelegation) {
      status = apply_delegation(models, change);
    } else {
      status = usage(change.role, "change type \"" + change.type + "\" is not supported by dtrust");
    }
    if (!status.ok())
      return status.error().role.empty() ? status.error().with_context("", change.role)
                                         : status.error();
  }
  return {};
}

tuf::Result<std::vector<std::string>> signable_roles(const tuf::Targets& top, std::string_view tag,
                                                     const std::set<std::string>& held_key_ids) {
  if (top.delegations.roles.empty())
    return std::vector<std::string>{std::string(tuf::kTargetsRole)};
  std::vector<std::string> out;
  for (const auto& role : top.delegations.roles) {
    if (tuf::parent_role(role.name) != tuf::kTargetsRole || !path_allowed(role.paths, tag))
      continue;
    const bool held = std::any_of(role.keyids.begin(), role.keyids.end(), [&](const auto& id) {
      auto key = top.delegations.keys.find(id);
      if (key == top.delegations.keys.end()) return false;
      auto canonical = tuf::canonical_key_id(key->second);
      return held_key_ids.count(id) != 0 || (canonical.ok() && held_key_ids.count(*canonical) != 0);
    });
    if (held) out.push_back(role.name);
  }
  if (out.empty()) {
    return tuf::make_error(ErrorKind::kKeyNotFound, "",
                           "no valid signing keys for delegation roles");
  }
  return out;
}

}  // namespace notary
