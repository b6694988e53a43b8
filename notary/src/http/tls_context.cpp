// OpenSSL client context (docker-trust-cli spec 5.4: "TLS >= 1.2. Cipher suites (for TLS
// 1.2): ECDHE-ECDSA/RSA with AES-256-GCM-SHA384 and AES-128-GCM-SHA256").
#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/system/error_code.hpp>
#include <cstdlib>
#include <filesystem>

namespace notary::http {
namespace ssl = boost::asio::ssl;

namespace {

constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

tuf::Error file_error(std::string_view what, const std::filesystem::path& path,
                      const boost::system::error_code& ec) {
  std::string reason = take_openssl_error();
  if (reason.empty()) reason = ec.message();
  return tuf::make_error(tuf::ErrorKind::kIo, "",
                         std::string(what) + " " + path.string() + ": " + reason);
}

}  // namespace

std::string take_openssl_error() {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    if (reason.empty()) {
      const char* text = ERR_reason_error_string(code);
      reason = text != nullptr ? text : "openssl error " + std::to_string(code);
    }
  }
  return reason;
}

tuf::Result<std::shared_ptr<ssl::context>> make_tls_context(const TlsOptions& options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* native = ctx->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  boost::system::error_code ec;
  ERR_clear_error();
  if (options.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    if (options.use_system_cas) {
      // The system CAs through OpenSSL's hashed certificate directory: certificates are read
      // on demand during a handshake instead of parsing the whole bundle (~140 certificates,
      // tens of milliseconds) on every start. The bundle file is used only when the directory
      // is missing or SSL_CERT_FILE names one. A system without a CA store is not an error
      // here: verification then fails per host.
      std::error_code fs_ec;
      const bool have_dir = std::filesystem::is_directory(X509_get_default_cert_dir(), fs_ec);
      if (have_dir && std::getenv("SSL_CERT_FILE") == nullptr) {
        SSL_CTX_set_default_verify_dir(native);
      } else {
        ctx->set_default_verify_paths(ec);
      }
      ERR_clear_error();
    }
    for (const auto& file : options.ca_files) {
      if (ctx->load_verify_file(file.string(), ec)) return file_error("CA file", file, ec);
    }
  }
  if (!options.client_cert.empty() || !options.client_key.empty()) {
    if (options.client_cert.empty() || options.client_key.empty()) {
      return tuf::make_error(tuf::ErrorKind::kIo, "",
                             "a client certificate needs both a certificate and a key file");
    }
    if (ctx->use_certificate_chain_file(options.client_cert.string(), ec)) {
      return file_error("client certificate", options.client_cert, ec);
    }
    if (ctx->use_private_key_file(options.client_key.string(), ssl::context::pem, ec)) {
      return file_error("client key", options.client_key, ec);
    }
    if (SSL_CTX_check_private_key(native) != 1) {
      return file_error("client key", options.client_key, ec);
    }
  }
  return ctx;
}

}  // namespace notary::http
