// Docker's notary error translator (docker-trust-cli.md 1.9): the mapping from dtrust's error
// kinds, and the translated lines `sign` and `signer add` print against real servers, next
// to the untranslated ones docker prints for `signer remove` and `revoke`.
#include <catch2/catch.hpp>
#include <filesystem>

#include "cli_test_util.h"
#include "docker_errors.h"
#include "notary_server.h"
#include "test_support.h"

namespace {

namespace fs = std::filesystem;
using clitest::run_process;
using tuf::ErrorKind;

const std::string kName = "localhost:5000/test/app";

tuf::Error error_of(ErrorKind kind, std::string role, std::string detail) {
  return tuf::Error{kind, kName, std::move(role), std::move(detail)};
}

std::string translate(const tuf::Error& e) { return cli::docker_notary_error(kName, e, "RAW"); }

}  // namespace

TEST_CASE("docker errors: each translated kind gives docker's line", "[cli][docker-errors]") {
  CHECK(translate(error_of(ErrorKind::kNetwork, "", "127.0.0.1:1: connection refused")) ==
        "Error: error contacting notary server: 127.0.0.1:1: connection refused");
  CHECK(translate(error_of(ErrorKind::kNotFound, "root",
                           "localhost:47443 does not have trust data for " + kName)) ==
        "Error: remote trust data does not exist for " + kName +
            ": localhost:47443 does not have trust data for " + kName);
  CHECK(translate(error_of(ErrorKind::kNotFound, "snapshot", "metadata not found")) ==
        "Error: trust data missing for remote repository " + kName +
            " or remote repository not found: snapshot: metadata not found");
  CHECK(translate(error_of(ErrorKind::kMalformed, "timestamp", "not JSON")) ==
        "Error: no trust data available for remote repository " + kName +
            ". Try running notary server and setting DOCKER_CONTENT_TRUST_SERVER to its HTTPS "
            "address?");
  CHECK(translate(error_of(ErrorKind::kExpired, "timestamp", "expired at 2018-08-03")) ==
        "Error: remote repository " + kName + " out-of-date: timestamp: expired at 2018-08-03");
  CHECK(translate(error_of(ErrorKind::kPinMismatch, "root", "does not match the pin")) ==
        "Warning: potential malicious behavior - trust data mismatch for remote repository " +
            kName + ": root: does not match the pin");
  CHECK(translate(error_of(ErrorKind::kKeyNotFound, "targets", "could not find keys: ab")) ==
        "Error: could not find signing keys for remote repository " + kName +
            ", or could not decrypt signing key: could not find keys: ab");
  CHECK(translate(error_of(ErrorKind::kRollback, "snapshot", "version 3 is lower than 5")) ==
        "Warning: potential malicious behavior - trust data version is lower than expected for "
        "remote repository " +
            kName + ": snapshot: version 3 is lower than 5");
  CHECK(translate(error_of(ErrorKind::kThresholdNotMet, "targets", "1 of 2 signatures")) ==
        "Warning: potential malicious behavior - trust data has insufficient signatures for "
        "remote repository " +
            kName + ": targets: 1 of 2 signatures");
}

TEST_CASE("docker errors: root failures are trust mismatches, other roles' are thresholds",
          "[cli][docker-errors]") {
  for (ErrorKind kind : {ErrorKind::kBadSignature, ErrorKind::kThresholdNotMet}) {
    CHECK(cli::notary_error_class(error_of(kind, "root", "x")) ==
          cli::NotaryErrorClass::kValidationFail);
    CHECK(cli::notary_error_class(error_of(kind, "targets/releases", "x")) ==
          cli::NotaryErrorClass::kRoleThreshold);
  }
  CHECK(cli::notary_error_class(error_of(ErrorKind::kBadCertificate, "root", "x")) ==
        cli::NotaryErrorClass::kValidationFail);
}

TEST_CASE("docker errors: kinds outside docker's list pass through unchanged",
          "[cli][docker-errors]") {
  for (ErrorKind kind :
       {ErrorKind::kBadPassphrase, ErrorKind::kHashMismatch, ErrorKind::kLengthMismatch,
        ErrorKind::kUnauthorized, ErrorKind::kServerError, ErrorKind::kCache, ErrorKind::kIo,
        ErrorKind::kUsage, ErrorKind::kConflict, ErrorKind::kRejected}) {
    INFO(tuf::kind_name(kind));
    CHECK_FALSE(cli::notary_error_class(error_of(kind, "targets", "x")).has_value());
    CHECK(translate(error_of(kind, "targets", "x")) == "RAW");
  }
}

TEST_CASE("docker errors: sign and signer add translate an unreachable server, revoke does not",
          "[cli][docker-errors][peers]") {
  testing::TempDir tmp;
  const std::vector<std::string> env = {"DOCKER_CONFIG=" + tmp.path().string(),
                                        "DOCKER_CONTENT_TRUST_SERVER=https://127.0.0.1:1",
                                        "DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE=rootpass1",
                                        "DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE=repopass1"};
  auto sign = run_process({DTRUST_BINARY, "sign", kName + ":v1"}, env);
  CHECK(sign.exit_code == 1);
  CHECK(sign.out.empty());
  CHECK(sign.err.starts_with("Error: error contacting notary server: 127.0.0.1:1: "));
  CHECK(clitest::lines_of(sign.err).size() == 1);

  auto gen =
      run_process({DTRUST_BINARY, "key", "generate", "bob", "--dir", tmp.path().string()}, env);
  REQUIRE(gen.exit_code == 0);
  auto add = run_process(
      {DTRUST_BINARY, "signer", "add", "--key", (tmp.path() / "bob.pub").string(), "bob", kName},
      env);
  CHECK(add.exit_code == 1);
  CHECK(add.out == "Adding signer \"bob\" to " + kName + "...\n");
  CHECK(add.err.starts_with("Error: error contacting notary server: 127.0.0.1:1: "));
  CHECK(add.err.ends_with("\n\nfailed to add signer to: " + kName + "\n"));

  // docker wraps these before printing, so the translator never sees them.
  auto remove = run_process({DTRUST_BINARY, "signer", "remove", "bob", kName}, env);
  CHECK(remove.exit_code == 1);
  CHECK(remove.err.starts_with("error retrieving signers for " + kName + ": "));
  auto revoke = run_process({DTRUST_BINARY, "revoke", kName + ":v1"}, env);
  CHECK(revoke.exit_code == 1);
  CHECK(revoke.err.starts_with("could not remove signature for " + kName + ":v1: "));
}

TEST_CASE("docker errors: signer remove of a repository the server lacks matches docker",
          "[cli][docker-errors][peers]") {
  if (!testing::NotaryServer::available() || clitest::docker_binary().empty()) {
    WARN("notary-server or docker missing: skipped");
    return;
  }
  testing::NotaryServer server(testing::NotaryServerOptions::with_tls());
  testing::TempDir ours, theirs;
  auto env_for = [&](const testing::TempDir& config) {
    const fs::path tls = config.path() / "tls" / ("localhost:" + std::to_string(server.port()));
    fs::create_directories(tls);
    fs::copy_file(server.ca_file(), tls / "ca.crt", fs::copy_options::overwrite_existing);
    return std::vector<std::string>{"DOCKER_CONFIG=" + config.path().string(),
                                    "DOCKER_CONTENT_TRUST_SERVER=" + server.url()};
  };
  const std::string missing = "localhost:5000/test/missing";
  auto dtrust = run_process({DTRUST_BINARY, "signer", "remove", "bob", missing}, env_for(ours));
  auto docker = run_process({clitest::docker_binary(), "trust", "signer", "remove", "bob", missing},
                            env_for(theirs));
  CHECK(dtrust.exit_code == docker.exit_code);
  CHECK(dtrust.out == docker.out);
  CHECK(dtrust.err == clitest::without_log_lines(docker.err));
}
