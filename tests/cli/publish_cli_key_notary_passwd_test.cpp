// `dtrust key passwd|remove` against the real Go notary client on the same trust dirs (notary
// spec 8): keys made by notary itself plus the legacy layouts of notary 0.1 and 0.3
// (realdata/notary-compat, copied at test time); notary opens a key with the passphrase dtrust
// set and no longer lists a key dtrust removed.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "key_notary_util.h"
#include "test_support.h"

using namespace key_notary_test;

namespace fs = std::filesystem;

TEST_CASE("key passwd: asks old and new passphrases; notary opens the key with the new one",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust";
  copy_legacy_keys(dir);
  const std::string id = "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68";
  const auto before = snapshot(dir);

  // Three wrong answers: refused, not one byte changed.
  auto wrong = dtrust({"key", "passwd", "-d", dir.string(), id},
                      Session{{}, "nope-1\nnope-2\nnope-3\n", true});
  CHECK(wrong.exit_code == 1);
  CHECK(contains(wrong.err, "did not decrypt after 3 passphrase attempts"));
  CHECK(snapshot(dir) == before);
  // No terminal and no variable: refused without a prompt.
  auto no_tty = dtrust({"key", "passwd", "-d", dir.string(), id});
  CHECK(no_tty.exit_code == 1);
  CHECK(contains(no_tty.err, "NOTARY_ROOT_PASSPHRASE"));
  CHECK(no_tty.out.empty());
  CHECK(snapshot(dir) == before);

  auto changed = dtrust({"key", "passwd", "-d", dir.string(), id},
                        Session{{}, "randompass\nnew-root-pass\nnew-root-pass\n", true});
  INFO(changed.err);
  REQUIRE(changed.exit_code == 0);
  CHECK(contains(changed.out, "Enter passphrase for root key with ID d0c623c: \n"));
  CHECK(contains(changed.out, "Repeat passphrase for new root key with ID d0c623c: \n"));
  CHECK(changed.out.ends_with("\nSuccessfully updated passphrase for key ID: " + id + "\n"));
  // The legacy file moved to the current layout, 0600.
  const fs::path moved = dir / "private" / (id + ".key");
  REQUIRE(fs::exists(moved));
  CHECK(!fs::exists(dir / "private" / "root_keys" / (id + "_root.key")));
  CHECK((fs::status(moved).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));

  CHECK(notary(dir, {"key", "passwd", id}, {"NOTARY_ROOT_PASSPHRASE=randompass"}).exit_code != 0);
  CHECK(notary(dir, {"key", "passwd", id}, {"NOTARY_ROOT_PASSPHRASE=new-root-pass"}).exit_code ==
        0);
  auto bad_id = dtrust({"key", "passwd", "-d", dir.string(), "abc"});
  CHECK(bad_id.err == "invalid key ID provided: abc\n");
}

TEST_CASE("key remove: notary's prompt on a terminal, -y without one; notary sees it gone",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust";
  notary_made_keys(dir);
  copy_legacy_keys(dir);
  const std::string deleg = id_with_role(dir, "targets/releases");
  const std::string location = fs::absolute(dir / "private").lexically_normal().string();
  const std::string description = deleg + " (role targets/releases) from " + location;
  const auto before = snapshot(dir);

  auto no_tty = dtrust({"key", "remove", "-d", dir.string(), deleg}, Session{{}, "yes\n", false});
  CHECK(no_tty.exit_code == 1);
  CHECK(no_tty.out.empty());
  CHECK(contains(no_tty.err, "use -y"));
  auto declined = dtrust({"key", "remove", "-d", dir.string(), deleg}, Session{{}, "no\n", true});
  CHECK(declined.exit_code == 0);
  CHECK(declined.out ==
        "\nAre you sure you want to remove " + description + "?  (yes/no)  \nAborting action.\n\n");
  CHECK(snapshot(dir) == before);

  auto removed = dtrust({"key", "remove", "-d", dir.string(), deleg}, Session{{}, "Yes\n", true});
  CHECK(removed.exit_code == 0);
  CHECK(removed.out == "\nAre you sure you want to remove " + description + "?  (yes/no)  " +
                           "\nDeleted " + description + ".\n\n");
  // A legacy key, without a prompt.
  const std::string legacy = "7fc757801b9bab4ec9e35bfe7a6b61668ff6f4c81b5632af19e6c728ab799599";
  auto forced = dtrust({"key", "remove", "-d", dir.string(), "-y", legacy});
  CHECK(forced.exit_code == 0);
  CHECK(!fs::exists(dir / "private" / "tuf_keys" / "docker.com" / "notary0.1" / "samplerepo" /
                    (legacy + "_targets.key")));
  auto listed = notary(dir, {"key", "list"});
  REQUIRE(listed.exit_code == 0);
  CHECK(!contains(listed.out, deleg));
  CHECK(!contains(listed.out, legacy));
  CHECK(contains(listed.out, "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68"));
  CHECK(dtrust({"key", "list", "-d", dir.string()}).out == listed.out);

  auto again = dtrust({"key", "remove", "-d", dir.string(), "-y", deleg});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "No key with ID " + deleg + " found\n");
}
