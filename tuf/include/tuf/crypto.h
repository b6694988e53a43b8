// The cryptography dtrust needs, behind one wrapper (Botan 2 in src/botan/, nowhere else).
//
// No Botan type appears here. Byte strings are std::string holding raw bytes. Functions that
// can fail on attacker-controlled input return Result and never throw; verify() returns false
// for any malformed input.
#ifndef DTRUST_TUF_CRYPTO_H_
#define DTRUST_TUF_CRYPTO_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"
#include "tuf/time.h"

namespace tuf::crypto {

// ---- Hashes and encodings ----------------------------------------------------------------
std::string sha256(std::string_view data);   // 32 raw bytes
std::string sha512(std::string_view data);   // 64 raw bytes
std::string to_hex(std::string_view bytes);  // lower case
Result<std::string> from_hex(std::string_view hex);
std::string base64_encode(std::string_view bytes);  // standard alphabet, padded
// Strict standard base64 with padding; whitespace is not accepted.
Result<std::string> base64_decode(std::string_view text);
bool constant_time_equal(std::string_view a, std::string_view b);
std::string random_bytes(std::size_t count);  // from the system RNG

// Sets up now the pool of locked memory that keeps secrets (private keys, key-derivation
// state) out of swap; it is otherwise set up by the first hash or key operation. Botan sizes it
// from BOTAN_MLOCK_POOL_SIZE (KiB; 0: no pool) and maps, guards and locks it page by page.
// Call it while the process has one thread: each protection change made while threads run on
// other CPUs interrupts them all to flush their TLBs (a 64 KiB pool: 1.2-1.4 ms of a publish's
// CPU).
void prepare_locked_memory();

// ---- Public keys and certificates ----------------------------------------------------------
enum class KeyAlgorithm { kEcdsa, kRsa, kEd25519 };

// Facts about a SubjectPublicKeyInfo.
struct SpkiInfo {
  KeyAlgorithm algorithm = KeyAlgorithm::kEcdsa;
  std::size_t key_bits = 0;  // RSA modulus bits, EC field bits (256 for P-256), 256 for Ed25519
};
// Parses DER SPKI (ECDSA on P-256/P-384/P-521, RSA, Ed25519 RFC 8410).
Result<SpkiInfo> parse_spki(std::string_view spki_der);

struct CertificateInfo {
  std::string der;          // the certificate, DER
  std::string common_name;  // subject CN ("" if absent)
  bool is_ca = false;       // BasicConstraints CA:TRUE
  Time not_before;
  Time not_after;
  std::string spki_der;  // SubjectPublicKeyInfo of the certified key
  SpkiInfo key;
  bool sha1_signature = false;  // signed with a SHA-1 based algorithm
};
// Parses every CERTIFICATE block of a PEM text, in order. Fails (kMalformed) on no block or
// an unparsable certificate.
Result<std::vector<CertificateInfo>> parse_certificate_pem(std::string_view pem);
// Go's PEM encoding: header line, base64 in 64-character lines, footer, every line LF-ended.
std::string pem_encode(std::string_view label, std::string_view der);

enum class SignatureScheme {
  kEcdsaSha256Raw,     // notary "ecdsa": SHA-256, raw r||s padded to the curve size
  kRsaPssSha256,       // notary "rsapss": SHA-256, MGF1-SHA-256, salt 32
  kRsaPkcs1v15Sha256,  // notary "rsapkcs1v15": verify only
  kEd25519,            // notary "eddsa"
};
// Verifies `signature` over `message`. `key` is DER SPKI for ECDSA/RSA and the raw 32-byte
// public key for Ed25519. Returns false on any mismatch or malformed input (wrong scheme for
// the key, DER-encoded ECDSA signature, wrong length, ...). RSA keys under 2048 bits fail.
bool verify(KeyAlgorithm algorithm, std::string_view key, SignatureScheme scheme,
            std::string_view message, std::string_view signature);

// ---- Private keys ---------------------------------------------------------------------------
// An in-memory private key. Copyable handle; thread-compatible.
class PrivateKey {
 public:
  // A new ECDSA P-256 key from the system RNG.
  static PrivateKey generate_ecdsa_p256();
  // A new Ed25519 key (tests and the in-process fake server only; notary clients never create one).
  static PrivateKey generate_ed25519();

  // PKCS#8 PrivateKeyInfo DER: version 0 or 1; ECDSA (any named curve), RSA, Ed25519 under
  // RFC 8410's OID or notary's 1.3.6.1.4.1.11591.15.1 (96 bytes: public || seed || public).
  static Result<PrivateKey> from_pkcs8(std::string_view der);
  static Result<PrivateKey> from_sec1(std::string_view der);   // "EC PRIVATE KEY"
  static Result<PrivateKey> from_pkcs1(std::string_view der);  // "RSA PRIVATE KEY"
  // Notary's legacy "ED25519 PRIVATE KEY": 96 raw bytes (public || seed || public).
  static Result<PrivateKey> from_raw_ed25519(std::string_view bytes);

  KeyAlgorithm algorithm() const;
  // DER SPKI for ECDSA/RSA; raw 32 bytes for Ed25519 (what TUF `keyval.public` holds).
  std::string public_key() const;
  // DER SPKI for every algorithm (PEM "PUBLIC KEY" files).
  std::string public_spki_der() const;
  // The scheme sign() produces: kEcdsaSha256Raw, kRsaPssSha256 or kEd25519.
  SignatureScheme scheme() const;
  // Signs exactly as notary: ECDSA over SHA-256 as raw r||s; RSA-PSS SHA-256 salt 32; Ed25519.
  std::string sign(std::string_view message) const;
  // PrivateKeyInfo DER as notary writes it (ECDSA: version 1, SEC1 inside with the curve OID
  // and public key; RSA: version 0; Ed25519: notary's OID and 96-byte layout).
  std::string to_pkcs8() const;

  struct Impl;

 private:
  explicit PrivateKey(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

// PKCS#8 EncryptedPrivateKeyInfo exactly as notary writes it: PBES2, PBKDF2-HMAC-SHA1, 2048
// iterations, 8-byte random salt, AES-256-CBC with a 16-byte random IV, no keyLength/prf fields.
std::string pbes2_encrypt(std::string_view private_key_info_der, std::string_view passphrase);
// Decrypts a PKCS#8 EncryptedPrivateKeyInfo using PBES2 with PBKDF2 (PRF HMAC-SHA1, -SHA224,
// -SHA256, -SHA384 or -SHA512; 1000 to 1,000,000 iterations) or scrypt (N >= 1024, at most
// 256 MiB) and AES-128/192/256-CBC: notary's files and what `openssl pkcs8 -topk8 -v2 aes-...`
// (OpenSSL 3 defaults to hmacWithSHA256) or `-scrypt` writes. Any failure after parsing the
// outer structure -- bad padding, garbage plaintext -- is kBadPassphrase. Other schemes
// (PBES1/PKCS#12 PBE with DES, 3DES, RC2 or RC4; DES, 3DES, Camellia inside PBES2; fewer than
// 1000 iterations) are kMalformed with a detail starting "unsupported key encryption: " and
// naming the scheme; a malformed structure is kMalformed.
Result<std::string> pbes2_decrypt(std::string_view encrypted_der, std::string_view passphrase);

// How an EncryptedPrivateKeyInfo pbes2_decrypt accepts is encrypted, read without a passphrase.
struct KeyEncryption {
  std::string kdf;             // "PBKDF2-HMAC-SHA256" or "scrypt"
  std::string cipher;          // "AES-256-CBC"
  std::size_t iterations = 0;  // PBKDF2 iterations; 0 for scrypt
  std::size_t scrypt_n = 0;    // scrypt cost N; 0 for PBKDF2
  // PBKDF2-HMAC-SHA1 with AES-256-CBC: the one scheme notary and docker can decrypt (spec 8.2).
  bool notary_readable = false;
  // "PBES2 (PBKDF2-HMAC-SHA256, 2048 iterations, AES-256-CBC)".
  std::string describe() const;
};
// Errors as pbes2_decrypt's for the same input, without the kBadPassphrase case.
Result<KeyEncryption> key_encryption_of(std::string_view encrypted_der);
// OpenSSL "traditional" PEM encryption: DEK-Info AES-256-CBC (also AES-128-CBC), key =
// EVP_BytesToKey(MD5, salt = IV[0..8), 1 iteration). Bad padding is kBadPassphrase.
Result<std::string> legacy_pem_decrypt(std::string_view ciphertext, std::string_view dek_info,
                                       std::string_view passphrase);

// A self-signed root certificate as notary makes it (spec 7.3): v3, random 128-bit serial,
// subject = issuer = CN=<common_name>, validity [not_before, not_after], KeyUsage critical
// digitalSignature+keyEncipherment, ExtKeyUsage codeSigning, BasicConstraints critical CA:FALSE,
// ecdsa-with-SHA256. Returns DER.
Result<std::string> make_self_signed_certificate(const PrivateKey& key,
                                                 std::string_view common_name, Time not_before,
                                                 Time not_after);

}  // namespace tuf::crypto

#endif  // DTRUST_TUF_CRYPTO_H_
