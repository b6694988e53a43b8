// OpenSSL set-up, end to end against a real TLS notary-server. Like docker's and notary's Go
// clients, dtrust reads no openssl.cnf unless OPENSSL_CONF names one; a named one is applied,
// and a broken one is one line naming it (it used to abort the process). OpenSSL's error texts,
// loaded only on failure, still name the reason.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_test_util.h"
#include "notary_family_util.h"

namespace {

namespace fs = std::filesystem;

// The run failed with one line naming the GUN. Returns stderr.
std::string one_line_failure(const clitest::RunResult& r, const std::string& gun) {
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK((!r.err.empty() && r.err.find('\n') == r.err.size() - 1));
  CHECK(r.err.find(gun + ": ") == 0);
  return r.err;
}

// `dtrust lookup` of the family's (never published) GUN with OPENSSL_CONF naming a file that
// holds `config`; the run must fail with one line naming the GUN. Returns stderr.
std::string lookup_failing_with(const clitest::NotaryFamily& family, const std::string& name,
                                const std::string& config) {
  const fs::path path = family.scratch(name);
  std::ofstream(path) << config;
  return one_line_failure(
      family.dtrust({"lookup", family.gun, "v1"}, {}, {"OPENSSL_CONF=" + path.string()}),
      family.gun);
}

}  // namespace

TEST_CASE("OPENSSL_CONF: a named configuration is applied, a broken one is one line",
          "[cli][tls][peers]") {
  if (!testing::NotaryServer::available()) {
    WARN("notary-server not installed: skipped");
    return;
  }
  clitest::NotaryFamily family;  // its GUN is never published: a reached server says so

  SECTION("without OPENSSL_CONF the handshake uses dtrust's own settings") {
    auto r = family.dtrust({"lookup", family.gun, "v1"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("does not have trust data") != std::string::npos);
  }
  SECTION("a configuration that caps TLS below 1.2 is honoured: no protocol is left") {
    const std::string err = lookup_failing_with(family, "tls11.cnf",
                                                "openssl_conf = init\n"
                                                "[init]\nssl_conf = ssl\n"
                                                "[ssl]\nsystem_default = defaults\n"
                                                "[defaults]\nMaxProtocol = TLSv1.1\n");
    CHECK(err.find("does not have trust data") == std::string::npos);
  }
  SECTION("a server certificate no trusted CA signed is refused in OpenSSL's words") {
    // OpenSSL's error texts are loaded only when an error needs them: the reason must still
    // be OpenSSL's, not a bare error code.
    auto r = clitest::run_process({DTRUST_BINARY, "lookup", family.gun, "v1", "-s",
                                   family.server.url(), "-d", family.scratch("td").string()},
                                  {"SSL_CERT_DIR=" + family.scratch("no-cas").string(),
                                   "SSL_CERT_FILE=" + family.scratch("no-cas.pem").string()});
    CHECK(one_line_failure(r, family.gun).find("certificate verify failed") != std::string::npos);
  }
  SECTION("a broken configuration is one line naming it, not a crash") {
    const std::string err = lookup_failing_with(family, "broken.cnf",
                                                "config_diagnostics = 1\nopenssl_conf = init\n"
                                                "[init]\nproviders = providers\n"
                                                "[providers]\nnosuch = nosuch\n"
                                                "[nosuch]\nactivate = 1\n");
    CHECK(err.find("OPENSSL_CONF=" + family.scratch("broken.cnf").string()) != std::string::npos);
  }
}
