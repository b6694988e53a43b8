// Where registry credentials come from (notary/auth.h): docker's config.json with credential
// helpers, and notary's NOTARY_AUTH. Spec notary-v1-protocol.md 2.4 and test-peers-recipes.md
// 1.9 (credential lookup and the helper protocol, verified against docker 28).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "notary/auth.h"
#include "tuf/crypto.h"

extern char** environ;

namespace notary {
namespace {

constexpr const char* kDockerHubKey = "https://index.docker.io/v1/";
constexpr const char* kHelperPrefix = "docker-credential-";
constexpr const char* kTokenUsername = "<token>";  // helper user meaning "Secret is a token"
constexpr const char* kNotFoundMessage = "credentials not found in native keychain";
constexpr std::uintmax_t kMaxConfigBytes = 16 << 20;
constexpr std::size_t kMaxHelperOutputBytes = 1 << 20;
// docker waits forever for a helper; a library call must end, so a hung helper is killed.
constexpr std::chrono::seconds kHelperTimeout{60};

// The parts of config.json that decide credentials.
struct DockerConfig {
  std::map<std::string, Credentials> auths;  // keyed as written in the file
  std::map<std::string, std::string> cred_helpers;
  std::string creds_store;
};

std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) return {};
  return object[key].get<std::string>();
}

// docker's decodeAuth: base64("user:password"); NULs trimmed from the password.
std::optional<Credentials> decode_auth(const std::string& auth) {
  auto decoded = tuf::crypto::base64_decode(auth);
  if (!decoded.ok()) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  Credentials credentials;
  credentials.username = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  const auto first = password.find_first_not_of('\0');
  const auto last = password.find_last_not_of('\0');
  credentials.password = first == std::string::npos ? "" : password.substr(first, last - first + 1);
  return credentials;
}

Credentials parse_auth_entry(const nlohmann::json& entry) {
  Credentials credentials;
  if (const std::string auth = string_field(entry, "auth"); !auth.empty()) {
    // An undecodable `auth` makes docker reject the whole file; we only lose this entry.
    if (auto decoded = decode_auth(auth)) credentials = *decoded;
  } else {
    credentials.username = string_field(entry, "username");
    credentials.password = string_field(entry, "password");
  }
  credentials.identity_token = string_field(entry, "identitytoken");
  return credentials;
}

// A missing, oversized or unparsable file is an empty configuration (docker warns and goes on).
DockerConfig load_config(const std::filesystem::path& file) {
  DockerConfig config;
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kMaxConfigBytes) return config;
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  if (!json.is_object()) return config;
  if (json.contains("auths") && json["auths"].is_object()) {
    for (const auto& [key, entry] : json["auths"].items()) {
      if (entry.is_object()) config.auths[key] = parse_auth_entry(entry);
    }
  }
  if (json.contains("credHelpers") && json["credHelpers"].is_object()) {
    for (const auto& [key, helper] : json["credHelpers"].items()) {
      if (helper.is_string()) config.cred_helpers[key] = helper.get<std::string>();
    }
  }
  config.creds_store = string_field(json, "credsStore");
  return config;
}

// docker's ConvertToHostname: "https://host:5000/v2/" -> "host:5000".
std::string convert_to_hostname(std::string_view key) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (key.starts_with(scheme)) {
      key.remove_prefix(scheme.size());
      break;
    }
  }
  return std::string(key.substr(0, key.find('/')));
}

// docker's file store: the exact key, else the first key (in sorted order) that normalises
// to it (recipes 1.9: "https://localhost:5000" and "http://localhost:5000/v2/" both match).
Credentials file_store_get(const DockerConfig& config, const std::string& key) {
  if (auto it = config.auths.find(key); it != config.auths.end()) return it->second;
  for (const auto& [written, credentials] : config.auths) {
    if (convert_to_hostname(written) == key) return credentials;
  }
  return {};
}

enum class HelperOutcome { kFound, kNotFound, kFailed };

struct HelperAnswer {
  HelperOutcome outcome = HelperOutcome::kFailed;
  Credentials credentials;
};

// Case-insensitive field lookup, as Go's encoding/json matches struct fields.
std::string helper_field(const nlohmann::json& object, std::string_view name) {
  for (const auto& [key, value] : object.items()) {
    if (key.size() == name.size() && value.is_string() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        })) {
      return value.get<std::string>();
    }
  }
  return {};
}

HelperAnswer parse_helper_output(const std::string& output) {
  HelperAnswer answer;
  const auto json = nlohmann::json::parse(output, nullptr, false);
  if (!json.is_object()) return answer;
  answer.outcome = HelperOutcome::kFound;
  const std::string username = helper_field(json, "username");
  const std::string secret = helper_field(json, "secret");
  if (username == kTokenUsername) {
    answer.credentials.identity_token = secret;
  } else {
    answer.credentials.username = username;
    answer.credentials.password = secret;
  }
  return answer;
}

std::string trim_space(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(kSpace) - first + 1));
}

// Reads the helper's stdout until EOF, the size cap or the deadline. False on timeout.
bool read_all(int fd, std::string* out) {
  const auto deadline = std::chrono::steady_clock::now() + kHelperTimeout;
  char buffer[4096];
  while (out->size() <= kMaxHelperOutputBytes) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    out->append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// Runs `docker-credential-<name> get` (found on PATH) with the key on stdin, no trailing
// newline (recipes 1.9). stderr goes to /dev/null: libraries never print.
HelperAnswer run_helper(const std::string& name, const std::string& key) {
  if (name.find('/') != std::string::npos) return {};  // only programs from PATH
  int in[2], out[2];
  // A socket for stdin so that a helper exiting early cannot raise SIGPIPE in us.
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) return {};
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]);
    ::close(in[1]);
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string program = kHelperPrefix + name;
  std::string verb = "get";
  char* argv[] = {program.data(), verb.data(), nullptr};
  pid_t pid = -1;
  const int spawned = ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[1]);
  ::close(out[1]);
  if (spawned != 0) {  // no such helper: docker goes on silently
    ::close(in[0]);
    ::close(out[0]);
    return {};
  }
  for (std::size_t sent = 0; sent < key.size();) {
    const ssize_t n = ::send(in[0], key.data() + sent, key.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  ::close(in[0]);
  std::string output;
  if (!read_all(out[0], &output)) ::kill(pid, SIGKILL);
  ::close(out[0]);
  int status = 0;
  pid_t waited = -1;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  if (waited != pid) return {};
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return parse_helper_output(output);
  if (trim_space(output) == kNotFoundMessage) return {HelperOutcome::kNotFound, {}};
  return {};
}

class DockerConfigCredentials final : public CredentialSource {
 public:
  explicit DockerConfigCredentials(DockerConfig config) : config_(std::move(config)) {}

  // Helpers are run once per key per process (docker calls them once per command).
  Credentials get(const std::string& registry_key) override {
    std::lock_guard lock(mu_);
    auto it = cache_.find(registry_key);
    if (it == cache_.end()) it = cache_.emplace(registry_key, lookup(registry_key)).first;
    return it->second;
  }

 private:
  // Spec 2.4: credHelpers[key], else credsStore, else auths. As in docker's native store,
  // a helper's "not found" means anonymous, and any other helper failure (including a missing
  // executable) falls back to what auths holds for the key.
  Credentials lookup(const std::string& key) const {
    std::string helper = config_.creds_store;
    if (auto it = config_.cred_helpers.find(key); it != config_.cred_helpers.end()) {
      helper = it->second;
    }
    if (helper.empty()) return file_store_get(config_, key);
    HelperAnswer answer = run_helper(helper, key);
    switch (answer.outcome) {
      case HelperOutcome::kFound:
        return answer.credentials;
      case HelperOutcome::kNotFound:
        return {};
      case HelperOutcome::kFailed:
        break;
    }
    return file_store_get(config_, key);
  }

  const DockerConfig config_;
  std::mutex mu_;
  std::map<std::string, Credentials> cache_;  // GUARDED_BY(mu_)
};

class FixedCredentials final : public CredentialSource {
 public:
  explicit FixedCredentials(Credentials credentials) : credentials_(std::move(credentials)) {}
  Credentials get(const std::string&) override { return credentials_; }

 private:
  const Credentials credentials_;
};

}  // namespace

std::unique_ptr<CredentialSource> docker_credentials(const std::string& docker_config_dir) {
  return std::make_unique<DockerConfigCredentials>(
      load_config(std::filesystem::path(docker_config_dir) / "config.json"));
}

// notary's getUsernameAndPassword: "user:password" with a non-empty user; anything else
// (bad base64, no colon, empty user) means no credentials.
std::unique_ptr<CredentialSource> notary_env_credentials(const std::string& notary_auth_value) {
  Credentials credentials;
  if (auto decoded = tuf::crypto::base64_decode(notary_auth_value); decoded.ok()) {
    const auto colon = decoded->find(':');
    if (colon != std::string::npos && colon > 0) {
      credentials.username = decoded->substr(0, colon);
      credentials.password = trim_space(std::string_view(*decoded).substr(colon + 1));
    }
  }
  return std::make_unique<FixedCredentials>(std::move(credentials));
}

// docker's reference normalisation turns index.docker.io into docker.io, the official index.
std::string registry_credential_key(const std::string& registry_host) {
  if (registry_host == "docker.io" || registry_host == "index.docker.io") return kDockerHubKey;
  return registry_host;
}

}  // namespace notary
