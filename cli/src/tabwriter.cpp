#include "tabwriter.h"

#include <algorithm>

#include "docker_width.h"
#include "utf8.h"

namespace cli {

int TabWriter::cell_width(const std::string& cell) const {
  return measure_ == CellWidth::kDockerColumns ? docker_cell_width(cell) : rune_count(cell);
}

std::size_t TabWriter::cell_count(std::size_t line) const {
  return std::max<std::size_t>(1, lines_[line].size());
}

std::string TabWriter::render() const {
  std::string out;
  std::vector<int> widths;
  format(out, widths, 0, lines_.size());
  return out;
}

// Go's Writer.format: find the block of consecutive lines that have a cell in column
// `widths.size()`, size that column over the block, recurse for the columns to its right.
void TabWriter::format(std::string& out, std::vector<int>& widths, std::size_t line0,
                       std::size_t line1) const {
  const std::size_t column = widths.size();
  for (std::size_t line = line0; line < line1; ++line) {
    if (column + 1 >= cell_count(line)) continue;
    write_lines(out, widths, line0, line);
    line0 = line;
    int width = min_width_;
    for (; line < line1; ++line) {
      if (column + 1 >= cell_count(line)) break;
      width = std::max(width, cell_width(lines_[line][column]) + padding_);
    }
    widths.push_back(width);
    format(out, widths, line0, line);
    widths.pop_back();
    line0 = line;
  }
  write_lines(out, widths, line0, line1);
}

void TabWriter::write_lines(std::string& out, const std::vector<int>& widths, std::size_t line0,
                            std::size_t line1) const {
  for (std::size_t line = line0; line < line1; ++line) {
    const auto& cells = lines_[line];
    for (std::size_t j = 0; j < cells.size(); ++j) {
      out += cells[j];
      if (j < widths.size()) {
        const int pad = widths[j] - cell_width(cells[j]);
        if (pad > 0) out.append(static_cast<std::size_t>(pad), ' ');
      }
    }
    out += '\n';
  }
}

}  // namespace cli
