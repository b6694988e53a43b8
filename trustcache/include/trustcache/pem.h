// PEM blocks with headers, as Go's encoding/pem reads and writes them (notary spec 8.2).
//
// Botan cannot read PEM headers, and notary's key files depend on them (`role`, `gun`,
// `Proc-Type`, `DEK-Info`, `path`), so the key store parses PEM itself. Pure functions.
#ifndef DTRUST_TRUSTCACHE_PEM_H_
#define DTRUST_TRUSTCACHE_PEM_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"

namespace trustcache {

struct PemBlock {
  std::string type;                            // "ENCRYPTED PRIVATE KEY", "EC PRIVATE KEY", ...
  std::map<std::string, std::string> headers;  // name -> value (a repeated name keeps the last)
  std::string bytes;                           // the decoded base64 body

  // The value of a header, "" when absent.
  std::string header(std::string_view name) const;
};

// Every PEM block of `text`, in order. Text outside blocks is ignored (as Go does). Fails with
// kMalformed on no block at all, a BEGIN without a matching END, or a body that is not base64.
tuf::Result<std::vector<PemBlock>> parse_pem(std::string_view text);

// Go's pem.Encode: BEGIN line; `Proc-Type` first if present, then the other headers sorted by
// name as "name: value"; one empty line after headers; base64 in 64-character lines; END line.
// Every line ends with LF.
std::string encode_pem(const PemBlock& block);

}  // namespace trustcache

#endif  // DTRUST_TRUSTCACHE_PEM_H_
