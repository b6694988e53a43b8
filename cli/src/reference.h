// Docker image references (docker-trust-cli.md §0.2): distribution/reference's
// ParseNormalizedNamed, which turns `alpine` into `docker.io/library/alpine` and never adds a
// default tag.
#ifndef DTRUST_CLI_REFERENCE_H_
#define DTRUST_CLI_REFERENCE_H_

#include <optional>
#include <string>
#include <string_view>

#include "tuf/result.h"

namespace cli {

struct ImageReference {
  std::string domain;                 // "docker.io", "localhost:5000", "[::1]:5000", as written
  std::string path;                   // "library/alpine"
  std::optional<std::string> tag;     // "3.8" for `alpine:3.8`
  std::optional<std::string> digest;  // "sha256:<hex>" for `alpine@sha256:…`

  // The GUN: domain + "/" + path.
  std::string name() const { return domain + "/" + path; }
  // The tag docker trust commands act on: empty for name-only and digest references (a
  // `name:tag@digest` reference counts as a digest reference).
  std::optional<std::string> trust_tag() const { return digest ? std::nullopt : tag; }
};

// Parses and normalises a reference. Errors are kUsage whose detail is docker's exact message,
// e.g. "invalid reference format: repository name (library/Alpine) must be lowercase",
// "invalid reference format", "invalid checksum digest length".
tuf::Result<ImageReference> parse_image_reference(std::string_view text);

}  // namespace cli

#endif  // DTRUST_CLI_REFERENCE_H_
