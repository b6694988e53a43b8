// Spec test-peers-recipes.md §0.2–0.4 (start, readiness, stop, ports, logging) and §1.2
// (config). The readiness probe goes through notary::HttpClient so TLS is verified against
// the test CA exactly as a client would.
#include "notary_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "notary/http_client.h"
#include "test_http_server.h"
#include "tuf/crypto.h"

extern char** environ;

namespace testing {
namespace {

using Clock = std::chrono::steady_clock;

// Bind 127.0.0.1:0, read the port, close (§0.3 "generic method").
std::uint16_t pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The current environment without proxy and NOTARY_* variables, with `changes` applied.
std::vector<std::string> child_environment(const EnvChanges& changes) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq);
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.rfind("NOTARY_", 0) == 0) continue;
    if (upper.size() >= 6 && upper.compare(upper.size() - 6, 6, "_PROXY") == 0) continue;
    env[name] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : changes) {
    if (value) {
      env[name] = *value;
    } else {
      env.erase(name);
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// posix_spawn with stdin = /dev/null and stdout+stderr to `output_fd` (or `output_file`).
pid_t spawn(std::vector<std::string> argv, const EnvChanges& env_changes, int output_fd,
            const std::filesystem::path& output_file) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (output_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, output_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, output_fd, 2);
    posix_spawn_file_actions_addclose(&actions, output_fd);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
  }
  std::vector<std::string> env = child_environment(env_changes);
  std::vector<char*> c_argv = c_strings(argv);
  std::vector<char*> c_env = c_strings(env);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

// Waits for `pid` to exit until `deadline`; true (and its wait status) when it did.
bool wait_until(pid_t pid, Clock::time_point deadline, int* status) {
  for (;;) {
    if (::waitpid(pid, status, WNOHANG) == pid) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// SIGTERM, wait up to `grace`, then SIGKILL; always reaps. Returns the wait status.
int terminate(pid_t pid, std::chrono::milliseconds grace) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) == pid) return status;
  ::kill(pid, SIGTERM);
  const auto deadline = Clock::now() + grace;
  while (Clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return status;
}

}  // namespace

// ---- NotaryServer ----------------------------------------------------------------------------

bool NotaryServer::available() { return ::access(kNotaryServerBinary, X_OK) == 0; }

NotaryServer::NotaryServer(NotaryServerOptions options) : options_(std::move(options)) {
  if (options_.token_auth && (options_.token_realm.empty() || options_.token_root_bundle.empty())) {
    throw std::runtime_error("NotaryServer: token_auth needs token_realm and token_root_bundle");
  }
  config_file_ = dir_.path() / "server.json";
  log_file_ = dir_.path() / "server.log";
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = pick_free_port();
    write_config();
    if (try_start()) return;
  }
  throw std::runtime_error("notary-server: port stayed in use after 5 tries\n" + log_text());
}

NotaryServer::~NotaryServer() { stop(); }

void NotaryServer::stop() {
  if (pid_ <= 0) return;
  terminate(pid_, std::chrono::seconds(2));
  pid_ = -1;
}

bool NotaryServer::running() const {
  if (pid_ <= 0) return false;
  return ::kill(pid_, 0) == 0;
}

void NotaryServer::write_config() {
  nlohmann::json config = {
      {"server", {{"http_addr", "127.0.0.1:" + std::to_string(port_)}}},
      {"trust_service", {{"type", "local"}}},
      {"storage", {{"backend", "memory"}}},
      {"logging", {{"level", "info"}}},
  };
  if (options_.tls) {
    const TestPki& pki = shared_test_pki();
    config["server"]["tls_cert_file"] = std::filesystem::absolute(pki.server_cert).string();
    config["server"]["tls_key_file"] = std::filesystem::absolute(pki.server_key).string();
  }
  if (options_.token_auth) {
    // rootcertbundle is resolved against the working directory, so always absolute (§0.4).
    config["auth"] = {
        {"type", "token"},
        {"options",
         {{"realm", options_.token_realm},
          {"service", options_.token_service},
          {"issuer", options_.token_issuer},
          {"rootcertbundle", std::filesystem::absolute(options_.token_root_bundle).string()}}}};
  }
  if (!options_.extra_config_json.empty()) {
    config.merge_patch(nlohmann::json::parse(options_.extra_config_json));
  }
  write_file(config_file_, config.dump(2));
}

bool NotaryServer::try_start() {
  std::filesystem::remove(log_file_);
  pid_ = spawn({kNotaryServerBinary, "-config", config_file_.string()}, {}, -1, log_file_);

  notary::HttpOptions http;
  http.connect_timeout = std::chrono::milliseconds(500);
  http.request_timeout = std::chrono::milliseconds(1000);
  http.use_proxy_env = false;
  if (options_.tls) {
    http.tls.use_system_cas = false;
    http.tls.ca_files = {ca_file()};
  }
  notary::HttpClient client(http);
  notary::HttpRequest health;
  health.url = url() + "/_notary_server/health";

  // §0.2: ready after ~10 ms; a start-up failure exits within milliseconds.
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  std::string last_error;
  while (Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      const std::string log = log_text();
      if (log.find("address already in use") != std::string::npos) return false;
      throw std::runtime_error("notary-server exited during start-up\n" + log);
    }
    auto response = client.send(health);
    if (response.ok() && response->status == 200) return true;
    last_error =
        response.ok() ? "status " + std::to_string(response->status) : response.error().detail;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop();
  throw std::runtime_error("notary-server not healthy after 5 s (" + last_error + ")\n" +
                           log_text());
}

std::string NotaryServer::url() const {
  return (options_.tls ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_);
}

std::filesystem::path NotaryServer::ca_file() const {
  if (!options_.tls) return {};
  return std::filesystem::absolute(shared_test_pki().ca_cert);
}

std::string NotaryServer::log_text() const {
  std::ifstream in(log_file_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<NotaryLoggedRequest> NotaryServer::request_log() const {
  std::vector<NotaryLoggedRequest> out;
  std::istringstream lines(log_text());
  std::string line;
  while (std::getline(lines, line)) {
    const auto line_json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!line_json.is_object() || line_json.value("msg", "") != "response completed") continue;
    NotaryLoggedRequest entry;
    entry.method = line_json.value("http.request.method", "");
    entry.uri = line_json.value("http.request.uri", "");
    entry.user_agent = line_json.value("http.request.useragent", "");
    entry.status = line_json.value("http.response.status", 0);
    // §0.4: a successful publish POST or DELETE is logged with status 0.
    if (entry.status == 0) entry.status = 200;
    out.push_back(std::move(entry));
  }
  return out;
}

int NotaryServer::count_requests(std::string_view method, std::string_view uri_part,
                                 int status) const {
  int count = 0;
  for (const auto& entry : request_log()) {
    if (entry.method == method && entry.uri.find(uri_part) != std::string::npos &&
        (status == 0 || entry.status == status)) {
      ++count;
    }
  }
  return count;
}

// ---- run_command -----------------------------------------------------------------------------

CommandResult run_command(const std::vector<std::string>& argv, const EnvChanges& env,
                          std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe() failed");
  pid_t pid = -1;
  try {
    pid = spawn(argv, env, fds[1], {});
  } catch (...) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw;
  }
  ::close(fds[1]);

  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  char buffer[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
    if (n <= 0) break;  // EOF: the child (and any grandchildren) closed the pipe
    result.output.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  if (result.timed_out || !wait_until(pid, deadline, &status)) {
    result.timed_out = true;
    status = terminate(pid, std::chrono::milliseconds(0));
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

// ---- NotaryCli -------------------------------------------------------------------------------

NotaryCli::NotaryCli(const NotaryServer& server, std::filesystem::path trust_dir)
    : url_(server.url()),
      ca_file_(server.ca_file()),
      trust_dir_(trust_dir.empty() ? home_.path() / "trust" : std::move(trust_dir)) {}

void NotaryCli::set_credentials(const std::string& user, const std::string& password) {
  auth_ = user.empty() ? "" : tuf::crypto::base64_encode(user + ":" + password);
}

CommandResult NotaryCli::run(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {kNotaryClientBinary, "-s", url_, "-d", trust_dir_.string()};
  if (!ca_file_.empty()) {
    argv.push_back("--tlscacert");
    argv.push_back(ca_file_.string());
  }
  argv.insert(argv.end(), args.begin(), args.end());
  EnvChanges env = {{"HOME", home_.path().string()},
                    {"NOTARY_ROOT_PASSPHRASE", "root-pass"},
                    {"NOTARY_TARGETS_PASSPHRASE", "targets-pass"},
                    {"NOTARY_SNAPSHOT_PASSPHRASE", "snapshot-pass"},
                    {"NOTARY_DELEGATION_PASSPHRASE", "delegation-pass"}};
  if (!auth_.empty()) env.emplace_back("NOTARY_AUTH", auth_);
  return run_command(argv, env);
}

}  // namespace testing
