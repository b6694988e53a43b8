// Table layout with Go's text/tabwriter elastic tabstops (padding with spaces, no flags), the
// algorithm behind `notary list` (minwidth 4, padding 4) and docker's `--pretty` tables
// (minwidth 10, padding 3).
#ifndef DTRUST_CLI_TABWRITER_H_
#define DTRUST_CLI_TABWRITER_H_

#include <string>
#include <vector>

namespace cli {

// How a cell's width is measured.
enum class CellWidth {
  kCodePoints,     // Go's text/tabwriter (notary): UTF-8 code points
  kDockerColumns,  // docker's tabwriter: terminal columns (docker_width.h)
};

// Collects lines of cells and renders them. A line's cells are what Go would see between TABs:
// every cell but the last ends a column; the last is trailing text and is never padded. A
// column's width is max(min_width, widest cell + padding), computed per block of consecutive
// lines that have that column.
class TabWriter {
 public:
  TabWriter(int min_width, int padding, CellWidth measure = CellWidth::kCodePoints)
      : min_width_(min_width), padding_(padding), measure_(measure) {}

  void add_line(std::vector<std::string> cells) { lines_.push_back(std::move(cells)); }
  // The notary CLI's table head: the column names, then a line of dashes as wide as each name.
  void add_header(const std::vector<std::string>& names) {
    std::vector<std::string> dashes;
    for (const std::string& name : names) dashes.emplace_back(name.size(), '-');
    add_line(names);
    add_line(std::move(dashes));
  }
  // Every line, each ended by "\n".
  std::string render() const;

 private:
  void format(std::string& out, std::vector<int>& widths, std::size_t line0,
              std::size_t line1) const;
  void write_lines(std::string& out, const std::vector<int>& widths, std::size_t line0,
                   std::size_t line1) const;
  std::size_t cell_count(std::size_t line) const;
  int cell_width(const std::string& cell) const;

  int min_width_;
  int padding_;
  CellWidth measure_;
  std::vector<std::vector<std::string>> lines_;
};

}  // namespace cli

#endif  // DTRUST_CLI_TABWRITER_H_
