// Internal: the OpenSSL client context built from TlsOptions, and OpenSSL error text.
#ifndef DTRUST_NOTARY_SRC_HTTP_TLS_CONTEXT_H_
#define DTRUST_NOTARY_SRC_HTTP_TLS_CONTEXT_H_

#include <boost/asio/ssl/context.hpp>
#include <memory>

#include "notary/http_client.h"
#include "tuf/result.h"

namespace notary::http {

// Initialises OpenSSL for dtrust; call before any other OpenSSL use (make_tls_context and the
// multipart boundary do). Like docker's and notary's Go clients, dtrust reads no OpenSSL
// configuration file unless OPENSSL_CONF names one: its TLS settings are its own (TLS >= 1.2,
// docker's cipher list, the library's default security level), and parsing the system
// openssl.cnf cost a third of a millisecond per run. OpenSSL's exit handler, which frees every
// provider and method store (0.15 ms) for memory the kernel reclaims anyway, is not
// registered, and its error texts are loaded only when one is needed
// (load_openssl_error_strings). Idempotent and thread-safe; OpenSSL takes these decisions
// once per process.
// False when OpenSSL cannot start (a configuration OPENSSL_CONF names is broken).
bool init_openssl();

// TLS >= 1.2 with the docker client's TLS 1.2 cipher list (ECDHE-ECDSA/RSA with AES-GCM),
// peer verification against the system CAs and options.ca_files unless
// insecure_skip_verify, and the client certificate if configured. Errors: kIo naming the file.
// The context is immutable afterwards and may be shared by concurrent handshakes.
tuf::Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(const TlsOptions& options);

// The reason string of the most recent OpenSSL error on this thread ("" if none); clears the
// queue.
std::string take_openssl_error();

// Loads OpenSSL's error texts. init_openssl() leaves them out -- hashing a few thousand
// strings cost every run 0.2 ms, and a run that succeeds never reads one -- so every path that
// turns an OpenSSL error code into words (take_openssl_error, the connection's TLS reasons)
// calls this first. Idempotent and thread-safe.
void load_openssl_error_strings();

}  // namespace notary::http

#endif  // DTRUST_NOTARY_SRC_HTTP_TLS_CONTEXT_H_
