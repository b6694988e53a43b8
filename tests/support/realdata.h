// Helpers for the suites that run the engine over ../shared/realdata: third-party trust data
// (Docker Hub, connaisseur, notary, kolide, Harbor) that nobody on the team produced. The
// README there names each set's GUN, validity window and expected outcome; the tests assert
// exactly those outcomes. Nothing here copies realdata into the repository: folders that need
// other file names are assembled in a TempDir at run time.
#ifndef DTRUST_TESTS_SUPPORT_REALDATA_H_
#define DTRUST_TESTS_SUPPORT_REALDATA_H_

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "notary/folder_repo.h"
#include "test_support.h"
#include "tuf/metadata.h"
#include "tuf/result.h"
#include "tuf/time.h"

// Prints error kinds by name in Catch2 failure messages ("pin mismatch", not "9").
namespace Catch {
template <>
struct StringMaker<tuf::ErrorKind> {
  static std::string convert(tuf::ErrorKind kind) { return std::string(tuf::kind_name(kind)); }
};
}  // namespace Catch

// Skips the current test (WARN + return) when ../shared/realdata is not there.
#define DTRUST_REALDATA_OR_SKIP()                                                  \
  do {                                                                             \
    if (!testing::have_realdata()) {                                               \
      WARN("realdata absent: " << testing::realdata_dir().string()                 \
                               << " (tests over third-party trust data skipped)"); \
      return;                                                                      \
    }                                                                              \
  } while (false)

namespace testing::realdata {

// <realdata>/<relative>.
std::filesystem::path path(std::string_view relative);
// The bytes of <realdata>/<relative>; throws if unreadable (tests only).
std::string bytes(std::string_view relative);

// The wall clock now, as a reference Time (only tests read the clock).
tuf::Time wall_clock_now();

// "ok", or "<kind> [<role>]: <message>": what a failing expectation prints.
std::string describe(const tuf::Error& error);
template <class T>
std::string describe(const tuf::Result<T>& result) {
  return result.ok() ? std::string("ok") : describe(result.error());
}

// FolderRepo::open over <realdata>/<relative> (or any absolute folder).
tuf::Result<std::unique_ptr<notary::FolderRepo>> open_folder(const std::filesystem::path& dir,
                                                             const std::string& gun, tuf::Time at,
                                                             tuf::RootPin pin = {});

// Copies realdata files into `dir` under new names: {destination name, source relative path}.
// Destination names may contain folders ("targets/releases.json").
void assemble(const std::filesystem::path& dir,
              const std::vector<std::pair<std::string, std::string>>& files);

// The lower-cased `_type` of a metadata document ("root", "targets", ...); "" when the text
// is not JSON metadata. Read with a JSON library, independently of the engine.
std::string document_type(std::string_view bytes);

// The engine's wire form of a document (parse, then envelope(canonical_signed(typed),
// signatures)): byte-identical to the input when the input is in notary's wire form.
// `role` selects the parser: "root", "snapshot", "timestamp", or a targets role name.
tuf::Result<std::string> rewire(std::string_view bytes, std::string_view role);

// Hex sha256 of raw bytes, and of a FileMeta's recorded sha256 ("" if none).
std::string sha256_hex(std::string_view bytes);
std::string sha256_hex(const tuf::FileMeta& meta);

// The DER of the first "-----BEGIN <label>-----" block of a PEM text; throws if absent.
std::string pem_body_der(std::string_view pem, std::string_view label);

// Signature facts checked with the public primitives (keys.h, crypto.h) instead of a
// TrustedSet: for documents whose root can never be trusted (CA:TRUE certificates) but whose
// signatures the README documents.
struct SignatureTally {
  int valid = 0;    // signatures by eligible keys that verify
  int invalid = 0;  // signatures by eligible keys that do not verify
  int ignored = 0;  // signatures by keys that are not eligible
};
SignatureTally tally_signatures(std::string_view canonical,
                                const std::vector<tuf::Signature>& signatures,
                                const std::map<std::string, tuf::PublicKey>& keys,
                                const std::vector<std::string>& eligible_keyids);

}  // namespace testing::realdata

#endif  // DTRUST_TESTS_SUPPORT_REALDATA_H_
