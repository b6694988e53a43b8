#include "passphrase_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <istream>
#include <ostream>

namespace cli {
namespace {

constexpr int kMaxPromptAttempts = 12;  // docker's count for new keys

constexpr std::string_view kRootWarning =
    "You are about to create a new root signing key passphrase. This passphrase\n"
    "will be used to protect the most sensitive key in your signing system. Please\n"
    "choose a long, complex passphrase and be careful to keep the password and the\n"
    "key file itself secure and backed up. It is highly recommended that you use a\n"
    "password manager to generate the passphrase and keep it safe. There will be no\n"
    "way to recover this key. You can find the key in your config directory.\n";

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

tuf::Error too_many() {
  return tuf::make_error(tuf::ErrorKind::kBadPassphrase, "",
                         "maximum number of passphrase attempts exceeded");
}

}  // namespace

std::string passphrase_alias(std::string_view role) {
  if (role == "root") return "root";
  if (role == "targets" || role == "snapshot" || role == "default") return "repository";
  return std::string(role);
}

PromptingPassphraseProvider::PromptingPassphraseProvider(Io& io, trustcache::PassphraseEnv env)
    : io_(io),
      env_(env),
      from_env_(env, [&io](std::string_view name) { return io.getenv(std::string(name)); }) {}

std::optional<std::string> PromptingPassphraseProvider::read_secret() {
  termios saved{};
  const bool echo_off = io_.stdin_is_tty && tcgetattr(STDIN_FILENO, &saved) == 0;
  if (echo_off) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(io_.in, line));
  if (echo_off) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
  io_.out << "\n";
  io_.out.flush();
  if (!got) return std::nullopt;
  return trim(line);
}

tuf::Result<std::string> PromptingPassphraseProvider::get(std::string_view key_id,
                                                          std::string_view role, bool create_new,
                                                          int attempt) {
  const std::string_view variable =
      trustcache::passphrase_variable(env_, role == "encrypted" ? "default" : role);
  const auto value = variable.empty() ? std::nullopt : io_.getenv(std::string(variable));
  if ((value && !value->empty()) || !io_.stdin_is_tty) {
    return from_env_.get(key_id, role == "encrypted" ? "default" : role, create_new, attempt);
  }
  const std::string alias = passphrase_alias(role);
  if (attempt == 0) {
    if (auto it = remembered_.find(alias); it != remembered_.end()) return it->second;
  } else {
    remembered_.erase(alias);
    io_.out << "Passphrase incorrect. Please retry.\n";
  }
  const std::string id7(key_id.substr(0, 7));
  if (role == "encrypted") {
    io_.out << "Enter passphrase for encrypted key: ";
    io_.out.flush();
    auto line = read_secret();
    if (!line) return too_many();
    return *line;
  }
  if (!create_new) {
    io_.out << "Enter passphrase for " << alias << " key with ID " << id7 << ": ";
    io_.out.flush();
    auto line = read_secret();
    if (!line) return too_many();
    remembered_[alias] = *line;
    return *line;
  }
  if (role == "root") io_.out << kRootWarning;
  for (int i = 0; i < kMaxPromptAttempts; ++i) {
    io_.out << "Enter passphrase for new " << alias << " key with ID " << id7 << ": ";
    io_.out.flush();
    auto first = read_secret();
    if (!first) return too_many();
    if (first->size() < 8) {
      io_.out << "Passphrase is too short. Please use a password manager to generate and store a "
                 "good random passphrase.\n";
      continue;
    }
    io_.out << "Repeat passphrase for new " << alias << " key with ID " << id7 << ": ";
    io_.out.flush();
    auto second = read_secret();
    if (!second) return too_many();
    if (*first != *second) {
      io_.out << "Passphrases do not match. Please retry.\n";
      continue;
    }
    remembered_[alias] = *first;
    return *first;
  }
  return too_many();
}

bool confirm(Io& io, const std::string& question) {
  io.out << question << " [y/N] ";
  io.out.flush();
  std::string line;
  if (!std::getline(io.in, line)) return false;
  line = trim(line);
  return line == "y" || line == "Y";
}

}  // namespace cli
