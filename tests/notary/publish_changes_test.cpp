// Offline parts of publishing: the changelist files, the pure change application and adding
// signatures to a role file (notary-v1-protocol.md 4.4, 7.1, 7.2; docker-trust-cli 3.5).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <regex>

#include "notary/changelist.h"
#include "notary/publisher.h"
#include "test_support.h"
#include "tuf/builder.h"
#include "tuf/crypto.h"

namespace {

using notary::Change;
using notary::ChangeAction;
using tuf::ErrorKind;

const tuf::Time kNow = tuf::Time::from_unix(1700000000);

tuf::FileMeta meta_of(std::string_view content) {
  tuf::FileMeta m;
  m.length = static_cast<int64_t>(content.size());
  m.hashes["sha256"] = tuf::crypto::sha256(content);
  return m;
}

tuf::PublicKey new_public_key() {
  return tuf::public_key_of(tuf::crypto::PrivateKey::generate_ecdsa_p256());
}

notary::RoleModels fresh_models() {
  notary::RoleModels models;
  models.roles["targets"] = tuf::new_targets(kNow);
  return models;
}

Change add_delegation(const std::string& role, std::vector<tuf::PublicKey> keys,
                      std::vector<std::string> paths, int64_t threshold = 0) {
  notary::DelegationEdit edit;
  edit.add_keys = std::move(keys);
  edit.add_paths = std::move(paths);
  edit.threshold = threshold;
  return notary::delegation_change(ChangeAction::kCreate, role, edit);
}

int mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return static_cast<int>(st.st_mode & 0777);
}

}  // namespace

TEST_CASE("changelist: changes round-trip through files in notary's naming and order",
          "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  REQUIRE(list.list()->empty());

  tuf::FileMeta meta = meta_of("abc");
  meta.custom = R"({"a":1,"b":"2"})";
  REQUIRE(list.add(notary::target_change(ChangeAction::kCreate, "targets", "v1", meta)).ok());
  REQUIRE(list.add(notary::target_change(ChangeAction::kDelete, "targets", "v0", {})).ok());
  REQUIRE(list.add(add_delegation("targets/releases", {new_public_key()}, {""})).ok());

  auto changes = list.list();
  REQUIRE(changes.ok());
  REQUIRE(changes->size() == 3);
  const std::regex name(
      R"(\d{20}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.change)");
  for (const auto& c : *changes) CHECK(std::regex_match(c.file, name));
  CHECK((*changes)[0].path == "v1");
  CHECK(*notary::target_meta_of((*changes)[0]) == meta);
  CHECK((*changes)[1].action == ChangeAction::kDelete);
  CHECK((*changes)[1].data.empty());
  auto edit = notary::delegation_edit_of((*changes)[2]);
  REQUIRE(edit.ok());
  CHECK(edit->add_paths == std::vector<std::string>{""});
  CHECK(edit->add_keys.size() == 1);

  CHECK(mode_of(list.dir()) == 0700);
  CHECK(mode_of(list.dir() / (*changes)[0].file) == 0600);
  // A Go data:null change and Go's field layout decode.
  auto go = notary::decode_change(
      R"({"action":"delete","role":"targets","type":"target","path":"x","data":null})");
  REQUIRE(go.ok());
  CHECK(go->path == "x");

  REQUIRE(list.clear().ok());
  CHECK(list.list()->empty());
}

TEST_CASE("changelist: a file that is not a change is reported, not skipped",
          "[publish][changelist]") {
  testing::TempDir dir;
  notary::Changelist list(dir.path(), "example.com/app");
  REQUIRE(
      list.add(notary::target_change(ChangeAction::kCreate, "targets", "v1", meta_of("a"))).ok());
  testing::write_file(list.dir() / "00000000000000000001_x.change", "{not json");
  auto listed = list.list();
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().kind == ErrorKind::kMalformed);
}

TEST_CASE("apply: targets go into allowed roles; identical meta is a no-op", "[publish][apply]") {
  notary::RoleModels models = fresh_models();
  const std::vector<Change> changes = {
      notary::target_change(ChangeAction::kCreate, "targets", "v1", meta_of("a")),
      add_delegation("targets/releases", {new_public_key()}, {"rel/"}),
      notary::target_change(ChangeAction::kCreate, "targets/releases", "rel/1", meta_of("b"))};
  REQUIRE(notary::apply_changes(models, changes).ok());
  CHECK(models.changed == std::set<std::string>{"targets", "targets/releases"});
  CHECK(models.roles.at("targets/releases").version == 0);  // first signing makes it 1
  CHECK(models.roles.at("targets").delegations.roles.at(0).threshold == 1);

  notary::RoleModels again = models;
  again.changed.clear();
  REQUIRE(notary::apply_changes(again, {changes[0]}).ok());
  CHECK(again.changed.empty());

  auto outside = notary::apply_changes(
      again,
      {notary::target_change(ChangeAction::kCreate, "targets/releases", "v2", meta_of("c"))});
  REQUIRE_FALSE(outside.ok());
  CHECK(outside.error().kind == ErrorKind::kPathNotAllowed);
  auto undeclared = notary::apply_changes(
      again, {notary::target_change(ChangeAction::kCreate, "targets/nobody", "x", meta_of("c"))});
  REQUIRE_FALSE(undeclared.ok());
  CHECK(undeclared.error().kind == ErrorKind::kNotFound);
}

TEST_CASE("apply: delegation keys, paths, threshold and removal", "[publish][apply]") {
  notary::RoleModels models = fresh_models();
  const tuf::PublicKey a = new_public_key(), b = new_public_key();
  REQUIRE(notary::apply_changes(models, {add_delegation("targets/team", {a, b}, {""}, 2)}).ok());
  const auto& role = models.roles.at("targets").delegations.roles.at(0);
  CHECK(role.threshold == 2);
  CHECK(role.keyids.size() == 2);

  auto too_high = notary::apply_changes(models, {add_delegation("targets/team", {}, {}, 3)});
  REQUIRE_FALSE(too_high.ok());
  CHECK(too_high.error().kind == ErrorKind::kUsage);

  notary::RoleModels edited = fresh_models();
  notary::DelegationEdit remove_b;
  remove_b.remove_keys = {*tuf::canonical_key_id(b)};
  remove_b.threshold = 1;
  remove_b.clear_paths = true;
  remove_b.add_paths = {"v"};
  REQUIRE(notary::apply_changes(
              edited, {add_delegation("targets/team", {a, b}, {""}, 2),
                       notary::delegation_change(ChangeAction::kUpdate, "targets/team", remove_b)})
              .ok());
  const auto& after = edited.roles.at("targets").delegations;
  CHECK(after.roles.at(0).keyids == std::vector<std::string>{a.id()});
  CHECK(after.roles.at(0).paths == std::vector<std::string>{"v"});
  CHECK(after.keys.size() == 1);  // b's key is no longer used

  REQUIRE(notary::apply_changes(
              edited, {notary::delegation_change(ChangeAction::kDelete, "targets/team", {})})
              .ok());
  CHECK(edited.roles.at("targets").delegations.roles.empty());
  CHECK(edited.roles.at("targets").delegations.keys.empty());
}

TEST_CASE("apply: unsafe custom data and control characters are refused", "[publish][apply]") {
  for (const std::string custom :
       {R"({"a":"x<y"})", R"({"a":1.5})", R"({"a":"q\"uote"})", R"({"a":"&"})"}) {
    notary::RoleModels models = fresh_models();
    tuf::FileMeta meta = meta_of("a");
    meta.custom = custom;
    auto r = notary::apply_changes(
        models, {notary::target_change(ChangeAction::kCreate, "targets", "v1", meta)});
    INFO(custom);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::kUsage);
  }
  notary::RoleModels models = fresh_models();
  auto bad_name = notary::apply_changes(
      models, {notary::target_change(ChangeAction::kCreate, "targets", "v\n1", meta_of("a"))});
  REQUIRE_FALSE(bad_name.ok());
  CHECK(bad_name.error().kind == ErrorKind::kUsage);
  CHECK(notary::check_custom(R"({"b":"2","a":1})").value() == R"({"a":1,"b":"2"})");
}

TEST_CASE("signable roles: targets without delegations, else held direct children",
          "[publish][apply]") {
  notary::RoleModels models = fresh_models();
  CHECK(*notary::signable_roles(models.roles.at("targets"), "v1", {}) ==
        std::vector<std::string>{"targets"});
  const tuf::PublicKey mine = new_public_key(), theirs = new_public_key();
  REQUIRE(notary::apply_changes(models, {add_delegation("targets/alice", {theirs}, {""}),
                                         add_delegation("targets/releases", {mine}, {""}),
                                         add_delegation("targets/bob", {mine}, {"other/"})})
              .ok());
  const auto& top = models.roles.at("targets");
  CHECK(*notary::signable_roles(top, "v1", {mine.id()}) ==
        std::vector<std::string>{"targets/releases"});
  auto none = notary::signable_roles(top, "v1", {});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().kind == ErrorKind::kKeyNotFound);
}

TEST_CASE("sign_role_file: a second holder's signature is added, the first is kept",
          "[publish][threshold]") {
  auto ka = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto kb = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  const tuf::SigningKey a{tuf::public_key_of(ka).id(), ka}, b{tuf::public_key_of(kb).id(), kb};
  tuf::Targets team = tuf::new_targets(kNow);
  team.targets["v1"] = meta_of("a");
  const std::string one = tuf::sign_role(team, {a});
  auto two = notary::sign_role_file(one, "targets/team", {b, a});
  REQUIRE(two.ok());
  auto parsed = tuf::parse_targets(*two, "targets/team");
  REQUIRE(parsed.ok());
  REQUIRE(parsed->signatures.size() == 2);
  CHECK(parsed->signatures[0].keyid == a.keyid);
  CHECK(parsed->signatures[1].keyid == b.keyid);
  CHECK(parsed->canonical == tuf::parse_targets(one, "targets/team")->canonical);
  CHECK(notary::sign_role_file("{}", "targets/team", {b}).error().kind == ErrorKind::kMalformed);
}
