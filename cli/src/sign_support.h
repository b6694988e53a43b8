// The parts of `dtrust sign` beyond re-signing a released tag (docker-trust-cli.md 1.2 steps
// 3 and 5), which docker does with the daemon and dtrust does without one:
//  * the digest and size of IMAGE:TAG, asked from the registry (notary/registry.h) where
//    docker takes them from the daemon's push stream;
//  * the registry login user, who names the signer docker creates for a new repository;
//  * docker's first-sign initialisation of a new repository with that signer.
#ifndef DTRUST_CLI_SIGN_SUPPORT_H_
#define DTRUST_CLI_SIGN_SUPPORT_H_

#include <string>

#include "publish_context.h"
#include "server_provider.h"
#include "tuf/metadata.h"
#include "tuf/result.h"

namespace cli {

// The target for `tag` of `gun` as its registry serves it: HEAD /v2/<path>/manifests/<tag>
// at https://<registry host> (registry-1.docker.io for docker.io; http is never used), with
// the registry's credentials from config.json and TLS material from
// $DOCKER_CONFIG/tls/<registry host>/ on top of the system CAs. Errors as
// notary::RegistryClient::resolve_tag reports them (kNotFound: no such tag), plus kIo for
// unreadable TLS files.
tuf::Result<tuf::FileMeta> registry_target(const ServerOptions& server, const std::string& gun,
                                           const std::string& tag);

// The user name docker's credential store holds for the GUN's registry ("" when nobody is
// logged in there, or only an identity token without a name is stored).
std::string registry_login_user(const ServerOptions& server, const std::string& gun);

// Spec 1.2 step 3 b-d: initialises the repository (root key reused or generated, new targets
// key, server-managed snapshot key) and, in the same publish, delegates `targets/<user>` and
// `targets/releases` (paths [""], threshold 1) to the user's signer key: the local key with
// role `<user>` whose ID sorts first, else a new ECDSA P-256 key stored with role `<user>`.
// Errors: the publish's, or the key store's; keys made before a failure stay (as in docker).
tuf::Status initialize_with_signer(PublishSession& session, const std::string& user);

}  // namespace cli

#endif  // DTRUST_CLI_SIGN_SUPPORT_H_
