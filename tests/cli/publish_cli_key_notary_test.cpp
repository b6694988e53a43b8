// `dtrust key list|import|export` against the real Go notary client on the same trust dirs
// (notary spec 8): keys made by notary itself plus the legacy layouts of notary 0.1 and 0.3
// (realdata/notary-compat, copied at test time), keys moved between the two clients, and a
// root key exported by dtrust that signs a repository on a local notary-server.
// `dtrust key passwd|remove` are in publish_cli_key_notary_passwd_test.cpp.

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "key_notary_util.h"
#include "notary_server.h"
#include "test_support.h"
#include "trustcache/key_store.h"
#include "tuf/builder.h"
#include "tuf/keys.h"

using namespace key_notary_test;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> key_ids(const fs::path& trust_dir) {
  std::vector<std::string> ids;
  auto keys = trustcache::KeyStore(trust_dir).list();
  REQUIRE(keys.ok());
  for (const auto& k : *keys) ids.push_back(k.id);
  return ids;
}

}  // namespace

TEST_CASE("key list: byte-identical to notary key list, legacy layouts included",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust";
  auto empty = dtrust({"key", "list", "-d", dir.string()});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out == notary(dir, {"key", "list"}).out);
  CHECK(empty.out == "\nNo signing keys found.\n\n");

  notary_made_keys(dir);
  copy_legacy_keys(dir);
  // A key file in a subdirectory is listed under its file name (spec 8.1).
  const std::string deleg = id_with_role(dir, "targets/releases");
  fs::create_directories(dir / "private" / "team");
  fs::rename(dir / "private" / (deleg + ".key"), dir / "private" / "team" / (deleg + ".key"));
  // dtrust reads the legacy files in place; notary migrates them when it opens the store.
  auto ours = dtrust({"key", "list", "-d", dir.string()});
  REQUIRE(fs::exists(dir / "private" / "root_keys"));
  auto theirs = notary(dir, {"key", "list"});
  REQUIRE(theirs.exit_code == 0);
  REQUIRE(!fs::exists(dir / "private" / "root_keys"));
  CHECK(ours.exit_code == 0);
  CHECK(ours.err.empty());
  CHECK(ours.out == theirs.out);
  CHECK(contains(ours.out, "...m/notary0.1/samplerepo"));
  CHECK(contains(ours.out, "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3"));
  CHECK(contains(ours.out, "   " + deleg + "   "));
  CHECK(clitest::lines_of(ours.out).size() == 1 + 2 + 4 + 7 + 1);  // blank, header, rows, blank
  // After notary's migration: the same again.
  CHECK(dtrust({"key", "list", "-d", dir.string()}).out == theirs.out);
}

TEST_CASE("key export: byte-identical to notary key export, all, by GUN and by key",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path ours = tmp.path() / "ours";
  const fs::path theirs = tmp.path() / "theirs";
  notary_made_keys(ours);
  clitest::copy_tree(ours, theirs);
  copy_legacy_keys(ours);
  copy_legacy_keys(theirs);
  const std::vector<std::vector<std::string>> selections = {
      {},
      {"--gun", "docker.com/notary0.3/tst"},
      {"--gun", kGun},
      {"--key", "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3", "--key",
       "d0c623c8e70c70d42a8a8125c44a8598588b3f6e31d5c21a83cbc338dfde8a68"}};
  for (const auto& selection : selections) {
    std::vector<std::string> args = {"key", "export"};
    args.insert(args.end(), selection.begin(), selection.end());
    auto expected = notary(theirs, args);
    args.insert(args.end(), {"-d", ours.string()});
    auto got = dtrust(args);
    INFO(got.err);
    REQUIRE(expected.exit_code == 0);
    CHECK(got.exit_code == 0);
    CHECK(got.out == expected.out);
    CHECK(!got.out.empty());
    CHECK(!contains(got.out, "BEGIN PRIVATE KEY"));
  }
  // -o writes a 0600 file with the same bytes.
  const fs::path file = tmp.path() / "keys.pem";
  CHECK(dtrust({"key", "export", "-d", ours.string(), "-o", file.string()}).exit_code == 0);
  CHECK(testing::read_file(file) == notary(theirs, {"key", "export"}).out);
  CHECK((fs::status(file).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  auto mixed = dtrust({"key", "export", "-d", ours.string(), "--gun", kGun, "--key", "x"});
  CHECK(mixed.exit_code == 1);
  CHECK(mixed.err == "Only the --gun or --key flag may be provided, not a mix of the two flags\n");
}

TEST_CASE("key import: notary's export imported by dtrust gives the files notary's import gives",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path source = tmp.path() / "source";
  notary_made_keys(source);
  copy_legacy_keys(source);
  const fs::path bundle = tmp.path() / "bundle.pem";
  REQUIRE(notary(source, {"key", "export", "-o", bundle.string()}).exit_code == 0);

  const fs::path ours = tmp.path() / "ours";
  const fs::path theirs = tmp.path() / "theirs";
  auto imported = dtrust({"key", "import", "-d", ours.string(), bundle.string()});
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  CHECK(imported.out.empty());
  REQUIRE(notary(theirs, {"key", "import", bundle.string()}).exit_code == 0);
  auto a = snapshot(ours);
  auto b = snapshot(theirs);
  CHECK(a == b);
  CHECK(a.size() == 1 + 4 + 7);
  CHECK(a.at("private") == std::to_string(0700) + ":<dir>");
  CHECK(dtrust({"key", "list", "-d", ours.string()}).out.substr(0, 200) ==
        notary(ours, {"key", "list"}).out.substr(0, 200));
}

TEST_CASE("key export and import: keys made by each client decrypt and sign in the other",
          "[cli][key][notary][interop]") {
  if (!have_peers()) return;
  testing::TempDir tmp;
  const fs::path theirs = tmp.path() / "theirs";
  notary_made_keys(theirs);
  const std::string targets_id = id_with_role(theirs, "targets");

  // notary -> dtrust: exported by notary, imported by dtrust, loaded and used for signing.
  const fs::path from_notary = tmp.path() / "from-notary.pem";
  REQUIRE(notary(theirs, {"key", "export", "--key", targets_id, "-o", from_notary.string()})
              .exit_code == 0);
  const fs::path ours = tmp.path() / "ours";
  REQUIRE(dtrust({"key", "import", "-d", ours.string(), from_notary.string()}).exit_code == 0);
  trustcache::FixedPassphraseProvider targets_pass("targets-pass-1");
  auto loaded = trustcache::KeyStore(ours).load(targets_id, targets_pass);
  REQUIRE(loaded.ok());
  CHECK(loaded->info.gun == kGun);
  const tuf::PublicKey pub = tuf::public_key_of(loaded->key);
  auto sigs = tuf::sign_canonical("{\"signed\":1}", {tuf::SigningKey{pub.id(), loaded->key}});
  REQUIRE(sigs.size() == 1);
  CHECK(sigs[0].method == "ecdsa");
  CHECK(tuf::crypto::verify(tuf::crypto::KeyAlgorithm::kEcdsa, pub.public_bytes,
                            tuf::crypto::SignatureScheme::kEcdsaSha256Raw, "{\"signed\":1}",
                            sigs[0].sig));
  CHECK(!tuf::crypto::verify(tuf::crypto::KeyAlgorithm::kEcdsa, pub.public_bytes,
                             tuf::crypto::SignatureScheme::kEcdsaSha256Raw, "{\"signed\":2}",
                             sigs[0].sig));

  // A notary-made key exported by dtrust from notary's own dir, imported by a fresh notary,
  // which decrypts it (passwd re-encrypts it with the same passphrase).
  const fs::path by_dtrust = tmp.path() / "by-dtrust.pem";
  REQUIRE(dtrust({"key", "export", "-d", theirs.string(), "--key", targets_id, "-o",
                  by_dtrust.string()})
              .exit_code == 0);
  const fs::path fresh = tmp.path() / "fresh";
  REQUIRE(notary(fresh, {"key", "import", by_dtrust.string()}).exit_code == 0);
  CHECK(contains(notary(fresh, {"key", "list"}).out, targets_id));
  CHECK(notary(fresh, {"key", "passwd", targets_id}).exit_code == 0);
  CHECK(notary(fresh, {"key", "passwd", targets_id}, {"NOTARY_TARGETS_PASSPHRASE=wrong-pass"})
            .exit_code != 0);

  // dtrust -> notary: an unencrypted key imported by dtrust (encrypted with a new passphrase),
  // exported by dtrust, imported by notary, which decrypts it (passwd re-encrypts it).
  const auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const std::string key_id = trustcache::canonical_key_id(key);
  const fs::path plain = tmp.path() / "plain.pem";
  testing::write_file(plain, tuf::crypto::pem_encode("PRIVATE KEY", key.to_pkcs8()));
  Session session{{{"NOTARY_DELEGATION_PASSPHRASE", "chosen-pass-1"}}, "", false};
  auto imported =
      dtrust({"key", "import", "-d", ours.string(), "-r", "targets/qa", plain.string()}, session);
  INFO(imported.err);
  REQUIRE(imported.exit_code == 0);
  const fs::path to_notary = tmp.path() / "to-notary.pem";
  REQUIRE(dtrust({"key", "export", "-d", ours.string(), "--key", key_id, "-o", to_notary.string()})
              .exit_code == 0);
  CHECK(
      testing::read_file(to_notary).starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                                                "path: " +
                                                key_id + "\nrole: targets/qa\n\n"));
  REQUIRE(notary(theirs, {"key", "import", to_notary.string()}).exit_code == 0);
  CHECK(contains(notary(theirs, {"key", "list"}).out, "targets/qa"));
  auto wrong =
      notary(theirs, {"key", "passwd", key_id}, {"NOTARY_DELEGATION_PASSPHRASE=not-the-pass"});
  CHECK(wrong.exit_code != 0);
  auto right =
      notary(theirs, {"key", "passwd", key_id}, {"NOTARY_DELEGATION_PASSPHRASE=chosen-pass-1"});
  INFO(right.out);
  CHECK(right.exit_code == 0);
}

TEST_CASE("key import: a targets key without a GUN is refused and writes nothing",
          "[cli][key][notary]") {
  testing::TempDir tmp;
  const fs::path dir = tmp.path() / "trust";
  const auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const fs::path plain = tmp.path() / "plain.pem";
  testing::write_file(plain, tuf::crypto::pem_encode("PRIVATE KEY", key.to_pkcs8()));
  Session session{{{"NOTARY_TARGETS_PASSPHRASE", "chosen-pass-1"}}, "", false};
  auto refused =
      dtrust({"key", "import", "-d", dir.string(), "-r", "targets", plain.string()}, session);
  CHECK(refused.exit_code == 1);
  CHECK(refused.err == "failed to import keys from " + plain.string() +
                           ": targets: cannot have canonical role key without a gun, don't know "
                           "what gun it belongs to\n");
  CHECK(!fs::exists(dir));
  auto no_pass = dtrust({"key", "import", "-d", dir.string(), "-r", "root", plain.string()});
  CHECK(no_pass.exit_code == 1);
  CHECK(contains(no_pass.err, "NOTARY_ROOT_PASSPHRASE"));
  CHECK(!fs::exists(dir));
  auto ok = dtrust(
      {"key", "import", "-d", dir.string(), "-r", "targets", "-g", kGun, plain.string()}, session);
  CHECK(ok.exit_code == 0);
  CHECK(key_ids(dir) == std::vector<std::string>{trustcache::canonical_key_id(key)});
}

TEST_CASE("key export: a root key exported by dtrust signs a repository in notary",
          "[cli][key][notary][interop][online]") {
  if (!testing::NotaryServer::available() || !clitest::have_notary()) return;
  testing::TempDir tmp;
  const fs::path ours = tmp.path() / "ours";
  const auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const std::string id = trustcache::canonical_key_id(key);
  const fs::path plain = tmp.path() / "plain.pem";
  testing::write_file(plain, tuf::crypto::pem_encode("PRIVATE KEY", key.to_pkcs8()));
  // testing::NotaryCli presets NOTARY_ROOT_PASSPHRASE=root-pass.
  Session session{{{"NOTARY_ROOT_PASSPHRASE", "root-pass"}}, "", false};
  REQUIRE(dtrust({"key", "import", "-d", ours.string(), "-r", "root", plain.string()}, session)
              .exit_code == 0);
  const fs::path exported = tmp.path() / "root.pem";
  REQUIRE(dtrust({"key", "export", "-d", ours.string(), "--key", id, "-o", exported.string()})
              .exit_code == 0);

  testing::NotaryServer server;
  testing::NotaryCli cli(server);
  REQUIRE(cli.run({"key", "import", exported.string()}).exit_code == 0);
  const std::string gun = "127.0.0.1:5000/keys/exported";
  auto init = cli.run({"init", gun, "-p"});
  INFO(init.output);
  REQUIRE(init.exit_code == 0);
  CHECK(contains(init.output, "Root key found, using: " + id));
  // dtrust verifies the published root against a pin on exactly that key.
  auto listed = dtrust(
      {"list", "-s", server.url(), "-d", (tmp.path() / "cache").string(), "--root-key", id, gun});
  INFO(listed.err);
  CHECK(listed.exit_code == 0);
  const std::string other =
      trustcache::canonical_key_id(tuf::crypto::PrivateKey::generate_ecdsa_p256());
  auto mismatch = dtrust({"list", "-s", server.url(), "-d", (tmp.path() / "cache2").string(),
                          "--root-key", other, gun});
  CHECK(mismatch.exit_code == 1);
}
