// Private-key encryption: PKCS#8 PBES2 as notary writes it (spec 8.2) and OpenSSL's legacy
// PEM encryption notary 0.1-0.3 wrote (spec 8.3, botan2-notes item 5).
//
// The ASN.1 is built and parsed here rather than through Botan's pbes2_encrypt/decrypt:
// Botan writes a keyLength field notary does not, and its decrypt accepts ciphers (DES, SIV,
// GCM, ...) and iteration counts this reader refuses. Reading takes what OpenSSL 3 writes by
// default (PBKDF2-HMAC-SHA256, AES-256-CBC) and its usual variants; writing is always
// notary's one scheme so docker and notary can read what dtrust stores.
#include <botan/ber_dec.h>
#include <botan/cipher_mode.h>
#include <botan/der_enc.h>
#include <botan/md5.h>
#include <botan/pwdhash.h>

#include <exception>
#include <stdexcept>

#include "botan_util.h"
#include "tuf/crypto.h"

namespace tuf::crypto {
namespace {

using botan_util::to_secure;
using botan_util::to_string;

constexpr std::size_t kPbkdf2Iterations = 2048;  // spec 8.2
constexpr std::size_t kSaltSize = 8;
constexpr std::size_t kAesBlock = 16;
constexpr std::size_t kAes256KeySize = 32;
// Bounds for files from elsewhere: enough for any real key file, small enough that a hostile
// iteration count cannot stall a process. RFC 8018 4.2 recommends at least 1000 iterations;
// fewer is refused rather than silently re-encrypted into a stronger file.
constexpr std::size_t kMinPbkdf2Iterations = 1000;
constexpr std::size_t kMaxPbkdf2Iterations = 1'000'000;
constexpr std::size_t kMaxSaltSize = 1024;
// scrypt (RFC 7914 7.1, `openssl pkcs8 -scrypt`: N=16384, r=8, p=1): a cost below 1024 is
// refused as weak, memory (128 * r * N bytes) above 256 MiB or p above 16 as hostile.
constexpr const char* kOidScrypt = "1.3.6.1.4.1.11591.4.11";
constexpr std::size_t kMinScryptN = 1024;
constexpr std::size_t kMaxScryptMemory = std::size_t{256} << 20;
constexpr std::size_t kMaxScryptP = 16;

// PBKDF2 PRFs read (RFC 8018 B.1.1/B.1.2): what `openssl pkcs8 -v2prf` offers besides the
// SHA-512/t variants. HMAC-SHA1 is the default when the field is absent.
struct Prf {
  const char* oid;
  const char* name;
  const char* botan_name;
};
constexpr Prf kPrfs[] = {
    {"1.2.840.113549.2.7", "HMAC-SHA1", "PBKDF2(SHA-1)"},
    {"1.2.840.113549.2.8", "HMAC-SHA224", "PBKDF2(SHA-224)"},
    {"1.2.840.113549.2.9", "HMAC-SHA256", "PBKDF2(SHA-256)"},
    {"1.2.840.113549.2.10", "HMAC-SHA384", "PBKDF2(SHA-384)"},
    {"1.2.840.113549.2.11", "HMAC-SHA512", "PBKDF2(SHA-512)"},
};
constexpr const Prf& kHmacSha1 = kPrfs[0];

// PBES2 encryption schemes read (RFC 8018 B.2.5, NIST AES OIDs).
struct Cipher {
  const char* oid;
  const char* name;
  std::size_t key_size;
};
constexpr Cipher kCiphers[] = {
    {"2.16.840.1.101.3.4.1.2", "AES-128-CBC", 16},
    {"2.16.840.1.101.3.4.1.22", "AES-192-CBC", 24},
    {"2.16.840.1.101.3.4.1.42", "AES-256-CBC", 32},
};

// Names for schemes that are refused, so the error says what the file uses.
struct Named {
  const char* oid;
  const char* name;
};
constexpr Named kRefusedSchemes[] = {
    // PBES1 (RFC 8018 A.3): DES or RC2 with MD2/MD5/SHA-1, 56-bit keys.
    {"1.2.840.113549.1.5.1", "PBES1 pbeWithMD2AndDES-CBC"},
    {"1.2.840.113549.1.5.3", "PBES1 pbeWithMD5AndDES-CBC"},
    {"1.2.840.113549.1.5.4", "PBES1 pbeWithMD2AndRC2-CBC"},
    {"1.2.840.113549.1.5.6", "PBES1 pbeWithMD5AndRC2-CBC"},
    {"1.2.840.113549.1.5.10", "PBES1 pbeWithSHA1AndDES-CBC"},
    {"1.2.840.113549.1.5.11", "PBES1 pbeWithSHA1AndRC2-CBC"},
    // PKCS#12 PBE (RFC 7292 C), what `openssl pkcs8 -v1 PBE-SHA1-3DES` writes.
    {"1.2.840.113549.1.12.1.1", "PKCS#12 pbeWithSHAAnd128BitRC4"},
    {"1.2.840.113549.1.12.1.2", "PKCS#12 pbeWithSHAAnd40BitRC4"},
    {"1.2.840.113549.1.12.1.3", "PKCS#12 pbeWithSHAAnd3-KeyTripleDES-CBC"},
    {"1.2.840.113549.1.12.1.4", "PKCS#12 pbeWithSHAAnd2-KeyTripleDES-CBC"},
    {"1.2.840.113549.1.12.1.5", "PKCS#12 pbeWithSHAAnd128BitRC2-CBC"},
    {"1.2.840.113549.1.12.1.6", "PKCS#12 pbeWithSHAAnd40BitRC2-CBC"},
    // Inside PBES2.
    {"1.2.392.200011.61.1.1.1.2", "CAMELLIA-128-CBC"},
    {"1.2.392.200011.61.1.1.1.3", "CAMELLIA-192-CBC"},
    {"1.2.392.200011.61.1.1.1.4", "CAMELLIA-256-CBC"},
    {"1.2.840.113549.3.7", "DES-EDE3-CBC"},
    {"1.3.14.3.2.7", "DES-CBC"},
    {"1.2.840.113549.3.2", "RC2-CBC"},
    {"1.2.840.113549.2.12", "HMAC-SHA512/224"},
    {"1.2.840.113549.2.13", "HMAC-SHA512/256"},
};

std::string name_of(const Botan::OID& oid) {
  const std::string dotted = oid.to_string();
  for (const Named& n : kRefusedSchemes) {
    if (dotted == n.oid) return n.name;
  }
  return "OID " + dotted;
}

constexpr const char* kAccepted =
    "dtrust reads PBES2 with PBKDF2 (HMAC-SHA1/224/256/384/512) or scrypt and "
    "AES-128/192/256-CBC, as `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes";

Error malformed(std::string detail) {
  return make_error(ErrorKind::kMalformed, "", std::move(detail));
}
Error bad_passphrase() { return make_error(ErrorKind::kBadPassphrase, "", "incorrect passphrase"); }
Error unsupported(const std::string& what) {
  return malformed("unsupported key encryption: " + what + "; " + kAccepted);
}

Botan::secure_vector<uint8_t> pbkdf2(const Prf& prf, std::string_view passphrase,
                                     const std::vector<uint8_t>& salt, std::size_t iterations,
                                     std::size_t key_size) {
  const auto family = Botan::PasswordHashFamily::create_or_throw(prf.botan_name);
  Botan::secure_vector<uint8_t> key(key_size);
  family->from_iterations(iterations)
      ->derive_key(key.data(), key.size(), passphrase.data(), passphrase.size(), salt.data(),
                   salt.size());
  return key;
}

// AES-CBC with PKCS#7 padding. Throws (Botan::Decoding_Error) on bad padding when decrypting.
Botan::secure_vector<uint8_t> aes_cbc(Botan::Cipher_Dir direction,
                                      const Botan::secure_vector<uint8_t>& key,
                                      const std::vector<uint8_t>& iv, std::string_view input) {
  const std::string name = "AES-" + std::to_string(key.size() * 8) + "/CBC/PKCS7";
  const auto cipher = Botan::Cipher_Mode::create_or_throw(name, direction);
  cipher->set_key(key);
  cipher->start(iv);
  Botan::secure_vector<uint8_t> buffer = to_secure(input);
  cipher->finish(buffer);
  return buffer;
}

struct Pbes2Parameters {
  bool scrypt = false;
  std::size_t scrypt_n = 0;
  std::size_t scrypt_r = 0;
  std::size_t scrypt_p = 0;
  const Prf* prf = &kHmacSha1;  // PBKDF2 only
  const Cipher* cipher = nullptr;
  std::size_t key_length = 0;  // the optional PBKDF2 keyLength field, 0 when absent
  std::vector<uint8_t> salt;
  std::size_t iterations = 0;  // PBKDF2 only
  std::vector<uint8_t> iv;
};

// The scrypt bounds above; `out` holds the parsed parameters.
Status check_scrypt(const Pbes2Parameters& out) {
  const std::string params = "scrypt with N=" + std::to_string(out.scrypt_n) +
                             ", r=" + std::to_string(out.scrypt_r) +
                             ", p=" + std::to_string(out.scrypt_p);
  const bool power_of_two = out.scrypt_n != 0 && (out.scrypt_n & (out.scrypt_n - 1)) == 0;
  if (!power_of_two || out.scrypt_r == 0 || out.scrypt_p == 0) return malformed("bad " + params);
  if (out.scrypt_n < kMinScryptN) {
    return unsupported(params + " (N below " + std::to_string(kMinScryptN) + ")");
  }
  if (out.scrypt_p > kMaxScryptP || out.scrypt_r > kMaxScryptMemory / 128 / out.scrypt_n) {
    return unsupported(params + " (more than 256 MiB or p above 16)");
  }
  return {};
}

// Derives the cipher key for `p`. Throws on Botan failures.
Botan::secure_vector<uint8_t> derive_key(const Pbes2Parameters& p, std::string_view passphrase) {
  if (!p.scrypt) return pbkdf2(*p.prf, passphrase, p.salt, p.iterations, p.cipher->key_size);
  const auto hash = Botan::PasswordHashFamily::create_or_throw("Scrypt")->from_params(
      p.scrypt_n, p.scrypt_r, p.scrypt_p);
  Botan::secure_vector<uint8_t> key(p.cipher->key_size);
  hash->derive_key(key.data(), key.size(), passphrase.data(), passphrase.size(), p.salt.data(),
                   p.salt.size());
  return key;
}

// PBES2-params (RFC 8018 A.4): PBKDF2 with one of kPrfs or scrypt, and one of kCiphers.
Result<Pbes2Parameters> parse_pbes2_parameters(const std::vector<uint8_t>& encoded) {
  Botan::AlgorithmIdentifier kdf;
  Botan::AlgorithmIdentifier cipher;
  Pbes2Parameters out;
  Botan::AlgorithmIdentifier prf;
  try {
    Botan::BER_Decoder(encoded)
        .start_cons(Botan::SEQUENCE)
        .decode(kdf)
        .decode(cipher)
        .end_cons()
        .verify_end();
    if (kdf.get_oid() == Botan::OID(kOidScrypt)) {
      out.scrypt = true;
      Botan::BER_Decoder(kdf.get_parameters())
          .start_cons(Botan::SEQUENCE)
          .decode(out.salt, Botan::OCTET_STRING)
          .decode(out.scrypt_n)
          .decode(out.scrypt_r)
          .decode(out.scrypt_p)
          .decode_optional(out.key_length, Botan::INTEGER, Botan::UNIVERSAL, std::size_t{0})
          .end_cons()
          .verify_end();
    } else if (kdf.get_oid() == Botan::OID(botan_util::kOidPbkdf2)) {
      Botan::BER_Decoder(kdf.get_parameters())
          .start_cons(Botan::SEQUENCE)
          .decode(out.salt, Botan::OCTET_STRING)
          .decode(out.iterations)
          .decode_optional(out.key_length, Botan::INTEGER, Botan::UNIVERSAL, std::size_t{0})
          .decode_optional(prf, Botan::SEQUENCE, Botan::CONSTRUCTED, Botan::AlgorithmIdentifier())
          .end_cons()
          .verify_end();
    } else {
      return unsupported("PBES2 with key derivation " + name_of(kdf.get_oid()));
    }
    const std::string cipher_oid = cipher.get_oid().to_string();
    for (const Cipher& c : kCiphers) {
      if (cipher_oid == c.oid) out.cipher = &c;
    }
    if (out.cipher == nullptr) return unsupported("PBES2 with cipher " + name_of(cipher.get_oid()));
    Botan::BER_Decoder(cipher.get_parameters()).decode(out.iv, Botan::OCTET_STRING).verify_end();
  } catch (const std::exception&) {
    return malformed("malformed encrypted private key");
  }
  if (prf.get_oid().has_value()) {
    const std::string prf_oid = prf.get_oid().to_string();
    out.prf = nullptr;
    for (const Prf& p : kPrfs) {
      if (prf_oid == p.oid) out.prf = &p;
    }
    if (out.prf == nullptr) return unsupported("PBKDF2 with PRF " + name_of(prf.get_oid()));
  }
  if (out.key_length != 0 && out.key_length != out.cipher->key_size) {
    return malformed("derived key length " + std::to_string(out.key_length) + " does not fit " +
                     out.cipher->name);
  }
  if (out.scrypt) {
    DTRUST_TRY(check_scrypt(out));
  } else if (out.iterations < kMinPbkdf2Iterations) {
    return unsupported("PBKDF2 with " + std::to_string(out.iterations) +
                       " iterations (fewer than " + std::to_string(kMinPbkdf2Iterations) + ")");
  }
  if (out.iterations > kMaxPbkdf2Iterations) {
    return unsupported("PBKDF2 with " + std::to_string(out.iterations) + " iterations (more than " +
                       std::to_string(kMaxPbkdf2Iterations) + ")");
  }
  if (out.salt.size() > kMaxSaltSize) return malformed("key derivation salt too long");
  if (out.iv.size() != kAesBlock) {
    return malformed(std::string(out.cipher->name) + " IV is not 16 bytes");
  }
  return out;
}

// An EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING ciphertext }.
struct EncryptedKeyInfo {
  Pbes2Parameters parameters;
  std::vector<uint8_t> ciphertext;
};

Result<EncryptedKeyInfo> parse_encrypted_key_info(std::string_view encrypted_der) {
  Botan::AlgorithmIdentifier scheme;
  EncryptedKeyInfo out;
  try {
    Botan::BER_Decoder(to_secure(encrypted_der))
        .start_cons(Botan::SEQUENCE)
        .decode(scheme)
        .decode(out.ciphertext, Botan::OCTET_STRING)
        .end_cons()
        .verify_end();
  } catch (const std::exception&) {
    return malformed("malformed encrypted private key");
  }
  if (scheme.get_oid() != Botan::OID(botan_util::kOidPbes2)) {
    return unsupported(name_of(scheme.get_oid()));
  }
  DTRUST_ASSIGN_OR_RETURN(out.parameters, parse_pbes2_parameters(scheme.get_parameters()));
  if (out.ciphertext.empty() || out.ciphertext.size() % kAesBlock != 0) {
    return malformed("encrypted private key is not a whole number of AES blocks");
  }
  return out;
}

// OpenSSL's EVP_BytesToKey with MD5 and one iteration: D_i = MD5(D_{i-1} || pass || salt).
Botan::secure_vector<uint8_t> evp_bytes_to_key_md5(std::string_view passphrase,
                                                   const std::vector<uint8_t>& salt,
                                                   std::size_t key_size) {
  Botan::secure_vector<uint8_t> key;
  Botan::secure_vector<uint8_t> block;
  Botan::MD5 md5;
  while (key.size() < key_size) {
    md5.update(block);
    md5.update(reinterpret_cast<const uint8_t*>(passphrase.data()), passphrase.size());
    md5.update(salt);
    block = md5.final();
    key.insert(key.end(), block.begin(), block.end());
  }
  key.resize(key_size);
  return key;
}

// Plaintexts a right passphrase yields: one DER SEQUENCE (PKCS#8, SEC1, PKCS#1), or for the
// legacy "ED25519 PRIVATE KEY" exactly 96 raw bytes. Garbage from a wrong passphrase whose
// padding happened to check out (about 1 in 256) fails this.
bool plausible_key_plaintext(std::string_view plaintext, bool allow_raw_ed25519) {
  if (allow_raw_ed25519 && plaintext.size() == 96) return true;
  return botan_util::is_single_sequence(plaintext);
}

}  // namespace

std::string pbes2_encrypt(std::string_view private_key_info_der, std::string_view passphrase) {
  try {
    const std::vector<uint8_t> salt = botan_util::to_vector(random_bytes(kSaltSize));
    const std::vector<uint8_t> iv = botan_util::to_vector(random_bytes(kAesBlock));
    const Botan::secure_vector<uint8_t> key =
        pbkdf2(kHmacSha1, passphrase, salt, kPbkdf2Iterations, kAes256KeySize);
    const Botan::secure_vector<uint8_t> ciphertext =
        aes_cbc(Botan::ENCRYPTION, key, iv, private_key_info_der);
    // Spec 8.2: no keyLength and no prf field (HMAC-SHA1 is the default).
    std::vector<uint8_t> der;
    Botan::DER_Encoder(der)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(botan_util::kOidPbes2))
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(botan_util::kOidPbkdf2))
        .start_cons(Botan::SEQUENCE)
        .encode(salt, Botan::OCTET_STRING)
        .encode(kPbkdf2Iterations)
        .end_cons()
        .end_cons()
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID(botan_util::kOidAes256Cbc))
        .encode(iv, Botan::OCTET_STRING)
        .end_cons()
        .end_cons()
        .end_cons()
        .encode(ciphertext, Botan::OCTET_STRING)
        .end_cons();
    return to_string(der);
  } catch (const std::exception& e) {
    // Only a broken RNG or library can get here; never hand back an unusable key file.
    throw std::runtime_error(std::string("dtrust crypto: key encryption: ") + e.what());
  }
}

Result<KeyEncryption> key_encryption_of(std::string_view encrypted_der) {
  DTRUST_ASSIGN_OR_RETURN(EncryptedKeyInfo info, parse_encrypted_key_info(encrypted_der));
  const Pbes2Parameters& p = info.parameters;
  KeyEncryption out;
  out.kdf = p.scrypt ? std::string("scrypt") : std::string("PBKDF2-") + p.prf->name;
  out.cipher = p.cipher->name;
  out.iterations = p.scrypt ? 0 : p.iterations;
  out.scrypt_n = p.scrypt_n;
  // Spec 8.2: notary (and docker through it) derives with HMAC-SHA1 into AES-256-CBC only.
  out.notary_readable = !p.scrypt && p.prf == &kHmacSha1 && p.cipher->key_size == kAes256KeySize;
  return out;
}

std::string KeyEncryption::describe() const {
  const std::string cost =
      scrypt_n != 0 ? "N=" + std::to_string(scrypt_n) : std::to_string(iterations) + " iterations";
  return "PBES2 (" + kdf + ", " + cost + ", " + cipher + ")";
}

Result<std::string> pbes2_decrypt(std::string_view encrypted_der, std::string_view passphrase) {
  DTRUST_ASSIGN_OR_RETURN(EncryptedKeyInfo info, parse_encrypted_key_info(encrypted_der));
  const Pbes2Parameters& p = info.parameters;
  // botan2-notes item 3: from here on every failure means the passphrase was wrong.
  try {
    const Botan::secure_vector<uint8_t> key = derive_key(p, passphrase);
    const std::string plaintext =
        to_string(aes_cbc(Botan::DECRYPTION, key, p.iv, to_string(info.ciphertext)));
    if (!plausible_key_plaintext(plaintext, false)) return bad_passphrase();
    return plaintext;
  } catch (const std::exception&) {
    return bad_passphrase();
  }
}

Result<std::string> legacy_pem_decrypt(std::string_view ciphertext, std::string_view dek_info,
                                       std::string_view passphrase) {
  // DEK-Info: "<cipher>,<hex IV>" (RFC 1421 4.6.1.3 as OpenSSL uses it).
  const std::size_t comma = dek_info.find(',');
  if (comma == std::string_view::npos) return malformed("malformed DEK-Info header");
  const std::string_view cipher_name = dek_info.substr(0, comma);
  std::size_t key_size = 0;
  if (cipher_name == "AES-256-CBC") {
    key_size = 32;
  } else if (cipher_name == "AES-192-CBC") {
    key_size = 24;
  } else if (cipher_name == "AES-128-CBC") {
    key_size = 16;
  } else {
    return malformed("unsupported legacy PEM cipher " + std::string(cipher_name));
  }
  Result<std::string> iv_bytes = from_hex(dek_info.substr(comma + 1));
  if (!iv_bytes.ok() || iv_bytes->size() != kAesBlock) return malformed("malformed DEK-Info IV");
  if (ciphertext.empty() || ciphertext.size() % kAesBlock != 0) {
    return malformed("encrypted key is not a whole number of AES blocks");
  }
  const std::vector<uint8_t> iv = botan_util::to_vector(*iv_bytes);
  try {
    const std::vector<uint8_t> salt(iv.begin(), iv.begin() + 8);
    const Botan::secure_vector<uint8_t> key = evp_bytes_to_key_md5(passphrase, salt, key_size);
    const std::string plaintext = to_string(aes_cbc(Botan::DECRYPTION, key, iv, ciphertext));
    if (!plausible_key_plaintext(plaintext, true)) return bad_passphrase();
    return plaintext;
  } catch (const std::exception&) {
    return bad_passphrase();
  }
}

}  // namespace tuf::crypto
