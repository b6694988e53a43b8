// OpenSSL client context (docker-trust-cli spec 5.4: "TLS >= 1.2. Cipher suites (for TLS
// 1.2): ECDHE-ECDSA/RSA with AES-256-GCM-SHA384 and AES-128-GCM-SHA256").
#include "http/tls_context.h"

#include <openssl/asn1err.h>
#include <openssl/bioerr.h>
#include <openssl/buffererr.h>
#include <openssl/conferr.h>
#include <openssl/crypto.h>
#include <openssl/ecerr.h>
#include <openssl/err.h>
#include <openssl/evperr.h>
#include <openssl/objectserr.h>
#include <openssl/pem.h>
#include <openssl/pemerr.h>
#include <openssl/randerr.h>
#include <openssl/rsaerr.h>
#include <openssl/ssl.h>
#include <openssl/sslerr_legacy.h>
#include <openssl/x509.h>
#include <openssl/x509err.h>
#include <openssl/x509v3err.h>

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <cstdlib>
#include <filesystem>
#include <mutex>

namespace notary::http {
namespace ssl = boost::asio::ssl;

namespace {

constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

// Adds every CERTIFICATE of a PEM file to the context's trust store. Reads certificates
// only: SSL_CTX_load_verify_locations would also set up OpenSSL 3's key decoders for every
// PEM object, which costs a short-lived process tens of milliseconds. False when the file
// cannot be read or holds no certificate.
bool add_ca_certificates(SSL_CTX* ctx, const std::filesystem::path& file) {
  BIO* bio = BIO_new_file(file.c_str(), "r");
  if (bio == nullptr) return false;
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
    if (X509_STORE_add_cert(store, cert) == 1) ++added;
    X509_free(cert);
  }
  BIO_free(bio);
  ERR_clear_error();  // the loop ends on "no start line"
  return added > 0;
}

tuf::Error file_error(std::string_view what, const std::filesystem::path& path,
                      const boost::system::error_code& ec) {
  std::string reason = take_openssl_error();
  if (reason.empty()) reason = ec.message();
  return tuf::make_error(tuf::ErrorKind::kIo, "",
                         std::string(what) + " " + path.string() + ": " + reason);
}

}  // namespace

std::string take_openssl_error() {
  load_openssl_error_strings();
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    if (reason.empty()) {
      const char* text = ERR_reason_error_string(code);
      reason = text != nullptr ? text : "openssl error " + std::to_string(code);
    }
  }
  return reason;
}

void load_openssl_error_strings() {
  static std::once_flag once;
  std::call_once(once, [] {
  // OPENSSL_init_ssl's string flags act once per process, and init_openssl() has used that
  // once to say "no"; these per-library loaders (deprecated in OpenSSL 3.0, not removed) are
  // what those flags run. The libraries are the ones a TLS set-up, a handshake or a
  // certificate, key or configuration file can fail in; ERR names the libraries themselves.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    ERR_load_ERR_strings();
    ERR_load_SSL_strings();
    ERR_load_X509_strings();
    ERR_load_X509V3_strings();
    ERR_load_PEM_strings();
    ERR_load_ASN1_strings();
    ERR_load_BIO_strings();
    ERR_load_BUF_strings();
    ERR_load_EVP_strings();
    ERR_load_CRYPTO_strings();
    ERR_load_EC_strings();
    ERR_load_RSA_strings();
    ERR_load_OBJ_strings();
    ERR_load_CONF_strings();
    ERR_load_RAND_strings();
#pragma GCC diagnostic pop
  });
}

bool init_openssl() {
  uint64_t options = OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_NO_LOAD_SSL_STRINGS |
                     OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS;
  const char* config = std::getenv("OPENSSL_CONF");
  if (config == nullptr || *config == '\0') options |= OPENSSL_INIT_NO_LOAD_CONFIG;
  return OPENSSL_init_ssl(options, nullptr) == 1;
}

tuf::Result<std::shared_ptr<ssl::context>> make_tls_context(const TlsOptions& options) {
  const char* config = std::getenv("OPENSSL_CONF");
  const std::string config_note =
      config != nullptr && *config != '\0' ? std::string(" (OPENSSL_CONF=") + config + ")" : "";
  if (!init_openssl()) {
    return tuf::make_error(tuf::ErrorKind::kIo, "",
                           "cannot initialise OpenSSL" + config_note + ": " + take_openssl_error());
  }
  std::shared_ptr<ssl::context> ctx;
  try {
    ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  } catch (const boost::system::system_error& e) {
    std::string reason = take_openssl_error();
    return tuf::make_error(
        tuf::ErrorKind::kIo, "",
        "cannot set up TLS" + config_note + ": " + (reason.empty() ? e.code().message() : reason));
  }
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
      // The system CAs: OpenSSL's hashed certificate directory (honouring SSL_CERT_DIR) is
      // read on demand during a handshake, and a bundle file -- SSL_CERT_FILE, or the default
      // bundle when there is no directory -- is read with the certificate-only loader above.
      // Both avoid OpenSSL's default loader, which costs a short-lived process tens of
      // milliseconds. A system without a CA store is not an error here: verification then
      // fails per host.
      // A bundle kept inside the hashed directory itself (Debian's
      // /etc/ssl/certs/ca-certificates.crt, which update-ca-certificates writes from the same
      // certificates) adds nothing the directory lacks, so it is not parsed.
      SSL_CTX_set_default_verify_dir(native);
      namespace fs = std::filesystem;
      std::error_code fs_ec;
      const char* env_dir = std::getenv(X509_get_default_cert_dir_env());
      const fs::path dir = env_dir != nullptr && *env_dir != '\0'
                               ? fs::path(env_dir)
                               : fs::path(X509_get_default_cert_dir());
      const bool have_dir = fs::is_directory(dir, fs_ec);
      const char* env_file = std::getenv(X509_get_default_cert_file_env());
      if (env_file != nullptr && *env_file != '\0') {
        const bool inside_dir =
            have_dir && fs::equivalent(fs::path(env_file).parent_path(), dir, fs_ec);
        if (!inside_dir) add_ca_certificates(native, env_file);
      } else if (!have_dir) {
        add_ca_certificates(native, X509_get_default_cert_file());
      }
      ERR_clear_error();
    }
    for (const auto& file : options.ca_files) {
      if (!add_ca_certificates(native, file)) {
        ec.assign(static_cast<int>(ERR_get_error()), boost::asio::error::get_ssl_category());
        return file_error("CA file", file, ec);
      }
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
