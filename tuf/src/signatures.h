// Internal: threshold signature checks, byte checks and the signature-checked targets parse,
// shared by the trusted set and tests.
#ifndef DTRUST_TUF_SRC_SIGNATURES_H_
#define DTRUST_TUF_SRC_SIGNATURES_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/metadata.h"

namespace tuf::internal {

// Key ID -> key: the keys a role may be signed with.
using KeySet = std::map<std::string, PublicKey>;

// The subset of `keys` named by `keyids` (IDs without a key are left out).
KeySet role_keys(const std::map<std::string, PublicKey>& keys,
                 const std::vector<std::string>& keyids);

// TUF 5.x "verify signatures": counts signatures over `canonical` by keys in `eligible`.
// Each distinct key counts once, however many IDs or signatures name it (compared by the key
// material that verifies, so an ecdsa key and a certificate for the same key are one key).
// A signature whose method does not fit the key type, or whose key cannot be used, is invalid.
// Fails with kThresholdNotMet (too few signatures by eligible keys) or kBadSignature (an
// eligible key's signature did not verify and the threshold was not met). role is left empty.
Status check_signatures(std::string_view canonical, const std::vector<Signature>& signatures,
                        const KeySet& eligible, int64_t threshold);

// parse_targets(bytes, role), with check_signatures(canonical, signatures, eligible,
// threshold) between the envelope and the model (TUF 5.6.3 before the rest of 5.6): the model
// is built only when the threshold is met. The canonical copy is released first, so a megabyte
// delegation's model is never held together with it (Signed::canonical is then empty).
Result<Signed<Targets>> parse_signed_targets(std::string&& bytes, std::string_view role,
                                             const KeySet& eligible, int64_t threshold);

template <class T>
Status check_threshold(const Signed<T>& doc, const KeySet& eligible, int64_t threshold) {
  return check_signatures(doc.canonical, doc.signatures, eligible, threshold);
}

// The exact bytes against their recorded meta: every listed sha256/sha512 must match
// (kHashMismatch; at least one must be listed, else kMalformed), then the length must be
// exactly the recorded length (kLengthMismatch). role is left empty.
Status check_bytes(std::string_view bytes, const FileMeta& meta);

}  // namespace tuf::internal

#endif  // DTRUST_TUF_SRC_SIGNATURES_H_
