// Everything a publishing command needs for one GUN (notary::PublishContext) built from the
// server flags and the environment: HTTP client, push-scope authorizer, remote, trust cache,
// key store and passphrases.
#ifndef DTRUST_CLI_PUBLISH_CONTEXT_H_
#define DTRUST_CLI_PUBLISH_CONTEXT_H_

#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "io.h"
#include "notary/publisher.h"
#include "server_provider.h"
#include "trustcache/passphrase.h"

namespace cli {

// Owns what `ctx` points to. Not thread-safe; one per GUN and command run.
class PublishSession {
 public:
  // Errors: kCache when the trust cache cannot be opened.
  static tuf::Result<std::unique_ptr<PublishSession>> open(const ServerOptions& server,
                                                           const std::string& gun, Io& io,
                                                           trustcache::PassphraseEnv env);
  ~PublishSession();

  notary::PublishContext& ctx() { return ctx_; }
  // Whether the server has trust data for the GUN (a sync answers kNotFound otherwise).
  tuf::Result<bool> exists();
  // The verified current state (syncs again).
  tuf::Result<std::unique_ptr<notary::Repository>> sync();
  // Clears the staged changelist (docker does so before and after each modifying command).
  void clear_changelist();

 private:
  struct Parts;
  explicit PublishSession(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
  notary::PublishContext ctx_;
};

// One line for a publishing error of the docker family (sign, signer): the bare detail for key
// and passphrase errors (docker's texts; the caller prefixes the GUN and tag),
// "<gun>: <role>: <detail>" otherwise.
std::string publish_error_text(const tuf::Error& error);

// One line for an error of the notary family (add, remove, publish, delegation, cosign):
// "<gun>: <role>: <detail>" for every kind -- key and passphrase errors keep notary's wording
// after the prefix. `gun` and `role` fill in what the error does not name ("" = nothing).
std::string notary_publish_error_text(const std::string& gun, const tuf::Error& error,
                                      const std::string& role = "");

// `own` followed by -s/--server, --tlscacert and -d/--trust-dir as the docker family (sign,
// revoke, signer) documents them: the server defaults to $DOCKER_CONTENT_TRUST_SERVER, else
// the registry's.
std::vector<FlagSpec> with_docker_server_flags(std::vector<FlagSpec> own);

}  // namespace cli

#endif  // DTRUST_CLI_PUBLISH_CONTEXT_H_
