// Spec test-peers-recipes.md §2.1-2.4 (config, readiness, blob and manifest uploads).
#include "registry_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "notary/auth.h"
#include "notary/http_client.h"
#include "notary/registry.h"
#include "test_http_server.h"
#include "tuf/crypto.h"

extern char** environ;

namespace testing {
namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

// posix_spawn of argv with stdin /dev/null and stdout+stderr appended to `log` (or to
// `out_fd`). The environment is inherited.
pid_t spawn_logged(std::vector<std::string> argv, const fs::path& log, int out_fd = -1) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::vector<char*> c_argv;
  for (auto& a : argv) c_argv.push_back(a.data());
  c_argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  return pid;
}

// `htpasswd -nbB user password` (bcrypt: the registry silently refuses apr1, §2.1).
std::string htpasswd_line(const std::string& user, const std::string& password,
                          const fs::path& scratch) {
  const fs::path out = scratch / "htpasswd.out";
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const pid_t pid =
      spawn_logged({kHtpasswdBinary, "-nbB", user, password}, scratch / "htpasswd.log", fd);
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  std::string line = read_file(out);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || line.empty()) {
    throw std::runtime_error("htpasswd failed for " + user);
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line + "\n";
}

std::string sha256_hex(const std::string& bytes) {
  return tuf::crypto::to_hex(tuf::crypto::sha256(bytes));
}

}  // namespace

bool RegistryServer::available(bool need_htpasswd) {
  return ::access(kRegistryBinary, X_OK) == 0 &&
         (!need_htpasswd || ::access(kHtpasswdBinary, X_OK) == 0);
}

RegistryServer::RegistryServer(RegistryServerOptions options) : options_(std::move(options)) {
  const TestPki& pki = shared_test_pki();
  log_file_ = dir_.path() / "registry.log";
  std::ostringstream config;
  config << "version: 0.1\n"
         << "log:\n  level: info\n  formatter: json\n  accesslog:\n    disabled: true\n"
         << "storage:\n  inmemory: {}\n"
         << "http:\n  addr: 127.0.0.1:0\n  secret: test-only-not-secret\n";
  if (options_.tls) {
    config << "  tls:\n    certificate: " << fs::absolute(pki.server_cert).string()
           << "\n    key: " << fs::absolute(pki.server_key).string() << "\n";
  }
  if (!options_.users.empty()) {
    std::string entries;
    for (const auto& [user, password] : options_.users) {
      entries += htpasswd_line(user, password, dir_.path());
    }
    write_file(dir_.path() / "htpasswd", entries);
    config << "auth:\n  htpasswd:\n    realm: test-registry\n    path: "
           << (dir_.path() / "htpasswd").string() << "\n";
  } else if (!options_.token_realm.empty()) {
    config << "auth:\n  token:\n    realm: " << options_.token_realm
           << "\n    service: " << options_.token_service
           << "\n    issuer: " << options_.token_issuer
           << "\n    rootcertbundle: " << fs::absolute(options_.token_root_bundle).string() << "\n";
  }
  write_file(dir_.path() / "config.yml", config.str());
  pid_ = spawn_logged({kRegistryBinary, "serve", (dir_.path() / "config.yml").string()}, log_file_);

  // §0.3: with port 0 the log names the real port ("listening on 127.0.0.1:<P>").
  static const std::regex kListening(R"(listening on 127\.0\.0\.1:([0-9]+))");
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (port_ == 0 && Clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("docker-registry exited during start-up\n" + log_text());
    }
    std::smatch m;
    const std::string log = log_text();
    if (std::regex_search(log, m, kListening)) port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  notary::HttpOptions http;
  http.use_proxy_env = false;
  http.tls.use_system_cas = false;
  http.tls.ca_files = {ca_file()};
  http.request_timeout = std::chrono::milliseconds(1000);
  notary::HttpClient client(http);
  notary::HttpRequest ping;
  ping.url = url() + "/v2/";
  while (port_ != 0 && Clock::now() < deadline) {
    auto response = client.send(ping);
    if (response.ok() && (response->status == 200 || response->status == 401)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop();
  throw std::runtime_error("docker-registry not ready after 5 s\n" + log_text());
}

RegistryServer::~RegistryServer() { stop(); }

void RegistryServer::stop() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  while (::waitpid(pid_, &status, WNOHANG) != pid_) {
    if (Clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pid_ = -1;
}

fs::path RegistryServer::ca_file() const { return fs::absolute(shared_test_pki().ca_cert); }

std::string RegistryServer::log_text() const {
  std::ifstream in(log_file_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

// Requests to one repository of the registry with its auth: a 401 teaches the challenge (Basic,
// or a Bearer token for `repository:<repository>:pull,push`) and the request is repeated.
class Uploader {
 public:
  Uploader(const RegistryServer& registry, const std::string& repository, const std::string& user,
           const std::string& password)
      : registry_(registry),
        client_(options(registry)),
        auth_(client_, registry.url(), {user, password, ""}),
        scope_("repository:" + repository + ":pull,push") {}

  notary::HttpResponse send(notary::HttpRequest request, int expected) {
    auto response = client_.send(request);
    if (response.ok() && response->status == 401 && auth_.learn_challenge(*response)) {
      auto headers = auth_.headers_for(scope_);
      if (headers.ok()) {
        request.headers.insert(request.headers.end(), headers->begin(), headers->end());
        response = client_.send(request);
      }
    }
    if (!response.ok() || response->status != expected) {
      throw std::runtime_error(request.method + " " + request.url + " failed: " +
                               (response.ok()
                                    ? std::to_string(response->status) + " " + response->body
                                    : response.error().message()) +
                               "\n" + registry_.log_text());
    }
    return *response;
  }

 private:
  static notary::HttpOptions options(const RegistryServer& registry) {
    notary::HttpOptions http;
    http.use_proxy_env = false;
    http.tls.use_system_cas = false;
    http.tls.ca_files = {registry.ca_file()};
    return http;
  }

  const RegistryServer& registry_;
  notary::HttpClient client_;
  notary::Authorizer auth_;
  std::string scope_;
};

}  // namespace

PushedImage RegistryServer::push_image(const std::string& repository, const std::string& tag,
                                       const std::string& variant, const std::string& user,
                                       const std::string& password) {
  Uploader up(*this, repository, user, password);
  // §2.3: POST an upload, PUT the bytes to its Location (which already has a query).
  auto put_blob = [&](const std::string& bytes) {
    notary::HttpRequest start;
    start.method = "POST";
    start.url = url() + "/v2/" + repository + "/blobs/uploads/";
    const auto started = up.send(start, 202);
    const std::string location = started.header("Location").value_or("");
    notary::HttpRequest put;
    put.method = "PUT";
    put.url = location + (location.find('?') == std::string::npos ? "?" : "&") +
              "digest=sha256:" + sha256_hex(bytes);
    put.headers.emplace_back("Content-Type", "application/octet-stream");
    put.body = bytes;
    up.send(put, 201);
    return sha256_hex(bytes);
  };
  // The layer is opaque to the registry; unique bytes per tag give each tag its own digest.
  const std::string layer =
      "dtrust test layer for " + repository + ":" + tag + " " + variant + "\n";
  const std::string config = R"({"architecture":"amd64","os":"linux","config":{},)"
                             R"("rootfs":{"type":"layers","diff_ids":["sha256:)" +
                             sha256_hex(layer) + R"("]}})";
  const std::string config_digest = put_blob(config);
  const std::string layer_digest = put_blob(layer);
  const std::string manifest =
      R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
      R"("config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":)" +
      std::to_string(config.size()) + R"(,"digest":"sha256:)" + config_digest +
      R"("},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":)" +
      std::to_string(layer.size()) + R"(,"digest":"sha256:)" + layer_digest + R"("}]})";
  return put_manifest(repository, tag, "application/vnd.docker.distribution.manifest.v2+json",
                      manifest, user, password);
}

PushedImage RegistryServer::put_manifest(const std::string& repository, const std::string& tag,
                                         const std::string& media_type, const std::string& manifest,
                                         const std::string& user, const std::string& password) {
  Uploader up(*this, repository, user, password);
  PushedImage image{manifest, media_type, sha256_hex(manifest),
                    static_cast<std::int64_t>(manifest.size())};
  notary::HttpRequest put;
  put.method = "PUT";
  put.url = url() + "/v2/" + repository + "/manifests/" + tag;
  put.headers.emplace_back("Content-Type", media_type);
  put.body = manifest;
  const auto stored = up.send(put, 201);
  if (stored.header("Docker-Content-Digest").value_or("") != "sha256:" + image.sha256_hex) {
    throw std::runtime_error("registry stored the manifest under another digest\n" + log_text());
  }
  return image;
}

}  // namespace testing
