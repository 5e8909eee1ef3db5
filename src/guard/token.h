// Lexical tokens of the Guard language.
//
// Guard's lexical structure depends on where the parser stands (a '/' starts a regex only where
// a value may appear, `r[` starts a range only there, `<<` starts a message only after a clause,
// keywords need no word boundary, `.0` is an index after a query), so the lexer does not cut the
// text into tokens up front: the parser asks it for one kind of token at one offset, and it
// answers with a Token or says there is none (lexer.h).
#pragma once

#include <cstdint>
#include <string>

namespace vigil::guard {

enum class TokenKind {
  kNone,     // nothing of the requested kind at that offset
  kTrivia,   // whitespace and `#` comments
  kName,     // an ASCII letter, then letters, digits and '_' (var_name)
  kKeyPart,  // a bare map key in a literal: letters, digits, '-', '_'
  kString,   // '…' or "…"
  kInt,      // 10, -3
  kFloat,    // 1.5, 2e+3, 1.5e5
  kRegex,    // /…/
  kChar,     // any one character (range bounds)
  kPunct,    // a fixed spelling: operators, brackets, keywords
};

// How a scan ended. kMalformed is a hard error (cfn-guard's `cut`): the text can only be this
// token and it is broken, e.g. a string without its closing quote.
enum class ScanStatus { kOk, kNoMatch, kMalformed };

struct Token {
  TokenKind kind = TokenKind::kNone;
  ScanStatus status = ScanStatus::kNoMatch;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;  // one past the last byte
  std::string text;       // kName, kKeyPart, kString, kRegex, kChar: the decoded text
  std::int64_t integer = 0;
  double number = 0;
  char32_t character = 0;
  std::string error;  // kMalformed, and kNoMatch where a reason helps (invalid regex)

  bool ok() const { return status == ScanStatus::kOk; }
};

}  // namespace vigil::guard
