// UTF-8 decoding with Go's rules, shared by the Go-compatible output code.
#ifndef DTRUST_CLI_UTF8_H_
#define DTRUST_CLI_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cli {

// The length of the valid UTF-8 sequence starting at text[i] and its code point in `cp`;
// 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates and values above
// U+10FFFF are invalid, as in Go). REQUIRES: i < text.size().
std::size_t decode_utf8(std::string_view text, std::size_t i, uint32_t& cp);

// Code points in `text`, each invalid byte counting as one (Go's utf8.RuneCountInString).
int rune_count(std::string_view text);

}  // namespace cli

#endif  // DTRUST_CLI_UTF8_H_
