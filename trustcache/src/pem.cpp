#include "trustcache/pem.h"

#include "tuf/crypto.h"

namespace trustcache {
namespace {

constexpr std::string_view kBegin = "-----BEGIN ";
constexpr std::string_view kEnd = "-----END ";
constexpr std::string_view kDashes = "-----";
constexpr size_t kLineLength = 64;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Splits off the first line (without its LF) from `rest`.
std::string_view take_line(std::string_view& rest) {
  const size_t lf = rest.find('\n');
  std::string_view line = rest.substr(0, lf);
  rest = lf == std::string_view::npos ? std::string_view() : rest.substr(lf + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

tuf::Error malformed(std::string detail) {
  return tuf::make_error(tuf::ErrorKind::kMalformed, "", std::move(detail));
}

// Parses one block whose BEGIN line has been consumed; `rest` starts after it.
tuf::Result<PemBlock> parse_block(std::string type, std::string_view& rest) {
  PemBlock block;
  block.type = std::move(type);
  // Headers: leading "name: value" lines (Go's pem.Decode), then the base64 body.
  std::string body;
  bool in_headers = true;
  while (true) {
    if (rest.empty()) return malformed("pem block " + block.type + " has no END line");
    std::string_view line = take_line(rest);
    if (line.starts_with(kEnd)) {
      if (line != std::string(kEnd) + block.type + std::string(kDashes)) {
        return malformed("pem block " + block.type + " ends with a different type");
      }
      break;
    }
    const size_t colon = line.find(':');
    if (in_headers && colon != std::string_view::npos) {
      block.headers[std::string(trim(line.substr(0, colon)))] =
          std::string(trim(line.substr(colon + 1)));
      continue;
    }
    in_headers = false;
    for (char c : line) {
      if (c != ' ' && c != '\t' && c != '\r') body += c;
    }
  }
  auto bytes = tuf::crypto::base64_decode(body);
  if (!bytes.ok()) return malformed("pem block " + block.type + " has a body that is not base64");
  block.bytes = std::move(bytes).value();
  return block;
}

void append_header(std::string& out, const std::string& name, const std::string& value) {
  out += name;
  out += ": ";
  out += value;
  out += '\n';
}

}  // namespace

std::string PemBlock::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

tuf::Result<std::vector<PemBlock>> parse_pem(std::string_view text) {
  std::vector<PemBlock> blocks;
  std::string_view rest = text;
  while (!rest.empty()) {
    std::string_view line = trim(take_line(rest));
    if (!line.starts_with(kBegin) || !line.ends_with(kDashes) ||
        line.size() < kBegin.size() + kDashes.size()) {
      continue;
    }
    std::string type(line.substr(kBegin.size(), line.size() - kBegin.size() - kDashes.size()));
    DTRUST_ASSIGN_OR_RETURN(PemBlock block, parse_block(std::move(type), rest));
    blocks.push_back(std::move(block));
  }
  if (blocks.empty()) return malformed("no pem block found");
  return blocks;
}

std::string encode_pem(const PemBlock& block) {
  std::string out = std::string(kBegin) + block.type + std::string(kDashes) + "\n";
  if (auto it = block.headers.find("Proc-Type"); it != block.headers.end()) {
    append_header(out, it->first, it->second);
  }
  for (const auto& [name, value] : block.headers) {
    if (name != "Proc-Type") append_header(out, name, value);
  }
  if (!block.headers.empty()) out += '\n';
  const std::string body = tuf::crypto::base64_encode(block.bytes);
  for (size_t i = 0; i < body.size(); i += kLineLength) {
    out += body.substr(i, kLineLength);
    out += '\n';
  }
  out += std::string(kEnd) + block.type + std::string(kDashes) + "\n";
  return out;
}

}  // namespace trustcache
