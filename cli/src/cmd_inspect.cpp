// The docker-family command `inspect`: docker trust inspect over verified trust data
// (docker-trust-cli.md §1.1). Gathering is in inspect_model.h, output in inspect_format.h.
#include <ostream>

#include "command.h"
#include "inspect_format.h"
#include "inspect_model.h"
#include "reference.h"
#include "source_options.h"

namespace cli {
namespace {

// What one argument produced: the model, or the lines to print on stderr.
struct ArgOutcome {
  std::optional<RepoTrust> trust;
  std::string error;  // docker's one line, "\n"-terminated, plus the reason with --verbose
};

ArgOutcome cannot_access(const std::string& arg, const tuf::Error& reason, bool verbose) {
  std::string text = "no signatures or cannot access " + arg + "\n";
  if (verbose) text += "dtrust: " + reason.message() + "\n";
  return ArgOutcome{std::nullopt, std::move(text)};
}

// §1.1 steps 1-5 for one argument.
ArgOutcome inspect_one(const std::string& arg, RepoProvider& provider, bool verbose, Io& io) {
  auto ref = parse_image_reference(arg);
  if (!ref.ok()) return ArgOutcome{std::nullopt, ref.error().detail + "\n"};
  const std::string gun = ref->name();
  auto repo = provider.open(gun);
  if (!repo.ok()) return cannot_access(arg, repo.error(), verbose);
  // Warnings gathered while opening were printed by the provider; print only newer ones.
  const std::size_t reported = (*repo)->resolver().warnings().size();
  std::optional<std::string> tag = ref->trust_tag();
  auto trust = gather_repo_trust(arg, tag ? std::optional<std::string_view>(*tag) : std::nullopt,
                                 (*repo)->set(), (*repo)->resolver());
  const auto& warnings = (*repo)->resolver().warnings();
  for (std::size_t i = reported; i < warnings.size(); ++i) {
    io.err << "warning: " << gun << ": " << warnings[i] << "\n";
  }
  if (!trust.ok()) return cannot_access(arg, trust.error(), verbose);
  return ArgOutcome{std::move(*trust), {}};
}

int run_inspect(const Command& command, const ParsedArgs& args, Io& io) {
  auto read = source_options_for(command, args, io);
  if (auto* status = std::get_if<int>(&read)) return *status;
  const SourceOptions& options = std::get<SourceOptions>(read);
  auto provider = make_provider(options, io);
  const std::vector<std::string>& images = args.positionals;

  if (args.flag("pretty")) {
    // §1.1: arguments in order, "\n\n" after each but the last, the first failure stops.
    for (std::size_t i = 0; i < images.size(); ++i) {
      ArgOutcome outcome = inspect_one(images[i], *provider, options.verbose, io);
      if (!outcome.trust) {
        io.err << outcome.error;
        return kExitFailure;
      }
      io.out << format_inspect_pretty(*outcome.trust);
      if (i + 1 < images.size()) io.out << "\n\n";
    }
    return kExitOk;
  }
  // §1.1 JSON: every argument; successes as one array, then the failures in argument order.
  std::vector<RepoTrust> found;
  std::string errors;
  for (const std::string& image : images) {
    ArgOutcome outcome = inspect_one(image, *provider, options.verbose, io);
    if (outcome.trust) {
      found.push_back(std::move(*outcome.trust));
    } else {
      errors += outcome.error;
    }
  }
  write_inspect_json(found, io.out);
  io.err << errors;
  return errors.empty() ? kExitOk : kExitFailure;
}

std::vector<FlagSpec> inspect_flags() {
  std::vector<FlagSpec> flags = {
      {"pretty", 0, "", "Print the information in a human friendly format"}};
  for (FlagSpec& f : source_flags()) flags.push_back(f);
  return flags;
}

}  // namespace

Command inspect_command() {
  return Command{
      .name = "inspect",
      .synopsis = "[OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]",
      .summary = "Return low-level information about keys and signatures",
      .details =
          "Prints what `docker trust inspect` prints, byte for byte: a JSON array by default,\n"
          "or tables with --pretty. IMAGE is normalised as docker does (`alpine` is the GUN\n"
          "docker.io/library/alpine); without a tag, or with a digest, every tag is shown.\n"
          "A repository that cannot be read or verified is reported as docker reports it,\n"
          "\"no signatures or cannot access IMAGE\"; add --verbose for the reason.\n",
      .flags = inspect_flags(),
      .min_args = 1,
      .max_args = -1,
      .run = run_inspect,
  };
}

}  // namespace cli
