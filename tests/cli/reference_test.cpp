#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "reference.h"

namespace {

struct Case {
  std::string input;
  std::string gun;
  std::optional<std::string> tag;
  std::optional<std::string> digest;
};

const std::string kDigest =
    "sha256:7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430";

}  // namespace

TEST_CASE("reference: docker's normalisation table", "[reference]") {
  const Case cases[] = {
      {"alpine", "docker.io/library/alpine", std::nullopt, std::nullopt},
      {"alpine:3.8", "docker.io/library/alpine", "3.8", std::nullopt},
      {"docker.io/alpine", "docker.io/library/alpine", std::nullopt, std::nullopt},
      {"index.docker.io/library/alpine", "docker.io/library/alpine", std::nullopt, std::nullopt},
      {"user/repo", "docker.io/user/repo", std::nullopt, std::nullopt},
      {"localhost/foo", "localhost/foo", std::nullopt, std::nullopt},
      {"localhost:5000/test/withsigner:v2", "localhost:5000/test/withsigner", "v2", std::nullopt},
      {"myhost:5000/a/b", "myhost:5000/a/b", std::nullopt, std::nullopt},
      {"[::1]:5000/foo", "[::1]:5000/foo", std::nullopt, std::nullopt},
      {"registry-1.docker.io/library/alpine", "registry-1.docker.io/library/alpine", std::nullopt,
       std::nullopt},
      {"MyHost.Example.com/x", "MyHost.Example.com/x", std::nullopt, std::nullopt},
      {"a__b/c.d-e---f", "docker.io/a__b/c.d-e---f", std::nullopt, std::nullopt},
      {"alpine@" + kDigest, "docker.io/library/alpine", std::nullopt, kDigest},
      {"alpine:latest@" + kDigest, "docker.io/library/alpine", "latest", kDigest},
  };
  for (const Case& c : cases) {
    INFO(c.input);
    auto ref = cli::parse_image_reference(c.input);
    REQUIRE(ref.ok());
    CHECK(ref->name() == c.gun);
    CHECK(ref->tag == c.tag);
    CHECK(ref->digest == c.digest);
  }
}

TEST_CASE("reference: digest references carry no trust tag", "[reference]") {
  CHECK(cli::parse_image_reference("alpine:3.8")->trust_tag() == std::optional<std::string>("3.8"));
  CHECK_FALSE(cli::parse_image_reference("alpine@" + kDigest)->trust_tag());
  CHECK_FALSE(cli::parse_image_reference("alpine:3.8@" + kDigest)->trust_tag());
  CHECK_FALSE(cli::parse_image_reference("alpine")->trust_tag());
}

TEST_CASE("reference: docker's error messages, verbatim", "[reference]") {
  const std::pair<std::string, std::string> cases[] = {
      {"Alpine", "invalid reference format: repository name (library/Alpine) must be lowercase"},
      {"localhost:5000/Foo", "invalid reference format: repository name (Foo) must be lowercase"},
      {"", "invalid reference format"},
      {"alpine:", "invalid reference format"},
      {"alpine::3", "invalid reference format"},
      {"-alpine", "invalid reference format"},
      {"alpine/", "invalid reference format"},
      {"a//b", "invalid reference format"},
      {"alpine:" + std::string(129, 't'), "invalid reference format"},
      {"7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430",
       "invalid repository name (7043076348bf5040220df6ad703798fd8593a0918d06d3ce30c6c93be117e430"
       "), cannot specify 64-byte hexadecimal strings"},
      {"alpine@sha256:" + std::string(40, 'a'), "invalid checksum digest length"},
      {"alpine@sha256:" + std::string(64, 'A'), "invalid checksum digest format"},
      {"alpine@md5:" + std::string(32, 'a'), "unsupported digest algorithm"},
      {"example.com/" + std::string(250, 'a'),
       "repository name must not be more than 255 characters"},
  };
  for (const auto& [input, message] : cases) {
    INFO(input);
    auto ref = cli::parse_image_reference(input);
    REQUIRE_FALSE(ref.ok());
    CHECK(ref.error().kind == tuf::ErrorKind::kUsage);
    CHECK(ref.error().message() == message);
  }
}

TEST_CASE("reference: tags may have upper case, 128 characters at most", "[reference]") {
  auto upper = cli::parse_image_reference("alpine:Latest_1.0-RC");
  REQUIRE(upper.ok());
  CHECK(*upper->tag == "Latest_1.0-RC");
  CHECK(cli::parse_image_reference("alpine:" + std::string(128, 't')).ok());
}
