#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "natural_sort.h"

using cli::natural_less;

TEST_CASE("natural sort: docker's example order", "[natural]") {
  std::vector<std::string> tags = {"v10", "latest", "v2", "1.10", "v1", "v3", "1.9"};
  std::sort(tags.begin(), tags.end(), natural_less);
  CHECK(tags == std::vector<std::string>{"1.9", "1.10", "latest", "v1", "v2", "v3", "v10"});
}

TEST_CASE("natural sort: digit runs compare as numbers", "[natural]") {
  CHECK(natural_less("v9", "v10"));
  CHECK_FALSE(natural_less("v10", "v9"));
  CHECK(natural_less("a2b", "a10b"));
  CHECK(natural_less("1.2.9", "1.2.10"));
  // Equal lengths compare lexically.
  CHECK(natural_less("x123", "x124"));
}

TEST_CASE("natural sort: leading zeros are stripped, fewer zeros first on a tie", "[natural]") {
  CHECK(natural_less("v010", "v9") == false);  // 10 > 9
  CHECK(natural_less("v9", "v010"));
  CHECK(natural_less("v1", "v01"));
  CHECK_FALSE(natural_less("v01", "v1"));
  CHECK(natural_less("v01", "v001"));
  CHECK(natural_less("v0", "v00"));
}

TEST_CASE("natural sort: a digit sorts before a non-digit, a prefix first", "[natural]") {
  CHECK(natural_less("1", "a"));
  CHECK_FALSE(natural_less("a", "1"));
  CHECK(natural_less("v1", "va"));
  CHECK(natural_less("v", "v1"));
  CHECK(natural_less("abc", "abcd"));
  CHECK_FALSE(natural_less("abcd", "abc"));
  CHECK_FALSE(natural_less("same", "same"));
}

TEST_CASE("natural sort: non-digits compare as unsigned bytes", "[natural]") {
  CHECK(natural_less("Z", "a"));         // 0x5a < 0x61
  CHECK(natural_less("z", "\xc3\xbc"));  // ASCII before UTF-8 lead bytes
  CHECK(natural_less("latest", "\xc3\xbc"));
}
