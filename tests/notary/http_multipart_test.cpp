// multipart/form-data bodies for publishing (protocol spec 1.4).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>

#include "notary/multipart.h"

using notary::MultipartFile;

TEST_CASE("multipart: body bytes match Go's mime/multipart writer", "[http][multipart]") {
  const std::vector<MultipartFile> files = {{"targets", "{\"signed\":1}"},
                                            {"targets/releases", "{\"signed\":2}"}};
  auto body = notary::build_multipart_form_with_boundary(files, "b0undary");
  REQUIRE(body.ok());
  CHECK(body->content_type == "multipart/form-data; boundary=b0undary");
  CHECK(body->body ==
        "--b0undary\r\n"
        "Content-Disposition: form-data; name=\"files\"; filename=\"targets\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "{\"signed\":1}\r\n"
        "--b0undary\r\n"
        "Content-Disposition: form-data; name=\"files\"; filename=\"targets/releases\"\r\n"
        "Content-Type: application/octet-stream\r\n"
        "\r\n"
        "{\"signed\":2}\r\n"
        "--b0undary--\r\n");
}

TEST_CASE("multipart: part content is carried byte for byte", "[http][multipart]") {
  const std::string binary("a\r\n\0b\r\n--x\xff", 11);
  auto body = notary::build_multipart_form_with_boundary({{"root", binary}}, "zz");
  REQUIRE(body.ok());
  const std::string head =
      "--zz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"root\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n";
  REQUIRE(body->body.size() == head.size() + binary.size() + std::string("\r\n--zz--\r\n").size());
  CHECK(body->body.substr(head.size(), binary.size()) == binary);
}

TEST_CASE("multipart: quotes in names are escaped and odd boundaries quoted", "[http][multipart]") {
  auto body =
      notary::build_multipart_form_with_boundary({{"a\"b\\c", "x"}}, "with space", "fi\"le");
  REQUIRE(body.ok());
  CHECK(body->content_type == "multipart/form-data; boundary=\"with space\"");
  CHECK(body->body.find("name=\"fi\\\"le\"; filename=\"a\\\"b\\\\c\"") != std::string::npos);
}

TEST_CASE("multipart: an empty form is just the close delimiter", "[http][multipart]") {
  CHECK(notary::build_multipart_form_with_boundary({}, "b")->body == "\r\n--b--\r\n");
}

TEST_CASE("multipart: invalid or colliding boundaries are refused", "[http][multipart]") {
  CHECK_FALSE(notary::build_multipart_form_with_boundary({}, "").ok());
  CHECK_FALSE(notary::build_multipart_form_with_boundary({}, std::string(71, 'a')).ok());
  CHECK_FALSE(notary::build_multipart_form_with_boundary({}, "trailing ").ok());
  CHECK_FALSE(notary::build_multipart_form_with_boundary({}, "semi;colon").ok());
  auto collide = notary::build_multipart_form_with_boundary({{"root", "xx--abc\r\n"}}, "abc");
  REQUIRE_FALSE(collide.ok());
  CHECK(collide.error().kind == tuf::ErrorKind::kInternal);
}

TEST_CASE("multipart: random boundaries are 60 hex characters and fresh", "[http][multipart]") {
  const std::string a = notary::random_multipart_boundary();
  const std::string b = notary::random_multipart_boundary();
  CHECK(a.size() == 60);
  CHECK(
      std::all_of(a.begin(), a.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
  CHECK(a != b);
  const auto body = notary::build_multipart_form({{"snapshot", "{}"}});
  const std::string boundary = body.content_type.substr(body.content_type.find('=') + 1);
  CHECK(boundary.size() == 60);
  CHECK(body.body.starts_with("--" + boundary + "\r\n"));
  CHECK(body.body.ends_with("\r\n--" + boundary + "--\r\n"));
}
