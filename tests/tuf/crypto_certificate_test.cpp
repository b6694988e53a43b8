// Certificates: notary's x509 root keys, PEM bundles, Go's PEM encoding, and the self-signed
// root certificate dtrust makes (spec 7.3), checked with the openssl CLI.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "crypto_test_util.h"
#include "test_support.h"
#include "tuf/crypto.h"

using namespace tuf::crypto;
namespace fs = std::filesystem;

namespace {

// The PEM text of the root key of a trust dir's root.json (an ecdsa-x509 key).
std::string root_certificate_pem(const fs::path& root_json) {
  const auto root = nlohmann::json::parse(testing::read_file(root_json));
  const std::string id = root["signed"]["roles"]["root"]["keyids"][0];
  return base64_decode(root["signed"]["keys"][id]["keyval"]["public"].get<std::string>()).value();
}

}  // namespace

TEST_CASE("certificate: notary 0.3 root certificate facts", "[crypto]") {
  const auto root_json = testing::realdata_dir() / "notary-compat" / "notary0.3" / "tuf" /
                         "docker.com" / "notary0.3" / "tst" / "metadata" / "root.json";
  CRYPTO_SKIP_UNLESS(fs::exists(root_json), "no realdata at " << root_json);
  const std::string pem = root_certificate_pem(root_json);
  const auto certs = parse_certificate_pem(pem);
  REQUIRE(certs.ok());
  REQUIRE(certs->size() == 1);
  const CertificateInfo& cert = certs->front();
  CHECK(cert.common_name == "docker.com/notary0.3/tst");
  CHECK_FALSE(cert.is_ca);
  CHECK(cert.not_before == testing::at("2016-07-27T22:56:32Z"));
  CHECK(cert.not_after == testing::at("2026-07-25T22:56:32Z"));
  CHECK(cert.key.algorithm == KeyAlgorithm::kEcdsa);
  CHECK(cert.key.key_bits == 256);
  CHECK_FALSE(cert.sha1_signature);
  CHECK(parse_spki(cert.spki_der).ok());
  // The DER is the PEM body, and Go's encoding of it gives back the metadata's exact text.
  CHECK(pem_encode("CERTIFICATE", cert.der) == pem);
}

TEST_CASE("certificate: connaisseur's CA root valid until 2998", "[crypto]") {
  const auto file = testing::realdata_dir() / "connaisseur-go" / "trust_data" / "keys" / "root.crt";
  CRYPTO_SKIP_UNLESS(fs::exists(file), "no realdata at " << file);
  const auto certs = parse_certificate_pem(testing::read_file(file));
  REQUIRE(certs.ok());
  REQUIRE(certs->size() == 1);
  CHECK(certs->front().common_name == "securesystems.de");
  CHECK(certs->front().is_ca);  // BasicConstraints CA:TRUE without a KeyUsage extension
  CHECK(certs->front().not_before == tuf::Time::from_unix(1691747220));
  CHECK(certs->front().not_after == tuf::Time::from_unix(32450147220));  // 2998-04-21 09:47:00
  CHECK(certs->front().spki_der == crypto_test::read_pem(file.parent_path() / "root.pub").der);
}

TEST_CASE("certificate: bundles keep their order; other blocks and junk are refused", "[crypto]") {
  const PrivateKey a = PrivateKey::generate_ecdsa_p256();
  const PrivateKey b = PrivateKey::generate_ecdsa_p256();
  const auto t0 = testing::at("2024-01-01T00:00:00Z");
  const std::string pem_a = pem_encode(
      "CERTIFICATE", make_self_signed_certificate(a, "a", t0, t0.plus_seconds(60)).value());
  const std::string pem_b = pem_encode(
      "CERTIFICATE", make_self_signed_certificate(b, "b", t0, t0.plus_seconds(60)).value());

  const auto bundle = parse_certificate_pem("leading text\n" + pem_a + pem_b);
  REQUIRE(bundle.ok());
  REQUIRE(bundle->size() == 2);
  CHECK((*bundle)[0].common_name == "a");
  CHECK((*bundle)[1].common_name == "b");
  CHECK((*bundle)[1].spki_der == b.public_spki_der());

  const std::string bad[] = {
      "",
      "no pem here",
      pem_a + pem_encode("PUBLIC KEY", a.public_spki_der()),
      pem_encode("CERTIFICATE", "not a certificate"),
      "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
      pem_a.substr(0, pem_a.size() - 10),  // no END line
  };
  for (const std::string& text : bad) {
    INFO(text);
    const auto result = parse_certificate_pem(text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().kind == tuf::ErrorKind::kMalformed);
  }
}

TEST_CASE("pem_encode: Go's layout, 64-character lines and LF endings", "[crypto]") {
  CHECK(pem_encode("X", "") == "-----BEGIN X-----\n-----END X-----\n");
  CHECK(pem_encode("PUBLIC KEY", "foobar") ==
        "-----BEGIN PUBLIC KEY-----\nZm9vYmFy\n-----END PUBLIC KEY-----\n");
  const std::string pem = pem_encode("CERTIFICATE", std::string(48, 'a') + std::string(49, 'b'));
  const std::string expected_body = base64_encode(std::string(48, 'a') + std::string(49, 'b'));
  REQUIRE(expected_body.size() == 132);
  CHECK(pem == "-----BEGIN CERTIFICATE-----\n" + expected_body.substr(0, 64) + "\n" +
                   expected_body.substr(64, 64) + "\n" + expected_body.substr(128) +
                   "\n-----END CERTIFICATE-----\n");
}

TEST_CASE("make_self_signed_certificate: notary's root certificate", "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const auto not_before = testing::at("2025-03-04T05:06:07Z");
  const auto not_after = not_before.plus_seconds(3650LL * 86400);  // 2035: UTCTime
  const auto der =
      make_self_signed_certificate(key, "docker.io/library/alpine", not_before, not_after);
  REQUIRE(der.ok());
  const auto certs = parse_certificate_pem(pem_encode("CERTIFICATE", *der));
  REQUIRE(certs.ok());
  const CertificateInfo& cert = certs->front();
  CHECK(cert.common_name == "docker.io/library/alpine");
  CHECK_FALSE(cert.is_ca);
  CHECK(cert.not_before == not_before);
  CHECK(cert.not_after == not_after);
  CHECK(cert.spki_der == key.public_spki_der());
  CHECK_FALSE(cert.sha1_signature);
  // Two certificates for one key differ (random serial).
  CHECK(make_self_signed_certificate(key, "docker.io/library/alpine", not_before, not_after)
            .value() != *der);
}

TEST_CASE("make_self_signed_certificate: far dates, RSA keys, refused inputs", "[crypto]") {
  const auto not_before = testing::at("2049-12-31T23:59:59Z");
  const auto not_after = testing::at("2998-04-21T09:47:00Z");  // GeneralizedTime
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const auto far = make_self_signed_certificate(key, "far", not_before, not_after);
  REQUIRE(far.ok());
  const auto far_cert = parse_certificate_pem(pem_encode("CERTIFICATE", *far)).value().front();
  CHECK(far_cert.not_before == not_before);
  CHECK(far_cert.not_after == not_after);
  // Sub-second parts are dropped, as Go's x509 drops them.
  CHECK(make_self_signed_certificate(key, "x", tuf::Time{100000000, 5}, tuf::Time{200000000, 7})
            .ok());

  const auto ed =
      make_self_signed_certificate(PrivateKey::generate_ed25519(), "ed", not_before, not_after);
  REQUIRE_FALSE(ed.ok());
  CHECK(ed.error().kind == tuf::ErrorKind::kUsage);
  CHECK_FALSE(make_self_signed_certificate(key, "backwards", not_after, not_before).ok());

  const auto rsa_file = testing::realdata_dir() / "notary-compat" / "notary0.3" / "private" /
                        "tuf_keys" /
                        "fa842f66cac2dc898677a8660789dcff0e3b0b93b73f8952491f6493199936d3.key";
  CRYPTO_SKIP_UNLESS(fs::exists(rsa_file), "no realdata at " << rsa_file);
  const auto pem = crypto_test::read_pem(rsa_file);
  const auto rsa = PrivateKey::from_pkcs1(
      legacy_pem_decrypt(pem.der, pem.headers.at("DEK-Info"), "password").value());
  REQUIRE(rsa.ok());
  const auto rsa_cert = make_self_signed_certificate(*rsa, "rsa", not_before, not_after);
  REQUIRE(rsa_cert.ok());
  const auto parsed = parse_certificate_pem(pem_encode("CERTIFICATE", *rsa_cert)).value().front();
  CHECK(parsed.key.algorithm == KeyAlgorithm::kRsa);
  CHECK(parsed.key.key_bits == 2048);
}

TEST_CASE("make_self_signed_certificate: openssl sees notary's extensions", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const auto der =
      make_self_signed_certificate(key, "example.com/org/repo", testing::at("2025-01-01T00:00:00Z"),
                                   testing::at("2035-01-01T00:00:00Z"));
  REQUIRE(der.ok());
  testing::write_file(dir.path() / "cert.pem", pem_encode("CERTIFICATE", *der));
  std::string text;
  REQUIRE(crypto_test::run(
              "openssl x509 -noout -text -in " + crypto_test::quoted(dir.path() / "cert.pem"),
              &text) == 0);
  INFO(text);
  CHECK(text.find("Version: 3 (0x2)") != std::string::npos);
  CHECK(text.find("Signature Algorithm: ecdsa-with-SHA256") != std::string::npos);
  CHECK(text.find("Subject: CN = example.com/org/repo\n") != std::string::npos);
  CHECK(text.find("Issuer: CN = example.com/org/repo\n") != std::string::npos);
  CHECK(text.find("Not Before: Jan  1 00:00:00 2025 GMT") != std::string::npos);
  CHECK(text.find("Not After : Jan  1 00:00:00 2035 GMT") != std::string::npos);
  CHECK(text.find(
            "X509v3 Key Usage: critical\n                Digital Signature, Key Encipherment") !=
        std::string::npos);
  CHECK(text.find("X509v3 Extended Key Usage: \n                Code Signing") !=
        std::string::npos);
  CHECK(text.find("X509v3 Basic Constraints: critical\n                CA:FALSE") !=
        std::string::npos);
  // The signature is the key's own: openssl checks it as a self-signed certificate.
  CHECK(crypto_test::run("openssl verify -check_ss_sig -partial_chain -CAfile " +
                         crypto_test::quoted(dir.path() / "cert.pem") + " " +
                         crypto_test::quoted(dir.path() / "cert.pem")) == 0);
  // The serial number is 128 random bits at most (spec 7.3).
  std::string serial;
  REQUIRE(crypto_test::run(
              "openssl x509 -noout -serial -in " + crypto_test::quoted(dir.path() / "cert.pem"),
              &serial) == 0);
  CHECK(serial.size() <= std::string("serial=\n").size() + 32);
}

TEST_CASE("certificate: SHA-1 signatures are flagged", "[crypto]") {
  CRYPTO_SKIP_UNLESS(crypto_test::have_openssl(), "openssl CLI not found");
  testing::TempDir dir;
  const auto cert = dir.path() / "c.pem";
  REQUIRE(crypto_test::run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -sha1 "
                           "-nodes -subj /CN=old -days 1 -keyout " +
                           crypto_test::quoted(dir.path() / "k.pem") + " -out " +
                           crypto_test::quoted(cert)) == 0);
  const auto certs = parse_certificate_pem(testing::read_file(cert));
  REQUIRE(certs.ok());
  CHECK(certs->front().sha1_signature);
  CHECK(certs->front().common_name == "old");
  CHECK(certs->front().is_ca);  // openssl req -x509 marks its certificates CA:TRUE
}

TEST_CASE("certificate: structure is checked, the self-signature is not (as in notary)",
          "[crypto]") {
  const PrivateKey key = PrivateKey::generate_ecdsa_p256();
  const auto not_before = testing::at("2025-03-04T05:06:07Z");
  const auto der = make_self_signed_certificate(key, "example.com/app", not_before,
                                                not_before.plus_seconds(86400));
  REQUIRE(der.ok());
  auto parse = [](const std::string& bytes) {
    return parse_certificate_pem(pem_encode("CERTIFICATE", bytes));
  };
  REQUIRE(parse(*der).ok());
  // ecdsa-with-SHA256, once in the signed body and once before the signature.
  const std::string sha256_oid("\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 10);
  const std::size_t inner = der->find(sha256_oid);
  const std::size_t outer = der->rfind(sha256_oid);
  REQUIRE(inner != std::string::npos);
  REQUIRE(outer != inner);

  SECTION("a broken self-signature still parses: notary never checks it") {
    std::string bad = *der;
    bad.back() = static_cast<char>(bad.back() ^ 0x01);
    const auto certs = parse(bad);
    REQUIRE(certs.ok());
    CHECK(certs->front().common_name == "example.com/app");
    CHECK(certs->front().spki_der == key.public_spki_der());
  }
  SECTION("differing inner and outer signature algorithms are refused") {
    std::string bad = *der;
    bad[outer + sha256_oid.size() - 1] = '\x03';  // ecdsa-with-SHA384 outside only
    CHECK(parse(bad).error().kind == tuf::ErrorKind::kMalformed);
  }
  SECTION("trailing bytes after the certificate are refused") {
    CHECK(parse(*der + std::string("\x05\x00", 2)).error().kind == tuf::ErrorKind::kMalformed);
  }
  SECTION("a truncated certificate is refused") {
    CHECK(parse(der->substr(0, der->size() - 10)).error().kind == tuf::ErrorKind::kMalformed);
  }
}
