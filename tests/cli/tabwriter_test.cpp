#include <catch2/catch.hpp>

#include "tabwriter.h"
#include "utf8.h"

using cli::TabWriter;

TEST_CASE("tabwriter: columns are max(minwidth, widest + padding), last column unpadded",
          "[tabwriter]") {
  TabWriter t(10, 3);
  t.add_line({"SIGNER", "KEYS"});
  t.add_line({"averyveryverylongsignername", "a2f8ac94f760"});
  t.add_line({"b", ""});
  // The trailing empty cell of "b" is not padded; the first column is.
  CHECK(t.render() ==
        "SIGNER                        KEYS\n"
        "averyveryverylongsignername   a2f8ac94f760\n"
        "b                             \n");
}

TEST_CASE("tabwriter: minimum width applies to short columns", "[tabwriter]") {
  TabWriter t(10, 3);
  t.add_line({"a", "b", "c"});
  CHECK(t.render() == "a         b         c\n");
  TabWriter n(4, 4);
  n.add_line({"NAME", "ROLE"});
  n.add_line({"v1", "targets"});
  CHECK(n.render() == "NAME    ROLE\nv1      targets\n");
}

TEST_CASE("tabwriter: widths count UTF-8 code points, not bytes", "[tabwriter]") {
  TabWriter t(4, 4);
  t.add_line({"ünïcödé", "x"});  // 7 code points, 11 bytes
  t.add_line({"abc", "y"});
  CHECK(t.render() == "ünïcödé    x\nabc        y\n");
  CHECK(cli::rune_count("日本") == 2);
}

TEST_CASE("tabwriter: column blocks end at a line without that column", "[tabwriter]") {
  // Go sizes a column over consecutive lines that have it; a shorter line splits the block.
  TabWriter t(0, 1);
  t.add_line({"aaaa", "b", "c"});
  t.add_line({"x"});
  t.add_line({"y", "z"});
  CHECK(t.render() == "aaaa b c\nx\ny z\n");
}
