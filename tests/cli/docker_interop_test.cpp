// dtrust inspect against the real docker CLI (28.2.2) on the same trust data: docker reads its
// trust cache offline (its notary server is unreachable), dtrust reads the same folder with
// --from. stdout and the error lines on stderr must be byte-identical. Skipped when docker is
// not installed.
#include <catch2/catch.hpp>
#include <set>
#include <sstream>

#include "cli_test_util.h"
#include "test_support.h"

namespace fs = std::filesystem;
using clitest::run_dtrust;
using clitest::lines_of;
using clitest::without_log_lines;

namespace {

// docker's rows with equal tags come out in arbitrary order (docker-trust-cli.md §2.1): true
// when a JSON "SignedTag" or a --pretty signature-table row repeats a tag.
bool has_repeated_tag(const std::string& out) {
  std::set<std::string> seen;
  bool in_table = false;
  for (const std::string& line : lines_of(out)) {
    std::string tag;
    if (const auto at = line.find("\"SignedTag\": "); at != std::string::npos) {
      tag = line.substr(at);
    } else if (line.starts_with("SIGNED TAG ")) {
      in_table = true;
    } else if (line.empty()) {
      in_table = false;
    } else if (in_table) {
      tag = line.substr(0, line.find("   "));
    }
    if (!tag.empty() && !seen.insert(tag).second) return true;
  }
  return false;
}

// "dtrust: <line>\ndocker: <line>" for the first line that differs.
std::string first_difference(const std::string& ours, const std::string& theirs) {
  const auto a = lines_of(ours);
  const auto b = lines_of(theirs);
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "<none>";
    const std::string y = i < b.size() ? b[i] : "<none>";
    if (x != y) return "line " + std::to_string(i + 1) + "\ndtrust: " + x + "\ndocker: " + y;
  }
  return "none";
}

// A trust dir under config/trust, as docker keeps it.
struct DockerConfig {
  testing::TempDir dir;
  fs::path trust() const { return dir.path() / "trust"; }
};

void compare(const DockerConfig& config, const std::vector<std::string>& args, tuf::Time now) {
  std::string shown;
  for (const auto& a : args) shown += a + " ";
  INFO("inspect " << shown);
  const auto docker = clitest::run_docker_inspect(config.dir.path(), args);
  std::vector<std::string> ours = {"inspect", "--from", config.trust().string()};
  ours.insert(ours.end(), args.begin(), args.end());
  const auto dtrust = run_dtrust(ours, now);
  CHECK(dtrust.exit_code == docker.exit_code);
  CHECK(dtrust.err == without_log_lines(docker.err));
  if (has_repeated_tag(docker.out)) {
    auto a = lines_of(dtrust.out);
    auto b = lines_of(docker.out);
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    CHECK(a == b);
  } else {
    INFO("first difference: " << first_difference(dtrust.out, docker.out));
    CHECK(dtrust.out == docker.out);
  }
}

std::string utf8(uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

}  // namespace

TEST_CASE("docker interop: inspect on the fixture sets", "[docker][interop]") {
  if (clitest::docker_binary().empty()) {
    WARN("skipped: docker CLI not installed");
    return;
  }
  DockerConfig config;
  std::vector<std::string> guns;
  for (const auto& entry : fs::directory_iterator(testing::fixtures_dir())) {
    if (!fs::exists(entry.path() / "MANIFEST.json")) continue;
    clitest::copy_tree(entry.path() / "tuf", config.trust() / "tuf");
    guns.push_back(clitest::fixture_gun(entry.path().filename()));
  }
  std::sort(guns.begin(), guns.end());
  const tuf::Time now = clitest::wall_clock();
  const auto probe = clitest::run_docker_inspect(config.dir.path(), {guns.front()});
  if (probe.exit_code != 0) {
    // The fixtures' timestamps expire 14 days after generation; docker has no reference time.
    WARN("skipped: docker cannot verify the fixtures today: " << probe.err);
    return;
  }
  for (const std::string& gun : guns) {
    compare(config, {gun}, now);
    compare(config, {"--pretty", gun}, now);
  }
  const std::string d = "example.com/dtrust/delegations";
  compare(config,
          {d + ":both", d + ":aliceonly", d + ":nope", d + "@sha256:" + std::string(64, 'a')}, now);
  compare(config, {"--pretty", d + ":both", d + ":aliceonly"}, now);
  compare(config,
          {guns.front(), "example.com/missing", "Bad/Name", guns.back(), "example.com/missing2"},
          now);
  compare(config, {"--pretty", guns.front(), "example.com/missing", guns.back()}, now);
  compare(config, {"--pretty", "example.com/missing"}, now);
}

TEST_CASE("docker interop: --pretty column widths for every kind of character",
          "[docker][interop]") {
  if (clitest::docker_binary().empty()) {
    WARN("skipped: docker CLI not installed");
    return;
  }
  const tuf::Time now = clitest::wall_clock();
  auto repo = testing::TestRepo::fresh("example.com/dtrust/widths", now);
  // Characters of every width class, between ASCII letters, plus clusters of several code
  // points. Names are numbered so that docker's and dtrust's sort orders agree.
  const std::vector<std::string> middles = {
      utf8(0xE9),
      utf8(0x301),
      utf8(0x903),
      utf8(0x93E),
      utf8(0xE33),
      utf8(0x600),
      utf8(0x200B),
      utf8(0x2028),
      utf8(0x2060),
      utf8(0xFE0F),
      utf8(0x1100),
      utf8(0x1161),
      utf8(0x3000),
      utf8(0xFF21),
      utf8(0xFF71),
      utf8(0xFF9E),
      utf8(0x2764),
      utf8(0x1F600),
      utf8(0x1F3FB),
      utf8(0x1F1E9),
      utf8(0x20000),
      utf8(0x2FFFE),
      utf8(0xE0020),
      utf8(0xE0100),
      utf8(0xF0000),
      utf8(0xAC00) + utf8(0x11A8),
      utf8(0x1100) + utf8(0x1161) + utf8(0x11A8),
      utf8(0x1F1E9) + utf8(0x1F1EA),
      utf8(0x1F468) + utf8(0x200D) + utf8(0x1F469),
      utf8(0x2764) + utf8(0x200D) + utf8(0x1F525),
      utf8(0x1F44D) + utf8(0x1F3FD),
      "#" + utf8(0xFE0F) + utf8(0x20E3),
      "日本語",
      "ünïcödé",
      "a>b&&c<d",
      "quote\"back\\slash",
  };
  for (std::size_t i = 0; i < middles.size(); ++i) {
    const std::string n = (i < 10 ? "n0" : "n") + std::to_string(i);
    repo.add_target("targets", n + "-" + middles[i] + "-", "x");
  }
  repo.publish();
  DockerConfig config;
  clitest::write_trust_dir(repo, config.trust());
  compare(config, {"--pretty", repo.gun}, now);
  compare(config, {repo.gun}, now);
}
