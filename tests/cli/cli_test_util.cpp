#include "cli_test_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

#include "app.h"
#include "test_support.h"

namespace clitest {

namespace fs = std::filesystem;

RunResult run_dtrust(const std::vector<std::string>& args, tuf::Time now) {
  std::ostringstream out;
  std::ostringstream err;
  std::istringstream in;
  cli::Io io{out,
             err,
             in,
             false,
             [](const std::string&) { return std::optional<std::string>(); },
             [now] { return now; }};
  RunResult result;
  result.exit_code = cli::run(args, io);
  result.out = out.str();
  result.err = err.str();
  return result;
}

RunResult run_dtrust(const std::vector<std::string>& args, const DtrustSession& session) {
  std::ostringstream out;
  std::ostringstream err;
  std::istringstream in(session.input);
  const auto env = session.env;
  cli::Io io{out,
             err,
             in,
             session.tty,
             [env](const std::string& name) -> std::optional<std::string> {
               auto it = env.find(name);
               if (it == env.end()) return std::nullopt;
               return it->second;
             },
             [] { return wall_clock(); }};
  RunResult result;
  result.exit_code = cli::run(args, io);
  result.out = out.str();
  result.err = err.str();
  return result;
}

std::map<std::string, std::string> tree_with_modes(const fs::path& dir) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    struct stat st {};
    ::stat(e.path().c_str(), &st);
    files[e.path().lexically_relative(dir).string()] =
        std::to_string(st.st_mode & 07777) + ":" +
        (e.is_regular_file() ? testing::read_file(e.path()) : std::string("<dir>"));
  }
  return files;
}

RunResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  testing::TempDir capture;
  const fs::path out_path = capture.path() / "stdout";
  const fs::path err_path = capture.path() / "stderr";
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null_fd = open("/dev/null", O_RDONLY);
    if (out_fd < 0 || err_fd < 0 || null_fd < 0) _exit(127);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = testing::read_file(out_path);
  result.err = testing::read_file(err_path);
  return result;
}

bool have_notary() { return fs::exists(kNotaryBinary); }

RunResult run_notary(const fs::path& trust_dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {kNotaryBinary, "-s", "http://127.0.0.1:1", "-d",
                                   trust_dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

std::string docker_binary() {
  for (const char* path : {"/usr/local/bin/docker", "/usr/bin/docker"}) {
    if (fs::exists(path)) return path;
  }
  return "";
}

RunResult run_docker_inspect(const fs::path& config_dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {docker_binary(), "trust", "inspect"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {"DOCKER_CONFIG=" + config_dir.string(),
                            "DOCKER_CONTENT_TRUST_SERVER=https://127.0.0.1:1"});
}

fs::path fixture(const std::string& set) { return testing::fixtures_dir() / set; }

nlohmann::json manifest(const std::string& set) {
  return nlohmann::json::parse(testing::read_file(fixture(set) / "MANIFEST.json"));
}

std::string fixture_gun(const std::string& set) {
  return manifest(set).at("gun").get<std::string>();
}

std::string fixture_time(const std::string& set) {
  return manifest(set).at("generated_at").get<std::string>();
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

void write_trust_dir(const testing::TestRepo& repo, const fs::path& dir) {
  const fs::path metadata = dir / "tuf" / repo.gun / "metadata";
  for (const auto& [role, bytes] : repo.files) {
    testing::write_file(metadata / (role + ".json"), bytes);
  }
}

tuf::Time wall_clock() {
  const auto since = std::chrono::system_clock::now().time_since_epoch();
  return tuf::Time::from_unix(std::chrono::duration_cast<std::chrono::seconds>(since).count());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// docker's stderr without its logrus lines (time="…" level=… msg="…").
std::string without_log_lines(const std::string& err) {
  std::string out;
  for (const std::string& line : lines_of(err)) {
    if (!line.starts_with("time=\"")) out += line + "\n";
  }
  return out;
}

}  // namespace clitest
