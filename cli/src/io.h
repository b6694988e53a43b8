// The process environment a command runs in, injected so tests can run commands in-process and
// compare exact bytes. main.cpp builds the real one; cli/ is the one place that reads the clock,
// and it does so only through Io::now.
#ifndef DTRUST_CLI_IO_H_
#define DTRUST_CLI_IO_H_

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "tuf/time.h"

namespace cli {

struct Io {
  std::ostream& out;  // command output (tables, JSON, prompts)
  std::ostream& err;  // errors and warnings, one line each
  std::istream& in;   // answers to prompts and piped passphrases
  bool stdin_is_tty = false;
  // Environment lookup; nullopt when the variable is unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  // The current time (the default reference time for verification).
  std::function<tuf::Time()> now;
};

}  // namespace cli

#endif  // DTRUST_CLI_IO_H_
