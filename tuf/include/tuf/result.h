// Errors as values: the one error type and Result<T> shared by every dtrust library.
//
// Libraries never throw across their APIs and never print. They return Result<T>; only cli/
// turns an Error into a message and an exit code. Policy decisions (fall back to a cached
// timestamp, retry a publish, ...) are taken on Error::kind, never on message text.
#ifndef DTRUST_TUF_RESULT_H_
#define DTRUST_TUF_RESULT_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace tuf {

enum class ErrorKind {
  // The repository (or an attacker) served bad data: never fall back, never cache.
  kMalformed,        // not parseable, a field missing or of the wrong type
  kWrongType,        // `_type` is not the role asked for
  kBadSignature,     // a signature is present but invalid, or key/method mismatch
  kThresholdNotMet,  // fewer distinct valid keys than the role's threshold
  kExpired,          // metadata or certificate expired at the reference time
  kRollback,         // version lower than the one already trusted
  kHashMismatch,     // bytes do not match the hash the parent recorded
  kLengthMismatch,   // bytes of another length than the parent recorded
  kBadCertificate,   // root certificate: CA, wrong CN, not yet valid, unusable key
  kPinMismatch,      // the root does not match the pinned root key
  kPathNotAllowed,   // a delegation or target outside the delegator's paths
  kOutOfOrder,       // trusted-set operations called in the wrong order
  // Transport and server: may fall back to a cached, still-valid timestamp.
  kNotFound,      // 404, or a role/target/repository that does not exist
  kNetwork,       // connect, TLS, reset, timeout
  kServerError,   // 5xx, 3xx, other unexpected status
  kTooLarge,      // a body over its named limit
  kUnauthorized,  // 401/403
  kRejected,      // 400 from the server on publish (validation error)
  kConflict,      // 400 VERSION on publish: someone published first
  // Local.
  kCache,          // the local trust cache is unreadable, corrupt or locked
  kKeyNotFound,    // no private key for the role
  kBadPassphrase,  // a key did not decrypt
  kIo,             // a local file could not be read or written
  kUsage,          // bad arguments from the user
  kCancelled,      // the user declined a confirmation
  kInternal,       // a broken invariant inside dtrust
};

// One error: what went wrong (kind), where (GUN and role, either may be empty) and why
// (detail, lower case, no trailing period).
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string gun;
  std::string role;
  std::string detail;

  // "<gun>: <role>: <detail>", leaving out empty parts. One line.
  std::string message() const;

  // Returns a copy with gun/role filled in where they were empty.
  Error with_context(std::string_view gun_name, std::string_view role_name) const;
};

// True for the transport-class kinds that allow a cached-timestamp fallback.
bool is_transport_error(ErrorKind kind);

// Short lower-case name of a kind, for tests and debugging ("bad signature").
std::string_view kind_name(ErrorKind kind);

inline Error make_error(ErrorKind kind, std::string role, std::string detail) {
  return Error{kind, {}, std::move(role), std::move(detail)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  // REQUIRES: !ok()
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace tuf

#define DTRUST_CONCAT_INNER_(a, b) a##b
#define DTRUST_CONCAT_(a, b) DTRUST_CONCAT_INNER_(a, b)

// Propagates an error from an expression returning Result<...>/Status.
#define DTRUST_TRY(expr) DTRUST_TRY_IMPL_(DTRUST_CONCAT_(dtrust_try_, __LINE__), expr)
#define DTRUST_TRY_IMPL_(tmp, expr)    \
  do {                                 \
    auto&& tmp = (expr);               \
    if (!tmp.ok()) return tmp.error(); \
  } while (false)
// Declares `lhs` from the value of a Result, or returns its error.
#define DTRUST_ASSIGN_OR_RETURN(lhs, expr) \
  DTRUST_ASSIGN_OR_RETURN_IMPL_(DTRUST_CONCAT_(dtrust_result_, __LINE__), lhs, expr)
#define DTRUST_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.error();                  \
  lhs = std::move(tmp).value()

#endif  // DTRUST_TUF_RESULT_H_
