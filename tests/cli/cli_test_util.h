// Helpers for the cli tests: run dtrust in-process or as a process, run the real Go notary
// client on the same data, and lay out trust data on disk.
#ifndef DTRUST_TESTS_CLI_CLI_TEST_UTIL_H_
#define DTRUST_TESTS_CLI_CLI_TEST_UTIL_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_repo.h"
#include "tuf/time.h"

namespace clitest {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `dtrust <args>` in-process with the clock fixed at `now`, empty stdin and no
// environment.
RunResult run_dtrust(const std::vector<std::string>& args, tuf::Time now);

// What an in-process run sees besides its arguments: the environment, stdin and whether stdin
// is a terminal. The clock is the wall clock.
struct DtrustSession {
  std::map<std::string, std::string> env;
  std::string input;
  bool tty = false;
};
RunResult run_dtrust(const std::vector<std::string>& args, const DtrustSession& session);

// Every file and folder below `dir` with its mode and (for files) bytes: equal trees mean
// nothing on disk changed, permissions included. A missing `dir` is empty.
std::map<std::string, std::string> tree_with_modes(const std::filesystem::path& dir);

// Runs a program (argv[0] is a path) with stdout and stderr captured separately, and with
// `env` ("NAME=value") added to the environment.
RunResult run_process(const std::vector<std::string>& argv,
                      const std::vector<std::string>& env = {});

// The lines of `text`, without their "\n".
std::vector<std::string> lines_of(const std::string& text);
// docker's stderr without its logrus lines (time="…" level=… msg="…").
std::string without_log_lines(const std::string& err);

// The Go notary client, when installed.
inline constexpr const char* kNotaryBinary = "/usr/bin/notary";
bool have_notary();
// `notary -s http://127.0.0.1:1 -d <trust_dir> <args>`: the server is unreachable, so notary
// answers from the cache in trust_dir (which it may write to).
RunResult run_notary(const std::filesystem::path& trust_dir, const std::vector<std::string>& args);

// The docker CLI, when installed (/usr/local/bin/docker or /usr/bin/docker); "" otherwise.
std::string docker_binary();
// `docker trust inspect <args>` with DOCKER_CONFIG=<config_dir>: docker reads its trust cache
// in <config_dir>/trust; its notary server (https://127.0.0.1:1) is unreachable, so it answers
// from the cache.
RunResult run_docker_inspect(const std::filesystem::path& config_dir,
                             const std::vector<std::string>& args);

// fixtures/<set>, its MANIFEST.json, and its generated_at as a reference time.
std::filesystem::path fixture(const std::string& set);
nlohmann::json manifest(const std::string& set);
std::string fixture_gun(const std::string& set);
std::string fixture_time(const std::string& set);

// Copies a directory tree (a fixture's trust dir) to `to`.
void copy_tree(const std::filesystem::path& from, const std::filesystem::path& to);
// Writes a repository's current files as a trust dir: <dir>/tuf/<gun>/metadata/<role>.json.
void write_trust_dir(const testing::TestRepo& repo, const std::filesystem::path& dir);

// The wall clock (only for data made now and checked by the real notary, which has no
// reference-time option).
tuf::Time wall_clock();

}  // namespace clitest

#endif  // DTRUST_TESTS_CLI_CLI_TEST_UTIL_H_
