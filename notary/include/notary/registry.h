// The Docker Registry HTTP API v2 calls `sign` needs: the digest and size of the manifest a
// tag names (spec test-peers-recipes.md 2.5 and 2.6; docker-trust-cli.md 1.2 step 5 and 3.4,
// done without a daemon). What docker gets from the daemon's push stream, dtrust asks the
// registry for.
//
// Contract:
//  * `HEAD /v2/<repository>/manifests/<tag>` with an Accept header naming the four manifest
//    types (kManifestAccept), so the registry answers with the tag's top-level object as it
//    was pushed and never down-converts or substitutes (2.5 rules 2-4). The answer's
//    `Docker-Content-Digest` and `Content-Length` are the target's sha256 and length.
//  * When the HEAD answer lacks either header (or says Content-Length 0), `GET` the manifest
//  (capped at
//    kMaxManifestBytes), hash the exact bytes, and require a `Docker-Content-Digest` that the
//    GET carries to equal that hash.
//  * Auth is docker's (docker-trust-cli.md 5.5), through notary::Authorizer: the first 401
//    carries the challenge; a Bearer challenge gets a token for `repository:<repository>:pull`
//    from the realm (credentials are the registry's own, from config.json); Basic gets
//    Basic. The request is then repeated once with the Authorization header.
//  * The scheme is whatever `base_url` says; nothing here falls back from https to http.
//
// Errors (tuf::Error, gun/role empty):
//  kNotFound      the registry has no such tag (404)
//  kUnauthorized  401/403 after authenticating (or from the token service)
//  kServerError   any other status, or an empty manifest
//  kMalformed     a Docker-Content-Digest that is not "sha256:<64 hex>"
//  kHashMismatch  GET bytes whose sha256 is not the Docker-Content-Digest sent with them
//  kNetwork, kTooLarge, kIo, kUsage  as HttpClient reports them
//
// Thread-safety: a RegistryClient may be used from one thread at a time.
#ifndef DTRUST_NOTARY_REGISTRY_H_
#define DTRUST_NOTARY_REGISTRY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "tuf/result.h"

namespace notary {

// distribution's own limit on a manifest body.
inline constexpr std::size_t kMaxManifestBytes = 4 << 20;

// Docker schema2, Docker manifest list, OCI manifest, OCI index: one header, as 2.5 advises.
inline constexpr const char* kManifestAccept =
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, "
    "application/vnd.oci.image.index.v1+json";

// What a tag names in a registry.
struct ManifestDescriptor {
  std::string media_type;  // Content-Type as served ("" when the registry sent none)
  std::string sha256_hex;  // 64 lower-case hex digits
  int64_t size = 0;        // bytes of the manifest
};

// The host that serves the registry API for a reference's registry: Docker Hub's
// "docker.io" (and "index.docker.io") is served by "registry-1.docker.io"; every other
// host[:port] is used as written.
std::string registry_api_host(std::string_view registry_host);

// The repository path inside the registry for a GUN whose registry is `registry_host`:
// "localhost:5000/test/app" -> "test/app", "docker.io/library/alpine" -> "library/alpine".
std::string registry_repository(std::string_view gun, std::string_view registry_host);

class RegistryClient {
 public:
  // `base_url` is "scheme://host[:port]" of the registry API (no trailing slash). The
  // HttpClient must outlive the RegistryClient.
  RegistryClient(HttpClient& http, std::string base_url, Credentials credentials);

  // The manifest `tag` names in `repository` (see the contract above).
  tuf::Result<ManifestDescriptor> resolve_tag(std::string_view repository, std::string_view tag);

  // Token requests sent so far (tests count them).
  int token_requests() const { return auth_.token_requests(); }

 private:
  tuf::Result<HttpResponse> send_authorized(HttpRequest request, const std::string& scope);

  HttpClient& http_;
  std::string base_url_;
  Authorizer auth_;
};

}  // namespace notary

#endif  // DTRUST_NOTARY_REGISTRY_H_
