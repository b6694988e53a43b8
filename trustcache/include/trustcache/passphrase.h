// Where key passphrases come from (notary spec 8.4, docker-trust-cli 6.2).
//
// The key store asks a PassphraseProvider; the CLI implements prompting on top of the
// environment-variable rules here. Providers never print.
#ifndef DTRUST_TRUSTCACHE_PASSPHRASE_H_
#define DTRUST_TRUSTCACHE_PASSPHRASE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tuf/result.h"

namespace trustcache {

class PassphraseProvider {
 public:
  virtual ~PassphraseProvider() = default;
  // A passphrase for the key `key_id` (full hex ID; "" when not known yet, e.g. an encrypted
  // file being imported) of `role` ("root", "targets", "targets/releases", a signer name, or
  // "encrypted" for a file being imported). `create_new` is true when the passphrase will
  // encrypt a new key file. `attempt` counts from 0; a call with attempt > 0 means the previous
  // answer did not decrypt the key. An error (kBadPassphrase, kCancelled, ...) ends the retries
  // and is returned to the key store's caller as is.
  virtual tuf::Result<std::string> get(std::string_view key_id, std::string_view role,
                                       bool create_new, int attempt) = 0;
};

// Always the same passphrase; a retry (attempt > 0) is kBadPassphrase.
class FixedPassphraseProvider final : public PassphraseProvider {
 public:
  explicit FixedPassphraseProvider(std::string passphrase) : passphrase_(std::move(passphrase)) {}
  tuf::Result<std::string> get(std::string_view key_id, std::string_view role, bool create_new,
                               int attempt) override;

 private:
  std::string passphrase_;
};

// Which client's variables to honour.
enum class PassphraseEnv {
  // DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE for role root only (never the repository variable);
  // DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE for every other role.
  kDocker,
  // NOTARY_ROOT_PASSPHRASE, NOTARY_TARGETS_PASSPHRASE, NOTARY_SNAPSHOT_PASSPHRASE for those
  // roles; NOTARY_DELEGATION_PASSPHRASE for any non-base role; none for timestamp.
  kNotary,
};

// The variable consulted for `role`, or "" when there is none.
std::string_view passphrase_variable(PassphraseEnv env, std::string_view role);

// Passphrases from environment variables. An empty variable counts as unset. Unset: kBadPassphrase
// naming the variable to set (the CLI may prompt instead). A retry (attempt > 0):
// kBadPassphrase saying the variable's passphrase is wrong, since it would give the same value.
class EnvPassphraseProvider final : public PassphraseProvider {
 public:
  // Looks a variable up; nullopt = unset. The default reads the process environment.
  using Lookup = std::function<std::optional<std::string>(std::string_view name)>;

  explicit EnvPassphraseProvider(PassphraseEnv env, Lookup lookup = {});
  tuf::Result<std::string> get(std::string_view key_id, std::string_view role, bool create_new,
                               int attempt) override;

 private:
  PassphraseEnv env_;
  Lookup lookup_;
};

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_PASSPHRASE_H_
