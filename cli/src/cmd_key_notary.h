// The Go notary client's key management as `dtrust key` subcommands (notary spec 8): list,
// import, export, passwd, remove. Internal to cmd_key*.cpp. Each takes the parsed arguments of
// `dtrust key` (positionals[0] is the subcommand) and the trust directory, prints notary's
// output on io.out and one line per failure on io.err, and returns the exit status.
// Passphrases follow notary: NOTARY_{ROOT,TARGETS,SNAPSHOT,DELEGATION}_PASSPHRASE, else a prompt
// when stdin is a terminal, else a failure naming the variable.
#ifndef DTRUST_CLI_CMD_KEY_NOTARY_H_
#define DTRUST_CLI_CMD_KEY_NOTARY_H_

#include <filesystem>

#include "args.h"
#include "io.h"

namespace cli {

int key_list(const ParsedArgs& args, const std::filesystem::path& trust_dir, Io& io);
int key_import(const ParsedArgs& args, const std::filesystem::path& trust_dir, Io& io);
int key_export(const ParsedArgs& args, const std::filesystem::path& trust_dir, Io& io);
int key_passwd(const ParsedArgs& args, const std::filesystem::path& trust_dir, Io& io);
int key_remove(const ParsedArgs& args, const std::filesystem::path& trust_dir, Io& io);

}  // namespace cli

#endif  // DTRUST_CLI_CMD_KEY_NOTARY_H_
