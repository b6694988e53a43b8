#include <catch2/catch.hpp>

#include "cli_test_util.h"
#include "root_key.h"
#include "test_support.h"
#include "tuf/crypto.h"
#include "tuf/metadata.h"

namespace {

// The root certificate (PEM) of a fixture set, as its root.json carries it.
std::string root_certificate_pem(const std::string& set) {
  const auto m = clitest::manifest(set);
  const std::string bytes = testing::read_file(
      clitest::fixture(set) / m.at("metadata_dir").get<std::string>() / "root.json");
  auto root = tuf::parse_root(bytes);
  REQUIRE(root.ok());
  return root->signed_.keys.at(m.at("root_key_id").get<std::string>()).public_bytes;
}

}  // namespace

TEST_CASE("root key: a 64-hex value is a key ID, lower-cased", "[root-key]") {
  const std::string id = "C15164663F80D58BF3D8D5A0CD08B8086CBA02065FEB00421FC2A5436C563210";
  auto ids = cli::root_key_ids(id);
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{
                    "c15164663f80d58bf3d8d5a0cd08b8086cba02065feb00421fc2a5436c563210"});
}

TEST_CASE("root key: the Docker Official Images public key gives its published ID",
          "[root-key][realdata]") {
  const auto pem =
      testing::realdata_dir() / "dockerhub-official-root-keys" / "doi-root-pubkey-c1516466.pem";
  if (!std::filesystem::exists(pem)) {
    WARN("realdata absent: " << pem);
    return;
  }
  auto ids = cli::root_key_ids(pem.string());
  REQUIRE(ids.ok());
  CHECK(*ids == std::vector<std::string>{
                    "c15164663f80d58bf3d8d5a0cd08b8086cba02065feb00421fc2a5436c563210"});
}

TEST_CASE("root key: a certificate gives its TUF ID and its key's canonical ID", "[root-key]") {
  for (const char* set : {"plain", "rsa-root"}) {
    INFO(set);
    const auto m = clitest::manifest(set);
    testing::TempDir dir;
    testing::write_file(dir.path() / "root.crt", root_certificate_pem(set));
    auto ids = cli::root_key_ids((dir.path() / "root.crt").string());
    REQUIRE(ids.ok());
    CHECK(*ids == std::vector<std::string>{m.at("root_key_id").get<std::string>(),
                                           m.at("root_canonical_key_id").get<std::string>()});
  }
}

TEST_CASE("root key: a PUBLIC KEY block gives the canonical ID", "[root-key]") {
  const auto m = clitest::manifest("plain");
  auto certs = tuf::crypto::parse_certificate_pem(root_certificate_pem("plain"));
  REQUIRE(certs.ok());
  const std::string pem = tuf::crypto::pem_encode("PUBLIC KEY", certs->front().spki_der);
  // CRLF line ends and RFC 1421 headers are tolerated.
  std::string crlf;
  for (char c : "Comment: exported\n" + pem) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  for (const std::string& text : {pem, crlf}) {
    auto ids = cli::root_key_ids_from_pem(text);
    REQUIRE(ids.ok());
    CHECK(*ids == std::vector<std::string>{m.at("root_canonical_key_id").get<std::string>()});
  }
}

TEST_CASE("root key: unusable values fail with a message naming them", "[root-key]") {
  auto missing = cli::root_key_ids("/nonexistent/root.pem");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == tuf::ErrorKind::kIo);
  CHECK(missing.error().message() ==
        "--root-key /nonexistent/root.pem: not a 64-hex key ID and not a readable file");

  auto short_id = cli::root_key_ids("c1516466");
  REQUIRE_FALSE(short_id.ok());  // a short ID is not accepted (and is not a file)

  auto private_only = cli::root_key_ids_from_pem(
      "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
  REQUIRE_FALSE(private_only.ok());
  CHECK(private_only.error().detail == "no PUBLIC KEY or CERTIFICATE block");

  auto bad_base64 =
      cli::root_key_ids_from_pem("-----BEGIN PUBLIC KEY-----\n@@@@\n-----END PUBLIC KEY-----\n");
  REQUIRE_FALSE(bad_base64.ok());
  CHECK(bad_base64.error().kind == tuf::ErrorKind::kMalformed);

  auto unterminated = cli::root_key_ids_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n");
  REQUIRE_FALSE(unterminated.ok());
  CHECK(unterminated.error().detail == "unterminated PUBLIC KEY block");

  const auto ed = tuf::crypto::PrivateKey::generate_ed25519();
  auto ed_ids =
      cli::root_key_ids_from_pem(tuf::crypto::pem_encode("PUBLIC KEY", ed.public_spki_der()));
  REQUIRE_FALSE(ed_ids.ok());
  CHECK(ed_ids.error().detail.find("ed25519") != std::string::npos);
}
