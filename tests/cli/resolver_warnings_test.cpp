// A delegated role that fails verification is skipped with one warning line per command, not
// one from the sync that commits the repository and another from the look-up that follows.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "notary_family_util.h"

namespace {

using clitest::NotaryFamily;

const std::string kHex(64, 'e');

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("warnings: an under-threshold delegation is reported once by lookup and list",
          "[cli][online][warnings][peers]") {
  if (!testing::NotaryServer::available() || !clitest::have_notary()) {
    WARN("notary-server or the Go notary client missing: skipped");
    return;
  }
  NotaryFamily f;
  const auto alice = f.make_key("alice");
  const auto bob = f.make_key("bob");
  f.publish_team_under_raised_threshold(alice, bob, kHex);
  const std::string warning =
      "warning: " + f.gun + ": skipping targets/team: valid signatures did not meet threshold";

  for (const auto& trust_dir : {f.trust(), f.scratch("fresh-reader")}) {
    INFO(trust_dir.string());
    auto lookup = f.dtrust({"lookup", f.gun, "v1"}, trust_dir);
    INFO(lookup.err);
    CHECK(lookup.exit_code == 1);
    CHECK(count_of(lookup.err, warning) == 1);
    auto list = f.dtrust({"list", f.gun}, trust_dir);
    INFO(list.err);
    CHECK(count_of(list.err, warning) == 1);
  }
}
