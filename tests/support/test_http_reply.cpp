// TestRequest and TestReply (test_http_server.h), and how a TestReply is written out as
// HTTP/1.1 bytes (test_http_internal.h, used by the server in test_http_server.cpp).
#include "test_http_server.h"

#include <algorithm>
#include <boost/beast/http/status.hpp>
#include <cctype>
#include <sstream>
#include <utility>

#include "test_http_internal.h"

namespace testing {
namespace bhttp = boost::beast::http;

namespace internal {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string response_head(const TestReply& reply, std::size_t content_length) {
  const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(reply.status));
  std::string head =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + std::string(reason) + "\r\n";
  for (const auto& [name, value] : reply.headers) head += name + ": " + value + "\r\n";
  if (reply.chunked) {
    head += "Transfer-Encoding: chunked\r\n";
  } else if (reply.header_value("Content-Length").empty()) {
    head += "Content-Length: " + std::to_string(content_length) + "\r\n";
  }
  if (reply.close) head += "Connection: close\r\n";
  return head + "\r\n";
}

std::string chunked_body(const std::string& body) {
  std::string out;
  constexpr std::size_t kChunk = 1000;
  for (std::size_t pos = 0; pos < body.size(); pos += kChunk) {
    const std::string piece = body.substr(pos, kChunk);
    std::ostringstream size;
    size << std::hex << piece.size();
    out += size.str() + "\r\n" + piece + "\r\n";
  }
  return out + "0\r\n\r\n";
}

}  // namespace internal

namespace {

using internal::iequals;

std::string find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

}  // namespace

std::string TestRequest::header(std::string_view name) const { return find_header(headers, name); }

TestReply TestReply::ok(std::string body) { return with_status(200, std::move(body)); }

TestReply TestReply::with_status(int status, std::string body) {
  TestReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

TestReply TestReply::stall() {
  TestReply reply;
  reply.fault = Fault::kStall;
  return reply;
}

TestReply TestReply::reset() {
  TestReply reply;
  reply.fault = Fault::kReset;
  return reply;
}

TestReply TestReply::truncated(std::string body, std::size_t sent_bytes) {
  TestReply reply = ok(std::move(body));
  reply.fault = Fault::kTruncate;
  reply.truncate_at = sent_bytes;
  return reply;
}

TestReply TestReply::garbage_bytes(std::string bytes) {
  TestReply reply;
  reply.fault = Fault::kGarbage;
  reply.garbage = std::move(bytes);
  return reply;
}

TestReply TestReply::tunnel(std::uint16_t port) {
  TestReply reply;
  reply.fault = Fault::kTunnel;
  reply.tunnel_port = port;
  return reply;
}

TestReply& TestReply::header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string TestReply::header_value(std::string_view name) const {
  return find_header(headers, name);
}

}  // namespace testing
