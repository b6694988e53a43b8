// A real Debian `notary-server` (0.7) on a free 127.0.0.1 port, for integration tests, and a
// helper that runs a command (the Go `notary` CLI, dtrust) with a controlled environment.
//
// Recipe: spec test-peers-recipes.md §0 and §1.2. The server gets a generated JSON config with
// absolute paths (§0.4), in-memory storage (it starts empty), the local ED25519 signer and
// info-level logging (one JSON line per request). TLS uses the shared test PKI of
// test_http_server.h (server certificate for DNS:localhost and IP:127.0.0.1).
//
// Tests only: failures to set up throw std::runtime_error carrying the server log. Every
// process started here is killed and reaped by the owning object's destructor.
// Thread-safety: a NotaryServer may be queried from several threads; construction and
// destruction are single-threaded.
#ifndef DTRUST_TESTS_SUPPORT_NOTARY_SERVER_H_
#define DTRUST_TESTS_SUPPORT_NOTARY_SERVER_H_

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "test_support.h"

namespace testing {

inline constexpr const char* kNotaryServerBinary = "/usr/bin/notary-server";
inline constexpr const char* kNotaryClientBinary = "/usr/bin/notary";

struct NotaryServerOptions {
  bool tls = false;  // https://localhost:<port> with the shared test CA
  // Docker-style token auth (§1.2). Both fields are required when set; a TokenService
  // provides them (realm(), root_cert_bundle()).
  bool token_auth = false;
  std::string token_realm;                  // e.g. http://127.0.0.1:<TP>/token
  std::filesystem::path token_root_bundle;  // PEM of the token-signing certificate(s)
  std::string token_service = "notary-test";
  std::string token_issuer = "test-token-issuer";
  // A JSON object merged into the generated config (RFC 7396 merge patch), e.g.
  // R"({"caching":{"max_age":{"current_metadata":0}}})". Empty = nothing.
  std::string extra_config_json;

  // Plain TLS, no auth: what most peer tests need.
  static NotaryServerOptions with_tls() {
    NotaryServerOptions options;
    options.tls = true;
    return options;
  }
};

// One "response completed" line of the server log.
struct NotaryLoggedRequest {
  std::string method;  // http.request.method
  std::string uri;     // http.request.uri, e.g. /v2/example.com/app/_trust/tuf/root.json
  int status = 0;      // http.response.status; a logged 0 (successful POST/DELETE) reads as 200
  std::string user_agent;
};

class NotaryServer {
 public:
  // True when the notary-server binary is installed (tests WARN and return otherwise).
  static bool available();

  // Starts the server and waits until GET /_notary_server/health answers 200 (5 s limit,
  // polling every 2 ms). Retries with a new port (up to 5 times) when the port was taken.
  explicit NotaryServer(NotaryServerOptions options = {});
  // stop().
  ~NotaryServer();
  NotaryServer(const NotaryServer&) = delete;
  NotaryServer& operator=(const NotaryServer&) = delete;

  // SIGTERM, then SIGKILL after 2 s; reaps the child. Idempotent.
  void stop();
  bool running() const;

  // "http://127.0.0.1:<port>" or "https://localhost:<port>" (TLS; the certificate's name).
  std::string url() const;
  std::uint16_t port() const { return port_; }
  bool tls() const { return options_.tls; }
  // The CA that signed the TLS certificate ("" without TLS), for `notary --tlscacert`.
  std::filesystem::path ca_file() const;
  const std::filesystem::path& dir() const { return dir_.path(); }
  const std::filesystem::path& config_file() const { return config_file_; }

  // Everything the server wrote to stdout/stderr so far (attach it to failing tests).
  std::string log_text() const;
  // Parsed "response completed" lines, in order.
  std::vector<NotaryLoggedRequest> request_log() const;
  // How many logged requests have this method, a URI containing `uri_part` and, unless
  // `status` is 0, this status (200 includes the logged 0 of a successful publish).
  int count_requests(std::string_view method, std::string_view uri_part, int status = 0) const;

 private:
  void write_config();
  bool try_start();  // false when the port was already in use

  NotaryServerOptions options_;
  TempDir dir_;
  std::filesystem::path config_file_;
  std::filesystem::path log_file_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// Result of run_command.
struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or by the timeout
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

// Environment changes for run_command: a value sets the variable, nullopt removes it.
using EnvChanges = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Runs argv[0] (a path; no shell) with stdin from /dev/null, the current environment minus
// every *_PROXY / NOTARY_* variable, plus `env`, and waits (killing it after `timeout`).
CommandResult run_command(const std::vector<std::string>& argv, const EnvChanges& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A Go `notary` client with its own trust dir, pointed at one server:
//   notary -s <url> -d <trust dir> [--tlscacert <ca>] <args...>
// Passphrases for every role are preset (NOTARY_*_PASSPHRASE), HOME is the temp dir.
class NotaryCli {
 public:
  // `trust_dir` empty = a fresh one in a temp dir. Sharing another NotaryCli's trust_dir()
  // gives a second user the same signing keys (server-side auth is then all that differs).
  explicit NotaryCli(const NotaryServer& server, std::filesystem::path trust_dir = {});
  // NOTARY_AUTH = base64(user:password); empty user = no credentials.
  void set_credentials(const std::string& user, const std::string& password);
  CommandResult run(const std::vector<std::string>& args) const;
  const std::filesystem::path& trust_dir() const { return trust_dir_; }

 private:
  std::string url_;
  std::filesystem::path ca_file_;
  TempDir home_;
  std::filesystem::path trust_dir_;
  std::string auth_;
};

}  // namespace testing

#endif  // DTRUST_TESTS_SUPPORT_NOTARY_SERVER_H_
