#include "signatures.h"

#include <set>

namespace tuf::internal {

KeySet role_keys(const std::map<std::string, PublicKey>& keys,
                 const std::vector<std::string>& keyids) {
  KeySet out;
  for (const std::string& id : keyids) {
    auto it = keys.find(id);
    if (it != keys.end()) out.emplace(id, it->second);
  }
  return out;
}

namespace {

// The distinct verifying keys with a valid signature, and how many signatures by `eligible`
// keys failed.
struct Tally {
  std::set<std::string> valid_keys;  // by verifying key material: one key counts once
  int invalid = 0;
};

Tally tally(std::string_view canonical, const std::vector<Signature>& signatures,
            const KeySet& eligible) {
  Tally t;
  for (const Signature& sig : signatures) {
    auto key = eligible.find(sig.keyid);
    if (key == eligible.end()) continue;  // not one of this role's keys: ignored
    auto scheme = scheme_for(key->second.type, sig.method);
    auto vk = verification_key(key->second);
    if (!scheme.ok() || !vk.ok() ||
        !crypto::verify(vk->algorithm, vk->material, *scheme, canonical, sig.sig)) {
      ++t.invalid;
      continue;
    }
    t.valid_keys.insert(vk->material);
  }
  return t;
}

}  // namespace

Status check_signatures(std::string_view canonical, const std::vector<Signature>& signatures,
                        const KeySet& eligible, int64_t threshold) {
  if (threshold < 1) return make_error(ErrorKind::kMalformed, "", "threshold below 1");
  const Tally t = tally(canonical, signatures, eligible);
  const int invalid = t.invalid;
  const auto valid = static_cast<int64_t>(t.valid_keys.size());
  if (valid >= threshold) return {};
  const std::string counts =
      std::to_string(valid) + " of " + std::to_string(threshold) + " required signatures valid";
  if (invalid > 0) {
    return make_error(ErrorKind::kBadSignature, "", "invalid signature (" + counts + ")");
  }
  return make_error(ErrorKind::kThresholdNotMet, "",
                    "valid signatures did not meet threshold (" + counts + ")");
}

Status check_bytes(std::string_view bytes, const FileMeta& meta) {
  bool checked = false;
  for (const auto& [alg, expected] : meta.hashes) {
    std::string actual;
    if (alg == "sha256") {
      actual = crypto::sha256(bytes);
    } else if (alg == "sha512") {
      actual = crypto::sha512(bytes);
    } else {
      continue;  // unknown algorithms are not evidence either way
    }
    checked = true;
    if (!crypto::constant_time_equal(actual, expected)) {
      return make_error(ErrorKind::kHashMismatch, "",
                        alg + " hash does not match the recorded hash");
    }
  }
  if (!checked) return make_error(ErrorKind::kMalformed, "", "no supported hash recorded");
  if (static_cast<int64_t>(bytes.size()) != meta.length) {
    return make_error(ErrorKind::kLengthMismatch, "",
                      "length " + std::to_string(bytes.size()) + " differs from the recorded " +
                          std::to_string(meta.length));
  }
  return {};
}

}  // namespace tuf::internal

namespace tuf {

int64_t count_valid_signatures(std::string_view canonical, const std::vector<Signature>& signatures,
                               const std::map<std::string, PublicKey>& keys,
                               const std::vector<std::string>& keyids) {
  return static_cast<int64_t>(
      internal::tally(canonical, signatures, internal::role_keys(keys, keyids)).valid_keys.size());
}

}  // namespace tuf
