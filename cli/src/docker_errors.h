// Docker's "notary error translator" (docker-trust-cli.md 1.9): the text docker prints when a
// notary operation fails at the points where it calls trust.NotaryError -- opening and
// refreshing the repository and initialising it in `sign` and `signer add`, opening the
// repository in `signer remove`. `inspect` and `revoke` do not translate, and neither do
// errors docker wraps first ("failed to sign …", "error retrieving signers for …", publish
// errors of `signer add`), so callers use it only where docker does.
//
// Pure functions, thread-safe.
#ifndef DTRUST_CLI_DOCKER_ERRORS_H_
#define DTRUST_CLI_DOCKER_ERRORS_H_

#include <optional>
#include <string>

#include "tuf/result.h"

namespace cli {

// The notary error type docker's translator would see for a dtrust error, by kind (and role,
// for the cases notary splits by role).
enum class NotaryErrorClass {
  kJsonSyntax,          // kMalformed
  kExpired,             // kExpired
  kNetwork,             // kNetwork
  kMetaNotFound,        // kNotFound of a role other than root
  kRepositoryNotExist,  // kNotFound of root (the server has no trust data for the GUN)
  kValidationFail,      // root: bad signature/threshold/certificate, pin mismatch
  kNoKeys,              // kKeyNotFound
  kLowVersion,          // kRollback
  kRoleThreshold,       // a role other than root under its threshold or badly signed
};

// The text of the Go error notary returns in the same situation: the bare detail for
// transport, missing-repository and key errors ("localhost:4443 does not have trust data for
// <gun>"), "<role>: <detail>" for errors about one role's metadata.
std::string notary_error_text(const tuf::Error& error);

// The class docker's translator would match, or nullopt when it passes the error through.
std::optional<NotaryErrorClass> notary_error_class(const tuf::Error& error);

// The translated line for `error` about repository `name` (the GUN, or the argument as typed
// where docker passes that). Errors outside the translator's list give `untranslated`.
std::string docker_notary_error(const std::string& name, const tuf::Error& error,
                                const std::string& untranslated);

}  // namespace cli

#endif  // DTRUST_CLI_DOCKER_ERRORS_H_
