// JSON text exactly as Go's encoding/json writes it, for output that must be byte-identical to
// docker's (docker-trust-cli.md §2.2).
#ifndef DTRUST_CLI_GO_JSON_H_
#define DTRUST_CLI_GO_JSON_H_

#include <string>
#include <string_view>

namespace cli {

// A quoted JSON string with json.Marshal's HTML-safe escaping: `"` and `\` backslash-escaped;
// \b \f \n \r \t short forms; other control characters and `<`, `>`, `&` as \u00XX (lower-case
// hex); U+2028 and U+2029 as \u2028 and \u2029; invalid UTF-8 bytes as \ufffd; all other text
// (including DEL and non-ASCII) as is.
std::string go_json_quote(std::string_view text);

}  // namespace cli

#endif  // DTRUST_CLI_GO_JSON_H_
