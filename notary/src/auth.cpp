// Docker registry token authentication (notary/auth.h). Spec notary-v1-protocol.md 2.2 (client
// flow) and test-peers-recipes.md 1.4-1.5 (captured token requests and answers).
#include "notary/auth.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "notary/url.h"
#include "notary/www_authenticate.h"
#include "tuf/crypto.h"
#include "tuf/time.h"

namespace notary {
namespace {

using tuf::ErrorKind;
using Clock = std::chrono::steady_clock;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxPingBodyBytes = 1 << 20;
constexpr std::size_t kMaxTokenResponseBytes = 1 << 20;  // x5c chains make tokens a few KiB
constexpr std::int64_t kMinimumTokenLifetimeSeconds = 60;
constexpr std::int64_t kMaximumTokenLifetimeSeconds = 10LL * 365 * 24 * 3600;  // no overflow
constexpr const char* kOAuthClientId = "docker";  // docker's client id (spec 2.4)

tuf::Error auth_error(ErrorKind kind, std::string detail) {
  return tuf::Error{kind, {}, {}, std::move(detail)};
}

// What the ping taught us: the challenge the authorizer acts on.
struct Challenge {
  enum class Scheme { kNone, kBearer, kBasic };
  Scheme scheme = Scheme::kNone;
  std::string realm;
  std::string service;
};

// Spec 2.2 step 1: only a 401 carries challenges; only realm and service are used. A Bearer
// challenge is preferred over Basic (docker/distribution tries the token handler first).
Challenge select_challenge(const HttpResponse& response) {
  Challenge selected;
  if (response.status != 401) return selected;
  for (const auto& value : response.header_values("WWW-Authenticate")) {
    for (const auto& challenge : parse_www_authenticate(value)) {
      if (challenge.scheme == "bearer") {
        return Challenge{Challenge::Scheme::kBearer, challenge.param("realm"),
                         challenge.param("service")};
      }
      if (challenge.scheme == "basic") selected.scheme = Challenge::Scheme::kBasic;
    }
  }
  return selected;
}

std::string basic_authorization(const Credentials& credentials) {
  return "Basic " + tuf::crypto::base64_encode(credentials.username + ":" + credentials.password);
}

// Spec 2.2 step 3: Basic (and `account`) only when both user and password are non-empty.
bool has_basic(const Credentials& credentials) {
  return !credentials.username.empty() && !credentials.password.empty();
}

// The query pairs already in the realm URL (Go keeps them and re-encodes them sorted).
// Malformed pairs are dropped, as url.ParseQuery does.
HeaderList realm_query(std::string_view query) {
  HeaderList pairs;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    auto key = percent_decode(part.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : part.substr(eq + 1), true);
    if (key.ok() && value.ok()) pairs.emplace_back(std::move(*key), std::move(*value));
  }
  return pairs;
}

// Spec 2.2 step 3: GET <realm>?account=&scope=&service= with Basic credentials.
HttpRequest token_get(const std::string& realm, const std::string& service,
                      const std::string& scope, const Credentials& credentials) {
  std::string base = realm.substr(0, realm.find('#'));
  const auto question = base.find('?');
  HeaderList params;
  if (question != std::string::npos) {
    params = realm_query(std::string_view(base).substr(question + 1));
    base.resize(question);
  }
  if (!service.empty()) params.emplace_back("service", service);
  if (!scope.empty()) params.emplace_back("scope", scope);
  HttpRequest request;
  if (has_basic(credentials)) {
    params.emplace_back("account", credentials.username);
    request.headers.emplace_back("Authorization", basic_authorization(credentials));
  }
  request.url = params.empty() ? base : base + "?" + encode_query(std::move(params));
  return request;
}

// Spec 2.2 step 4: OAuth2 refresh-token grant, form fields sorted as Go's url.Values encodes.
HttpRequest token_post(const std::string& realm, const std::string& service,
                       const std::string& scope, const Credentials& credentials) {
  HttpRequest request;
  request.method = "POST";
  request.url = realm;
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = encode_query({{"client_id", kOAuthClientId},
                               {"grant_type", "refresh_token"},
                               {"refresh_token", credentials.identity_token},
                               {"scope", scope},
                               {"service", service}});
  return request;
}

std::string error_code_text(std::string code) {
  std::replace(code.begin(), code.end(), '_', ' ');
  std::transform(code.begin(), code.end(), code.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return code;
}

// A refusal from the token service, worded as docker/distribution's HandleErrorResponse
// words it: {"details": ...} (the notary CLI prints "unauthorized: bad credentials"), the
// registry's {"errors": [...]}, or an OAuth {"error": ..., "error_description": ...}.
tuf::Error token_refusal(const HttpResponse& response) {
  const int status = response.status;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  auto string_field = [&body](const char* key) -> std::string {
    if (!body.is_object() || !body.contains(key) || !body[key].is_string()) return {};
    return body[key].get<std::string>();
  };
  const bool refused = status == 401 || status == 403;
  const ErrorKind kind = refused ? ErrorKind::kUnauthorized : ErrorKind::kServerError;
  if (const std::string details = string_field("details"); !details.empty()) {
    const char* code = status == 401   ? "unauthorized: "
                       : status == 429 ? "toomanyrequests: "
                                       : "unknown: ";
    return auth_error(kind, code + details);
  }
  if (body.is_object() && body.contains("errors") && body["errors"].is_array() &&
      !body["errors"].empty() && body["errors"][0].is_object()) {
    const auto& first = body["errors"][0];
    const std::string code = first.value("code", std::string("unknown"));
    return auth_error(kind, error_code_text(code) + ": " + first.value("message", std::string()));
  }
  if (const std::string oauth = string_field("error"); !oauth.empty() && status == 400) {
    // RFC 6749 5.2: a rejected grant (e.g. an unknown refresh token) is a credential problem.
    const std::string description = string_field("error_description");
    return auth_error(ErrorKind::kUnauthorized,
                      "unauthorized: " + oauth + (description.empty() ? "" : ": " + description));
  }
  if (status == 401) return auth_error(kind, "unauthorized: authentication required");
  return auth_error(kind, "token service returned HTTP status " + std::to_string(status));
}

struct TokenAnswer {
  std::string token;
  std::int64_t expires_in = 0;
  std::optional<tuf::Time> issued_at;
};

// Spec recipes 1.5: `access_token` wins over `token`; expires_in and issued_at are optional
// but must have the right type (Go's decoder fails otherwise).
tuf::Result<TokenAnswer> parse_token_answer(const std::string& body) {
  auto malformed = [](const std::string& why) {
    return auth_error(ErrorKind::kMalformed, "unable to decode token response: " + why);
  };
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (!json.is_object()) return malformed("not a JSON object");
  TokenAnswer answer;
  for (const char* key : {"token", "access_token"}) {
    if (!json.contains(key) || json[key].is_null()) continue;
    if (!json[key].is_string()) return malformed(std::string(key) + " is not a string");
    if (const auto value = json[key].get<std::string>(); !value.empty()) answer.token = value;
  }
  if (json.contains("expires_in") && !json["expires_in"].is_null()) {
    const auto& value = json["expires_in"];
    if (value.is_number_unsigned()) {
      answer.expires_in = static_cast<std::int64_t>(
          std::min<std::uint64_t>(value.get<std::uint64_t>(), kMaximumTokenLifetimeSeconds));
    } else if (value.is_number_integer()) {
      answer.expires_in = value.get<std::int64_t>();
    } else {
      return malformed("expires_in is not an integer");
    }
  }
  if (json.contains("issued_at") && !json["issued_at"].is_null()) {
    if (!json["issued_at"].is_string()) return malformed("issued_at is not a string");
    auto issued = tuf::parse_rfc3339(json["issued_at"].get<std::string>());
    if (!issued.ok()) return malformed("issued_at: " + issued.error().detail);
    answer.issued_at = issued->instant;
  }
  if (answer.token.empty()) {
    return auth_error(ErrorKind::kMalformed,
                      "authorization server did not include a token in the response");
  }
  return answer;
}

// The steady-clock instant after which the token must be fetched again:
// issued_at (default now) + max(expires_in, 60 s).
Clock::time_point token_deadline(const TokenAnswer& answer) {
  const std::int64_t lifetime =
      std::clamp(answer.expires_in, kMinimumTokenLifetimeSeconds, kMaximumTokenLifetimeSeconds);
  auto deadline = Clock::now() + std::chrono::seconds(lifetime);
  if (answer.issued_at) {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now);
    // Age of the token by the wall clock; clamped so that skewed clocks cannot overflow.
    const std::int64_t age_s =
        std::clamp<std::int64_t>(now_s.count() - answer.issued_at->seconds,
                                 -kMaximumTokenLifetimeSeconds, kMaximumTokenLifetimeSeconds);
    const auto age = std::chrono::seconds(age_s) + (now - now_s) -
                     std::chrono::nanoseconds(answer.issued_at->nanos);
    deadline -= std::chrono::duration_cast<Clock::duration>(age);
  }
  return deadline;
}

struct CachedToken {
  std::mutex mu;  // held while the token for this scope is being fetched
  std::string token;
  Clock::time_point expires;
};

}  // namespace

struct Authorizer::Impl {
  Impl(HttpClient& client, std::string url, Credentials creds)
      : http(client), server_url(std::move(url)), credentials(std::move(creds)) {}

  tuf::Status ping();
  tuf::Result<Challenge> challenge();
  tuf::Result<std::string> bearer_token(const Challenge& challenge, const std::string& scope);
  tuf::Result<std::string> fetch_token(const Challenge& challenge, const std::string& scope,
                                       Clock::time_point* expires);

  HttpClient& http;
  const std::string server_url;
  const Credentials credentials;
  std::atomic<int> token_requests{0};

  std::mutex ping_mu;  // serialises pings; never held together with a token fetch
  std::mutex mu;
  bool pinged = false;                                         // GUARDED_BY(mu)
  Challenge challenge_seen;                                    // GUARDED_BY(mu)
  std::map<std::string, std::shared_ptr<CachedToken>> tokens;  // GUARDED_BY(mu)
};

tuf::Status Authorizer::Impl::ping() {
  HttpRequest request;
  request.url = server_url + "/v2/";  // docker-trust-cli 5.3: the server URL is used verbatim
  request.follow_redirects = true;
  request.max_body_bytes = kMaxPingBodyBytes;
  auto response = http.send(request);
  Challenge seen;
  tuf::Status status;
  if (!response.ok()) {
    status = response.error();
  } else if (response->status == 401 || (response->status >= 200 && response->status < 300)) {
    seen = select_challenge(*response);
  } else {
    status =
        auth_error(ErrorKind::kServerError, "ping " + request.url + ": unexpected HTTP status " +
                                                std::to_string(response->status));
  }
  std::lock_guard lock(mu);
  pinged = true;
  challenge_seen = std::move(seen);
  return status;
}

tuf::Result<Challenge> Authorizer::Impl::challenge() {
  {
    std::lock_guard lock(mu);
    if (pinged) return challenge_seen;
  }
  std::lock_guard ping_lock(ping_mu);
  {
    std::lock_guard lock(mu);
    if (pinged) return challenge_seen;  // another thread pinged meanwhile
  }
  DTRUST_TRY(ping());
  std::lock_guard lock(mu);
  return challenge_seen;
}

tuf::Result<std::string> Authorizer::Impl::fetch_token(const Challenge& challenge,
                                                       const std::string& scope,
                                                       Clock::time_point* expires) {
  if (challenge.realm.empty()) {
    return auth_error(ErrorKind::kServerError, "no realm specified for token auth challenge");
  }
  if (auto realm = Url::parse(challenge.realm); !realm.ok()) {
    return auth_error(ErrorKind::kServerError, "invalid token realm: " + realm.error().detail);
  }
  HttpRequest request = credentials.identity_token.empty()
                            ? token_get(challenge.realm, challenge.service, scope, credentials)
                            : token_post(challenge.realm, challenge.service, scope, credentials);
  request.follow_redirects = true;
  request.max_body_bytes = kMaxTokenResponseBytes;
  ++token_requests;
  auto response = http.send(request);
  if (!response.ok()) {
    tuf::Error error = response.error();
    error.detail = "fetching token: " + error.detail;
    return error;
  }
  if (response->status < 200 || response->status >= 300) return token_refusal(*response);
  DTRUST_ASSIGN_OR_RETURN(TokenAnswer answer, parse_token_answer(response->body));
  *expires = token_deadline(answer);
  return std::move(answer.token);
}

// One cache slot per scope (recipes 1.4: a token is fetched once per scope per process). The
// slot's mutex makes concurrent callers for the same scope wait for one fetch.
tuf::Result<std::string> Authorizer::Impl::bearer_token(const Challenge& challenge,
                                                        const std::string& scope) {
  std::shared_ptr<CachedToken> slot;
  {
    std::lock_guard lock(mu);
    auto& entry = tokens[scope];
    if (!entry) entry = std::make_shared<CachedToken>();
    slot = entry;
  }
  std::lock_guard slot_lock(slot->mu);
  if (!slot->token.empty() && Clock::now() < slot->expires) return slot->token;
  Clock::time_point expires;
  DTRUST_ASSIGN_OR_RETURN(std::string token, fetch_token(challenge, scope, &expires));
  slot->token = token;
  slot->expires = expires;
  return token;
}

Authorizer::Authorizer(HttpClient& http, std::string server_url, Credentials credentials)
    : impl_(std::make_shared<Impl>(http, std::move(server_url), std::move(credentials))) {}

tuf::Status Authorizer::ping() {
  std::lock_guard ping_lock(impl_->ping_mu);
  return impl_->ping();
}

tuf::Result<std::vector<std::pair<std::string, std::string>>> Authorizer::headers_for(
    const std::string& scope) {
  DTRUST_ASSIGN_OR_RETURN(const Challenge challenge, impl_->challenge());
  HeaderList headers;
  switch (challenge.scheme) {
    case Challenge::Scheme::kBearer: {
      DTRUST_ASSIGN_OR_RETURN(const std::string token, impl_->bearer_token(challenge, scope));
      headers.emplace_back("Authorization", "Bearer " + token);
      break;
    }
    case Challenge::Scheme::kBasic:
      if (has_basic(impl_->credentials)) {
        headers.emplace_back("Authorization", basic_authorization(impl_->credentials));
      }
      break;
    case Challenge::Scheme::kNone:
      break;
  }
  return headers;
}

bool Authorizer::challenge_known() const {
  std::lock_guard lock(impl_->mu);
  return impl_->pinged;
}

bool Authorizer::learn_challenge(const HttpResponse& response) {
  if (response.status != 401) return false;
  Challenge seen = select_challenge(response);
  if (seen.scheme == Challenge::Scheme::kNone) return false;
  std::lock_guard lock(impl_->mu);
  impl_->pinged = true;
  impl_->challenge_seen = std::move(seen);
  return true;
}

int Authorizer::token_requests() const { return impl_->token_requests.load(); }

}  // namespace notary
