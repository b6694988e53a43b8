#include "source_options.h"

#include <mutex>
#include <ostream>

#include "root_key.h"
#include "usage.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

std::string home_dir(Io& io) {
  auto home = io.getenv("HOME");
  return home ? *home : std::string("/root");
}

// Docker's config directory: $DOCKER_CONFIG, else ~/.docker.
fs::path docker_config_dir(Io& io) {
  auto dc = io.getenv("DOCKER_CONFIG");
  if (dc && !dc->empty()) return *dc;
  return fs::path(home_dir(io)) / ".docker";
}

}  // namespace

std::optional<OptionsError> read_docker_tls_dir(const fs::path& dir,
                                                std::vector<fs::path>* ca_files,
                                                fs::path* client_cert, fs::path* client_key) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path p = entry.path();
    if (p.extension() == ".crt") ca_files->push_back(p);
    if (p.extension() == ".cert") {
      fs::path key = p;
      key.replace_extension(".key");
      if (!fs::exists(key, ec)) {
        return OptionsError{"missing key " + key.filename().string() + " for client certificate " +
                                p.filename().string() +
                                ". CA certificates must use the extension .crt",
                            false};
      }
      *client_cert = p;
      *client_key = key;
    }
  }
  return std::nullopt;
}

std::optional<OptionsError> read_server_options(const ParsedArgs& args, Io& io,
                                                ServerOptions* server) {
  const fs::path config = docker_config_dir(io);
  server->docker_config_dir = config.string();
  server->trust_dir = config / "trust";
  if (auto dir = args.value("trust-dir")) server->trust_dir = *dir;
  server->offline = args.flag("offline");
  if (auto url = args.value("server")) {
    server->server_url = *url;  // http:// only when named explicitly here
  } else if (auto env = io.getenv("DOCKER_CONTENT_TRUST_SERVER"); env && !env->empty()) {
    if (!env->starts_with("https://")) {
      return OptionsError{"valid https URL required for trust server, got " + *env, false};
    }
    server->server_url = *env;
  }
  if (auto ca = args.value("tlscacert")) server->ca_files.push_back(*ca);
  if (auto auth = io.getenv("NOTARY_AUTH")) server->notary_auth = *auth;
  if (!server->server_url.empty()) {
    const std::string rest = server->server_url.substr(server->server_url.find("://") + 3);
    const std::string host_port = rest.substr(0, rest.find('/'));
    if (auto error = read_docker_tls_dir(config / "tls" / host_port, &server->ca_files,
                                         &server->client_cert, &server->client_key)) {
      return error;
    }
  }
  return std::nullopt;
}

std::vector<FlagSpec> source_flags() {
  return {
      {"from", 0, "string",
       "Verify the trust data in this folder: a notary metadata folder (with root.json) or a "
       "trust dir (tuf/<GUN>/metadata)"},
      {"at", 0, "string", "Verify as of this RFC 3339 time instead of now (a warning says so)"},
      {"root-key", 0, "list",
       "Pin the root key: a 64-hex key ID, or a PEM public key or certificate file "
       "(repeatable; default: trust the folder's root on first use)",
       true},
      {"verbose", 'v', "", "Explain failures that docker reports in a single generic line"},
      {"server", 's', "string",
       "Notary server URL (default: $DOCKER_CONTENT_TRUST_SERVER, else the image's registry)"},
      {"tlscacert", 0, "string",
       "Trust certs signed only by this CA (in addition to the system's)"},
      {"trust-dir", 'd', "string",
       "Trust directory: keys and the trust cache (default $DOCKER_CONFIG/trust)"},
      {"offline", 0, "", "Answer from the trust cache alone and say how old the answer is"},
  };
}

std::variant<SourceOptions, OptionsError> read_source_options(const ParsedArgs& args, Io& io) {
  SourceOptions options;
  options.verbose = args.flag("verbose");
  if (auto from = args.value("from")) options.from = *from;
  if (!options.from) {
    auto error = read_server_options(args, io, &options.server);
    if (error) return *error;
  }
  options.verify.reference_time = io.now();
  if (auto at = args.value("at")) {
    auto parsed = tuf::parse_rfc3339(*at);
    if (!parsed.ok()) {
      return OptionsError{
          "invalid argument \"" + *at + "\" for \"--at\" flag: " + parsed.error().detail, true};
    }
    options.verify.reference_time = parsed->instant;
    options.reference_time_given = true;
  }
  for (const std::string& value : args.all("root-key")) {
    auto ids = root_key_ids(value);
    if (!ids.ok()) return OptionsError{ids.error().message(), false};
    for (std::string& id : *ids) options.verify.pin.key_ids.push_back(std::move(id));
  }
  return options;
}

std::variant<SourceOptions, int> source_options_for(const Command& command, const ParsedArgs& args,
                                                    Io& io) {
  auto read = read_source_options(args, io);
  if (auto* error = std::get_if<OptionsError>(&read)) {
    if (error->flag_error) {
      io.err << flag_error(command, error->message);
      return kExitUsage;
    }
    io.err << error->message << "\n";
    return kExitFailure;
  }
  SourceOptions& options = std::get<SourceOptions>(read);
  if (options.reference_time_given) {
    io.err << "warning: verifying as of " << tuf::format_rfc3339_utc(options.verify.reference_time)
           << ", not the current time\n";
  }
  return std::move(options);
}

std::unique_ptr<RepoProvider> make_provider(const SourceOptions& options, Io& io) {
  if (options.from) return make_folder_provider(*options.from, options.verify);
  auto mu = std::make_shared<std::mutex>();  // commands may open repositories concurrently
  return make_server_provider(options.server, options.verify, [&io, mu](const std::string& w) {
    std::lock_guard lock(*mu);
    io.err << "warning: " << w << "\n";
  });
}

void print_resolver_warnings(const std::string& gun, const tuf::Resolver& resolver, Io& io) {
  for (const std::string& warning : resolver.warnings()) {
    io.err << "warning: " << gun << ": " << warning << "\n";
  }
}

}  // namespace cli
