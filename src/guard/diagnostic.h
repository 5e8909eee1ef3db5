// Syntax diagnostics for Guard rules files.
//
// A Diagnostic says where parsing stopped and why. Format() renders it the way compilers do:
//
//   rules.guard:3:17: error: expected ']' or a clause, found '}'
//       %x.Properties[ A == 1 }
//                             ^
//
// The caret sits under the column (tabs in the echoed line are kept, so the caret lines up in a
// terminal that expands them the same way).
#pragma once

#include <string>
#include <vector>

#include "guard/source.h"

namespace vigil::guard {

struct Diagnostic {
  std::uint32_t offset = 0;  // byte offset in the source
  std::uint32_t line = 1;
  std::uint32_t column = 1;  // 1-based, UTF-8 code points
  // What went wrong, as a phrase ("expected '}' or a clause, found end of file").
  std::string message;
  // The things that would have been accepted at that position, for tools and tests.
  std::vector<std::string> expected;
};

// "file:line:col: error: message", the offending line, and a caret line (each ending in '\n').
std::string Format(const Source& source, const Diagnostic& diagnostic);

}  // namespace vigil::guard
