#include "docker_errors.h"

namespace cli {
namespace {

using tuf::ErrorKind;

}  // namespace

std::string notary_error_text(const tuf::Error& error) {
  switch (error.kind) {
    case ErrorKind::kNetwork:
    case ErrorKind::kKeyNotFound:
    case ErrorKind::kBadPassphrase:
      return error.detail;
    case ErrorKind::kNotFound:
      if (error.role == "root") return error.detail;
      break;
    default:
      break;
  }
  return error.role.empty() ? error.detail : error.role + ": " + error.detail;
}

std::optional<NotaryErrorClass> notary_error_class(const tuf::Error& error) {
  const bool root = error.role == "root";
  switch (error.kind) {
    case ErrorKind::kMalformed:
      return NotaryErrorClass::kJsonSyntax;
    case ErrorKind::kExpired:
      return NotaryErrorClass::kExpired;
    case ErrorKind::kNetwork:
      return NotaryErrorClass::kNetwork;
    case ErrorKind::kNotFound:
      // Notary v1: a 404 on root.json is ErrRepositoryNotExist, on any other role
      // ErrMetaNotFound.
      return root ? NotaryErrorClass::kRepositoryNotExist : NotaryErrorClass::kMetaNotFound;
    case ErrorKind::kBadCertificate:
    case ErrorKind::kPinMismatch:
      return NotaryErrorClass::kValidationFail;
    case ErrorKind::kBadSignature:
    case ErrorKind::kThresholdNotMet:
      // Notary's trust pinning reports root failures as ErrValidationFail; other roles fail
      // their signature check with ErrRoleThreshold.
      return root ? NotaryErrorClass::kValidationFail : NotaryErrorClass::kRoleThreshold;
    case ErrorKind::kKeyNotFound:
      return NotaryErrorClass::kNoKeys;
    case ErrorKind::kRollback:
      return NotaryErrorClass::kLowVersion;
    default:
      return std::nullopt;
  }
}

std::string docker_notary_error(const std::string& name, const tuf::Error& error,
                                const std::string& untranslated) {
  const auto cls = notary_error_class(error);
  if (!cls) return untranslated;
  const std::string err = notary_error_text(error);
  switch (*cls) {
    case NotaryErrorClass::kJsonSyntax:
      return "Error: no trust data available for remote repository " + name +
             ". Try running notary server and setting DOCKER_CONTENT_TRUST_SERVER to its HTTPS "
             "address?";
    case NotaryErrorClass::kExpired:
      return "Error: remote repository " + name + " out-of-date: " + err;
    case NotaryErrorClass::kNetwork:
      return "Error: error contacting notary server: " + err;
    case NotaryErrorClass::kMetaNotFound:
      return "Error: trust data missing for remote repository " + name +
             " or remote repository not found: " + err;
    case NotaryErrorClass::kRepositoryNotExist:
      return "Error: remote trust data does not exist for " + name + ": " + err;
    case NotaryErrorClass::kValidationFail:
      return "Warning: potential malicious behavior - trust data mismatch for remote "
             "repository " +
             name + ": " + err;
    case NotaryErrorClass::kNoKeys:
      return "Error: could not find signing keys for remote repository " + name +
             ", or could not decrypt signing key: " + err;
    case NotaryErrorClass::kLowVersion:
      return "Warning: potential malicious behavior - trust data version is lower than "
             "expected for remote repository " +
             name + ": " + err;
    case NotaryErrorClass::kRoleThreshold:
      return "Warning: potential malicious behavior - trust data has insufficient signatures "
             "for remote repository " +
             name + ": " + err;
  }
  return untranslated;
}

}  // namespace cli
