#include "tuf/result.h"

namespace tuf {

std::string Error::message() const {
  std::string out;
  for (std::string_view part : {std::string_view(gun), std::string_view(role)}) {
    if (part.empty()) continue;
    out.append(part);
    out.append(": ");
  }
  out.append(detail.empty() ? std::string(kind_name(kind)) : detail);
  return out;
}

Error Error::with_context(std::string_view gun_name, std::string_view role_name) const {
  Error copy = *this;
  if (copy.gun.empty()) copy.gun = gun_name;
  if (copy.role.empty()) copy.role = role_name;
  return copy;
}

bool is_transport_error(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNotFound:
    case ErrorKind::kNetwork:
    case ErrorKind::kServerError:
    case ErrorKind::kUnauthorized:
      return true;
    default:
      return false;
  }
}

std::string_view kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMalformed:
      return "malformed";
    case ErrorKind::kWrongType:
      return "wrong type";
    case ErrorKind::kBadSignature:
      return "bad signature";
    case ErrorKind::kThresholdNotMet:
      return "threshold not met";
    case ErrorKind::kExpired:
      return "expired";
    case ErrorKind::kRollback:
      return "rollback";
    case ErrorKind::kHashMismatch:
      return "hash mismatch";
    case ErrorKind::kLengthMismatch:
      return "length mismatch";
    case ErrorKind::kBadCertificate:
      return "bad certificate";
    case ErrorKind::kPinMismatch:
      return "pin mismatch";
    case ErrorKind::kPathNotAllowed:
      return "path not allowed";
    case ErrorKind::kOutOfOrder:
      return "out of order";
    case ErrorKind::kNotFound:
      return "not found";
    case ErrorKind::kNetwork:
      return "network error";
    case ErrorKind::kServerError:
      return "server error";
    case ErrorKind::kTooLarge:
      return "too large";
    case ErrorKind::kUnauthorized:
      return "unauthorized";
    case ErrorKind::kRejected:
      return "rejected";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kCache:
      return "cache error";
    case ErrorKind::kKeyNotFound:
      return "key not found";
    case ErrorKind::kBadPassphrase:
      return "bad passphrase";
    case ErrorKind::kIo:
      return "i/o error";
    case ErrorKind::kUsage:
      return "usage error";
    case ErrorKind::kCancelled:
      return "cancelled";
    case ErrorKind::kInternal:
      return "internal error";
  }
  return "unknown error";
}

}  // namespace tuf
