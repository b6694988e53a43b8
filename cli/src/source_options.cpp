#include "source_options.h"

#include <ostream>

#include "root_key.h"
#include "usage.h"

namespace cli {

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
  };
}

std::variant<SourceOptions, OptionsError> read_source_options(const ParsedArgs& args, Io& io) {
  SourceOptions options;
  options.verbose = args.flag("verbose");
  if (auto from = args.value("from")) options.from = *from;
  if (!options.from) return OptionsError{"required flag(s) \"from\" not set", true};
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

int report_options_error(const Command& command, const OptionsError& error, Io& io) {
  if (error.flag_error) {
    io.err << flag_error(command, error.message);
    return kExitUsage;
  }
  io.err << error.message << "\n";
  return kExitFailure;
}

void warn_reference_time(const SourceOptions& options, Io& io) {
  if (!options.reference_time_given) return;
  io.err << "warning: verifying as of " << tuf::format_rfc3339_utc(options.verify.reference_time)
         << ", not the current time\n";
}

std::unique_ptr<RepoProvider> make_provider(const SourceOptions& options) {
  return make_folder_provider(*options.from, options.verify);
}

void print_resolver_warnings(const std::string& gun, const tuf::Resolver& resolver, Io& io) {
  for (const std::string& warning : resolver.warnings()) {
    io.err << "warning: " << gun << ": " << warning << "\n";
  }
}

}  // namespace cli
