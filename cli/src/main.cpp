// dtrust: entry point. All behaviour lives in cli/src/*.cpp; this file only builds the real
// process environment and hands it to cli::run.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string_view>

#include "app.h"
#include "tuf/crypto.h"

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

// Botan's locked memory pool keeps private keys out of swap. Its set-up maps, mlock()s and
// guards it page by page, and the exit unmaps it: with the default 512 KiB, it took about 4 ms
// of a 15 ms warm `lookup` when this was measured. Commands that only verify never hold a secret
// and turn it off; every other command keeps a 64 KiB pool, which holds the few keys a run
// decrypts (Botan falls back to the ordinary heap past it), and sets it up here, before any
// thread starts (see tuf::crypto::prepare_locked_memory: 1.2-1.4 ms of a publish's CPU
// otherwise); `dtrust`, `dtrust --help` and `dtrust help ...` leave it to Botan's first use, which
// they never reach.
// BOTAN_MLOCK_POOL_SIZE (KiB) is Botan's own documented switch; a value the user set is kept.
void set_up_locked_pool(int argc, char** argv) {
  const std::string_view command = argc < 2 ? std::string_view() : std::string_view(argv[1]);
  for (std::string_view verify_only : {"lookup", "list", "inspect", "resolve"}) {
    if (command == verify_only) {
      setenv("BOTAN_MLOCK_POOL_SIZE", "0", /*overwrite=*/0);
      return;
    }
  }
  setenv("BOTAN_MLOCK_POOL_SIZE", "64", /*overwrite=*/0);
  if (command.empty() || command.starts_with('-') || command == "help") return;
  tuf::crypto::prepare_locked_memory();
}

}  // namespace

int main(int argc, char** argv) {
  // No fastbins: parsing a megabyte targets file frees tens of thousands of small nodes, and
  // glibc then spends ~15% of a cold `inspect` consolidating them before larger allocations.
  mallopt(M_MXFAST, 0);
  set_up_locked_pool(argc, argv);
  cli::Io io{std::cout, std::cerr, std::cin, isatty(STDIN_FILENO) == 1, environment, system_now};
  const int status = cli::run(argc, argv, io);
  std::cout.flush();
  std::cerr.flush();
#ifndef __SANITIZE_ADDRESS__
  // By now cli::run has closed every file and trust cache it opened, joined every helper
  // thread and destroyed every key (secure memory is wiped when freed). What a normal exit would
  // add is only tear-down the kernel does anyway: unmapping Botan's locked pool page by page,
  // freeing OpenSSL's and Botan's global tables. Skipping it saved 1.1 ms of CPU and a median
  // 0.9-1.4 ms of a 16-17 ms publish (40 interleaved runs, twice). Sanitizer builds keep it,
  // so LeakSanitizer still runs.
  std::fflush(nullptr);
  std::_Exit(status);
#else
  return status;
#endif
}
