// Column widths docker 28.2.2 gives table cells (measured with the real binary).
#include <catch2/catch.hpp>

#include "docker_width.h"
#include "tabwriter.h"

using cli::docker_cell_width;

TEST_CASE("docker width: ASCII and East Asian wide text", "[docker-width]") {
  CHECK(docker_cell_width("latest") == 6);
  CHECK(docker_cell_width("日本語") == 6);
  CHECK(docker_cell_width("ünïcödé-日本語") == 14);
  CHECK(docker_cell_width("\uFF21\u3000") == 4);  // fullwidth A, ideographic space
  CHECK(docker_cell_width("\U00020000") == 2);    // plane 2 (CJK extension B)
  CHECK(docker_cell_width("\U0001F600") == 2);    // emoji presentation
  CHECK(docker_cell_width("\u2764") == 1);        // text-presentation pictograph
}

TEST_CASE("docker width: marks and format characters add nothing", "[docker-width]") {
  CHECK(docker_cell_width("e\u0301") == 1);
  CHECK(docker_cell_width("\u4e00\u0301") == 2);
  CHECK(docker_cell_width("line\u2028sep\u2029end") == 10);
  CHECK(docker_cell_width("a\u200db") == 2);
  CHECK(docker_cell_width("\u0915\u093e") == 1);  // Devanagari ka + spacing vowel sign
  CHECK(docker_cell_width("\u0e01\u0e33") == 1);  // Thai sara am after a consonant
  CHECK(docker_cell_width("a\u0085b") == 2);
  CHECK(docker_cell_width("\u2764\ufe0f") == 1);
  CHECK(docker_cell_width("#\ufe0f\u20e3") == 1);
}

TEST_CASE("docker width: multi-code-point clusters count once", "[docker-width]") {
  CHECK(docker_cell_width("\U0001F1E9") == 1);
  CHECK(docker_cell_width("\U0001F1E9\U0001F1EA") == 1);            // a flag
  CHECK(docker_cell_width("\U0001F1E9\U0001F1EA\U0001F1EB") == 2);  // flag + one
  CHECK(docker_cell_width("\U0001F468\u200d\U0001F469") == 2);      // ZWJ sequence
  CHECK(docker_cell_width("\u2764\u200d\U0001F525") == 1);
  CHECK(docker_cell_width("\U0001F468\u200da") == 3);                         // ZWJ, then text
  CHECK(docker_cell_width("\U0001F44D\U0001F3FD") == 2);                      // skin tone
  CHECK(docker_cell_width("\U0001F3F4\U000E0067\U000E0062\U000E007F") == 2);  // tag sequence
  CHECK(docker_cell_width("\u1100\u1161") == 2);                              // L V
  CHECK(docker_cell_width("\u1100\u1161\u11a8") == 2);                        // L V T
  CHECK(docker_cell_width("\uac00\u11a8") == 2);                              // LV T
  CHECK(docker_cell_width("\u1161") == 1);                                    // lone V
}

TEST_CASE("docker width: the table layout uses it", "[docker-width][tabwriter]") {
  cli::TabWriter docker(10, 3, cli::CellWidth::kDockerColumns);
  docker.add_line({"日本語-tag", "x"});
  docker.add_line({"a", "y"});
  CHECK(docker.render() == "日本語-tag   x\na            y\n");
  cli::TabWriter notary(10, 3);
  notary.add_line({"日本語-tag", "x"});
  notary.add_line({"a", "y"});
  CHECK(notary.render() == "日本語-tag   x\na         y\n");
}
