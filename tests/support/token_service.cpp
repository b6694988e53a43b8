// Spec test-peers-recipes.md §1.4 (requests), §1.5 (answers) and §1.6 (the JWT notary-server
// 0.7 accepts: ES256 raw r||s, x5c of a bundled self-signed certificate, aud as a string).
#include "token_service.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "test_http_server.h"
#include "tuf/crypto.h"
#include "tuf/time.h"

namespace testing {
namespace {

struct User {
  const char* name;
  const char* password;
  bool pull_only;
};
constexpr User kUsers[] = {{"alice", "alicepw", false}, {"bob", "bobpw", true}};

std::string base64url(std::string_view bytes) {
  std::string text = tuf::crypto::base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space).
std::string url_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

void parse_form(std::string_view text, std::map<std::string, std::vector<std::string>>* out) {
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string key = url_decode(pair.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? std::string{} : url_decode(pair.substr(eq + 1));
    (*out)[key].push_back(value);
  }
}

std::string first(const std::map<std::string, std::vector<std::string>>& params,
                  const std::string& key) {
  const auto it = params.find(key);
  return it == params.end() || it->second.empty() ? std::string{} : it->second.front();
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = text.find(separator, start);
    const std::string_view part = text.substr(start, pos - start);
    if (!part.empty()) out.emplace_back(part);
    if (pos == std::string_view::npos) return out;
    start = pos + 1;
  }
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TestReply json_reply(int status, const nlohmann::json& body) {
  return TestReply::with_status(status, body.dump()).header("Content-Type", "application/json");
}

}  // namespace

bool parse_token_scope(std::string_view text, TokenScope* out) {
  const auto first_colon = text.find(':');
  const auto last_colon = text.rfind(':');
  if (first_colon == std::string_view::npos || first_colon == last_colon) return false;
  out->type = std::string(text.substr(0, first_colon));
  out->name = std::string(text.substr(first_colon + 1, last_colon - first_colon - 1));
  out->actions = split(text.substr(last_colon + 1), ',');
  return true;
}

// The signing key and its self-signed certificate (§1.1 set-up (a)).
struct TokenService::Signer {
  tuf::crypto::PrivateKey key = tuf::crypto::PrivateKey::generate_ecdsa_p256();
  std::string cert_der;
};

TokenService::TokenService(TokenServiceOptions options)
    : options_(std::move(options)), signer_(std::make_unique<Signer>()) {
  strict_ = options_.strict;
  const auto now = tuf::Time::from_unix(unix_now());
  auto cert = tuf::crypto::make_self_signed_certificate(signer_->key, "dtrust-test-token-signer",
                                                        now.plus_seconds(-3600),
                                                        now.plus_seconds(2 * 86400));
  if (!cert.ok()) throw std::runtime_error("token signer certificate: " + cert.error().detail);
  signer_->cert_der = *cert;
  bundle_file_ = dir_.path() / "bundle.pem";
  write_file(bundle_file_, tuf::crypto::pem_encode("CERTIFICATE", signer_->cert_der));
  server_ = std::make_unique<TestHttpServer>(
      [this](const TestRequest& request) { return handle(request); });
}

TokenService::~TokenService() { server_.reset(); }

std::string TokenService::realm() const { return server_->url("/token"); }
std::uint16_t TokenService::port() const { return server_->port(); }

void TokenService::set_strict(bool strict) {
  std::lock_guard lock(mu_);
  strict_ = strict;
}

std::vector<TokenRequestRecord> TokenService::requests() const {
  std::lock_guard lock(mu_);
  return records_;
}

void TokenService::clear_requests() {
  std::lock_guard lock(mu_);
  records_.clear();
}

std::vector<std::string> TokenService::requested_scopes() const {
  std::vector<std::string> out;
  for (const auto& record : requests()) {
    out.insert(out.end(), record.scopes.begin(), record.scopes.end());
  }
  return out;
}

std::vector<std::string> TokenService::grant(const std::string& user,
                                             const std::vector<std::string>& requested) const {
  bool pull_only = true;
  if (user.empty()) {
    std::lock_guard lock(mu_);
    if (strict_) return {};
  } else {
    for (const User& known : kUsers) {
      if (user == known.name) pull_only = known.pull_only;
    }
  }
  if (!pull_only) return requested;
  std::vector<std::string> out;
  for (const auto& action : requested) {
    if (action == "pull") out.push_back(action);
  }
  return out;
}

std::string TokenService::make_token(const std::string& user, const std::string& service,
                                     const std::vector<TokenScope>& granted) const {
  const std::int64_t now = unix_now();
  nlohmann::json access = nlohmann::json::array();
  for (const auto& scope : granted) {
    access.push_back({{"type", scope.type}, {"name", scope.name}, {"actions", scope.actions}});
  }
  const nlohmann::json header = {
      {"alg", "ES256"}, {"typ", "JWT"}, {"x5c", {tuf::crypto::base64_encode(signer_->cert_der)}}};
  const nlohmann::json claims = {
      {"iss", options_.issuer},
      {"sub", user},
      {"aud", service},
      {"exp", now + options_.expires_in},
      {"nbf", now - 10},
      {"iat", now},
      {"jti", tuf::crypto::to_hex(tuf::crypto::random_bytes(16))},
      {"access", access},
  };
  const std::string signing_input = base64url(header.dump()) + "." + base64url(claims.dump());
  // PrivateKey::sign() is ECDSA over SHA-256 with a raw 64-byte r||s: exactly JWS ES256.
  return signing_input + "." + base64url(signer_->key.sign(signing_input));
}

TestReply TokenService::handle(const TestRequest& request) {
  TokenRequestRecord record;
  record.method = request.method;
  const auto question = request.target.find('?');
  record.path = request.target.substr(0, question);
  if (question != std::string::npos) record.query = request.target.substr(question + 1);
  parse_form(record.query, &record.params);
  if (request.method == "POST") parse_form(request.body, &record.params);
  const std::string authorization = request.header("Authorization");
  record.has_authorization = !authorization.empty();
  record.account = first(record.params, "account");
  record.service = first(record.params, "service");
  for (const auto& scope : record.params["scope"]) {
    for (auto& one : split(scope, ' ')) record.scopes.push_back(std::move(one));
  }

  auto finish = [&](int status, const nlohmann::json& body) {
    record.status = status;
    std::lock_guard lock(mu_);
    records_.push_back(record);
    return json_reply(status, body);
  };

  if (record.path != "/token") return finish(404, {{"details", "not found"}});

  // Who is asking: Basic credentials (GET) or a refresh token (OAuth POST).
  std::string user;
  if (request.method == "POST") {
    const std::string grant_type = first(record.params, "grant_type");
    if (grant_type != "refresh_token") return finish(400, {{"error", "unsupported_grant_type"}});
    std::lock_guard lock(mu_);
    const auto it = refresh_.find(first(record.params, "refresh_token"));
    if (it == refresh_.end()) {
      record.status = 400;
      records_.push_back(record);
      return json_reply(400, {{"error", "invalid_grant"}});
    }
    user = it->second;
  } else if (request.method == "GET") {
    if (record.has_authorization) {
      bool valid = false;
      if (authorization.rfind("Basic ", 0) == 0) {
        const auto decoded = tuf::crypto::base64_decode(authorization.substr(6));
        if (decoded.ok()) {
          const auto colon = decoded->find(':');
          const std::string name = decoded->substr(0, colon);
          const std::string password =
              colon == std::string::npos ? std::string{} : decoded->substr(colon + 1);
          for (const User& known : kUsers) {
            if (name == known.name && password == known.password) valid = true;
          }
          if (valid) user = name;
        }
      }
      if (!valid) return finish(401, {{"details", "bad credentials"}});
    }
  } else {
    return finish(405, {{"details", "method not allowed"}});
  }
  record.user = user;

  std::vector<TokenScope> granted;
  for (const auto& text : record.scopes) {
    TokenScope scope;
    if (!parse_token_scope(text, &scope)) return finish(400, {{"details", "invalid scope"}});
    scope.actions = grant(user, scope.actions);
    if (!scope.actions.empty()) granted.push_back(std::move(scope));
  }

  const std::int64_t now = unix_now();
  nlohmann::json body = {
      {"expires_in", options_.expires_in},
      {"issued_at", tuf::format_rfc3339_utc(tuf::Time::from_unix(now))},
  };
  const std::string token = make_token(user, record.service, granted);
  body["token"] = token;
  body["access_token"] = token;
  if (!user.empty() && first(record.params, "offline_token") == "true") {
    std::lock_guard lock(mu_);
    const std::string refresh = "rt-" + user + "-" + std::to_string(next_id_++);
    refresh_[refresh] = user;
    body["refresh_token"] = refresh;
  }
  return finish(200, body);
}

}  // namespace testing
