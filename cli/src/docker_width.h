// How wide docker's `--pretty` tables consider a cell: terminal columns, not code points.
//
// docker's tabwriter measures text the way a terminal shows it: East Asian wide and fullwidth
// characters take 2 columns, combining marks, format characters and other extending code
// points take none, and a grapheme cluster of several visible code points (a regional-
// indicator flag, an emoji ZWJ sequence, a conjoining Hangul syllable) counts once. The widths
// here were measured from docker 28.2.2 itself (table in docker_width.cpp), so they follow
// docker's Unicode data rather than the current standard; tests compare against the docker
// binary when it is installed.
//
// Known difference: a name that starts with a spacing mark or a format character is measured
// one column narrower than docker measures it (docker counts such a lone code point as 1).
#ifndef DTRUST_CLI_DOCKER_WIDTH_H_
#define DTRUST_CLI_DOCKER_WIDTH_H_

#include <string_view>

namespace cli {

// Columns docker's tabwriter gives `text` (invalid UTF-8 bytes count 1 each).
int docker_cell_width(std::string_view text);

}  // namespace cli

#endif  // DTRUST_CLI_DOCKER_WIDTH_H_
