#include "trustcache/passphrase.h"

#include <cstdlib>

namespace trustcache {
namespace {

std::string describe_key(std::string_view key_id, std::string_view role) {
  std::string out(role);
  out += " key";
  if (!key_id.empty()) {
    out += " with ID ";
    out += key_id.substr(0, 7);
  }
  return out;
}

tuf::Error bad_passphrase(std::string detail) {
  return tuf::make_error(tuf::ErrorKind::kBadPassphrase, "", std::move(detail));
}

}  // namespace

tuf::Result<std::string> FixedPassphraseProvider::get(std::string_view key_id,
                                                      std::string_view role, bool /*create_new*/,
                                                      int attempt) {
  if (attempt > 0) return bad_passphrase("wrong passphrase for " + describe_key(key_id, role));
  return passphrase_;
}

std::string_view passphrase_variable(PassphraseEnv env, std::string_view role) {
  if (env == PassphraseEnv::kDocker) {
    // docker-trust-cli 6.1: root never falls back to the repository variable.
    return role == "root" ? "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE"
                          : "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE";
  }
  if (role == "root") return "NOTARY_ROOT_PASSPHRASE";
  if (role == "targets") return "NOTARY_TARGETS_PASSPHRASE";
  if (role == "snapshot") return "NOTARY_SNAPSHOT_PASSPHRASE";
  if (role == "timestamp") return "";
  return "NOTARY_DELEGATION_PASSPHRASE";
}

EnvPassphraseProvider::EnvPassphraseProvider(PassphraseEnv env, Lookup lookup)
    : env_(env), lookup_(std::move(lookup)) {
  if (!lookup_) {
    lookup_ = [](std::string_view name) -> std::optional<std::string> {
      const char* value = std::getenv(std::string(name).c_str());
      if (value == nullptr) return std::nullopt;
      return std::string(value);
    };
  }
}

tuf::Result<std::string> EnvPassphraseProvider::get(std::string_view key_id, std::string_view role,
                                                    bool create_new, int attempt) {
  const std::string_view variable = passphrase_variable(env_, role);
  const std::string key = describe_key(key_id, role);
  if (variable.empty()) {
    return bad_passphrase("no environment variable holds the passphrase for " + key);
  }
  std::optional<std::string> value = lookup_(variable);
  if (!value || value->empty()) {  // docker-trust-cli 6.1: an empty variable counts as unset
    return bad_passphrase(std::string("no passphrase for ") + (create_new ? "new " : "") + key +
                          ": set " + std::string(variable));
  }
  if (attempt > 0) {
    return bad_passphrase("the passphrase in " + std::string(variable) + " does not decrypt " +
                          key);
  }
  return *value;
}

}  // namespace trustcache
