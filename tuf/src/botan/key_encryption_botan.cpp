// Private-key encryption: PKCS#8 PBES2 as notary writes it (spec 8.2) and OpenSSL's legacy
// PEM encryption notary 0.1-0.3 wrote (spec 8.3, botan2-notes item 5).
//
// The ASN.1 is built and parsed here rather than through Botan's pbes2_encrypt/decrypt:
// Botan writes a keyLength field notary does not, and accepts PRFs and ciphers that docker and
// notary cannot read back.
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
// iteration count cannot stall a process.
constexpr std::size_t kMaxPbkdf2Iterations = 1'000'000;
constexpr std::size_t kMaxSaltSize = 1024;

Error malformed(std::string detail) {
  return make_error(ErrorKind::kMalformed, "", std::move(detail));
}
Error bad_passphrase() { return make_error(ErrorKind::kBadPassphrase, "", "incorrect passphrase"); }
Error unsupported(const std::string& what) {
  return malformed("unsupported PBES2 parameters: " + what);
}

Botan::secure_vector<uint8_t> pbkdf2_sha1(std::string_view passphrase,
                                          const std::vector<uint8_t>& salt,
                                          std::size_t iterations) {
  const auto family = Botan::PasswordHashFamily::create_or_throw("PBKDF2(SHA-1)");
  Botan::secure_vector<uint8_t> key(kAes256KeySize);
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
  std::vector<uint8_t> salt;
  std::size_t iterations = 0;
  std::vector<uint8_t> iv;
};

// PBES2-params (RFC 8018 A.4), accepting only what notary writes and reads: PBKDF2 with
// HMAC-SHA1 (keyLength absent or 32) and AES-256-CBC.
Result<Pbes2Parameters> parse_pbes2_parameters(const std::vector<uint8_t>& encoded) {
  Botan::AlgorithmIdentifier kdf;
  Botan::AlgorithmIdentifier cipher;
  Pbes2Parameters out;
  std::size_t key_length = 0;
  Botan::AlgorithmIdentifier prf;
  try {
    Botan::BER_Decoder(encoded)
        .start_cons(Botan::SEQUENCE)
        .decode(kdf)
        .decode(cipher)
        .end_cons()
        .verify_end();
    if (kdf.get_oid() != Botan::OID::from_string(botan_util::kOidPbkdf2)) {
      return unsupported("key derivation " + kdf.get_oid().to_formatted_string());
    }
    Botan::BER_Decoder(kdf.get_parameters())
        .start_cons(Botan::SEQUENCE)
        .decode(out.salt, Botan::OCTET_STRING)
        .decode(out.iterations)
        .decode_optional(key_length, Botan::INTEGER, Botan::UNIVERSAL, std::size_t{0})
        .decode_optional(prf, Botan::SEQUENCE, Botan::CONSTRUCTED, Botan::AlgorithmIdentifier())
        .end_cons()
        .verify_end();
    if (cipher.get_oid() != Botan::OID::from_string(botan_util::kOidAes256Cbc)) {
      return unsupported("cipher " + cipher.get_oid().to_formatted_string());
    }
    Botan::BER_Decoder(cipher.get_parameters()).decode(out.iv, Botan::OCTET_STRING).verify_end();
  } catch (const std::exception&) {
    return malformed("malformed encrypted private key");
  }
  if (prf.get_oid().has_value() &&
      prf.get_oid() != Botan::OID::from_string(botan_util::kOidHmacSha1)) {
    // OpenSSL 3's default (hmacWithSHA256) lands here; docker and notary cannot read it either.
    return unsupported("PRF " + prf.get_oid().to_formatted_string() + " (only HMAC-SHA1 is read)");
  }
  if (key_length != 0 && key_length != kAes256KeySize) {
    return unsupported("key length " + std::to_string(key_length));
  }
  if (out.iterations == 0 || out.iterations > kMaxPbkdf2Iterations) {
    return unsupported(std::to_string(out.iterations) + " iterations");
  }
  if (out.salt.size() > kMaxSaltSize) return unsupported("salt too long");
  if (out.iv.size() != kAesBlock) return malformed("AES-256-CBC IV is not 16 bytes");
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
    const Botan::secure_vector<uint8_t> key = pbkdf2_sha1(passphrase, salt, kPbkdf2Iterations);
    const Botan::secure_vector<uint8_t> ciphertext =
        aes_cbc(Botan::ENCRYPTION, key, iv, private_key_info_der);
    // Spec 8.2: no keyLength and no prf field (HMAC-SHA1 is the default).
    std::vector<uint8_t> der;
    Botan::DER_Encoder(der)
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID::from_string(botan_util::kOidPbes2))
        .start_cons(Botan::SEQUENCE)
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID::from_string(botan_util::kOidPbkdf2))
        .start_cons(Botan::SEQUENCE)
        .encode(salt, Botan::OCTET_STRING)
        .encode(kPbkdf2Iterations)
        .end_cons()
        .end_cons()
        .start_cons(Botan::SEQUENCE)
        .encode(Botan::OID::from_string(botan_util::kOidAes256Cbc))
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

Result<std::string> pbes2_decrypt(std::string_view encrypted_der, std::string_view passphrase) {
  // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING ciphertext }.
  Botan::AlgorithmIdentifier scheme;
  std::vector<uint8_t> ciphertext;
  try {
    Botan::BER_Decoder(to_secure(encrypted_der))
        .start_cons(Botan::SEQUENCE)
        .decode(scheme)
        .decode(ciphertext, Botan::OCTET_STRING)
        .end_cons()
        .verify_end();
  } catch (const std::exception&) {
    return malformed("malformed encrypted private key");
  }
  if (scheme.get_oid() != Botan::OID::from_string(botan_util::kOidPbes2)) {
    return malformed("unsupported key encryption " + scheme.get_oid().to_formatted_string());
  }
  DTRUST_ASSIGN_OR_RETURN(Pbes2Parameters parameters,
                          parse_pbes2_parameters(scheme.get_parameters()));
  if (ciphertext.empty() || ciphertext.size() % kAesBlock != 0) {
    return malformed("encrypted private key is not a whole number of AES blocks");
  }
  // botan2-notes item 3: from here on every failure means the passphrase was wrong.
  try {
    const Botan::secure_vector<uint8_t> key =
        pbkdf2_sha1(passphrase, parameters.salt, parameters.iterations);
    const std::string plaintext =
        to_string(aes_cbc(Botan::DECRYPTION, key, parameters.iv, to_string(ciphertext)));
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
