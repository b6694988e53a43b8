#include "publish_context.h"

#include "notary/auth.h"
#include "notary/changelist.h"
#include "notary/http_client.h"
#include "notary/remote.h"
#include "passphrase_prompt.h"

namespace cli {

namespace fs = std::filesystem;

struct PublishSession::Parts {
  std::unique_ptr<notary::HttpClient> http;
  std::unique_ptr<notary::Authorizer> auth;
  std::unique_ptr<notary::Remote> remote;
  std::unique_ptr<trustcache::Store> store;
  std::unique_ptr<trustcache::KeyStore> keys;
  std::unique_ptr<PromptingPassphraseProvider> passphrases;
  std::unique_ptr<trustcache::EnvPassphraseProvider> unattended;
};

PublishSession::PublishSession(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
PublishSession::~PublishSession() = default;

tuf::Result<std::unique_ptr<PublishSession>> PublishSession::open(const ServerOptions& server,
                                                                  const std::string& gun, Io& io,
                                                                  trustcache::PassphraseEnv env) {
  auto parts = std::make_unique<Parts>();
  const std::string url = notary_server_url(server, gun);
  parts->http = std::make_unique<notary::HttpClient>(notary_http_options(server));
  parts->auth =
      std::make_unique<notary::Authorizer>(*parts->http, url, notary_credentials(server, gun));
  parts->remote = std::make_unique<notary::Remote>(*parts->http, parts->auth.get(), url, gun);
  DTRUST_ASSIGN_OR_RETURN(parts->store, open_trust_cache(server));
  parts->keys = std::make_unique<trustcache::KeyStore>(server.trust_dir);
  parts->passphrases = std::make_unique<PromptingPassphraseProvider>(io, env);
  // The same variables the prompting provider reads first; never a prompt (it may run on a
  // helper thread).
  parts->unattended = std::make_unique<trustcache::EnvPassphraseProvider>(
      env, [&io](std::string_view name) { return io.getenv(std::string(name)); });
  std::unique_ptr<PublishSession> session(new PublishSession(std::move(parts)));
  notary::PublishContext& ctx = session->ctx_;
  ctx.remote = session->parts_->remote.get();
  ctx.store = session->parts_->store.get();
  ctx.keys = session->parts_->keys.get();
  ctx.passphrases = session->parts_->passphrases.get();
  ctx.unattended_passphrases = session->parts_->unattended.get();
  ctx.trust_dir = server.trust_dir;
  ctx.gun = gun;
  ctx.sync.now = io.now();
  ctx.sync.root_import_dirs.push_back(server.trust_dir / "tuf" / fs::path(gun) / "metadata");
  return session;
}

tuf::Result<std::unique_ptr<notary::Repository>> PublishSession::sync() {
  return notary::Repository::sync(ctx_.remote, *ctx_.store, ctx_.gun, ctx_.sync);
}

tuf::Result<bool> PublishSession::exists() {
  auto repo = sync();
  if (repo.ok()) return true;
  if (repo.error().kind == tuf::ErrorKind::kNotFound) return false;
  return repo.error();
}

void PublishSession::clear_changelist() {
  (void)notary::Changelist(ctx_.trust_dir, ctx_.gun).clear();
}

std::string publish_error_text(const tuf::Error& error) {
  if (error.kind == tuf::ErrorKind::kKeyNotFound || error.kind == tuf::ErrorKind::kBadPassphrase) {
    return error.detail;
  }
  return error.message();
}

std::string notary_publish_error_text(const std::string& gun, const tuf::Error& error,
                                      const std::string& role) {
  return error.with_context(gun, role).message();
}

std::vector<FlagSpec> with_docker_server_flags(std::vector<FlagSpec> own) {
  own.push_back({"server", 's', "string",
                 "Notary server URL (default: $DOCKER_CONTENT_TRUST_SERVER, else the registry)"});
  own.push_back({"tlscacert", 0, "string", "Trust certs signed only by this CA"});
  own.push_back({"trust-dir", 'd', "string", "Trust directory (default $DOCKER_CONFIG/trust)"});
  return own;
}

}  // namespace cli
