#include "notary/remote.h"

#include <nlohmann/json.hpp>

#include "notary/multipart.h"
#include "notary/url.h"
#include "tuf/crypto.h"

namespace notary {
namespace {

using tuf::ErrorKind;

constexpr std::string_view kPull = "pull";
constexpr std::string_view kPushPull = "push,pull";
constexpr std::string_view kAll = "*";

// The role a file name is about ("targets/releases.<hex>.json" -> "targets/releases").
std::string role_of(std::string_view file) {
  std::string_view f = file;
  if (f.ends_with(".json")) f.remove_suffix(5);
  if (f.ends_with(".key")) f.remove_suffix(4);
  const auto dot = f.find('.');
  if (dot != std::string_view::npos) {
    // "<version>.root" or "<role>.<hex>"
    const std::string_view head = f.substr(0, dot);
    const bool numeric = !head.empty() && head.find_first_not_of("0123456789") == head.npos;
    f = numeric ? f.substr(dot + 1) : head;
  }
  return std::string(f);
}

tuf::Result<tuf::PublicKey> parse_key_response(const std::string& body, std::string_view role) {
  try {
    const auto j = nlohmann::json::parse(body);
    auto type = tuf::parse_key_type(j.at("keytype").get<std::string>());
    if (!type.ok()) return type.error();
    auto bytes = tuf::crypto::base64_decode(j.at("keyval").at("public").get<std::string>());
    if (!bytes.ok()) return bytes.error();
    return tuf::PublicKey{*type, std::move(bytes).value()};
  } catch (const std::exception&) {
    return tuf::make_error(ErrorKind::kMalformed, std::string(role),
                           "trust server returned a malformed key");
  }
}

}  // namespace

Remote::Remote(HttpClient& http, Authorizer* auth, std::string server_url, std::string gun)
    : http_(http), auth_(auth), server_url_(std::move(server_url)), gun_(std::move(gun)) {
  while (!server_url_.empty() && server_url_.back() == '/') server_url_.pop_back();
}

std::string Remote::server_host_port() const {
  auto url = Url::parse(server_url_);
  return url.ok() ? url->host_port() : server_url_;
}

std::optional<std::shared_future<void>> Remote::tls_context_built() const {
  auto url = Url::parse(server_url_);
  if (!url.ok() || url->scheme != "https") return std::nullopt;
  return http_.tls_context_built();
}

tuf::Result<HttpResponse> Remote::send(Call call) {
  // Spec 1.1: plain concatenation, no escaping of the GUN.
  HttpRequest request;
  request.method = std::string(call.method);
  request.url = server_url_ + "/v2/" + gun_ + "/_trust/tuf/" + call.file;
  request.max_body_bytes = call.max_bytes;
  request.expected_body_bytes = call.expected_bytes;
  request.body = std::move(call.body);
  if (!call.content_type.empty()) {
    request.headers.emplace_back("Content-Type", std::move(call.content_type));
  }
  const std::string_view file = call.file;
  const std::string scope = "repository:" + gun_ + ":" + std::string(call.scope_actions);
  auto add_auth = [&]() -> tuf::Status {
    auto headers = auth_->headers_for(scope);
    if (!headers.ok()) return headers.error().with_context(gun_, role_of(file));
    for (auto& h : *headers) request.headers.push_back(std::move(h));
    return {};
  };
  // Authorization is added up front once the server's challenge is known. Until then the
  // request goes out without it: a server that needs no auth costs no ping, and one that does
  // answers 401 with its challenge, after which the request is repeated once with a token.
  if (auth_ != nullptr && auth_->challenge_known()) DTRUST_TRY(add_auth());
  ++requests_;
  auto response = http_.send(request);
  if (!response.ok()) return response.error().with_context(gun_, role_of(file));
  if (response->status == 401 && auth_ != nullptr && !auth_->challenge_known() &&
      auth_->learn_challenge(*response)) {
    DTRUST_TRY(add_auth());
    ++requests_;
    response = http_.send(request);
    if (!response.ok()) return response.error().with_context(gun_, role_of(file));
  }
  return response;
}

tuf::Error Remote::status_error(const HttpResponse& response, std::string_view role) const {
  const std::string r(role);
  switch (response.status) {
    case 404:
      if (role == "root") {
        return tuf::Error{ErrorKind::kNotFound, gun_, r,
                          server_host_port() + " does not have trust data for " + gun_};
      }
      return tuf::Error{ErrorKind::kNotFound, gun_, r, "metadata not found on the trust server"};
    case 401:
    case 403:
      return tuf::Error{ErrorKind::kUnauthorized, gun_, r,
                        "you are not authorized to perform this operation: server returned " +
                            std::to_string(response.status) + "."};
    case 400: {
      // Spec 1.3: at most 1 KiB of the error body is read.
      std::string code, message;
      try {
        const auto j = nlohmann::json::parse(response.body.substr(0, kMaxErrorBodyBytes));
        const auto& e = j.at("errors").at(0);
        code = e.value("code", "");
        message = e.value("message", "");
        if (e.contains("detail") && e["detail"].is_object() && e["detail"].contains("Error")) {
          message = e["detail"]["Error"].value("Msg", message);
        }
      } catch (const std::exception&) {
      }
      if (code == "VERSION") {
        return tuf::Error{ErrorKind::kConflict, gun_, r,
                          "a newer version of metadata is already available on the server"};
      }
      return tuf::Error{
          ErrorKind::kRejected, gun_, r,
          "trust server rejected operation" + (message.empty() ? "" : ": " + message)};
    }
    default:
      return tuf::Error{
          ErrorKind::kServerError, gun_, r,
          "unable to reach trust server at this time: " + std::to_string(response.status) + "."};
  }
}

void Remote::prefetch_role(std::string_view role, std::size_t max_bytes) {
  std::lock_guard lock(prefetch_mu_);
  if (prefetched_.contains(role)) return;
  std::string name(role);
  Background<tuf::Result<std::string>> result(
      [this, name, max_bytes] { return fetch_role(name, max_bytes); });
  prefetched_.emplace(std::move(name), Prefetch{max_bytes, std::move(result)});
}

void Remote::offer_role(std::string_view role, std::size_t max_bytes, std::string bytes) {
  auto ready = Background<tuf::Result<std::string>>::ready(std::move(bytes));
  std::lock_guard lock(prefetch_mu_);
  prefetched_.insert_or_assign(std::string(role), Prefetch{max_bytes, std::move(ready)});
}

void Remote::discard_prefetch(std::string_view role) {
  Background<tuf::Result<std::string>> dropped;
  std::lock_guard lock(prefetch_mu_);
  if (auto it = prefetched_.find(role); it != prefetched_.end()) {
    dropped = std::move(it->second.result);  // waits in its destructor, after the unlock
    prefetched_.erase(it);
  }
}

tuf::Result<std::string> Remote::get_role(std::string_view role, std::size_t max_bytes) {
  std::unique_lock lock(prefetch_mu_);
  if (auto it = prefetched_.find(role);
      it != prefetched_.end() && it->second.max_bytes == max_bytes) {
    Background<tuf::Result<std::string>> result = std::move(it->second.result);
    prefetched_.erase(it);
    lock.unlock();
    return result.get();
  }
  lock.unlock();
  return fetch_role(role, max_bytes);
}

tuf::Result<std::string> Remote::fetch_role(std::string_view role, std::size_t max_bytes) {
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response, send({.method = "GET",
                                                       .file = std::string(role) + ".json",
                                                       .scope_actions = kPull,
                                                       .max_bytes = max_bytes}));
  if (response.status != 200) return status_error(response, role);
  return std::move(response.body);
}

tuf::Result<std::string> Remote::get_role_by_hash(std::string_view role,
                                                  std::string_view sha256_hex,
                                                  std::size_t max_bytes) {
  DTRUST_ASSIGN_OR_RETURN(
      HttpResponse response,
      // The length comes from the parent's meta: the body is expected to be exactly that long.
      send({.method = "GET",
            .file = std::string(role) + "." + std::string(sha256_hex) + ".json",
            .scope_actions = kPull,
            .max_bytes = max_bytes,
            .expected_bytes = max_bytes}));
  if (response.status != 200) return status_error(response, role);
  return std::move(response.body);
}

tuf::Result<std::string> Remote::get_root_version(int64_t version) {
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response,
                          send({.method = "GET",
                                .file = std::to_string(version) + ".root.json",
                                .scope_actions = kPull,
                                .max_bytes = kMaxUnknownSizeBytes}));
  if (response.status != 200) return status_error(response, "root");
  return std::move(response.body);
}

tuf::Result<tuf::PublicKey> Remote::get_server_key(std::string_view role) {
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response, send({.method = "GET",
                                                       .file = std::string(role) + ".key",
                                                       .scope_actions = kPushPull,
                                                       .max_bytes = kMaxKeyBytes}));
  if (response.status != 200) return status_error(response, role);
  auto key = parse_key_response(response.body, role);
  if (!key.ok()) return key.error().with_context(gun_, role);
  return key;
}

tuf::Result<tuf::PublicKey> Remote::rotate_server_key(std::string_view role) {
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response, send({.method = "POST",
                                                       .file = std::string(role) + ".key",
                                                       .scope_actions = kAll,
                                                       .max_bytes = kMaxKeyBytes}));
  if (response.status != 200) return status_error(response, role);
  auto key = parse_key_response(response.body, role);
  if (!key.ok()) return key.error().with_context(gun_, role);
  return key;
}

tuf::Status Remote::publish(const std::vector<RoleFile>& files) {
  std::vector<MultipartFile> parts;
  parts.reserve(files.size());
  for (const RoleFile& f : files) parts.push_back(MultipartFile{f.role, f.bytes});
  MultipartBody form = build_multipart_form(parts);
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response,
                          send({.method = "POST",
                                .file = "",
                                .scope_actions = kPushPull,
                                .max_bytes = kMaxErrorBodyBytes * 64,
                                .body = std::move(form.body),
                                .content_type = std::move(form.content_type)}));
  if (response.status != 200) return status_error(response, "");
  return {};
}

tuf::Status Remote::delete_all() {
  DTRUST_ASSIGN_OR_RETURN(HttpResponse response, send({.method = "DELETE",
                                                       .file = "",
                                                       .scope_actions = kAll,
                                                       .max_bytes = kMaxErrorBodyBytes * 64}));
  if (response.status != 200) return status_error(response, "");
  return {};
}

}  // namespace notary
