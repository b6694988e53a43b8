// dtrust's entry point: dispatches a command line to a command and returns the exit status.
// main.cpp only builds the real Io and calls run(); tests call run() in-process.
#ifndef DTRUST_CLI_APP_H_
#define DTRUST_CLI_APP_H_

#include <string>
#include <vector>

#include "command.h"
#include "io.h"

namespace cli {

// Every command, in the order `dtrust --help` lists them.
const std::vector<Command>& commands();

// Runs `dtrust <args...>` (args without the program name). Output goes to io.out, errors and
// warnings to io.err. Returns 0 on success, 1 on failure, 125 for bad flags. Never throws.
int run(const std::vector<std::string>& args, Io& io);
int run(int argc, const char* const* argv, Io& io);

}  // namespace cli

#endif  // DTRUST_CLI_APP_H_
