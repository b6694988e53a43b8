// multipart/form-data builder (notary/multipart.h).
#include "notary/multipart.h"

#include <openssl/rand.h>

#include <array>
#include <cctype>
#include <random>

#include "http/tls_context.h"

namespace notary {
namespace {

// RFC 2046 section 5.1.1 bchars; space is allowed except as the last character.
bool valid_boundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ') return false;
  for (const char ch : boundary) {
    const auto c = static_cast<unsigned char>(ch);
    if (!std::isalnum(c) && std::string_view("'()+_,-./:=? ").find(ch) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Go's mime/multipart escapeQuotes: backslash and double quote get a backslash.
std::string escape_quotes(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c;
  }
  return out;
}

// The boundary parameter is quoted when it holds tspecials, as Go's FormDataContentType does.
std::string content_type_for(std::string_view boundary) {
  const bool needs_quotes = boundary.find_first_of("()<>@,;:\\\"/[]?= ") != std::string_view::npos;
  const std::string value =
      needs_quotes ? "\"" + std::string(boundary) + "\"" : std::string(boundary);
  return "multipart/form-data; boundary=" + value;
}

}  // namespace

std::string random_multipart_boundary() {
  std::array<unsigned char, 30> bytes{};
  http::init_openssl();  // a plain-http publish's first OpenSSL call
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    std::random_device device;
    for (auto& b : bytes) b = static_cast<unsigned char>(device());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

tuf::Result<MultipartBody> build_multipart_form_with_boundary(
    const std::vector<MultipartFile>& files, std::string_view boundary,
    std::string_view field_name) {
  if (!valid_boundary(boundary)) {
    return tuf::make_error(tuf::ErrorKind::kInternal, "",
                           "invalid multipart boundary \"" + std::string(boundary) + "\"");
  }
  const std::string delimiter = "--" + std::string(boundary);
  MultipartBody out;
  out.content_type = content_type_for(boundary);
  for (const auto& file : files) {
    if (file.content.find(delimiter) != std::string::npos) {
      return tuf::make_error(tuf::ErrorKind::kInternal, file.filename,
                             "multipart boundary occurs inside the part");
    }
    out.body += out.body.empty() ? delimiter + "\r\n" : "\r\n" + delimiter + "\r\n";
    out.body += "Content-Disposition: form-data; name=\"" + escape_quotes(field_name) +
                "\"; filename=\"" + escape_quotes(file.filename) + "\"\r\n";
    out.body += "Content-Type: application/octet-stream\r\n\r\n";
    out.body += file.content;
  }
  out.body += "\r\n" + delimiter + "--\r\n";
  return out;
}

MultipartBody build_multipart_form(const std::vector<MultipartFile>& files) {
  while (true) {
    auto body = build_multipart_form_with_boundary(files, random_multipart_boundary());
    // A 240-bit random boundary only collides with content by construction of an attacker who
    // saw it; retrying with a fresh one terminates.
    if (body.ok()) return std::move(body).value();
  }
}

}  // namespace notary
