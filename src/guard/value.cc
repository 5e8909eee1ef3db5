#include "guard/value.h"

#include <re2/re2.h>

#ifdef __linux__
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>

#include "common/strings.h"
#include "guard/regex_syntax.h"
#include "json/writer.h"

namespace vigil::guard {

// ---------------------------------------------------------------------------------------------
// Arena

namespace {

constexpr size_t kHugePage = size_t{2} << 20;

// `bytes` (a multiple of kHugePage) mapped at a kHugePage boundary and advised for transparent
// huge pages, or null.
std::byte* MapHuge(size_t bytes) {
#ifdef __linux__
  void* p =
      mmap(nullptr, bytes + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  auto* base = static_cast<std::byte*>(p);
  const size_t skip =
      (kHugePage - (reinterpret_cast<std::uintptr_t>(base) & (kHugePage - 1))) & (kHugePage - 1);
  if (skip) munmap(base, skip);
  if (kHugePage - skip) munmap(base + skip + bytes, kHugePage - skip);
  madvise(base + skip, bytes, MADV_HUGEPAGE);
  return base + skip;
#else
  (void)bytes;
  return nullptr;
#endif
}

}  // namespace

void Arena::BlockDeleter::operator()(std::byte* p) const {
#ifdef __linux__
  if (mapped) {
    munmap(p, mapped);
    return;
  }
#endif
  delete[] p;
}

void* Arena::Allocate(size_t bytes, size_t align) {
  size_t pad = (align - (reinterpret_cast<std::uintptr_t>(cur_) & (align - 1))) & (align - 1);
  if (!cur_ || pad + bytes > left_) {
    const size_t want = bytes + align;
    size_t size = want > next_block_ ? want : next_block_;
    next_block_ = next_block_ < (size_t{1} << 22) ? 2 * next_block_ : next_block_;
    if (size > (size_t{1} << 22)) next_block_ = size_t{1} << 22;
    std::byte* block = nullptr;
    size_t mapped = 0;
    if (size >= kHugePage) {
      size = (size + kHugePage - 1) & ~(kHugePage - 1);
      block = MapHuge(size);
      if (block) mapped = size;
    }
    if (!block) block = new std::byte[size];
    blocks_.emplace_back(block, BlockDeleter{mapped});
    cur_ = block;
    left_ = size;
    pad = (align - (reinterpret_cast<std::uintptr_t>(cur_) & (align - 1))) & (align - 1);
  }
  std::byte* p = cur_ + pad;
  cur_ = p + bytes;
  left_ -= pad + bytes;
  used_ += pad + bytes;
  return p;
}

std::string_view Arena::Copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = static_cast<char*>(Allocate(s.size(), 1));
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

const Node* Node::Find(std::string_view k) const {
  if (kind != Kind::kMap) return nullptr;
  // Sizes and first bytes rule out most keys without a call to memcmp.
  for (std::uint32_t e = 0; e < size; ++e) {
    const Node& key = EntryKey(e);
    if (key.size == k.size() && (k.empty() || key.str[0] == k[0]) && key.text() == k)
      return &EntryValue(e);
  }
  return nullptr;
}

namespace {
const KeyList* KeyListOf(const Node& map) {
  return (map.flags & kNodeHasKeyList) ? reinterpret_cast<const KeyList*>(map.children) - 1
                                       : nullptr;
}
}  // namespace

std::uint32_t Node::KeyCount() const {
  const KeyList* list = KeyListOf(*this);
  return list ? list->size : size;
}

const Node& Node::KeyAt(std::uint32_t i) const {
  const KeyList* list = KeyListOf(*this);
  return list ? list->keys[i] : EntryKey(i);
}

const Regex* Node::regex() const {
  const Regex* re = nullptr;
  if (kind == Kind::kRegex && str) std::memcpy(&re, str - sizeof re, sizeof re);
  return re;
}

static_assert(sizeof(KeyList) % alignof(Node) == 0);

Node* AllocateMapChildren(Arena& arena, Node& map, size_t entries, bool key_list) {
  const size_t n = 2 * entries;
  auto* mem = static_cast<std::byte*>(
      arena.Allocate((key_list ? sizeof(KeyList) : 0) + sizeof(Node) * (n ? n : 1), alignof(Node)));
  if (key_list) {
    new (mem) KeyList();
    mem += sizeof(KeyList);
    map.flags |= kNodeHasKeyList;
  }
  auto* kids = reinterpret_cast<Node*>(mem);
  for (size_t i = 0; i < n; ++i) new (&kids[i]) Node();
  map.children = kids;
  return kids;
}

KeyList* MutableKeyList(Node& map) { return const_cast<KeyList*>(KeyListOf(map)); }

void SetRegex(Arena& arena, Node& n, std::string_view pattern, const Regex* re) {
  auto* mem = static_cast<char*>(arena.Allocate(sizeof re + pattern.size(), alignof(Regex*)));
  std::memcpy(mem, &re, sizeof re);
  if (!pattern.empty()) std::memcpy(mem + sizeof re, pattern.data(), pattern.size());
  n.kind = Kind::kRegex;
  n.str = mem + sizeof re;
  n.size = static_cast<std::uint32_t>(pattern.size());
}

// ---------------------------------------------------------------------------------------------
// Locations

namespace {
// libyaml's position after `text` (from `at`): a newline starts a line, every other byte that does
// not continue a UTF-8 sequence is a column.
Location Advance(Location at, std::string_view text) {
  const auto is_column = [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; };
  const size_t last_newline = text.rfind('\n');
  if (last_newline != std::string_view::npos) {
    at.line += static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
    at.column = 0;
    text.remove_prefix(last_newline + 1);
  }
  at.column += static_cast<std::uint32_t>(std::count_if(text.begin(), text.end(), is_column));
  return at;
}
}  // namespace

Location SourceText::Locate(std::uint32_t offset) const {
  std::call_once(once_, [this] {
    marks_.reserve(text_.size() / kStride + 1);
    Location at;
    for (size_t pos = 0; pos < text_.size(); pos += kStride) {
      marks_.push_back(at);
      at = Advance(at, text_.substr(pos, kStride));
    }
  });
  const size_t target = std::min<size_t>(offset, text_.size());
  const size_t mark = target / kStride;
  if (mark >= marks_.size()) return {};
  return Advance(marks_[mark], text_.substr(mark * kStride, target - mark * kStride));
}

Location LocationOf(const Node& n) {
  const Node* p = &n;
  while (p->step != PathStep::kRoot) {
    if (!p->parent) return {};
    p = p->parent;
  }
  if (!(p->flags & kNodeHasSource) || !p->source) return {};
  return p->source->Locate(n.offset);
}

// ---------------------------------------------------------------------------------------------
// Regex

namespace {

// Rust's regex crate makes \d and \w Unicode-aware; RE2's are ASCII. Rewrite them (outside and
// inside classes) unless the pattern turns Unicode off.
std::string RustToRe2(std::string_view p) {
  if (p.find("(?-u") != std::string_view::npos) return std::string(p);
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char n = p[i + 1];
      if (n == 'd') {
        out += "\\p{Nd}";
      } else if (n == 'w') {
        out += in_class ? "\\p{L}\\p{M}\\p{Nd}\\p{Pc}" : "[\\p{L}\\p{M}\\p{Nd}\\p{Pc}]";
      } else if (n == 'D' && !in_class) {
        out += "\\P{Nd}";
      } else if (n == 'W' && !in_class) {
        out += "[^\\p{L}\\p{M}\\p{Nd}\\p{Pc}]";
      } else {
        out += c;
        out += n;
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

struct Regex::Impl {
  std::unique_ptr<RE2> re2;
  std::unique_ptr<std::regex> fallback;
};

Regex::Regex(std::string_view pattern) : pattern_(pattern), impl_(std::make_unique<Impl>()) {
  RE2::Options o;
  o.set_log_errors(false);
  auto re = std::make_unique<RE2>(RustToRe2(pattern), o);
  if (re->error_code() == RE2::ErrorRepeatSize) {
    // cfn-guard takes counts above RE2's 1000 (`/^x{100000}$/`): the same counts, nested.
    o.set_max_mem(int64_t{256} << 20);
    re = std::make_unique<RE2>(ExpandLargeRepeats(RustToRe2(pattern)), o);
  }
  if (re->ok()) {
    impl_->re2 = std::move(re);
    return;
  }
  try {
    impl_->fallback = std::make_unique<std::regex>(std::string(pattern), std::regex::ECMAScript);
  } catch (const std::exception&) {
    impl_->fallback.reset();
  }
}

Regex::~Regex() = default;

bool Regex::ok() const { return impl_->re2 || impl_->fallback; }

bool Regex::Search(std::string_view text) const {
  if (impl_->re2) return RE2::PartialMatch(text, *impl_->re2);
  if (impl_->fallback) {
    try {
      return std::regex_search(text.begin(), text.end(), *impl_->fallback);
    } catch (const std::exception&) {
      return false;
    }
  }
  return false;
}

namespace {

// Rust regex's Captures::expand: $1, $name, ${name}, $$; a missing group expands to "".
void Expand(std::string& out, std::string_view rep, const std::vector<std::string_view>& groups,
            const std::map<std::string, int>& names) {
  for (size_t i = 0; i < rep.size(); ++i) {
    if (rep[i] != '$') {
      out += rep[i];
      continue;
    }
    if (i + 1 < rep.size() && rep[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string_view name;
    size_t next = i + 1;
    if (i + 1 < rep.size() && rep[i + 1] == '{') {
      const size_t close = rep.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += '$';
        continue;
      }
      name = rep.substr(i + 2, close - i - 2);
      next = close + 1;
    } else {
      size_t j = i + 1;
      while (j < rep.size() && (std::isalnum(static_cast<unsigned char>(rep[j])) || rep[j] == '_'))
        ++j;
      name = rep.substr(i + 1, j - i - 1);
      next = j;
    }
    if (name.empty()) {
      out += '$';
      continue;
    }
    int index = -1;
    bool digits = true;
    for (char ch : name) digits = digits && std::isdigit(static_cast<unsigned char>(ch));
    if (digits) {
      index = 0;
      for (char ch : name) index = index > 100000 ? index : index * 10 + (ch - '0');
    } else if (auto it = names.find(std::string(name)); it != names.end()) {
      index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size() && groups[index].data())
      out += groups[index];
    i = next - 1;
  }
}

}  // namespace

std::optional<std::string> Regex::ExpandAll(std::string_view text,
                                            std::string_view replacement) const {
  std::string out;
  if (impl_->re2) {
    const RE2& re = *impl_->re2;
    const int n = re.NumberOfCapturingGroups() + 1;
    std::map<std::string, int> names(re.NamedCapturingGroups().begin(),
                                     re.NamedCapturingGroups().end());
    std::vector<re2::StringPiece> sub(n);
    std::vector<std::string_view> groups(n);
    size_t pos = 0;
    while (pos <= text.size()) {
      if (!re.Match(text, pos, text.size(), RE2::UNANCHORED, sub.data(), n)) break;
      for (int g = 0; g < n; ++g)
        groups[g] =
            sub[g].data() ? std::string_view(sub[g].data(), sub[g].size()) : std::string_view();
      Expand(out, replacement, groups, names);
      const size_t end = static_cast<size_t>(sub[0].data() - text.data()) + sub[0].size();
      if (sub[0].empty()) {
        if (end >= text.size()) break;
        size_t step = 1;
        while (end + step < text.size() &&
               (static_cast<unsigned char>(text[end + step]) & 0xC0) == 0x80)
          ++step;
        pos = end + step;
      } else {
        pos = end;
      }
    }
    return out;
  }
  if (!impl_->fallback) return std::nullopt;
  try {
    std::map<std::string, int> names;
    auto begin = std::cregex_iterator(text.data(), text.data() + text.size(), *impl_->fallback);
    for (auto it = begin; it != std::cregex_iterator(); ++it) {
      std::vector<std::string_view> groups;
      for (size_t g = 0; g < it->size(); ++g)
        groups.push_back((*it)[g].matched ? std::string_view((*it)[g].first, (*it)[g].length())
                                          : std::string_view());
      Expand(out, replacement, groups, names);
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building

void CopyPath(Node& n, const Node& like) {
  n.step = PathStep::kSame;
  n.parent = &like;
  n.offset = like.offset;
}

namespace {
Node* NewScalar(Arena& arena, Kind k, const Node* path_like) {
  Node* n = new (arena.Allocate(sizeof(Node), alignof(Node))) Node();
  n->kind = k;
  if (path_like) CopyPath(*n, *path_like);
  return n;
}
}  // namespace

const Node* NewString(Arena& arena, std::string_view s, const Node* path_like) {
  Node* n = NewScalar(arena, Kind::kString, path_like);
  const std::string_view c = arena.Copy(s);
  n->str = c.data();
  n->size = static_cast<std::uint32_t>(c.size());
  return n;
}
const Node* NewInt(Arena& arena, std::int64_t v, const Node* path_like) {
  Node* n = NewScalar(arena, Kind::kInt, path_like);
  n->i = v;
  return n;
}
const Node* NewFloat(Arena& arena, double v, const Node* path_like) {
  Node* n = NewScalar(arena, Kind::kFloat, path_like);
  n->f = v;
  return n;
}
const Node* NewBool(Arena& arena, bool v, const Node* path_like) {
  Node* n = NewScalar(arena, Kind::kBool, path_like);
  n->b = v;
  return n;
}
const Node* NewChar(Arena& arena, char32_t v, const Node* path_like) {
  Node* n = NewScalar(arena, Kind::kChar, path_like);
  n->c = v;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Paths and display

void AppendPath(std::string& out, const Node& n) {
  switch (n.step) {
    case PathStep::kRoot:
      return;
    case PathStep::kSame:
      if (n.parent) AppendPath(out, *n.parent);
      return;
    case PathStep::kKey:
      if (n.parent) AppendPath(out, *n.parent);
      out += '/';
      out += n.key_text();
      return;
    case PathStep::kOwnKey:
      if (n.parent) AppendPath(out, *n.parent);
      out += '/';
      out += n.text();
      return;
    case PathStep::kIndex:
      if (n.parent) AppendPath(out, *n.parent);
      out += '/';
      out += std::to_string(n.index);
      return;
  }
}

std::string PathOf(const Node& n) {
  std::string s;
  AppendPath(s, n);
  return s;
}

std::string PathWithLocation(const Node& n) {
  std::string s = PathOf(n);
  const Location at = LocationOf(n);
  s += "[L:" + std::to_string(at.line) + ",C:" + std::to_string(at.column) + "]";
  return s;
}

const char* TypeInfo(const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      return "null";
    case Kind::kString:
      return "String";
    case Kind::kRegex:
      return "Regex";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kFloat:
      return "float";
    case Kind::kChar:
      return "char";
    case Kind::kList:
      return "array";
    case Kind::kMap:
      return "map";
    case Kind::kRangeInt:
      return "range(int, int)";
    case Kind::kRangeFloat:
      return "range(float, float)";
    case Kind::kRangeChar:
      return "range(char, char)";
  }
  return "";
}

namespace {

// Shortest round-trip digits of a finite, non-zero |v| and the decimal exponent of the first
// digit (v = 0.d1d2… × 10^(exp10+1), i.e. d1.d2… × 10^exp10).
void ShortestDigits(double v, std::string& digits, int& exp10) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
  const size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  exp10 = std::atoi(std::string(s.substr(e + 1)).c_str());
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
}

void AppendPlainDecimal(std::string& out, const std::string& digits, int exp10, bool force_dot) {
  const int n = static_cast<int>(digits.size());
  if (exp10 >= 0) {
    if (exp10 + 1 >= n) {
      out += digits;
      out.append(static_cast<size_t>(exp10 + 1 - n), '0');
      if (force_dot) out += ".0";
    } else {
      out.append(digits, 0, static_cast<size_t>(exp10 + 1));
      out += '.';
      out.append(digits, static_cast<size_t>(exp10 + 1), std::string::npos);
    }
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out += digits;
  }
}

}  // namespace

void AppendRustFloat(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::signbit(v)) out += '-';
  if (std::isinf(v)) {
    out += "inf";
    return;
  }
  if (v == 0) {
    out += '0';
    return;
  }
  std::string digits;
  int exp10 = 0;
  ShortestDigits(v, digits, exp10);
  AppendPlainDecimal(out, digits, exp10, false);
}

void AppendRustFloatDebug(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::signbit(v)) out += '-';
  if (std::isinf(v)) {
    out += "inf";
    return;
  }
  if (v == 0) {
    out += "0.0";
    return;
  }
  const double a = std::fabs(v);
  std::string digits;
  int exp10 = 0;
  ShortestDigits(v, digits, exp10);
  if (a < 1e-4 || a >= 1e16) {
    out += digits[0];
    if (digits.size() > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += std::to_string(exp10);
    return;
  }
  AppendPlainDecimal(out, digits, exp10, true);
}

void AppendJsonFloat(std::string& out, double v) {
  if (std::signbit(v)) out += '-';
  if (v == 0) {
    out += "0.0";
    return;
  }
  std::string digits;
  int exp10 = 0;
  ShortestDigits(v, digits, exp10);
  const int length = static_cast<int>(digits.size());
  const int kk = exp10 + 1;  // position of the decimal point
  const int k = kk - length;
  if (k >= 0 && kk <= 16) {
    out += digits;
    out.append(static_cast<size_t>(k), '0');
    out += ".0";
  } else if (kk > 0 && kk <= 16) {
    out.append(digits, 0, static_cast<size_t>(kk));
    out += '.';
    out.append(digits, static_cast<size_t>(kk), std::string::npos);
  } else if (kk > -5 && kk <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-kk), '0');
    out += digits;
  } else {
    out += digits[0];
    if (length > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += std::to_string(kk - 1);
  }
}

namespace {

template <typename T>
void AppendRange(std::string& out, const RangeOf<T>& r, void (*bound)(std::string&, T)) {
  out += (r.inclusive & kLowerInclusive) ? '[' : '(';
  bound(out, r.lower);
  out += ',';
  bound(out, r.upper);
  out += (r.inclusive & kUpperInclusive) ? ']' : ')';
}

void IntBound(std::string& out, std::int64_t v) { out += std::to_string(v); }
void FloatBound(std::string& out, double v) { AppendRustFloat(out, v); }
void CharBound(std::string& out, char32_t v) { AppendUtf8(out, v); }

}  // namespace

void AppendValueOnly(std::string& out, const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      out += "\"NULL\"";
      return;
    case Kind::kString:
      out += '"';
      out += n.text();
      out += '"';
      return;
    case Kind::kRegex:
      out += "\"/";
      out += n.text();
      out += "/\"";
      return;
    case Kind::kBool:
      out += n.b ? "true" : "false";
      return;
    case Kind::kInt:
      out += std::to_string(n.i);
      return;
    case Kind::kFloat:
      AppendRustFloat(out, n.f);
      return;
    case Kind::kChar:
      out += '\'';
      AppendUtf8(out, n.c);
      out += '\'';
      return;
    case Kind::kList:
      out += '[';
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        AppendValueOnly(out, n.Element(i));
      }
      out += ']';
      return;
    case Kind::kMap:
      out += '{';
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        out += '"';
        out += n.EntryKey(i).text();
        out += "\":";
        AppendValueOnly(out, n.EntryValue(i));
      }
      out += '}';
      return;
    case Kind::kRangeInt:
      AppendRange<std::int64_t>(out, *n.int_range, &IntBound);
      return;
    case Kind::kRangeFloat:
      AppendRange<double>(out, *n.float_range, &FloatBound);
      return;
    case Kind::kRangeChar:
      AppendRange<char32_t>(out, *n.char_range, &CharBound);
      return;
  }
}

std::string ValueOnly(const Node& n) {
  std::string s;
  AppendValueOnly(s, n);
  return s;
}

std::string DisplayValue(const Node& n) {
  std::string s = "Path=" + PathWithLocation(n) + " Value=";
  AppendValueOnly(s, n);
  return s;
}

namespace {

// Code points Rust's char::escape_debug writes as \u{…} (not printable in its tables) beyond
// the ASCII controls: the C1 controls, format and separator characters, private use areas and
// the noncharacters FFFE/FFFF. (Rust's table also covers unassigned code points; those are
// printed as they are here.)
bool RustNonPrintable(char32_t c) {
  return (c >= 0x80 && c <= 0x9f) || c == 0xad || c == 0x61c || c == 0x180e ||
         (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
         (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
         (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000 || (c & 0xfffe) == 0xfffe;
}

// The code point of the UTF-8 sequence at s[i] (`len` its length), or false when it is not one.
bool DecodeUtf8At(std::string_view s, size_t i, char32_t& c, size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) return false;
  c = b & (0x7f >> len);
  for (size_t k = 1; k < len; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xc0) != 0x80) return false;
    c = (c << 6) | (cont & 0x3f);
  }
  return true;
}

}  // namespace

void AppendRustDebugString(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      char32_t cp;
      size_t len;
      if (DecodeUtf8At(s, i, cp, len) && RustNonPrintable(cp)) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(cp));
        out += buf;
        i += len - 1;
        continue;
      }
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case 0:
        out += "\\0";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "\\u{%x}", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

namespace {

void AppendDebugPath(std::string& out, const Node& n) {
  out += "Path(";
  AppendRustDebugString(out, PathOf(n));
  const Location at = LocationOf(n);
  out += ", Location { line: " + std::to_string(at.line) + ", col: " + std::to_string(at.column) +
         " })";
}

template <typename T>
void AppendDebugRange(std::string& out, const RangeOf<T>& r, void (*bound)(std::string&, T)) {
  out += "RangeType { upper: ";
  bound(out, r.upper);
  out += ", lower: ";
  bound(out, r.lower);
  out += ", inclusive: " + std::to_string(r.inclusive) + " }";
}

void FloatDebugBound(std::string& out, double v) { AppendRustFloatDebug(out, v); }
void CharDebugBound(std::string& out, char32_t v) {
  out += '\'';
  AppendUtf8(out, v);
  out += '\'';
}

}  // namespace

void AppendDebug(std::string& out, const Node& n) {
  static const char* const kNames[] = {"Null", "String",   "Regex",      "Bool",
                                       "Int",  "Float",    "Char",       "List",
                                       "Map",  "RangeInt", "RangeFloat", "RangeChar"};
  out += kNames[static_cast<int>(n.kind)];
  if (n.kind == Kind::kNull) {
    out += '(';
    AppendDebugPath(out, n);
    out += ')';
    return;
  }
  out += "((";
  AppendDebugPath(out, n);
  out += ", ";
  switch (n.kind) {
    case Kind::kNull:
      break;
    case Kind::kString:
    case Kind::kRegex:
      AppendRustDebugString(out, n.text());
      break;
    case Kind::kBool:
      out += n.b ? "true" : "false";
      break;
    case Kind::kInt:
      out += std::to_string(n.i);
      break;
    case Kind::kFloat:
      AppendRustFloatDebug(out, n.f);
      break;
    case Kind::kChar:
      CharDebugBound(out, n.c);
      break;
    case Kind::kList:
      out += '[';
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ", ";
        AppendDebug(out, n.Element(i));
      }
      out += ']';
      break;
    case Kind::kMap:
      out += "MapValue { keys: [";
      for (std::uint32_t i = 0; i < n.KeyCount(); ++i) {
        if (i) out += ", ";
        AppendDebug(out, n.KeyAt(i));
      }
      out += "], values: {";
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ", ";
        AppendRustDebugString(out, n.EntryKey(i).text());
        out += ": ";
        AppendDebug(out, n.EntryValue(i));
      }
      out += "} }";
      break;
    case Kind::kRangeInt:
      AppendDebugRange<std::int64_t>(out, *n.int_range, &IntBound);
      break;
    case Kind::kRangeFloat:
      AppendDebugRange<double>(out, *n.float_range, &FloatDebugBound);
      break;
    case Kind::kRangeChar:
      AppendDebugRange<char32_t>(out, *n.char_range, &CharDebugBound);
      break;
  }
  out += "))";
}

bool AppendJson(std::string& out, const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      out += "null";
      return true;
    case Kind::kString:
      json::AppendQuoted(out, n.text());
      return true;
    case Kind::kRegex:
      json::AppendQuoted(out, "/" + std::string(n.text()) + "/");
      return true;
    case Kind::kBool:
      out += n.b ? "true" : "false";
      return true;
    case Kind::kInt:
      out += std::to_string(n.i);
      return true;
    case Kind::kFloat:
      if (!std::isfinite(n.f)) return false;
      AppendJsonFloat(out, n.f);
      return true;
    case Kind::kChar: {
      std::string s;
      AppendUtf8(s, n.c);
      json::AppendQuoted(out, s);
      return true;
    }
    case Kind::kList:
      out += '[';
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        if (!AppendJson(out, n.Element(i))) return false;
      }
      out += ']';
      return true;
    case Kind::kMap:
      out += '{';
      for (std::uint32_t i = 0; i < n.size; ++i) {
        if (i) out += ',';
        json::AppendQuoted(out, n.EntryKey(i).text());
        out += ':';
        if (!AppendJson(out, n.EntryValue(i))) return false;
      }
      out += '}';
      return true;
    case Kind::kRangeInt:
    case Kind::kRangeFloat:
    case Kind::kRangeChar: {
      std::string s;
      if (n.kind == Kind::kRangeInt) AppendRange<std::int64_t>(s, *n.int_range, &IntBound);
      if (n.kind == Kind::kRangeFloat) AppendRange<double>(s, *n.float_range, &FloatBound);
      if (n.kind == Kind::kRangeChar) AppendRange<char32_t>(s, *n.char_range, &CharBound);
      json::AppendQuoted(out, s);
      return true;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Comparisons

Cmp CompareOrder(const Node& a, const Node& b) {
  if (a.kind != b.kind) return Cmp::kNotComparable;
  switch (a.kind) {
    case Kind::kNull:
      return Cmp::kEqual;
    case Kind::kInt:
      return a.i < b.i ? Cmp::kLess : a.i > b.i ? Cmp::kGreater : Cmp::kEqual;
    case Kind::kString: {
      const int c = a.text().compare(b.text());
      return c < 0 ? Cmp::kLess : c > 0 ? Cmp::kGreater : Cmp::kEqual;
    }
    case Kind::kFloat:
      if (std::isnan(a.f) || std::isnan(b.f)) return Cmp::kNotComparable;
      return a.f < b.f ? Cmp::kLess : a.f > b.f ? Cmp::kGreater : Cmp::kEqual;
    case Kind::kChar:
      return a.c < b.c ? Cmp::kLess : a.c > b.c ? Cmp::kGreater : Cmp::kEqual;
    default:
      return Cmp::kNotComparable;
  }
}

std::string NotComparableReason(const Node& a, const Node& b) {
  if (a.kind == Kind::kFloat && b.kind == Kind::kFloat) return "Float values are not comparable";
  return std::string("PathAwareValues are not comparable ") + TypeInfo(a) + ", " + TypeInfo(b);
}

namespace {

template <typename T>
bool Within(const RangeOf<T>& r, T v) {
  const bool lower = (r.inclusive & kLowerInclusive) ? r.lower <= v : r.lower < v;
  const bool upper = (r.inclusive & kUpperInclusive) ? r.upper >= v : r.upper > v;
  return lower && upper;
}

bool RegexMatches(const Node& re, std::string_view s) {
  if (const Regex* compiled = re.regex()) return compiled->Search(s);
  const Regex compiled(re.text());
  return compiled.Search(s);
}

}  // namespace

EqResult CompareEq(const Node& a, const Node& b) {
  if (a.kind == Kind::kString && b.kind == Kind::kRegex) return {true, RegexMatches(b, a.text())};
  if (a.kind == Kind::kRegex && b.kind == Kind::kString) return {true, RegexMatches(a, b.text())};
  if (a.kind == Kind::kString && b.kind == Kind::kString) return {true, a.text() == b.text()};
  if (a.kind == Kind::kMap && b.kind == Kind::kMap) {
    if (a.size != b.size) return {true, false};
    for (std::uint32_t e = 0; e < a.size; ++e) {
      const Node* other = b.Find(a.EntryKey(e).text());
      if (!other) return {true, false};
      const EqResult r = CompareEq(a.EntryValue(e), *other);
      if (!r.comparable) return r;
      if (!r.equal) return {true, false};
    }
    return {true, true};
  }
  if (a.kind == Kind::kList && b.kind == Kind::kList) {
    if (a.size != b.size) return {true, false};
    for (std::uint32_t i = 0; i < a.size; ++i) {
      const EqResult r = CompareEq(a.Element(i), b.Element(i));
      if (!r.comparable) return r;
      if (!r.equal) return {true, false};
    }
    return {true, true};
  }
  if (a.kind == Kind::kBool && b.kind == Kind::kBool) return {true, a.b == b.b};
  if (a.kind == Kind::kRegex && b.kind == Kind::kRegex) return {true, a.text() == b.text()};
  if (a.kind == Kind::kInt && b.kind == Kind::kRangeInt) return {true, Within(*b.int_range, a.i)};
  if (a.kind == Kind::kFloat && b.kind == Kind::kRangeFloat)
    return {true, Within(*b.float_range, a.f)};
  if (a.kind == Kind::kChar && b.kind == Kind::kRangeChar)
    return {true, Within(*b.char_range, a.c)};
  const Cmp c = CompareOrder(a, b);
  if (c == Cmp::kNotComparable) return {false, false};
  return {true, c == Cmp::kEqual};
}

bool LooseEqual(const Node& a, const Node& b) {
  if (a.kind == Kind::kMap && b.kind == Kind::kMap) {
    if (a.size != b.size) return false;
    for (std::uint32_t e = 0; e < a.size; ++e) {
      const Node* other = b.Find(a.EntryKey(e).text());
      if (!other || !LooseEqual(a.EntryValue(e), *other)) return false;
    }
    return true;
  }
  if (a.kind == Kind::kList && b.kind == Kind::kList) {
    if (a.size != b.size) return false;
    for (std::uint32_t i = 0; i < a.size; ++i)
      if (!LooseEqual(a.Element(i), b.Element(i))) return false;
    return true;
  }
  if (a.kind == Kind::kBool && b.kind == Kind::kBool) return a.b == b.b;
  if (a.kind == Kind::kString && b.kind == Kind::kRegex) return RegexMatches(b, a.text());
  if (a.kind == Kind::kRegex && b.kind == Kind::kString) return RegexMatches(a, b.text());
  if (a.kind == Kind::kRegex && b.kind == Kind::kRegex) return a.text() == b.text();
  if (a.kind == Kind::kInt && b.kind == Kind::kRangeInt) return Within(*b.int_range, a.i);
  if (a.kind == Kind::kFloat && b.kind == Kind::kRangeFloat) return Within(*b.float_range, a.f);
  if (a.kind == Kind::kChar && b.kind == Kind::kRangeChar) return Within(*b.char_range, a.c);
  return CompareOrder(a, b) == Cmp::kEqual;
}

}  // namespace vigil::guard
