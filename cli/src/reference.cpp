#include "reference.h"

#include <algorithm>
#include <cctype>
#include <regex>

namespace cli {
namespace {

// The grammar of distribution/reference (reference.go), as ECMAScript regular expressions.
const std::string kAlnum = "[a-z0-9]+";
const std::string kSeparator = "(?:[._]|__|[-]+)";
const std::string kPathComponent = kAlnum + "(?:" + kSeparator + kAlnum + ")*";
const std::string kDomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const std::string kDomainName = kDomainComponent + "(?:\\." + kDomainComponent + ")*";
const std::string kHost = "(?:" + kDomainName + "|\\[(?:[a-fA-F0-9:]+)\\])";
const std::string kDomain = kHost + "(?::[0-9]+)?";
const std::string kPath = kPathComponent + "(?:/" + kPathComponent + ")*";
const std::string kName = "(?:" + kDomain + "/)?" + kPath;
const std::string kTag = "[\\w][\\w.-]{0,127}";
const std::string kDigest =
    "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

const std::regex& reference_regex() {
  static const std::regex re("^(" + kName + ")(?::(" + kTag + "))?(?:@(" + kDigest + "))?$");
  return re;
}

const std::regex& name_regex() {
  static const std::regex re("^(?:(" + kDomain + ")/)?(" + kPath + ")$");
  return re;
}

constexpr std::size_t kNameTotalLengthMax = 255;
constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";

tuf::Error usage(std::string message) {
  return tuf::Error{tuf::ErrorKind::kUsage, {}, {}, std::move(message)};
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// splitDockerDomain: the first component is a registry when it has a "." or ":", is
// "localhost", or has upper case; otherwise the reference is on Docker Hub.
std::pair<std::string, std::string> split_docker_domain(std::string_view name) {
  std::string domain;
  std::string remainder;
  const auto slash = name.find('/');
  const std::string_view first = name.substr(0, slash);
  if (slash == std::string_view::npos || (first.find_first_of(".:") == std::string_view::npos &&
                                          first != "localhost" && lower(first) == first)) {
    domain = kDefaultDomain;
    remainder = name;
  } else {
    domain = first;
    remainder = name.substr(slash + 1);
  }
  if (domain == kLegacyDefaultDomain) domain = kDefaultDomain;
  if (domain == kDefaultDomain && remainder.find('/') == std::string::npos) {
    remainder = std::string(kOfficialRepoPrefix) + remainder;
  }
  return {domain, remainder};
}

// go-digest's Digest.Validate for the algorithms docker registers.
tuf::Status validate_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  const std::string algorithm = digest.substr(0, colon);
  const std::string encoded = digest.substr(colon + 1);
  std::size_t size = 0;
  if (algorithm == "sha256") size = 64;
  if (algorithm == "sha384") size = 96;
  if (algorithm == "sha512") size = 128;
  if (size == 0) {
    static const std::regex known("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$");
    if (!std::regex_match(digest, known)) return usage("invalid checksum digest format");
    return usage("unsupported digest algorithm");
  }
  if (encoded.size() != size) return usage("invalid checksum digest length");
  if (!is_lower_hex(encoded)) return usage("invalid checksum digest format");
  return {};
}

// reference.Parse over an already normalised string.
tuf::Result<ImageReference> parse(const std::string& text) {
  std::smatch m;
  if (!std::regex_match(text, m, reference_regex())) {
    if (text.empty()) return usage("repository name must have at least one component");
    if (std::regex_match(lower(text), reference_regex())) {
      return usage("repository name must be lowercase");
    }
    return usage("invalid reference format");
  }
  const std::string name = m[1].str();
  if (name.size() > kNameTotalLengthMax) {
    return usage("repository name must not be more than 255 characters");
  }
  ImageReference ref;
  std::smatch parts;
  if (std::regex_match(name, parts, name_regex())) {
    ref.domain = parts[1].str();
    ref.path = parts[2].str();
  } else {
    ref.path = name;
  }
  if (m[2].matched) ref.tag = m[2].str();
  if (m[3].matched) {
    DTRUST_TRY(validate_digest(m[3].str()));
    ref.digest = m[3].str();
  }
  return ref;
}

}  // namespace

tuf::Result<ImageReference> parse_image_reference(std::string_view text) {
  static const std::regex identifier("^[a-f0-9]{64}$");
  const std::string input(text);
  if (std::regex_match(input, identifier)) {
    return usage("invalid repository name (" + input +
                 "), cannot specify 64-byte hexadecimal strings");
  }
  auto [domain, remainder] = split_docker_domain(text);
  const std::string remote_name = remainder.substr(0, remainder.find(':'));
  if (lower(remote_name) != remote_name) {
    return usage("invalid reference format: repository name (" + remote_name +
                 ") must be lowercase");
  }
  return parse(domain + "/" + remainder);
}

}  // namespace cli
