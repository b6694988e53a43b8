// `--root-key ID|PEM-FILE`: the key IDs a pinned root may be signed with (tuf::RootPin).
#ifndef DTRUST_CLI_ROOT_KEY_H_
#define DTRUST_CLI_ROOT_KEY_H_

#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"

namespace cli {

// The IDs a --root-key value stands for:
// * 64 hex digits: that ID (lower-cased). Either kind works -- the canonical ID of the bare key
//   (Docker Official Images' published list) or the TUF ID of the root certificate key
//   (notary's trust_pinning.certs) -- because tuf::RootPin accepts both.
// * anything else: a file of PEM blocks.
//   "PUBLIC KEY" (ECDSA or RSA SPKI) -> the canonical ID, the TUF ID of
//   {"keytype":"ecdsa"|"rsa","keyval":{"public":SPKI}}.
//   "CERTIFICATE" -> the TUF ID of the certificate as an ecdsa-x509/rsa-x509 key (PEM
//   re-encoded the way notary writes it) and the canonical ID of its key.
// Errors: kIo (unreadable file), kMalformed (no usable block, unparsable key), each naming the
// value given.
tuf::Result<std::vector<std::string>> root_key_ids(std::string_view value);

// The same for PEM text already read.
tuf::Result<std::vector<std::string>> root_key_ids_from_pem(std::string_view pem_text);

// One PEM block: its label ("PUBLIC KEY") and decoded body.
struct PemBlock {
  std::string label;
  std::string der;
};
// Every BEGIN/END block of a text, in order. RFC 1421 headers ("Key: value" lines) are skipped.
// kMalformed when a block is unterminated or its base64 is invalid.
tuf::Result<std::vector<PemBlock>> parse_pem_blocks(std::string_view text);

}  // namespace cli

#endif  // DTRUST_CLI_ROOT_KEY_H_
