// `dtrust resolve IMAGE[:TAG]...`: what `DOCKER_CONTENT_TRUST=1 docker pull` used to do before
// Docker CLI v29 -- resolve each tag to its trusted digest with DCT's role priority
// (docker-trust-cli.md 3.1): targets/releases first, then targets; a tag found only in another
// signer's role is not trusted.
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <ostream>

#include "command.h"
#include "reference.h"
#include "source_options.h"

namespace cli {
namespace {

struct Resolution {
  std::string argument;
  std::string name;  // the argument without its tag
  std::string sha256_hex;
  int64_t length = 0;
  std::string role;
  std::string error;  // one line naming the argument or the GUN; empty on success
};

bool dct_trusted_role(const std::string& role) {
  return role == "targets" || role == "targets/releases";
}

Resolution resolve_one(const std::string& argument, RepoProvider& provider) {
  Resolution r;
  r.argument = argument;
  auto ref = parse_image_reference(argument);
  if (!ref.ok()) {
    r.error =
        argument + ": " + (ref.error().detail.empty() ? ref.error().message() : ref.error().detail);
    return r;
  }
  if (ref->digest) {
    r.error = argument + ": cannot resolve a digest reference through trust";
    return r;
  }
  const std::string tag = ref->tag.value_or("latest");  // docker pull's default tag
  r.name = ref->tag ? argument.substr(0, argument.size() - ref->tag->size() - 1) : argument;
  const std::string gun = ref->name();
  if (auto quick = provider.quick_lookup(gun, tag, /*dct=*/true)) {
    if (!quick->found) {
      r.error = argument + ": No valid trust data for " + tag;
    } else if (!dct_trusted_role(quick->role)) {
      r.error = argument + ": No trust data for " + tag;
    } else {
      r.sha256_hex = quick->sha256_hex;
      r.length = quick->length;
      r.role = quick->role;
    }
    return r;
  }
  auto repo = provider.open(gun);
  if (!repo.ok()) {
    r.error = repo.error().message();
    return r;
  }
  auto hit = (*repo)->resolver().find_dct(tag);
  if (!hit.ok()) {
    r.error = hit.error().message();
  } else if (!hit->has_value()) {
    r.error = argument + ": No valid trust data for " + tag;
  } else if (!tuf::is_dct_trusted(**hit)) {
    r.error =
        argument + ": No trust data for " + tag;  // only in a signer's role: docker rejects it
  } else if ((*hit)->sha256_hex().empty()) {
    r.error = argument + ": no valid hash, expecting sha256";
  } else {
    r.sha256_hex = (*hit)->sha256_hex();
    r.length = (*hit)->meta.length;
    r.role = (*hit)->role;
  }
  return r;
}

int run_resolve(const Command& command, const ParsedArgs& args, Io& io) {
  auto read = source_options_for(command, args, io);
  if (auto* status = std::get_if<int>(&read)) return *status;
  SourceOptions options = std::get<SourceOptions>(read);
  options.server.build_index = true;  // the next look-up is answered from the index
  auto provider = make_provider(options, io);
  // Every argument at once: one thread each, sharing the provider's connections and cache.
  std::vector<std::future<Resolution>> pending;
  for (const std::string& argument : args.positionals) {
    pending.push_back(std::async(
        std::launch::async, [&provider, argument] { return resolve_one(argument, *provider); }));
  }
  std::vector<Resolution> results;
  for (auto& p : pending) results.push_back(p.get());
  bool all_ok = true;
  if (args.flag("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const Resolution& r : results) {
      nlohmann::json item{{"Name", r.argument}};
      if (r.error.empty()) {
        item["Reference"] = r.name + "@sha256:" + r.sha256_hex;
        item["Digest"] = "sha256:" + r.sha256_hex;
        item["Size"] = r.length;
        item["Role"] = r.role;
      } else {
        item["Error"] = r.error;
        all_ok = false;
      }
      out.push_back(std::move(item));
    }
    io.out << out.dump(4) << "\n";
    return all_ok ? kExitOk : kExitFailure;
  }
  for (const Resolution& r : results) {
    if (r.error.empty()) {
      io.out << r.name << "@sha256:" << r.sha256_hex << "\n";
    } else {
      io.err << r.error << "\n";
      all_ok = false;
    }
  }
  return all_ok ? kExitOk : kExitFailure;
}

}  // namespace

Command resolve_command() {
  std::vector<FlagSpec> flags = {{"json", 0, "", "Print a JSON array instead of one line each"}};
  for (FlagSpec& f : source_flags()) flags.push_back(f);
  return Command{
      .name = "resolve",
      .synopsis = "[OPTIONS] IMAGE[:TAG] [IMAGE[:TAG]...]",
      .summary = "Resolve tags to their trusted digests (DOCKER_CONTENT_TRUST=1 docker pull)",
      .details =
          "Prints NAME@sha256:<digest> for each argument, resolved with Docker Content Trust's\n"
          "role priority: targets/releases first, then targets. A tag signed only in another\n"
          "signer's role is not trusted, as in docker. A missing tag means :latest. Exits 1 if\n"
          "any argument has no trusted digest; the others are still printed.",
      .flags = std::move(flags),
      .min_args = 1,
      .run = run_resolve,
  };
}

}  // namespace cli
