// Internal: what the test server (test_http_server.cpp) and its request and reply values
// (test_http_reply.cpp) share.
#ifndef DTRUST_TESTS_SUPPORT_TEST_HTTP_INTERNAL_H_
#define DTRUST_TESTS_SUPPORT_TEST_HTTP_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "test_http_server.h"

namespace testing::internal {

// ASCII case-insensitive equality, as HTTP header names compare.
bool iequals(std::string_view a, std::string_view b);

// The status line and headers of `reply` as HTTP/1.1 bytes, through the blank line: the
// reply's own headers, then "Transfer-Encoding: chunked" (reply.chunked) or a Content-Length
// of `content_length` (unless the reply sets one), then "Connection: close" (reply.close).
std::string response_head(const TestReply& reply, std::size_t content_length);

// `body` in the chunked transfer coding: 1000-byte chunks, then the last (empty) chunk.
std::string chunked_body(const std::string& body);

}  // namespace testing::internal

#endif  // DTRUST_TESTS_SUPPORT_TEST_HTTP_INTERNAL_H_
