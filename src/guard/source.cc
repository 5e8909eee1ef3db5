#include "guard/source.h"

#include <algorithm>

namespace vigil::guard {

Source::Source(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
}

LineColumn Source::Locate(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
  LineColumn lc;
  lc.line = static_cast<std::uint32_t>(it - line_starts_.begin()) + 1;
  lc.byte_column = offset - *it + 1;
  std::uint32_t chars = 0;
  for (std::uint32_t i = *it; i < offset; ++i)
    if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++chars;
  lc.column = chars + 1;
  return lc;
}

std::string_view Source::Line(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::uint32_t begin = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1
                                                 : static_cast<std::uint32_t>(text_.size());
  return std::string_view(text_).substr(begin, end - begin);
}

}  // namespace vigil::guard
