// Public key files given to the publishing commands: docker's `.pub` files (a `PUBLIC KEY` PEM
// block, maybe with a `role:` header) and notary's x509 certificates (a `CERTIFICATE` block).
// Only the first PEM block counts, as in docker and notary.
//
// A `PUBLIC KEY` becomes an `ecdsa`/`rsa` TUF key holding the DER SPKI. A `CERTIFICATE`
// becomes `ecdsa-x509`/`rsa-x509` holding the certificate re-encoded in Go's PEM form (spec
// 4.5: 64-character lines, LF), which is what notary lists, so both clients compute the same
// TUF key ID for the same file. A certificate must not be SHA-1 signed, have an RSA key of at
// least 2048 bits and be valid at `now` (notary's ValidateCertificate; like notary, a CA:TRUE
// certificate is accepted).
#ifndef DTRUST_CLI_PUBKEY_FILE_H_
#define DTRUST_CLI_PUBKEY_FILE_H_

#include <string>
#include <string_view>

#include "tuf/keys.h"
#include "tuf/result.h"
#include "tuf/time.h"

namespace cli {

// Parses PEM text. Errors are kUsage with a reason only (the caller adds the file name):
// "no valid public key found", "unsupported PEM block type \"X\", expected CERTIFICATE or
// PUBLIC KEY", "unable to parse pem encoded public key: …", "certificate is expired", ….
tuf::Result<tuf::PublicKey> parse_public_key_pem(std::string_view text, tuf::Time now);

// Reads and parses a file. A file that cannot be read is kIo with the detail "open <path>:
// <strerror>"; parse errors are as above.
tuf::Result<tuf::PublicKey> read_public_key_file(const std::string& path, tuf::Time now);

}  // namespace cli

#endif  // DTRUST_CLI_PUBKEY_FILE_H_
