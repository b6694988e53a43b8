// X.509 certificates: reading notary's x509 keys (spec 3.3) and making root certificates
// (spec 7.3); Go's PEM encoding.
#include <botan/asn1_obj.h>
#include <botan/ber_dec.h>
#include <botan/bigint.h>
#include <botan/pkix_types.h>
#include <botan/pubkey.h>
#include <botan/x509_ca.h>
#include <botan/x509_ext.h>
#include <botan/x509_key.h>
#include <botan/x509cert.h>

#include <cstdio>
#include <exception>

#include "botan_util.h"
#include "tuf/crypto.h"

namespace tuf::crypto {
namespace {

Error malformed(std::string detail) {
  return make_error(ErrorKind::kMalformed, "", std::move(detail));
}

struct PemBlock {
  std::string label;
  std::string der;
};

// Go's pem.Decode loop as notary's LoadCertBundleFromPEM runs it: text outside blocks is
// skipped; the body is base64 with line breaks. Headers inside a block are refused.
Result<std::vector<PemBlock>> pem_blocks(std::string_view text) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  static constexpr std::string_view kDashes = "-----";
  std::vector<PemBlock> blocks;
  std::size_t pos = 0;
  while ((pos = text.find(kBegin, pos)) != std::string_view::npos) {
    const std::size_t label_start = pos + kBegin.size();
    const std::size_t label_end = text.find(kDashes, label_start);
    const std::size_t line_end = text.find('\n', label_start);
    if (label_end == std::string_view::npos || line_end < label_end) {
      return malformed("malformed PEM header line");
    }
    PemBlock block;
    block.label = std::string(text.substr(label_start, label_end - label_start));
    const std::string footer = "-----END " + block.label + "-----";
    const std::size_t body_start = label_end + kDashes.size();
    const std::size_t footer_pos = text.find(footer, body_start);
    if (footer_pos == std::string_view::npos) return malformed("PEM block without END line");
    std::string body;
    for (char c : text.substr(body_start, footer_pos - body_start)) {
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') body.push_back(c);
    }
    Result<std::string> der = base64_decode(body);
    if (!der.ok()) return malformed("invalid base64 in PEM block " + block.label);
    block.der = std::move(der).value();
    blocks.push_back(std::move(block));
    pos = footer_pos + footer.size();
  }
  return blocks;
}

// Botan's X509_Time in unix seconds, from its calendar fields (no time zone involved).
Result<Time> to_time(const Botan::X509_Time& time) {
  int year = 0;
  unsigned month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(time.readable_string().c_str(), "%d/%u/%u %u:%u:%u", &year, &month, &day, &hour,
                  &minute, &second) != 6) {
    return malformed("unreadable certificate validity time");
  }
  const int64_t days = days_from_civil(year, month, day);
  return Time::from_unix(days * 86400 + int64_t{hour} * 3600 + int64_t{minute} * 60 + second);
}

bool is_sha1_signature(const Botan::OID& oid) {
  static constexpr std::string_view kSha1Oids[] = {
      "1.2.840.113549.1.1.5",  // sha1WithRSAEncryption
      "1.3.14.3.2.29",         // sha1WithRSASignature (OIW)
      "1.2.840.10045.4.1",     // ecdsa-with-SHA1
      "1.2.840.10040.4.3",     // dsa-with-sha1
  };
  const std::string text = oid.to_string();
  for (std::string_view candidate : kSha1Oids) {
    if (text == candidate) return true;
  }
  return false;
}

// The fields notary reads from a certificate (RFC 5280 4.1), decoded with Botan's DER decoder
// under the same structural rules as Botan's X509_Certificate: v1-v3, equal inner and outer
// signature algorithms, an SPKI sequence, extensions only as [3], nothing after them or after
// the certificate. X509_Certificate itself is not used: for a self-signed certificate without
// key identifiers (every notary root certificate) it verifies the self-signature while parsing,
// and it hashes the subject, issuer and key -- a millisecond per warm run that notary never
// asks for (notary checks validity, CN, CA flag and key, not the self-signature).
struct DecodedCertificate {
  Botan::X509_DN subject;
  Botan::X509_Time not_before;
  Botan::X509_Time not_after;
  Botan::AlgorithmIdentifier signature_algorithm;
  std::vector<uint8_t> spki;  // SubjectPublicKeyInfo, DER (the whole SEQUENCE)
  Botan::Extensions extensions;
};

DecodedCertificate decode_certificate(const std::string& der) {
  DecodedCertificate cert;
  std::vector<uint8_t> tbs;
  std::vector<uint8_t> signature;
  Botan::BER_Decoder outer(reinterpret_cast<const uint8_t*>(der.data()), der.size());
  outer.start_cons(Botan::SEQUENCE)
      .start_cons(Botan::SEQUENCE)
      .raw_bytes(tbs)
      .end_cons()
      .decode(cert.signature_algorithm)
      .decode(signature, Botan::BIT_STRING)
      .end_cons();
  outer.verify_end("trailing data after the certificate");

  size_t version = 0;
  Botan::BigInt serial;
  Botan::AlgorithmIdentifier inner_algorithm;
  Botan::X509_DN issuer;
  Botan::BER_Decoder body(tbs);
  body.decode_optional(version, Botan::ASN1_Tag(0),
                       Botan::ASN1_Tag(Botan::CONSTRUCTED | Botan::CONTEXT_SPECIFIC))
      .decode(serial)
      .decode(inner_algorithm)
      .decode(issuer)
      .start_cons(Botan::SEQUENCE)
      .decode(cert.not_before)
      .decode(cert.not_after)
      .end_cons()
      .decode(cert.subject);
  if (version > 2) throw Botan::Decoding_Error("unknown certificate version");
  if (inner_algorithm != cert.signature_algorithm) {
    throw Botan::Decoding_Error("inner and outer signature algorithms differ");
  }
  const Botan::BER_Object key = body.get_next_object();
  if (!key.is_a(Botan::SEQUENCE, Botan::CONSTRUCTED)) {
    throw Botan::Decoding_Error("no subject public key info");
  }
  cert.spki = Botan::ASN1::put_in_sequence(key.bits(), key.length());
  std::vector<uint8_t> unique_id;
  body.decode_optional_string(unique_id, Botan::BIT_STRING, 1);
  body.decode_optional_string(unique_id, Botan::BIT_STRING, 2);
  const Botan::BER_Object extensions = body.get_next_object();
  if (extensions.is_a(3, Botan::ASN1_Tag(Botan::CONSTRUCTED | Botan::CONTEXT_SPECIFIC))) {
    Botan::BER_Decoder(extensions).decode(cert.extensions).verify_end();
  } else if (extensions.is_set()) {
    throw Botan::Decoding_Error("unexpected field in the certificate");
  }
  body.verify_end("trailing data in the certificate body");
  return cert;
}

Result<CertificateInfo> certificate_info(std::string der) {
  CertificateInfo info;
  try {
    const DecodedCertificate cert = decode_certificate(der);
    // Go keeps the last CN attribute of the subject; so does notary's CN check. Matched by
    // OID: X509_DN::get_attribute("X520.CommonName") would build Botan's table of every OID
    // name first, 0.15 ms of a warm `lookup`.
    const Botan::OID common_name("2.5.4.3");  // id-at-commonName (RFC 5280 A.1)
    for (const auto& [oid, value] : cert.subject.dn_info()) {
      if (oid == common_name) info.common_name = value.value();
    }
    // Go's IsCA: BasicConstraints cA alone. (Botan's is_CA_cert() also wants keyCertSign.)
    const auto* constraints =
        cert.extensions.get_extension_object_as<Botan::Cert_Extension::Basic_Constraints>();
    info.is_ca = constraints != nullptr && constraints->get_is_ca();
    DTRUST_ASSIGN_OR_RETURN(info.not_before, to_time(cert.not_before));
    DTRUST_ASSIGN_OR_RETURN(info.not_after, to_time(cert.not_after));
    info.spki_der = botan_util::to_string(cert.spki);
    info.sha1_signature = is_sha1_signature(cert.signature_algorithm.get_oid());
  } catch (const std::exception&) {
    return malformed("unparsable certificate");
  }
  Result<SpkiInfo> key = parse_spki(info.spki_der);
  if (!key.ok()) return malformed("certificate key: " + key.error().detail);
  info.key = key.value();
  info.der = std::move(der);
  return info;
}

// "YYYYMMDDHHMMSSZ" (GeneralizedTime) or "YYMMDDHHMMSSZ" (UTCTime) as RFC 5280 4.1.2.5
// requires: UTCTime through 2049, GeneralizedTime from 2050.
Result<Botan::X509_Time> to_x509_time(Time t) {
  const std::string rfc3339 = format_rfc3339_utc(Time{t.seconds, 0});  // YYYY-MM-DDTHH:MM:SSZ
  if (rfc3339.size() != 20)
    return make_error(ErrorKind::kUsage, "", "certificate time out of range");
  const int year = std::stoi(rfc3339.substr(0, 4));
  if (year < 1950) return make_error(ErrorKind::kUsage, "", "certificate time out of range");
  std::string digits;
  for (char c : rfc3339) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  if (year < 2050) return Botan::X509_Time(digits.substr(2) + "Z", Botan::UTC_TIME);
  return Botan::X509_Time(digits + "Z", Botan::GENERALIZED_TIME);
}

}  // namespace

Result<std::vector<CertificateInfo>> parse_certificate_pem(std::string_view pem) {
  DTRUST_ASSIGN_OR_RETURN(std::vector<PemBlock> blocks, pem_blocks(pem));
  if (blocks.empty()) return malformed("no PEM block in certificate data");
  std::vector<CertificateInfo> certificates;
  for (PemBlock& block : blocks) {
    // Notary refuses a bundle with any other block type ("invalid pem block type").
    if (block.label != "CERTIFICATE") return malformed("unexpected PEM block " + block.label);
    DTRUST_ASSIGN_OR_RETURN(CertificateInfo info, certificate_info(std::move(block.der)));
    certificates.push_back(std::move(info));
  }
  return certificates;
}

std::string pem_encode(std::string_view label, std::string_view der) {
  const std::string body = base64_encode(der);
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64) {
    out.append(body, i, 64);
    out.push_back('\n');
  }
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

// Spec 7.3: what notary's cryptoservice.GenerateCertificate makes for a root key.
Result<std::string> make_self_signed_certificate(const PrivateKey& key,
                                                 std::string_view common_name, Time not_before,
                                                 Time not_after) {
  if (key.algorithm() == KeyAlgorithm::kEd25519) {
    return make_error(ErrorKind::kUsage, "", "notary root certificates need an ECDSA or RSA key");
  }
  if (not_after < not_before) {
    return make_error(ErrorKind::kUsage, "", "certificate validity ends before it starts");
  }
  DTRUST_ASSIGN_OR_RETURN(Botan::X509_Time start, to_x509_time(not_before));
  DTRUST_ASSIGN_OR_RETURN(Botan::X509_Time end, to_x509_time(not_after));
  // PrivateKey does not expose its Botan object; its PKCS#8 form rebuilds one here.
  DTRUST_ASSIGN_OR_RETURN(std::shared_ptr<const PrivateKey::Impl> impl,
                          botan_util::load_pkcs8_impl(key.to_pkcs8()));
  try {
    Botan::X509_DN subject;
    subject.add_attribute("X520.CommonName", std::string(common_name));
    // Spec 7.3 extensions (their order in the certificate carries no meaning).
    Botan::Extensions extensions;
    extensions.add_new(new Botan::Cert_Extension::Key_Usage(Botan::Key_Constraints(
                           Botan::DIGITAL_SIGNATURE | Botan::KEY_ENCIPHERMENT)),
                       true);
    extensions.add_new(new Botan::Cert_Extension::Extended_Key_Usage(
                           {Botan::OID("1.3.6.1.5.5.7.3.3")}),  // codeSigning
                       false);
    extensions.add_new(new Botan::Cert_Extension::Basic_Constraints(false), true);

    Botan::RandomNumberGenerator& rng = botan_util::system_rng();
    Botan::AlgorithmIdentifier signature_algorithm;
    // ECDSA: ecdsa-with-SHA256 (DER signature, as X.509 wants); RSA: sha256WithRSAEncryption.
    const std::unique_ptr<Botan::PK_Signer> signer(
        Botan::choose_sig_format(*impl->key, rng, "SHA-256", signature_algorithm));
    // make_cert draws a random 128-bit serial number.
    const Botan::X509_Certificate cert = Botan::X509_CA::make_cert(
        signer.get(), rng, signature_algorithm, Botan::X509::BER_encode(*impl->key), start, end,
        subject, subject, extensions);
    return botan_util::to_string(cert.BER_encode());
  } catch (const std::exception&) {
    return make_error(ErrorKind::kInternal, "", "could not create the root certificate");
  }
}

}  // namespace tuf::crypto
