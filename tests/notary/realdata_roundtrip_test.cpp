// Spec 4.5, byte exactness: for every metadata file in realdata that is in notary's wire form,
// parsing it and writing it back (envelope(canonical_signed(typed), signatures)) gives the
// original bytes. Files that are not in wire form are listed, and the test asserts that they
// still differ, so it notices when the data or the writer changes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "realdata.h"

namespace {

namespace rd = testing::realdata;

// Not in wire form, by design of their source (realdata/README.md).
const std::set<std::string>& not_wire_files() {
  static const std::set<std::string> files = {
      "harbor/2020-11-25_022fb3f/timestamp.json",  // the wire form plus a trailing newline
      "kolide-updater/kolide/agent/linux/verify/root.json",  // pretty-printed
      "kolide-updater/kolide/agent/linux/verify/timestamp.json",
      "kolide-updater/data/root.json",
      "kolide-updater/data/snapshot.json",
      "kolide-updater/data/targets.json",
      "kolide-updater/data/timestamp.json",
  };
  return files;
}
// Committed pretty-printed (the `wire/` folders next to them hold the wire form).
const std::vector<std::string>& not_wire_folders() {
  static const std::vector<std::string> folders = {"connaisseur-py/trust_data/",
                                                   "connaisseur-go/trust_data/"};
  return folders;
}
// Deliberately broken documents: no wire form can be written for them.
const std::set<std::string>& unparsable_files() {
  static const std::set<std::string> files = {
      "connaisseur-go/trust_data/err-image/invalid.json",
      "connaisseur-py/trust_data/missing_keys_root.json",
      "connaisseur-py/trust_data/redos_targets.json",
      "connaisseur-py/trust_data/wrong_key_format.json",
      "connaisseur-py/trust_data/wrong_time_timestamp.json",
  };
  return files;
}
// JSON files that are not TUF metadata.
const std::set<std::string>& not_metadata_files() {
  static const std::set<std::string> files = {"notary-misc/verifier_vectors.json"};
  return files;
}

bool in_wire_form_by_design(const std::string& relative) {
  if (not_wire_files().count(relative)) return false;
  return std::none_of(not_wire_folders().begin(), not_wire_folders().end(),
                      [&](const std::string& f) { return relative.rfind(f, 0) == 0; });
}

// The role a file is parsed as: its `_type`, and for targets documents the delegated role its
// path names ("<set>/targets/releases.json" -> "targets/releases").
std::string role_of(const std::string& relative, const std::string& bytes) {
  const std::string type = rd::document_type(bytes);
  if (type != "targets") return type;
  const std::size_t at = relative.find("/targets/");
  if (at == std::string::npos) return "targets";
  return relative.substr(at + 1, relative.size() - at - 1 - std::string(".json").size());
}

// Every *.json under realdata, as paths relative to it, sorted.
std::vector<std::string> metadata_files() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(testing::realdata_dir())) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    const std::string relative =
        std::filesystem::relative(entry.path(), testing::realdata_dir()).generic_string();
    if (!not_metadata_files().count(relative)) out.push_back(relative);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("realdata round trip: every wire-form file is rewritten byte for byte",
          "[realdata][roundtrip]") {
  DTRUST_REALDATA_OR_SKIP();
  int checked = 0;
  for (const std::string& relative : metadata_files()) {
    if (!in_wire_form_by_design(relative)) continue;
    const std::string original = rd::bytes(relative);
    const std::string role = role_of(relative, original);
    INFO(relative << " (as " << role << ")");
    REQUIRE_FALSE(role.empty());
    auto rewired = rd::rewire(original, role);
    INFO(rd::describe(rewired));
    REQUIRE(rewired.ok());
    CHECK(*rewired == original);
    ++checked;
  }
  // 165 when this was written: alpine 4, busybox 8, harbor 11, notary-compat 9, notary-misc 1,
  // kolide 54, connaisseur-py wire 41, connaisseur-go wire 37.
  CHECK(checked == 165);
}

TEST_CASE("realdata round trip: the typed canonical form equals the canonical form of the tree",
          "[realdata][roundtrip]") {
  DTRUST_REALDATA_OR_SKIP();
  // What is signed is the canonical form of the parsed `signed` tree; the typed model must not
  // lose or reorder anything of it, or re-signing would change the meaning.
  for (const std::string& relative : metadata_files()) {
    if (unparsable_files().count(relative)) continue;
    const std::string original = rd::bytes(relative);
    const std::string role = role_of(relative, original);
    INFO(relative << " (as " << role << ")");
    if (role == "root") {
      auto doc = tuf::parse_root(original);
      REQUIRE(doc.ok());
      CHECK(tuf::canonical_signed(doc->signed_) == doc->canonical);
    } else if (role == "snapshot") {
      auto doc = tuf::parse_snapshot(original);
      REQUIRE(doc.ok());
      CHECK(tuf::canonical_signed(doc->signed_) == doc->canonical);
    } else if (role == "timestamp") {
      auto doc = tuf::parse_timestamp(original);
      REQUIRE(doc.ok());
      CHECK(tuf::canonical_signed(doc->signed_) == doc->canonical);
    } else {
      auto doc = tuf::parse_targets(original, role);
      REQUIRE(doc.ok());
      CHECK(tuf::canonical_signed(doc->signed_) == doc->canonical);
    }
  }
}

TEST_CASE("realdata round trip: files not in wire form still differ from their wire form",
          "[realdata][roundtrip]") {
  DTRUST_REALDATA_OR_SKIP();
  int differing = 0;
  std::set<std::string> unparsable;
  for (const std::string& relative : metadata_files()) {
    if (in_wire_form_by_design(relative)) continue;
    const std::string original = rd::bytes(relative);
    const std::string role = role_of(relative, original);
    auto rewired = role.empty() ? tuf::Result<std::string>(tuf::make_error(
                                      tuf::ErrorKind::kMalformed, "", "not metadata"))
                                : rd::rewire(original, role);
    INFO(relative << ": " << rd::describe(rewired));
    if (!rewired.ok()) {
      unparsable.insert(relative);
      continue;
    }
    CHECK(*rewired != original);
    ++differing;
  }
  CHECK(unparsable == unparsable_files());
  // 103 when this was written: 7 listed files, 48 + 48 parsable connaisseur originals.
  CHECK(differing == 103);
}

TEST_CASE("realdata round trip: Harbor's 2020 timestamp is its wire form plus a newline",
          "[realdata][roundtrip][harbor]") {
  DTRUST_REALDATA_OR_SKIP();
  const std::string original = rd::bytes("harbor/2020-11-25_022fb3f/timestamp.json");
  auto rewired = rd::rewire(original, "timestamp");
  REQUIRE(rewired.ok());
  CHECK(*rewired + "\n" == original);
}

TEST_CASE("realdata round trip: connaisseur's wire folders are the originals re-serialised",
          "[realdata][roundtrip][connaisseur]") {
  DTRUST_REALDATA_OR_SKIP();
  int compared = 0;
  for (const char* base : {"connaisseur-py/", "connaisseur-go/"}) {
    for (const std::string& relative : metadata_files()) {
      const std::string wire_prefix = std::string(base) + "wire/";
      if (relative.rfind(wire_prefix, 0) != 0) continue;
      const std::string rest = relative.substr(wire_prefix.size());
      const std::filesystem::path original = rd::path(std::string(base) + "trust_data/" + rest);
      if (!std::filesystem::exists(original)) continue;  // sample/, sample2/ come from loose files
      const std::string bytes = testing::read_file(original);
      INFO(base << "trust_data/" << rest);
      auto rewired = rd::rewire(bytes, role_of(relative, bytes));
      REQUIRE(rewired.ok());
      CHECK(*rewired == rd::bytes(relative));
      ++compared;
    }
  }
  CHECK(compared == 69);  // 32 connaisseur-py, 37 connaisseur-go
}
