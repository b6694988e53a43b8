// Helpers for the crypto tests: PEM files with headers, key IDs, running the openssl CLI.
#ifndef DTRUST_TESTS_TUF_CRYPTO_TEST_UTIL_H_
#define DTRUST_TESTS_TUF_CRYPTO_TEST_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "test_support.h"
#include "tuf/crypto.h"

namespace crypto_test {

// One PEM block with its RFC 1421 headers ("Proc-Type", "DEK-Info", notary's "role"/"gun").
struct PemFile {
  std::string label;
  std::map<std::string, std::string> headers;
  std::string der;
};

// Parses the first PEM block of `text`; throws std::runtime_error when there is none.
inline PemFile parse_pem(std::string_view text) {
  const std::size_t begin = text.find("-----BEGIN ");
  if (begin == std::string_view::npos) throw std::runtime_error("no PEM block");
  std::istringstream lines{std::string(text.substr(begin))};
  std::string line;
  std::getline(lines, line);
  PemFile pem;
  pem.label = line.substr(11, line.rfind("-----") - 11);
  std::string body;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("-----END ", 0) == 0) break;
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos) {
      pem.headers[line.substr(0, colon)] = line.substr(colon + 2);
    } else {
      body += line;
    }
  }
  auto der = tuf::crypto::base64_decode(body);
  if (!der.ok()) throw std::runtime_error("bad PEM base64");
  pem.der = der.value();
  return pem;
}

inline PemFile read_pem(const std::filesystem::path& path) {
  return parse_pem(testing::read_file(path));
}

// Notary's key ID for a bare key (spec 5.1/5.2): SHA-256 of the canonical key object.
inline std::string key_id(std::string_view keytype, std::string_view public_bytes) {
  const std::string canonical = "{\"keytype\":\"" + std::string(keytype) +
                                "\",\"keyval\":{\"private\":null,\"public\":\"" +
                                tuf::crypto::base64_encode(public_bytes) + "\"}}";
  return tuf::crypto::to_hex(tuf::crypto::sha256(canonical));
}

// Runs a shell command; returns its exit status (0 = success). stdout goes to `out` if given.
inline int run(const std::string& command, std::string* out = nullptr) {
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string text;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  const int status = ::pclose(pipe);
  if (out != nullptr) *out = text;
  return status;
}

inline bool have_openssl() { return run("openssl version") == 0; }

// Path of a file for the shell, single-quoted.
inline std::string quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// The DER form of a raw r||s ECDSA signature (what notary must refuse).
inline std::string ecdsa_raw_to_der(std::string_view raw) {
  auto integer = [](std::string_view half) {
    std::size_t i = 0;
    while (i + 1 < half.size() && half[i] == 0) ++i;
    std::string v(half.substr(i));
    if (static_cast<unsigned char>(v[0]) & 0x80) v.insert(v.begin(), '\0');
    return std::string{0x02, static_cast<char>(v.size())} + v;
  };
  const std::string body =
      integer(raw.substr(0, raw.size() / 2)) + integer(raw.substr(raw.size() / 2));
  return std::string{0x30, static_cast<char>(body.size())} + body;
}

// Flips one bit of `bytes` at `index`.
inline std::string flip_bit(std::string bytes, std::size_t index = 0) {
  bytes[index % bytes.size()] ^= 0x01;
  return bytes;
}

}  // namespace crypto_test

// Catch2 v2 has no SKIP: warn and leave the test case.
#define CRYPTO_SKIP_UNLESS(condition, message) \
  do {                                         \
    if (!(condition)) {                        \
      WARN("skipped: " << message);            \
      return;                                  \
    }                                          \
  } while (false)

#endif  // DTRUST_TESTS_TUF_CRYPTO_TEST_UTIL_H_
