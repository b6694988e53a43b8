// dtrust: entry point. All behaviour lives in cli/src/*.cpp; this file only builds the real
// process environment and hands it to cli::run.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "app.h"

namespace {

tuf::Time system_now() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  const auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  return tuf::Time{seconds.count(), static_cast<int32_t>(nanos.count())};
}

std::optional<std::string> environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

}  // namespace

int main(int argc, char** argv) {
  cli::Io io{std::cout, std::cerr, std::cin, isatty(STDIN_FILENO) == 1, environment, system_now};
  const int status = cli::run(argc, argv, io);
  std::cout.flush();
  std::cerr.flush();
  return status;
}
