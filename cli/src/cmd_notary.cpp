// The notary-family commands: `lookup` and `list`, with the Go notary client's semantics and
// output (notary_targets.h, notary_format.h).
#include <ostream>

#include "command.h"
#include "notary_format.h"
#include "notary_targets.h"
#include "source_options.h"

namespace cli {
namespace {

// The resolver's warnings from index `from` on. Those before it were gathered while the repository
// was opened (a server sync walks every delegation to commit it) and the provider has printed
// them already: printing them again showed each skipped role twice.
void print_warnings_after(const std::string& gun, const tuf::Resolver& resolver, std::size_t from,
                          Io& io) {
  const auto& warnings = resolver.warnings();
  for (std::size_t i = from; i < warnings.size(); ++i) {
    io.err << "warning: " << gun << ": " << warnings[i] << "\n";
  }
}

constexpr std::string_view kRolesHelp =
    "Delegation roles to search, in priority order (comma-separated or repeated; each shadows "
    "targets)";

std::vector<FlagSpec> with_source_flags(std::vector<FlagSpec> flags) {
  for (FlagSpec& f : source_flags()) flags.push_back(f);
  return flags;
}

int fail(const tuf::Error& error, Io& io) {
  io.err << error.message() << "\n";
  return kExitFailure;
}

int run_lookup(const Command& command, const ParsedArgs& args, Io& io) {
  auto read = source_options_for(command, args, io);
  if (auto* status = std::get_if<int>(&read)) return *status;
  SourceOptions options = std::get<SourceOptions>(read);
  options.server.build_index = true;  // the next look-up is answered from the index
  const std::string& gun = args.positionals[0];
  const std::string& name = args.positionals[1];
  auto provider = make_provider(options, io);
  const auto roles = args.all_split("roles");
  if (roles.empty()) {
    // The warm path: one timestamp request, the answer from the trust cache's index.
    if (auto quick = provider->quick_lookup(gun, name, /*dct=*/false)) {
      if (!quick->found) {
        return fail(
            tuf::Error{tuf::ErrorKind::kNotFound, gun, {}, "no valid trust data for " + name}, io);
      }
      io.out << format_notary_lookup(
          ListedTarget{name, quick->sha256_hex, quick->length, quick->role});
      return kExitOk;
    }
  }
  auto repo = provider->open(gun);
  if (!repo.ok()) return fail(repo.error(), io);
  tuf::Resolver& resolver = (*repo)->resolver();
  const std::size_t reported = resolver.warnings().size();
  auto found = lookup_target(resolver, name, roles);
  print_warnings_after(gun, resolver, reported, io);
  if (!found.ok()) return fail(found.error(), io);
  if (!*found) {
    return fail(tuf::Error{tuf::ErrorKind::kNotFound, gun, {}, "no valid trust data for " + name},
                io);
  }
  io.out << format_notary_lookup(**found);
  return kExitOk;
}

int run_list(const Command& command, const ParsedArgs& args, Io& io) {
  auto read = source_options_for(command, args, io);
  if (auto* status = std::get_if<int>(&read)) return *status;
  const SourceOptions& options = std::get<SourceOptions>(read);
  const std::string& gun = args.positionals[0];
  auto repo = make_provider(options, io)->open(gun);
  if (!repo.ok()) return fail(repo.error(), io);
  tuf::Resolver& resolver = (*repo)->resolver();
  const std::size_t reported = resolver.warnings().size();
  auto targets = list_targets(resolver, args.all_split("roles"));
  print_warnings_after(gun, resolver, reported, io);
  if (!targets.ok()) return fail(targets.error(), io);
  io.out << format_notary_list(std::move(*targets));
  return kExitOk;
}

}  // namespace

Command lookup_command() {
  return Command{
      .name = "lookup",
      .synopsis = "[OPTIONS] GUN TARGET",
      .summary = "Look up one target of a trusted collection (notary lookup)",
      .details =
          "Prints \"<target> sha256:<digest> <size>\" exactly like `notary lookup`.\n"
          "The target is searched with notary's semantics (GetTargetByName): breadth-first over\n"
          "the whole delegation tree from `targets`, visiting only roles whose paths allow the\n"
          "name; the first role that lists it wins, so `targets` shadows every delegation.\n"
          "This is not Docker Content Trust resolution, which only trusts targets/releases and\n"
          "targets.\n",
      .flags = with_source_flags({{"roles", 'r', "list", kRolesHelp, true}}),
      .min_args = 2,
      .max_args = 2,
      .run = run_lookup,
  };
}

Command list_command() {
  return Command{
      .name = "list",
      .synopsis = "[OPTIONS] GUN",
      .summary = "List the targets of a trusted collection (notary list)",
      .details =
          "Prints the table `notary list` prints: NAME, DIGEST, SIZE (BYTES), ROLE, sorted by\n"
          "name. Each name appears once, with the role that notary resolves it to (the first\n"
          "role of a breadth-first walk that lists it).\n",
      .flags = with_source_flags({{"roles", 'r', "list", kRolesHelp, true}}),
      .min_args = 1,
      .max_args = 1,
      .run = run_list,
  };
}

}  // namespace cli
