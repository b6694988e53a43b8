// Internal: Notary v1's root key rules (spec 6.3): x509 leaf certificates named after the GUN,
// and trust pinning.
#ifndef DTRUST_TUF_SRC_ROOT_CHECKS_H_
#define DTRUST_TUF_SRC_ROOT_CHECKS_H_

#include <string_view>

#include "signatures.h"
#include "tuf/trusted_set.h"

namespace tuf::internal {

// The root role's keys that may sign this root: x509 keys whose leaf certificate is not a CA,
// has CN == gun (or a CN ending in "*" that prefixes gun), is not SHA-1 signed and has an RSA
// key of at least 2048 bits. With `check_validity`, the certificate must also be valid at
// `ref` (NotBefore <= ref + skew, ref <= NotAfter). Non-x509 root keys are never usable.
// Fails with kBadCertificate naming the first problem when no key is usable.
Result<KeySet> usable_root_keys(const Root& root, std::string_view gun, Time ref,
                                int64_t skew_seconds, bool check_validity);

// Restricts `keys` to those matching the pin (by TUF key ID or canonical key ID). An empty pin
// keeps every key. Fails with kPinMismatch when nothing matches.
Result<KeySet> apply_pin(const KeySet& keys, const RootPin& pin);

}  // namespace tuf::internal

#endif  // DTRUST_TUF_SRC_ROOT_CHECKS_H_
