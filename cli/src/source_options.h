// The flags every verifying command shares: where trust data comes from (--from), the
// reference time (--at) and root pinning (--root-key), turned into a RepoProvider.
#ifndef DTRUST_CLI_SOURCE_OPTIONS_H_
#define DTRUST_CLI_SOURCE_OPTIONS_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "args.h"
#include "command.h"
#include "io.h"
#include "repo_provider.h"
#include "server_provider.h"

namespace cli {

struct SourceOptions {
  std::optional<std::filesystem::path> from;  // --from DIR (offline folder); else a server
  ServerOptions server;                       // -s, --tlscacert, -d, --offline, environment
  VerifyOptions verify;                       // reference time (now unless --at) and pin
  bool reference_time_given = false;          // --at was used
  bool verbose = false;                       // -v/--verbose
};

// --from, --at, --root-key, -v/--verbose and the server flags (-s/--server, --tlscacert,
// -d/--trust-dir, --offline), to append to a command's flags.
std::vector<FlagSpec> source_flags();

// A failure to turn flags into options: `flag_error` selects docker's flag-error layout and
// exit 125 (bad --at value, missing --from); otherwise one line and exit 1.
struct OptionsError {
  std::string message;
  bool flag_error = false;
};

// Docker's per-host TLS folder (docker-trust-cli.md 5.4), `$DOCKER_CONFIG/tls/<host:port>/`,
// used for the notary server and the registry alike: every *.crt is an extra CA, an X.cert with
// its X.key is the client pair. A missing folder adds nothing; a .cert without its .key is an
// error in docker's wording.
std::optional<OptionsError> read_docker_tls_dir(const std::filesystem::path& dir,
                                                std::vector<std::filesystem::path>* ca_files,
                                                std::filesystem::path* client_cert,
                                                std::filesystem::path* client_key);

// Reads the shared flags. The reference time is Io::now() unless --at is given. Without
// --from, trust data comes from a Notary server: -s, else DOCKER_CONTENT_TRUST_SERVER (which
// must be https, as in docker), else the GUN's registry (https://notary.docker.io for Docker
// Hub). TLS material comes from --tlscacert and $DOCKER_CONFIG/tls/<host:port>/ (*.crt CAs,
// *.cert + *.key client pair); credentials from NOTARY_AUTH or $DOCKER_CONFIG/config.json.
std::variant<SourceOptions, OptionsError> read_source_options(const ParsedArgs& args, Io& io);

// The server part of read_source_options (also for commands without --from).
std::optional<OptionsError> read_server_options(const ParsedArgs& args, Io& io,
                                                ServerOptions* server);

// read_source_options for a verifying command's run(). On success, with --at, it also prints
// "warning: verifying as of <time>, not the current time" on stderr. On failure it reports the
// error (docker's flag-error layout and exit 125 for a flag error, else one line and exit 1)
// and returns the exit status instead of options.
std::variant<SourceOptions, int> source_options_for(const Command& command, const ParsedArgs& args,
                                                    Io& io);

// The provider the options select; its warnings go to io.err as "warning: <text>".
std::unique_ptr<RepoProvider> make_provider(const SourceOptions& options, Io& io);

// "warning: <gun>: <text>" for each resolver warning (roles skipped as expired, ...).
void print_resolver_warnings(const std::string& gun, const tuf::Resolver& resolver, Io& io);

}  // namespace cli

#endif  // DTRUST_CLI_SOURCE_OPTIONS_H_
