#include "guard/diagnostic.h"

namespace vigil::guard {

std::string Format(const Source& source, const Diagnostic& d) {
  std::string out = source.name() + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) +
                    ": error: " + d.message + "\n";
  const std::string_view line = source.Line(d.line);
  out += "    ";
  out += line;
  out += "\n    ";
  // Walk the line's code points up to the column, keeping tabs so the caret lines up.
  std::uint32_t col = 1;
  for (size_t i = 0; i < line.size() && col < d.column; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    out += c == '\t' ? '\t' : ' ';
    ++col;
  }
  for (; col < d.column; ++col) out += ' ';
  out += "^\n";
  return out;
}

}  // namespace vigil::guard
