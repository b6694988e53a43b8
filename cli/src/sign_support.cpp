#include "sign_support.h"

#include <optional>

#include "notary/auth.h"
#include "notary/changelist.h"
#include "notary/http_client.h"
#include "notary/registry.h"
#include "source_options.h"
#include "trustcache/key_store.h"
#include "tuf/keys.h"

namespace cli {
namespace {

namespace fs = std::filesystem;

// Spec 5.4 applied to the registry: the same $DOCKER_CONFIG/tls/<host:port>/ folder docker
// reads for it, on top of the system's CAs.
tuf::Result<notary::TlsOptions> registry_tls(const ServerOptions& server, const std::string& host) {
  notary::TlsOptions tls;
  if (!server.docker_config_dir) return tls;
  if (auto error = read_docker_tls_dir(fs::path(*server.docker_config_dir) / "tls" / host,
                                       &tls.ca_files, &tls.client_cert, &tls.client_key)) {
    return tuf::make_error(tuf::ErrorKind::kUsage, "", error->message);
  }
  return tls;
}

notary::Credentials registry_credentials(const ServerOptions& server, const std::string& host) {
  if (!server.docker_config_dir) return {};
  return notary::docker_credentials(*server.docker_config_dir)
      ->get(notary::registry_credential_key(host));
}

// The public half of the user's signer key: reused (lowest ID with role `user`) or made.
tuf::Result<tuf::PublicKey> signer_key(notary::PublishContext& ctx, const std::string& user) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<trustcache::KeyFileInfo> files, ctx.keys->list());
  std::optional<std::string> lowest;
  for (const auto& f : files) {
    if (f.role == user && (!lowest || f.id < *lowest)) lowest = f.id;
  }
  if (lowest) {
    DTRUST_ASSIGN_OR_RETURN(trustcache::LoadedKey loaded,
                            ctx.keys->load(*lowest, *ctx.passphrases));
    return tuf::public_key_of(loaded.key);
  }
  auto key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  DTRUST_ASSIGN_OR_RETURN(
      std::string passphrase,
      ctx.passphrases->get(trustcache::canonical_key_id(key), user, /*create_new=*/true, 0));
  DTRUST_TRY(ctx.keys->store(key, user, "", passphrase));
  return tuf::public_key_of(key);
}

}  // namespace

tuf::Result<tuf::FileMeta> registry_target(const ServerOptions& server, const std::string& gun,
                                           const std::string& tag) {
  const std::string host = registry_host_of(gun);
  const std::string api_host = notary::registry_api_host(host);
  notary::HttpOptions options;
  options.request_timeout = server.request_timeout;
  DTRUST_ASSIGN_OR_RETURN(options.tls, registry_tls(server, api_host));
  options.user_agent = "dtrust/0.1";
  notary::HttpClient http(options);
  DTRUST_TRY(http.config_status());
  notary::RegistryClient registry(http, "https://" + api_host, registry_credentials(server, host));
  DTRUST_ASSIGN_OR_RETURN(notary::ManifestDescriptor found,
                          registry.resolve_tag(notary::registry_repository(gun, host), tag));
  DTRUST_ASSIGN_OR_RETURN(std::string raw, tuf::crypto::from_hex(found.sha256_hex));
  tuf::FileMeta meta;
  meta.length = found.size;
  meta.hashes["sha256"] = raw;
  return meta;
}

std::string registry_login_user(const ServerOptions& server, const std::string& gun) {
  return registry_credentials(server, registry_host_of(gun)).username;
}

tuf::Status initialize_with_signer(PublishSession& session, const std::string& user) {
  notary::PublishContext& ctx = session.ctx();
  DTRUST_ASSIGN_OR_RETURN(tuf::PublicKey key, signer_key(ctx, user));
  notary::Changelist changes(ctx.trust_dir, ctx.gun);
  notary::DelegationEdit edit;
  edit.add_keys = {key};
  edit.add_paths = {""};
  for (const std::string& role : {"targets/" + user, std::string("targets/releases")}) {
    DTRUST_TRY(changes.add(notary::delegation_change(notary::ChangeAction::kCreate, role, edit)));
  }
  notary::PublishOptions options;
  options.init = notary::InitOptions{notary::SnapshotKeyMode::kServer};
  auto published = notary::publish(ctx, options);
  session.clear_changelist();
  if (!published.ok()) return published.error();
  return {};
}

}  // namespace cli
