// Values the Guard evaluator works on: data documents, rule literals and function results.
//
// This is cfn-guard 3.1.1's PathAwareValue (guard/src/rules/path_value.rs) laid out flat: a Node
// is 32 bytes in an Arena, children are contiguous, strings are views (into the loaded text when
// they need no unescaping, into the arena otherwise). Every node knows its path
// (`/Resources/b/Properties`) through its path parent and its key or index, and the byte offset
// where it starts in its file, from which LocationOf() gives the 0-based line and column (in code
// points) cfn-guard's libyaml loader reports. Paths and locations are computed only when asked
// for (reports, messages), never while loading.
//
// A map's children are stored as pairs: the key as a string node (whose path is the map's own
// path, as cfn-guard gives its map keys) followed by the value. Keys are unique (a repeated key
// keeps its first position and its last value).
//
// The comparison functions follow cfn-guard exactly: CompareEq (compare_eq: errors on types it
// cannot compare, recursing into lists and maps), LooseEqual (PartialEq, used by `in` and list
// membership: never errors), CompareOrder (compare_values: ints with ints, floats with floats,
// strings, chars, nulls).
//
// Nodes are immutable once built; all functions here are thread-safe for concurrent readers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::guard {

class Regex;

// A bump allocator. Memory lives until the Arena is destroyed. Not thread-safe.
//
// Blocks double from 1 KiB to 4 MiB, so a small document costs a few KiB; blocks of 2 MiB and
// more are mapped 2 MiB-aligned and marked for transparent huge pages (Linux), which takes one
// page fault per 2 MiB instead of one per 4 KiB — on virtual machines, where page faults are
// expensive, that is most of the time spent building a large document.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  void* Allocate(size_t bytes, size_t align = alignof(std::max_align_t));
  template <typename T>
  T* AllocateArray(size_t n) {
    return static_cast<T*>(Allocate(sizeof(T) * (n ? n : 1), alignof(T)));
  }
  // Copies `s` into the arena.
  std::string_view Copy(std::string_view s);
  // Makes the next block at least `bytes` long (a hint: the caller expects to need that much).
  void ReserveNext(size_t bytes) {
    if (bytes > next_block_) next_block_ = bytes;
  }
  size_t BytesUsed() const { return used_; }

 private:
  struct BlockDeleter {
    size_t mapped = 0;  // bytes mapped with mmap (0: allocated with new[])
    void operator()(std::byte* p) const;
  };
  std::vector<std::unique_ptr<std::byte, BlockDeleter>> blocks_;
  std::byte* cur_ = nullptr;
  size_t left_ = 0;
  size_t next_block_ = 1024;
  size_t used_ = 0;
};

enum class Kind : std::uint8_t {
  kNull,
  kString,
  kRegex,
  kBool,
  kInt,
  kFloat,
  kChar,
  kList,
  kMap,
  kRangeInt,
  kRangeFloat,
  kRangeChar,
};

inline constexpr std::uint8_t kLowerInclusive = 1;
inline constexpr std::uint8_t kUpperInclusive = 2;

template <typename T>
struct RangeOf {
  T lower{};
  T upper{};
  std::uint8_t inclusive = 0;  // kLowerInclusive | kUpperInclusive
};

// How a node's path continues its path parent's.
enum class PathStep : std::uint8_t {
  kRoot,    // the path is "" (a document root or a literal)
  kKey,     // parent path + "/" + the key: the text of the node just before this one (a map's
            // value node follows its key node)
  kIndex,   // parent path + "/" + index
  kSame,    // the parent's path itself (map keys as values; values derived from another)
  kOwnKey,  // parent path + "/" + this node's own text (a string node naming its own key)
};

class SourceText;
struct KeyList;

// Node::flags.
inline constexpr std::uint8_t kNodeHasKeyList = 1;  // kMap: a KeyList precedes `children`
inline constexpr std::uint8_t kNodeHasSource = 2;   // kRoot: `source` is set

struct Node {
  Kind kind = Kind::kNull;
  PathStep step = PathStep::kRoot;
  std::uint8_t flags = 0;  // kNodeHasKeyList | kNodeHasSource
  // kString/kRegex: bytes; kList: elements; kMap: entries (children hold 2 * size nodes).
  std::uint32_t size = 0;
  union {
    const char* str;  // kString, kRegex (pattern; the compiled Regex* sits just before it)
    std::int64_t i;   // kInt
    double f;         // kFloat
    bool b;           // kBool
    char32_t c;       // kChar
    const Node* children;
    const RangeOf<std::int64_t>* int_range;
    const RangeOf<double>* float_range;
    const RangeOf<char32_t>* char_range;
  };
  union {
    const Node* parent;        // step != kRoot: the path parent (not necessarily the container)
    const SourceText* source;  // kRoot with kNodeHasSource: the text the document was read from
  };
  // Where the node starts: a byte offset into the text of the document it belongs to (the one
  // its path-parent chain leads to). LocationOf() turns it into cfn-guard's line and column.
  std::uint32_t offset = 0;
  std::uint32_t index = 0;  // kIndex: the index

  Node() : i(0), parent(nullptr) {}

  std::string_view text() const { return {str, size}; }
  // kKey: the key of the entry this node is the value of.
  std::string_view key_text() const { return (this - 1)->text(); }
  bool IsList() const { return kind == Kind::kList; }
  bool IsMap() const { return kind == Kind::kMap; }
  bool IsScalar() const { return kind != Kind::kList && kind != Kind::kMap; }
  // kList: element i. kMap: the key node / the value node of entry i.
  const Node& Element(size_t i) const { return children[i]; }
  const Node& EntryKey(size_t i) const { return children[2 * i]; }
  const Node& EntryValue(size_t i) const { return children[2 * i + 1]; }
  // kMap: the value under `k`, or nullptr.
  const Node* Find(std::string_view k) const;
  // kMap: cfn-guard's key list (repeated keys included) and its length.
  std::uint32_t KeyCount() const;
  const Node& KeyAt(std::uint32_t i) const;
  // kRegex: the compiled pattern (rule literals), or null.
  const Regex* regex() const;
};
static_assert(sizeof(Node) == 32);

// kMap nodes whose data repeated a key: every key as written, repeats included (cfn-guard keeps
// them in its key list, which `keys` filters and `*` iterate). Stored just before the map's
// children (see AllocateMapChildren).
struct KeyList {
  const Node* keys = nullptr;
  std::uint32_t size = 0;
};

// Allocates the 2 * entries child nodes of `map` (default-constructed) and sets its children,
// preceded by a KeyList when `key_list` is set (the map then gets kNodeHasKeyList; fill the list
// through MutableKeyList).
Node* AllocateMapChildren(Arena& arena, Node& map, size_t entries, bool key_list);
KeyList* MutableKeyList(Node& map);
// Sets `n` to a kRegex node for `pattern`, compiled as `re` (may be null).
void SetRegex(Arena& arena, Node& n, std::string_view pattern, const Regex* re);

// 0-based line and column (in code points), as cfn-guard prints "L:" and "C:".
struct Location {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// The text of a document, for turning node offsets into locations. Thread-safe: the index it
// needs is built on first use.
class SourceText {
 public:
  explicit SourceText(std::string_view text) : text_(text) {}
  SourceText(const SourceText&) = delete;
  SourceText& operator=(const SourceText&) = delete;
  // libyaml's position of byte `offset` (clamped to the text).
  Location Locate(std::uint32_t offset) const;

 private:
  static constexpr size_t kStride = 256;
  std::string_view text_;
  mutable std::once_flag once_;
  mutable std::vector<Location> marks_;  // the location of every kStride-th byte
};

// Where `n` starts in its file: (0, 0) for values not read from a file (literals).
Location LocationOf(const Node& n);

// A compiled regular expression with cfn-guard's (fancy-regex's) matching semantics: an
// unanchored search. RE2 runs what it can compile; look-around and back-references fall back to
// std::regex (ECMAScript), which lacks look-behind (such patterns never match; see the report).
class Regex {
 public:
  explicit Regex(std::string_view pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  bool ok() const;
  bool Search(std::string_view text) const;
  const std::string& pattern() const { return pattern_; }
  // For regex_replace: every non-overlapping match of the pattern in `text`, expanded with
  // `replacement` (Rust regex syntax: $1, ${name}, $$), concatenated (cfn-guard keeps only the
  // expansions, not the text between matches).
  std::optional<std::string> ExpandAll(std::string_view text, std::string_view replacement) const;

 private:
  struct Impl;
  std::string pattern_;
  std::unique_ptr<Impl> impl_;
};

// --- Building nodes -------------------------------------------------------------------------

// Gives `n` the path and location of `like`, for derived values (function results keep the path
// of their input, as in cfn-guard): `like` becomes n's path parent (kSame), so it must outlive
// `n`.
void CopyPath(Node& n, const Node& like);

// Scalars made by functions, with the path and location of `path_like` (or the root path when
// it is null).
const Node* NewString(Arena& arena, std::string_view s, const Node* path_like);
const Node* NewInt(Arena& arena, std::int64_t v, const Node* path_like);
const Node* NewFloat(Arena& arena, double v, const Node* path_like);
const Node* NewBool(Arena& arena, bool v, const Node* path_like);
const Node* NewChar(Arena& arena, char32_t v, const Node* path_like);

// --- Paths and display ----------------------------------------------------------------------

// "/Resources/b/Type" ("" for a root or a literal).
std::string PathOf(const Node& n);
void AppendPath(std::string& out, const Node& n);
// cfn-guard's Path Display: "/a/b[L:3,C:4]".
std::string PathWithLocation(const Node& n);
// cfn-guard's type_info(): "null", "String", "Regex", "bool", "int", "float", "char", "array",
// "map", "range(int, int)", "range(float, float)", "range(char, char)".
const char* TypeInfo(const Node& n);
// ValueOnlyDisplay: "\"s\"", "\"/re/\"", 1, 1.5, true, "\"NULL\"", [1,2], {"k":1}, [1,5).
void AppendValueOnly(std::string& out, const Node& n);
std::string ValueOnly(const Node& n);
// PathAwareValue Display: "Path=/a/b[L:0,C:5] Value=\"x\"".
std::string DisplayValue(const Node& n);
// Rust's Debug ({:?}) of a PathAwareValue, as some of cfn-guard's messages embed it.
void AppendDebug(std::string& out, const Node& n);
// Rust's Display of an f64 (never an exponent: 1e21 prints in full, NaN, inf, -0).
void AppendRustFloat(std::string& out, double v);
// Rust's Debug of an f64 (always a '.', exponent outside 1e-5..1e16: 1.0, 1e21, 1e-7).
void AppendRustFloatDebug(std::string& out, double v);
// serde_json's number text for an f64 (ryu: 1.0, 1e21, 1.5e-7).
void AppendJsonFloat(std::string& out, double v);
// The value as serde_json prints cfn-guard's (path, value) conversion: regexes as "/re/",
// chars and ranges as strings. Floats that are not finite make it fail (returns false).
bool AppendJson(std::string& out, const Node& n);
// Rust's char::escape_debug rules for a string inside "…" ({:?} of a String).
void AppendRustDebugString(std::string& out, std::string_view s);

// --- Comparisons ----------------------------------------------------------------------------

enum class Cmp : std::uint8_t { kLess, kEqual, kGreater, kNotComparable };

// compare_values: Null/Null, Int/Int, String/String (bytes), Float/Float (NaN is not
// comparable), Char/Char; anything else is not comparable.
Cmp CompareOrder(const Node& a, const Node& b);

struct EqResult {
  bool comparable = true;  // false: cfn-guard's Error::NotComparable
  bool equal = false;
};
// compare_eq.
EqResult CompareEq(const Node& a, const Node& b);
// PartialEq for PathAwareValue (never fails; what is not comparable is unequal). Note the
// asymmetry cfn-guard has: Int == RangeInt is a range check, RangeInt == Int is false.
bool LooseEqual(const Node& a, const Node& b);
// The reason text cfn-guard gives when CompareEq/CompareOrder cannot compare.
std::string NotComparableReason(const Node& a, const Node& b);

}  // namespace vigil::guard
