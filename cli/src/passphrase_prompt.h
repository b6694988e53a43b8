// Passphrases for the publishing commands (docker-trust-cli.md 6.2): the environment first
// (docker's or notary's variables), then -- only when stdin is a terminal -- docker's prompts on
// stdout with echo off. Without a terminal and without the variable, the answer is an error
// naming the variable to set, never a prompt that would block a script.
#ifndef DTRUST_CLI_PASSPHRASE_PROMPT_H_
#define DTRUST_CLI_PASSPHRASE_PROMPT_H_

#include <map>
#include <string>
#include <string_view>

#include "io.h"
#include "trustcache/passphrase.h"

namespace cli {

// Not thread-safe; one per command run. `io` must outlive it.
class PromptingPassphraseProvider final : public trustcache::PassphraseProvider {
 public:
  PromptingPassphraseProvider(Io& io, trustcache::PassphraseEnv env);

  // Env variable set: its value (a retry is an error: the same value would be given again).
  // Else, on a terminal: "Enter passphrase for [new ]<alias> key with ID <id7>: " (new keys:
  // repeated, at least 8 characters; root: docker's warning paragraph first). A passphrase is
  // remembered per alias for the rest of the run. Else kBadPassphrase "... set <VARIABLE>".
  tuf::Result<std::string> get(std::string_view key_id, std::string_view role, bool create_new,
                               int attempt) override;

 private:
  // One line from io.in without echo; nullopt at end of input.
  std::optional<std::string> read_secret();

  Io& io_;
  trustcache::PassphraseEnv env_;
  trustcache::EnvPassphraseProvider from_env_;
  std::map<std::string, std::string, std::less<>> remembered_;  // alias -> passphrase
};

// Docker's prompt label for a role: root -> "root"; targets, snapshot -> "repository"; any
// other name as is.
std::string passphrase_alias(std::string_view role);

// Asks "<question> [y/N] " on io.out and reads a line; only y/Y (trimmed) is yes. Without a
// terminal the caller must not ask (see the commands).
bool confirm(Io& io, const std::string& question);

}  // namespace cli

#endif  // DTRUST_CLI_PASSPHRASE_PROMPT_H_
