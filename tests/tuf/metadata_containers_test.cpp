// The model's compact containers: tuf::Hashes (std::map's lookup semantics on a sorted vector;
// the serialisers rely on the name order, the parser on emplace_hint refusing duplicates) and
// tuf::OptionalText (std::optional<std::string>'s semantics behind one pointer).
#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "tuf/metadata.h"

TEST_CASE("Hashes: names stay sorted and unique whatever the insertion order", "[hashes]") {
  tuf::Hashes h;
  h["sha512"] = "b";
  h["md5"] = "c";
  h["sha256"] = "a";
  h["sha256"] = "a2";  // operator[] on a present name replaces nothing but the value
  std::vector<std::string> names;
  for (const auto& [name, digest] : h) names.push_back(name);
  CHECK(names == std::vector<std::string>{"md5", "sha256", "sha512"});
  CHECK(h.size() == 3);
  CHECK(h.at("sha256") == "a2");
  CHECK(h.count("sha512") == 1);
  CHECK(h.count("sha1") == 0);
  CHECK(h.find("sha1") == h.end());
  CHECK_THROWS_AS(h.at("sha1"), std::out_of_range);
}

TEST_CASE("Hashes: emplace_hint keeps the first digest for a name", "[hashes]") {
  tuf::Hashes h;
  CHECK(h.emplace_hint(h.end(), "sha256", "first").second);
  CHECK_FALSE(h.emplace_hint(h.end(), "sha256", "second").second);
  CHECK(h.emplace_hint(h.begin(), "sha1", "x").second);
  CHECK(h.at("sha256") == "first");
  CHECK(h.begin()->first == "sha1");
}

TEST_CASE("Hashes: equality is by content, not insertion order", "[hashes]") {
  const tuf::Hashes a = {{"sha256", "x"}, {"sha512", "y"}};
  tuf::Hashes b;
  b["sha512"] = "y";
  b["sha256"] = "x";
  CHECK(a == b);
  b["sha512"] = "z";
  CHECK_FALSE(a == b);
  CHECK(tuf::Hashes{}.empty());
}

TEST_CASE("OptionalText: absent or a string, copied deeply, compared by content", "[hashes]") {
  tuf::OptionalText none;
  CHECK_FALSE(none.has_value());
  CHECK_FALSE(static_cast<bool>(none));
  CHECK(none == tuf::OptionalText(std::nullopt));
  tuf::OptionalText text = std::string(R"({"a":1})");
  REQUIRE(text.has_value());
  CHECK(*text == R"({"a":1})");
  CHECK(text->size() == 7);
  tuf::OptionalText copy = text;
  text = std::string("changed");
  CHECK(*copy == R"({"a":1})");  // the copy owns its own text
  CHECK_FALSE(copy == text);
  CHECK_FALSE(copy == none);
  copy = text;
  CHECK(copy == text);
  tuf::OptionalText moved = std::move(copy);
  CHECK(*moved == "changed");
}
