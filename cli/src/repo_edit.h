// Shared pieces of the notary family's staging commands (notary-v1-protocol.md 7): the server
// flags, staging several changes as one unit, and publishing what is staged. The commands
// themselves live in cmd_repo_edit.cpp (init, status, reset, publish), cmd_repo_targets.cpp
// (add, remove), cmd_delegation.cpp (delegation add/remove/list) and cmd_cosign.cpp (k-of-n
// signing: publish --prepare, cosign, publish --signed).
#ifndef DTRUST_CLI_REPO_EDIT_H_
#define DTRUST_CLI_REPO_EDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "command.h"
#include "notary/changelist.h"
#include "server_provider.h"

namespace cli {

// -s/--server, --tlscacert, -d/--trust-dir.
std::vector<FlagSpec> server_flags();
// -p/--publish (notary's auto-publish).
FlagSpec publish_flag();

// The server options of the flags, or nullopt after printing the error line.
std::optional<ServerOptions> server_of(const ParsedArgs& args, Io& io);

// Stores `changes` in `gun`'s changelist, all or nothing: when one cannot be stored the ones
// already written are removed again. Returns "" or the error line. With `publish_next` (the
// -p flag) the changelist folder is not synced: a successful publish removes the files again
// at once, and publish_staged(auto_publish) syncs the folder when the publish fails, so the
// success path costs no fsync at all.
std::string stage_changes(const ServerOptions& server, const std::string& gun,
                          const std::vector<notary::Change>& changes, bool publish_next = false);

// Publishes `gun`'s changelist (notary publish) followed by `unstaged` (the changes of an
// `add -p`/`remove -p`, kept in memory so that success writes no change file). `auto_publish`
// prints notary's "Auto-publishing changes to GUN" instead of "Pushing changes to GUN", and on
// failure syncs the changelist folder (what stage_changes(publish_next) skipped) and stages
// `unstaged`, so a failed auto-publish leaves the changes staged as notary does; `init`
// initialises a repository the server does not have. Errors are one line naming the GUN and
// the role (notary_publish_error_text). Returns the exit status.
int publish_staged(const ServerOptions& server, const std::string& gun, Io& io, bool auto_publish,
                   bool init, const std::vector<notary::Change>& unstaged = {});

// The families' command tables.
std::vector<Command> repo_target_commands();  // add, remove
Command delegation_command();
Command cosign_command();
// `publish --prepare ROLE -o FILE` and `publish --signed FILE...` (cmd_cosign.cpp).
int publish_prepare(const ParsedArgs& args, Io& io);
int publish_signed(const ParsedArgs& args, Io& io);

}  // namespace cli

#endif  // DTRUST_CLI_REPO_EDIT_H_
