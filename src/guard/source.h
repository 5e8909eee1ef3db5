// Guard rule source text and positions in it.
//
// A Source owns the text of one rules file and its name (used in diagnostics). Positions are
// byte offsets; Locate() turns an offset into a 1-based line and a 1-based column counted in
// UTF-8 code points, the way cfn-guard (nom_locate's get_utf8_column) reports them. Lines end at
// '\n' only: a '\r' before it counts as a character of the line, as in cfn-guard.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::guard {

// Where a syntax node starts and ends in its Source. `line` and `column` describe `begin`.
struct Span {
  std::uint32_t begin = 0;   // byte offset of the first character
  std::uint32_t end = 0;     // byte offset one past the last character
  std::uint32_t line = 0;    // 1-based; 0 for nodes the parser synthesised
  std::uint32_t column = 0;  // 1-based, in UTF-8 code points
};

struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;       // in UTF-8 code points
  std::uint32_t byte_column = 1;  // in bytes
};

class Source {
 public:
  Source(std::string name, std::string text);

  const std::string& name() const { return name_; }
  std::string_view text() const { return text_; }

  // Line and column of a byte offset (offsets past the end give the end of the text).
  LineColumn Locate(std::uint32_t offset) const;
  // The text of a 1-based line, without its '\n'.
  std::string_view Line(std::uint32_t line) const;

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;  // byte offset where each line begins
};

}  // namespace vigil::guard
