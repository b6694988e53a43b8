#include "notary/registry.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "tuf/crypto.h"

namespace notary {
namespace {

using tuf::ErrorKind;

tuf::Error registry_error(ErrorKind kind, std::string detail) {
  return tuf::make_error(kind, "", std::move(detail));
}

// "sha256:<64 hex>" -> the lower-case hex; anything else is kMalformed.
tuf::Result<std::string> sha256_of_digest(const std::string& digest) {
  const std::string hex = digest.starts_with("sha256:") ? digest.substr(7) : "";
  const bool ok = hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](unsigned char c) {
                    return std::isdigit(c) || (c >= 'a' && c <= 'f');
                  });
  if (!ok) {
    return registry_error(ErrorKind::kMalformed,
                          "registry sent an unusable Docker-Content-Digest \"" + digest + "\"");
  }
  return hex;
}

// Content-Length as a manifest size, or nullopt when absent or not a plain decimal.
std::optional<int64_t> content_length(const HttpResponse& response) {
  auto value = response.header("Content-Length");
  if (!value || value->empty() || value->size() > 18) return std::nullopt;
  if (!std::all_of(value->begin(), value->end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoll(*value);
}

// The first error of a registry's JSON error body ("MANIFEST_UNKNOWN: manifest unknown"), or "".
std::string error_body_text(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("errors") || !doc["errors"].is_array() ||
      doc["errors"].empty() || !doc["errors"][0].is_object()) {
    return "";
  }
  const auto& first = doc["errors"][0];
  std::string text;
  if (first.contains("code") && first["code"].is_string()) text = first["code"];
  if (first.contains("message") && first["message"].is_string()) {
    text += (text.empty() ? "" : ": ") + first["message"].get<std::string>();
  }
  return text;
}

tuf::Error status_error(const HttpResponse& response, std::string_view what) {
  const std::string body = error_body_text(response.body);
  const std::string suffix = body.empty() ? "" : " (" + body + ")";
  const std::string status = std::to_string(response.status);
  if (response.status == 404) {
    return registry_error(ErrorKind::kNotFound,
                          "the registry has no manifest " + std::string(what) + suffix);
  }
  if (response.status == 401 || response.status == 403) {
    return registry_error(
        ErrorKind::kUnauthorized,
        "unauthorized: the registry answered " + status + " for " + std::string(what) + suffix);
  }
  return registry_error(ErrorKind::kServerError,
                        "the registry answered " + status + " for " + std::string(what) + suffix);
}

}  // namespace

std::string registry_api_host(std::string_view registry_host) {
  if (registry_host == "docker.io" || registry_host == "index.docker.io") {
    return "registry-1.docker.io";
  }
  return std::string(registry_host);
}

std::string registry_repository(std::string_view gun, std::string_view registry_host) {
  const std::string prefix = std::string(registry_host) + "/";
  if (gun.starts_with(prefix)) return std::string(gun.substr(prefix.size()));
  return std::string(gun);
}

RegistryClient::RegistryClient(HttpClient& http, std::string base_url, Credentials credentials)
    : http_(http), base_url_(std::move(base_url)), auth_(http, base_url_, std::move(credentials)) {}

// Sends without credentials first; a 401 teaches the challenge and the request is repeated
// once with the headers for `scope` (as docker's registry client does).
tuf::Result<HttpResponse> RegistryClient::send_authorized(HttpRequest request,
                                                          const std::string& scope) {
  if (auth_.challenge_known()) {
    DTRUST_ASSIGN_OR_RETURN(auto headers, auth_.headers_for(scope));
    request.headers.insert(request.headers.end(), headers.begin(), headers.end());
    return http_.send(request);
  }
  DTRUST_ASSIGN_OR_RETURN(HttpResponse first, http_.send(request));
  if (first.status != 401 || !auth_.learn_challenge(first)) return first;
  DTRUST_ASSIGN_OR_RETURN(auto headers, auth_.headers_for(scope));
  if (headers.empty()) return first;  // nothing to authenticate with
  request.headers.insert(request.headers.end(), headers.begin(), headers.end());
  return http_.send(request);
}

tuf::Result<ManifestDescriptor> RegistryClient::resolve_tag(std::string_view repository,
                                                            std::string_view tag) {
  const std::string what = std::string(repository) + ":" + std::string(tag);
  const std::string scope = "repository:" + std::string(repository) + ":pull";
  HttpRequest request;
  request.method = "HEAD";
  request.url = base_url_ + "/v2/" + std::string(repository) + "/manifests/" + std::string(tag);
  request.headers.emplace_back("Accept", kManifestAccept);
  request.max_body_bytes = kMaxManifestBytes;
  DTRUST_ASSIGN_OR_RETURN(HttpResponse head, send_authorized(request, scope));
  if (head.status != 200) return status_error(head, what);
  ManifestDescriptor found;
  found.media_type = head.header("Content-Type").value_or("");
  auto digest = head.header("Docker-Content-Digest");
  auto length = content_length(head);
  if (digest && length && *length > 0) {
    DTRUST_ASSIGN_OR_RETURN(found.sha256_hex, sha256_of_digest(*digest));
    found.size = *length;
    return found;
  }
  // Fall back to the bytes themselves (a registry or proxy that drops the headers on HEAD, or
  // answers HEAD with Content-Length 0).
  request.method = "GET";
  DTRUST_ASSIGN_OR_RETURN(HttpResponse get, send_authorized(request, scope));
  if (get.status != 200) return status_error(get, what);
  if (get.body.empty()) {
    return registry_error(ErrorKind::kServerError,
                          "the registry sent an empty manifest for " + what);
  }
  found.media_type = get.header("Content-Type").value_or(found.media_type);
  found.sha256_hex = tuf::crypto::to_hex(tuf::crypto::sha256(get.body));
  found.size = static_cast<int64_t>(get.body.size());
  if (auto sent = get.header("Docker-Content-Digest")) {
    DTRUST_ASSIGN_OR_RETURN(std::string claimed, sha256_of_digest(*sent));
    if (claimed != found.sha256_hex) {
      return registry_error(ErrorKind::kHashMismatch,
                            "the manifest for " + what + " hashes to sha256:" + found.sha256_hex +
                                ", not the " + *sent + " the registry named");
    }
  }
  return found;
}

}  // namespace notary
