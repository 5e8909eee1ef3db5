// The Guard lexer: scans one token of a requested kind at a byte offset (see token.h for why it
// is driven by the parser rather than run ahead of it).
//
// Every scan mirrors the nom combinator cfn-guard 3.1.1 uses for that token, including its
// quirks, because accepting exactly the files cfn-guard accepts is the point:
//  - names start with an ASCII letter and go on with letters, digits (Unicode, as Rust's
//    char::is_alphanumeric) and '_';
//  - strings know one escape, a backslash before the closing delimiter; `\n` stays two chars;
//  - floats need a fraction or a signed exponent (`1.5`, `2e+3`; `1e5` is the int 1 then `e5`),
//    and there are no negative float literals;
//  - a regex is `/…/` with `\/` for a slash, non-empty, and must compile (fancy-regex syntax).
// The text must be valid UTF-8 (Parse() checks). Never throws; all methods are const.
#pragma once

#include <cstdint>
#include <string_view>

#include "guard/token.h"

namespace vigil::guard {

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::string_view text() const { return text_; }
  bool AtEnd(std::uint32_t p) const { return p >= text_.size(); }
  // The byte at p, or '\0' at the end.
  char At(std::uint32_t p) const { return p < text_.size() ? text_[p] : '\0'; }
  bool StartsWith(std::uint32_t p, std::string_view s) const {
    return text_.substr(std::min<size_t>(p, text_.size())).starts_with(s);
  }

  // Whitespace: multispace (' ', '\t', '\r', '\n') and space (' ', '\t') runs. Return the end.
  std::uint32_t Multispace0(std::uint32_t p) const;
  std::uint32_t Space0(std::uint32_t p) const;
  // A `#` comment up to (not including) the next '\n', then any multispace; 0 if none at p.
  // Returns the end, or p when there is no comment.
  std::uint32_t Comment(std::uint32_t p) const;
  // Any run of whitespace and comments (cfn-guard's zero_or_more_ws_or_comment).
  std::uint32_t Trivia(std::uint32_t p) const;

  // var_name: an ASCII letter, then Unicode letters/digits or '_'.
  Token Name(std::uint32_t p) const;
  // A bare key in a map literal: one or more Unicode letters/digits, '-' or '_'.
  Token KeyPart(std::uint32_t p) const;
  // '…' or "…". kMalformed when the closing quote is missing.
  Token String(std::uint32_t p) const;
  // [-]digits as an i64 (kNoMatch on overflow, as cfn-guard's map_res).
  Token Int(std::uint32_t p) const;
  // A float literal as cfn-guard's parse_float accepts it (see above).
  Token Float(std::uint32_t p) const;
  // /…/ with a pattern that compiles; kNoMatch (with `error` set) when it does not.
  Token Regex(std::uint32_t p) const;
  // One UTF-8 character.
  Token AnyChar(std::uint32_t p) const;

  // Decodes the UTF-8 character at p; `len` gets its length (1 for an invalid byte, which
  // decodes as U+FFFD).
  char32_t Decode(std::uint32_t p, std::uint32_t& len) const;

 private:
  std::string_view text_;
};

// Rust's char::is_alphanumeric for ASCII, and a table-driven approximation for other code
// points (letters and digits of the common scripts; punctuation, symbols, spaces, combining
// marks and emoji are not alphanumeric).
bool IsAlphanumeric(char32_t c);

// The offset of the first byte that is not part of valid UTF-8, or npos when all of it is.
size_t FindInvalidUtf8(std::string_view s);

}  // namespace vigil::guard
