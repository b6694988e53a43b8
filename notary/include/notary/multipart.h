// multipart/form-data bodies for the publish request (protocol spec 1.4), byte-for-byte as
// Go's mime/multipart Writer produces them with CreateFormFile:
//
//   --<boundary>\r\n
//   Content-Disposition: form-data; name="files"; filename="<role>"\r\n
//   Content-Type: application/octet-stream\r\n
//   \r\n
//   <exact metadata bytes>
//   \r\n--<boundary>\r\n ... (next part)
//   \r\n--<boundary>--\r\n
//
// Pure functions apart from the random boundary; safe to call from any thread.
#ifndef DTRUST_NOTARY_MULTIPART_H_
#define DTRUST_NOTARY_MULTIPART_H_

#include <string>
#include <string_view>
#include <vector>

#include "tuf/result.h"

namespace notary {

struct MultipartFile {
  std::string filename;  // the role name without ".json": "targets", "targets/releases"
  std::string content;   // exact bytes, sent unchanged
};

struct MultipartBody {
  std::string content_type;  // "multipart/form-data; boundary=<boundary>"
  std::string body;
};

// Builds the body with a given boundary. Errors (kInternal): a boundary that is not 1-70
// characters of RFC 2046 bchars (no trailing space), or that occurs inside a part's content.
tuf::Result<MultipartBody> build_multipart_form_with_boundary(
    const std::vector<MultipartFile>& files, std::string_view boundary,
    std::string_view field_name = "files");

// The publish body: field name "files" and a fresh random boundary (60 lower-case hex
// characters, like Go's).
MultipartBody build_multipart_form(const std::vector<MultipartFile>& files);

// 30 random bytes as lower-case hex.
std::string random_multipart_boundary();

}  // namespace notary

#endif  // DTRUST_NOTARY_MULTIPART_H_
