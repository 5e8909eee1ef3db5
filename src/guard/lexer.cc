#include "guard/lexer.h"

#include <charconv>
#include <limits>
#include <string>

#include "guard/regex_syntax.h"

namespace vigil::guard {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct CodeRange {
  char32_t lo, hi;
};

// Non-ASCII code points that are NOT alphanumeric; everything else at or above U+0080 is taken
// to be. Covers the punctuation, symbol, space, combining-mark and emoji blocks.
constexpr CodeRange kNotAlphanumeric[] = {
    {0x80, 0xA9},     {0xAB, 0xB1},       {0xB4, 0xB4},       {0xB6, 0xB8},        {0xBB, 0xBB},
    {0xBF, 0xBF},     {0xD7, 0xD7},       {0xF7, 0xF7},       {0x2C2, 0x2C5},      {0x2D2, 0x2DF},
    {0x2E5, 0x2EB},   {0x2ED, 0x2ED},     {0x2EF, 0x344},     {0x346, 0x36F},      {0x375, 0x375},
    {0x37E, 0x37E},   {0x384, 0x385},     {0x387, 0x387},     {0x3F6, 0x3F6},      {0x482, 0x489},
    {0x55A, 0x55F},   {0x589, 0x58F},     {0x591, 0x5AF},     {0x5BE, 0x5BE},      {0x5C0, 0x5C0},
    {0x5C3, 0x5C3},   {0x5C6, 0x5C6},     {0x5F3, 0x60F},     {0x61B, 0x61F},      {0x66A, 0x66D},
    {0x6D4, 0x6D4},   {0x6DD, 0x6DE},     {0x6E9, 0x6E9},     {0x964, 0x965},      {0x970, 0x970},
    {0x1680, 0x1680}, {0x2000, 0x206F},   {0x207A, 0x207E},   {0x208A, 0x208E},    {0x20A0, 0x20FF},
    {0x2190, 0x245F}, {0x249C, 0x24B5},   {0x2500, 0x2775},   {0x2794, 0x2BFF},    {0x2E00, 0x2E7F},
    {0x3000, 0x3004}, {0x3008, 0x3020},   {0x302A, 0x3030},   {0x3036, 0x3037},    {0x303D, 0x303F},
    {0x3099, 0x309C}, {0x30A0, 0x30A0},   {0x30FB, 0x30FB},   {0xD800, 0xF8FF},    {0xFE00, 0xFE6F},
    {0xFEFF, 0xFEFF}, {0xFF00, 0xFF0F},   {0xFF1A, 0xFF20},   {0xFF3B, 0xFF40},    {0xFF5B, 0xFF65},
    {0xFFE0, 0xFFFF}, {0x1D100, 0x1D3FF}, {0x1F000, 0x1FBFF}, {0xE0000, 0x10FFFF},
};

}  // namespace

bool IsAlphanumeric(char32_t c) {
  if (c < 0x80) return IsAsciiAlpha(static_cast<char>(c)) || IsDigit(static_cast<char>(c));
  for (const auto& r : kNotAlphanumeric) {
    if (c < r.lo) return true;
    if (c <= r.hi) return false;
  }
  return true;
}

size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    char32_t cp = 0, min = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07, min = 0x10000;
    } else {
      return i;
    }
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

char32_t Lexer::Decode(std::uint32_t p, std::uint32_t& len) const {
  len = 1;
  if (p >= text_.size()) return 0;
  const unsigned char c = static_cast<unsigned char>(text_[p]);
  if (c < 0x80) return c;
  std::uint32_t n = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 1, cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2, cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3, cp = c & 0x07;
  } else {
    return 0xFFFD;
  }
  for (std::uint32_t k = 1; k <= n; ++k) {
    if (p + k >= text_.size()) return 0xFFFD;
    const unsigned char cc = static_cast<unsigned char>(text_[p + k]);
    if ((cc & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (cc & 0x3F);
  }
  len = n + 1;
  return cp;
}

std::uint32_t Lexer::Multispace0(std::uint32_t p) const {
  while (p < text_.size() &&
         (text_[p] == ' ' || text_[p] == '\t' || text_[p] == '\r' || text_[p] == '\n'))
    ++p;
  return p;
}

std::uint32_t Lexer::Space0(std::uint32_t p) const {
  while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
  return p;
}

std::uint32_t Lexer::Comment(std::uint32_t p) const {
  if (At(p) != '#') return p;
  std::uint32_t q = p + 1;
  while (q < text_.size() && text_[q] != '\n') ++q;
  return Multispace0(q);
}

std::uint32_t Lexer::Trivia(std::uint32_t p) const {
  for (;;) {
    std::uint32_t q = Multispace0(p);
    if (q == p) q = Comment(p);
    if (q == p) return p;
    p = q;
  }
}

Token Lexer::Name(std::uint32_t p) const {
  Token t;
  t.begin = p;
  if (!IsAsciiAlpha(At(p))) return t;
  std::uint32_t q = p + 1;
  while (q < text_.size()) {
    std::uint32_t len;
    const char32_t c = Decode(q, len);
    if (c != '_' && !IsAlphanumeric(c)) break;
    q += len;
  }
  t.kind = TokenKind::kName;
  t.status = ScanStatus::kOk;
  t.end = q;
  t.text = std::string(text_.substr(p, q - p));
  return t;
}

Token Lexer::KeyPart(std::uint32_t p) const {
  Token t;
  t.begin = p;
  std::uint32_t q = p;
  while (q < text_.size()) {
    std::uint32_t len;
    const char32_t c = Decode(q, len);
    if (c != '_' && c != '-' && !IsAlphanumeric(c)) break;
    q += len;
  }
  if (q == p) return t;
  t.kind = TokenKind::kKeyPart;
  t.status = ScanStatus::kOk;
  t.end = q;
  t.text = std::string(text_.substr(p, q - p));
  return t;
}

Token Lexer::String(std::uint32_t p) const {
  Token t;
  t.begin = p;
  const char quote = At(p);
  if (quote != '\'' && quote != '"') return t;
  t.kind = TokenKind::kString;
  std::uint32_t span = p + 1;
  for (;;) {
    const size_t q = text_.find(quote, span);
    const std::string_view frag =
        text_.substr(span, (q == std::string_view::npos ? text_.size() : q) - span);
    if (!frag.empty() && frag.back() == '\\') {
      t.text.append(frag.substr(0, frag.size() - 1));
      t.text.push_back(quote);
      if (q == std::string_view::npos) {
        t.error = "string ends with a backslash";
        return t;  // kNoMatch: cfn-guard reports a recoverable error here
      }
      span = static_cast<std::uint32_t>(q) + 1;
      continue;
    }
    t.text.append(frag);
    if (q == std::string_view::npos) {
      t.status = ScanStatus::kMalformed;
      t.end = static_cast<std::uint32_t>(text_.size());
      t.error = std::string("missing closing ") + quote + " for this string";
      return t;
    }
    t.status = ScanStatus::kOk;
    t.end = static_cast<std::uint32_t>(q) + 1;
    return t;
  }
}

Token Lexer::Int(std::uint32_t p) const {
  Token t;
  t.begin = p;
  const bool negative = At(p) == '-';
  std::uint32_t d = negative ? p + 1 : p;
  std::uint32_t q = d;
  while (IsDigit(At(q))) ++q;
  if (q == d) return t;
  std::int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text_.data() + d, text_.data() + q, v);
  if (ec != std::errc() || ptr != text_.data() + q) return t;  // out of range for i64
  t.kind = TokenKind::kInt;
  t.status = ScanStatus::kOk;
  t.end = q;
  t.integer = negative ? -v : v;
  return t;
}

Token Lexer::Float(std::uint32_t p) const {
  Token t;
  t.begin = p;
  std::uint32_t q = p;
  while (IsDigit(At(q))) ++q;
  if (q == p) return t;
  // parse_float's own check: a fraction (.digits) or a signed exponent must follow.
  bool fraction = false, exponent = false;
  std::uint32_t r = q;
  if (At(r) == '.' && IsDigit(At(r + 1))) {
    fraction = true;
    ++r;
    while (IsDigit(At(r))) ++r;
  }
  if ((At(r) == 'e' || At(r) == 'E') && (At(r + 1) == '+' || At(r + 1) == '-') &&
      IsDigit(At(r + 2)))
    exponent = true;
  if (!fraction && !exponent) return t;
  // Then nom's `double` (lexical-core's parse_partial) reads the longest float from p: digits,
  // optional '.digits', optional exponent whose digits are required once 'e' is seen.
  std::uint32_t e = q;
  if (At(e) == '.') {
    ++e;
    while (IsDigit(At(e))) ++e;
  }
  if (At(e) == 'e' || At(e) == 'E') {
    std::uint32_t x = e + 1;
    if (At(x) == '+' || At(x) == '-') ++x;
    const std::uint32_t digits = x;
    while (IsDigit(At(x))) ++x;
    if (x == digits) return t;
    e = x;
  }
  double v = 0;
  const auto res = std::from_chars(text_.data() + p, text_.data() + e, v);
  if (res.ec == std::errc::result_out_of_range) {
    // lexical-core saturates: huge exponents give infinity, tiny ones zero.
    bool big = false;
    for (std::uint32_t i = p; i < e; ++i)
      if (text_[i] == 'e' || text_[i] == 'E') big = text_[i + 1] != '-';
    v = big ? std::numeric_limits<double>::infinity() : 0.0;
  } else if (res.ec != std::errc()) {
    return t;
  }
  t.kind = TokenKind::kFloat;
  t.status = ScanStatus::kOk;
  t.end = e;
  t.number = v;
  return t;
}

Token Lexer::Regex(std::uint32_t p) const {
  Token t;
  t.begin = p;
  if (At(p) != '/') return t;
  std::uint32_t span = p + 1;
  for (;;) {
    const size_t q = text_.find('/', span);
    const std::string_view frag =
        text_.substr(span, (q == std::string_view::npos ? text_.size() : q) - span);
    if (frag.empty()) return t;  // `//`, or a slash right after `\/`
    if (frag.back() == '\\') {
      t.text.append(frag.substr(0, frag.size() - 1));
      t.text.push_back('/');
      if (q == std::string_view::npos) return t;
      span = static_cast<std::uint32_t>(q) + 1;
      continue;
    }
    t.text.append(frag);
    if (auto why = CheckRegexSyntax(t.text)) {
      t.error = "invalid regular expression: " + *why;
      return t;
    }
    if (q == std::string_view::npos) return t;
    t.kind = TokenKind::kRegex;
    t.status = ScanStatus::kOk;
    t.end = static_cast<std::uint32_t>(q) + 1;
    return t;
  }
}

Token Lexer::AnyChar(std::uint32_t p) const {
  Token t;
  t.begin = p;
  if (p >= text_.size()) return t;
  std::uint32_t len;
  t.character = Decode(p, len);
  t.kind = TokenKind::kChar;
  t.status = ScanStatus::kOk;
  t.end = p + len;
  t.text = std::string(text_.substr(p, len));
  return t;
}

}  // namespace vigil::guard
