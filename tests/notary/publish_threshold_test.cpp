// k-of-n publishing against a real notary-server: a delegation with threshold 2 is published
// only when both holders signed (holder A prepares, holder B adds a signature, either uploads).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <ctime>

#include "notary/changelist.h"
#include "notary/http_client.h"
#include "notary/publisher.h"
#include "notary/repository.h"
#include "notary_server.h"
#include "trustcache/key_store.h"
#include "trustcache/store.h"
#include "tuf/crypto.h"

namespace {

using notary::ChangeAction;
using testing::NotaryServer;
using tuf::ErrorKind;

tuf::FileMeta meta_of(std::string_view content) {
  tuf::FileMeta m;
  m.length = static_cast<int64_t>(content.size());
  m.hashes["sha256"] = tuf::crypto::sha256(content);
  m.hashes["sha512"] = tuf::crypto::sha512(content);
  return m;
}

notary::HttpOptions http_options() {
  notary::HttpOptions o;
  o.use_proxy_env = false;
  o.request_timeout = std::chrono::seconds(20);
  return o;
}

}  // namespace

TEST_CASE("publish: a threshold-2 delegation needs both holders' signatures",
          "[publish][peers][threshold]") {
  if (!NotaryServer::available()) {
    WARN("skipped: /usr/bin/notary-server is not installed");
    return;
  }
  NotaryServer server;
  const std::string gun = "example.com/publish/k-of-n";
  notary::HttpClient http(http_options());
  notary::Remote remote(http, nullptr, server.url(), gun);
  auto cache = trustcache::make_memory_store();
  trustcache::FixedPassphraseProvider passphrase("holder-pass");
  testing::TempDir dir_a, dir_b;
  const trustcache::KeyStore store_a(dir_a.path()), store_b(dir_b.path());
  auto ctx_for = [&](const testing::TempDir& dir, const trustcache::KeyStore& keys) {
    notary::PublishContext ctx;
    ctx.remote = &remote;
    ctx.store = cache.get();
    ctx.keys = &keys;
    ctx.passphrases = &passphrase;
    ctx.trust_dir = dir.path();
    ctx.gun = gun;
    ctx.sync.now = tuf::Time::from_unix(std::time(nullptr));
    return ctx;
  };
  notary::PublishContext a = ctx_for(dir_a, store_a), b = ctx_for(dir_b, store_b);

  // Holder A owns the repository and creates targets/team with both holders' keys, threshold 2.
  auto key_a = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  auto key_b = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  REQUIRE(store_a.store(key_a, "targets/team", "", "holder-pass").ok());
  REQUIRE(store_b.store(key_b, "targets/team", "", "holder-pass").ok());
  notary::DelegationEdit edit;
  edit.add_keys = {tuf::public_key_of(key_a), tuf::public_key_of(key_b)};
  edit.add_paths = {""};
  edit.threshold = 2;
  notary::Changelist list_a(dir_a.path(), gun);
  REQUIRE(list_a.add(notary::delegation_change(ChangeAction::kCreate, "targets/team", edit)).ok());
  notary::PublishOptions init;
  init.init = notary::InitOptions{};
  auto created = notary::publish(a, init);
  INFO((created.ok() ? std::string() : created.error().message()) << server.log_text());
  REQUIRE(created.ok());

  // A stages a target for the team role and signs it alone.
  REQUIRE(list_a
              .add(notary::target_change(ChangeAction::kCreate, "targets/team", "v1",
                                         meta_of("team release")))
              .ok());
  auto prepared = notary::prepare_role(a, "targets/team");
  INFO((prepared.ok() ? std::string() : prepared.error().message()));
  REQUIRE(prepared.ok());

  SECTION("one signature is rejected by the server; a plain publish is refused locally") {
    auto alone = notary::publish_prepared(a, {*prepared});
    REQUIRE_FALSE(alone.ok());
    CHECK(alone.error().kind == ErrorKind::kRejected);
    int uploads = 0;
    notary::PublishOptions count_uploads;
    count_uploads.before_upload = [&](int) { ++uploads; };
    auto plain = notary::publish(a, count_uploads);
    REQUIRE_FALSE(plain.ok());
    CHECK(plain.error().kind == ErrorKind::kThresholdNotMet);
    CHECK(plain.error().role == "targets/team");
    CHECK(uploads == 0);
    CHECK(list_a.list()->size() == 1);  // the staged target stays
  }
  SECTION("with B's signature added, B publishes and the role verifies with K=2") {
    const std::string keyid_b = tuf::public_key_of(key_b).id();
    auto loaded_b = store_b.load(trustcache::canonical_key_id(key_b), passphrase);
    REQUIRE(loaded_b.ok());
    auto both = notary::sign_role_file(prepared->bytes, "targets/team",
                                       {tuf::SigningKey{keyid_b, loaded_b->key}});
    REQUIRE(both.ok());
    auto published = notary::publish_prepared(b, {notary::RoleFile{"targets/team", *both}});
    INFO((published.ok() ? std::string() : published.error().message()));
    REQUIRE(published.ok());
    CHECK(published->roles == std::vector<std::string>{"targets/team"});  // server snapshot

    auto fresh = trustcache::make_memory_store();
    auto repo = notary::Repository::sync(&remote, *fresh, gun, a.sync);
    REQUIRE(repo.ok());
    auto hit = (*repo)->resolver().find("v1", {"targets/team"});
    REQUIRE(hit.ok());
    REQUIRE(hit->has_value());
    CHECK((*hit)->role == "targets/team");
    CHECK((*hit)->meta == meta_of("team release"));
    CHECK((*repo)->set().targets("targets/team")->signatures.size() == 2);
    CHECK((*repo)->set().delegation("targets/team")->threshold == 2);
    REQUIRE(list_a.clear().ok());
  }
}
