// docker-trust-cli.md §2.1: released rows from walk-ordered occurrences.
#include <catch2/catch.hpp>

#include "inspect_model.h"
#include "tuf/crypto.h"

using cli::released_rows;
using cli::SignedTagRow;

namespace {

// An occurrence of `tag` in `role` whose sha256 is 32 bytes of `fill`.
tuf::TargetHit hit(const std::string& role, const std::string& tag, char fill) {
  tuf::FileMeta meta;
  meta.length = 10;
  meta.hashes["sha256"] = std::string(32, fill);
  return tuf::TargetHit{role, tag, meta};
}

std::string hex(char fill) { return tuf::crypto::to_hex(std::string(32, fill)); }

std::vector<std::string> tags(const std::vector<SignedTagRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.tag);
  return out;
}

}  // namespace

TEST_CASE("released rows: targets and targets/releases make rows; signers attach by digest",
          "[inspect][model]") {
  // The walk order of the spec's withsigner repository: targets, alice, releases, bob.
  const std::vector<tuf::TargetHit> hits = {
      hit("targets", "latest", 'a'),           hit("targets/alice", "v1", 'b'),
      hit("targets/alice", "v2", 'c'),         hit("targets/alice", "v3", 'x'),
      hit("targets/alice", "unreleased", 'u'), hit("targets/releases", "v1", 'b'),
      hit("targets/releases", "v2", 'c'),      hit("targets/releases", "v3", 'a'),
      hit("targets/releases", "v10", 'd'),     hit("targets/bob", "v2", 'c'),
      hit("targets/bob", "v10", 'd'),
  };
  const auto rows = released_rows(hits);
  REQUIRE(tags(rows) == std::vector<std::string>{"latest", "v1", "v2", "v3", "v10"});
  CHECK(rows[0].signers.empty());
  CHECK(rows[1].signers == std::vector<std::string>{"alice"});
  CHECK(rows[2].signers == std::vector<std::string>{"alice", "bob"});
  CHECK(rows[3].digest == hex('a'));
  CHECK(rows[3].signers.empty());  // alice signed another digest: ignored
  CHECK(rows[4].signers == std::vector<std::string>{"bob"});
}

TEST_CASE("released rows: one row per (tag, digest), same tag twice when digests differ",
          "[inspect][model]") {
  const auto rows =
      released_rows({hit("targets", "conflict", 'a'), hit("targets/releases", "conflict", 'b'),
                     hit("targets/releases", "same", 'c'), hit("targets", "same", 'c')});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].tag == "conflict");
  CHECK(rows[1].tag == "conflict");
  CHECK(rows[0].digest != rows[1].digest);
  CHECK(rows[2].tag == "same");
}

TEST_CASE("released rows: nested signer names drop only the targets/ prefix", "[inspect][model]") {
  const auto rows = released_rows({hit("targets/releases", "t", 'a'), hit("targets/a/b", "t", 'a'),
                                   hit("targets/zed", "t", 'a')});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].signers == std::vector<std::string>{"a/b", "zed"});
}

TEST_CASE("released rows: natural order of tags", "[inspect][model]") {
  std::vector<tuf::TargetHit> hits;
  for (const char* t : {"v10", "latest", "v2", "1.10", "v1", "1.9", "v01"}) {
    hits.push_back(hit("targets", t, 'a'));
  }
  CHECK(tags(released_rows(hits)) ==
        std::vector<std::string>{"1.9", "1.10", "latest", "v1", "v01", "v2", "v10"});
}

TEST_CASE("released rows: nothing released, nothing shown", "[inspect][model]") {
  CHECK(released_rows({hit("targets/alice", "only-alice", 'a')}).empty());
  CHECK(released_rows({}).empty());
}
