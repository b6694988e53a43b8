// Batches of changelist writes (notary/changelist.h): add_all keeps the order given, is all or
// nothing, leaves no temporary files, and remove/clear touch only change files.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "notary/changelist.h"
#include "test_support.h"
#include "tuf/crypto.h"

namespace {

namespace fs = std::filesystem;
using notary::Change;
using notary::ChangeAction;

Change target(const std::string& name) {
  tuf::FileMeta meta;
  meta.length = 3;
  meta.hashes["sha256"] = tuf::crypto::sha256(name);
  return notary::target_change(ChangeAction::kCreate, "targets", name, meta);
}

// Every file name in `dir`.
std::set<std::string> names_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

}  // namespace

TEST_CASE("changelist: a batch is listed in the order given, without temporary files",
          "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  std::vector<Change> batch;
  // Names chosen so that sorting by target name would give another order.
  for (int i = 200; i > 0; --i) batch.push_back(target("v" + std::to_string(i)));
  for (auto sync : {notary::Changelist::Sync::kFolder, notary::Changelist::Sync::kNone}) {
    auto names = list.add_all(batch, sync);
    REQUIRE(names.ok());
    REQUIRE(names->size() == batch.size());
    auto listed = list.list();
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      CHECK((*listed)[i].path == batch[i].path);
      CHECK((*listed)[i].file == (*names)[i]);
    }
    const auto files = names_in(list.dir());
    CHECK(files == std::set<std::string>(names->begin(), names->end()));  // no *.tmp left
    struct stat st {};
    REQUIRE(::stat((list.dir() / names->front()).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(list.sync().ok());
    REQUIRE(list.clear().ok());
    CHECK(list.list()->empty());
  }
}

TEST_CASE("changelist: a batch with an unwritable change stages nothing", "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  REQUIRE(list.add(target("kept")).ok());
  Change bad = target("bad");
  bad.role.clear();
  auto refused = list.add_all({target("a"), bad, target("b")});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kUsage);
  auto listed = list.list();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().path == "kept");
}

TEST_CASE("changelist: a batch into a folder that cannot be written is kIo and stages nothing",
          "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  REQUIRE(list.add(target("kept")).ok());
  ::chmod(list.dir().c_str(), 0500);
  if (::access(list.dir().c_str(), W_OK) == 0) {  // running as root: permissions do not apply
    ::chmod(list.dir().c_str(), 0700);
    WARN("running with CAP_DAC_OVERRIDE: read-only folder not enforced; skipped");
    return;
  }
  auto refused = list.add_all({target("a"), target("b")});
  ::chmod(list.dir().c_str(), 0700);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == tuf::ErrorKind::kIo);
  auto listed = list.list();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(names_in(list.dir()).size() == 1);
}

TEST_CASE("changelist: remove and clear touch only change files", "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  auto names = list.add_all({target("a"), target("b"), target("c")});
  REQUIRE(names.ok());
  REQUIRE(list.remove({(*names)[1], "00000000000000000000_gone.change"}).ok());
  auto listed = list.list();
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].path == "a");
  CHECK((*listed)[1].path == "c");

  testing::write_file(list.dir() / "notes.txt", "not a change");
  REQUIRE(list.clear().ok());
  CHECK(names_in(list.dir()) == std::set<std::string>{"notes.txt"});
  // A missing folder: nothing to list, sync or clear.
  notary::Changelist none(dir.path(), "example.com/none");
  CHECK(none.list()->empty());
  CHECK(none.sync().ok());
  CHECK(none.clear().ok());
}
