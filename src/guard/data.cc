#include "guard/data.h"

#include <simdjson.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace vigil::guard {

namespace od = simdjson::ondemand;

struct DataDocument::State {
  std::string name;
  std::string text;                    // with simdjson's padding reserved after it
  std::unique_ptr<SourceText> source;  // over `text`
  Arena arena;
};

DataDocument::DataDocument() : state_(std::make_unique<State>()) {}
DataDocument::~DataDocument() = default;
DataDocument::DataDocument(DataDocument&&) noexcept = default;
DataDocument& DataDocument::operator=(DataDocument&&) noexcept = default;
const std::string& DataDocument::name() const { return state_->name; }
const std::string& DataDocument::text() const { return state_->text; }
size_t DataDocument::MemoryUsed() const { return state_->arena.BytesUsed(); }

// Rust's `str::parse::<i64>()`.
bool ParseRustI64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return false;
  std::uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const std::uint64_t d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (std::uint64_t{1} << 63) / 10) return false;
    v = v * 10 + d;
    if (v > (std::uint64_t{1} << 63)) return false;
  }
  if (!neg && v > static_cast<std::uint64_t>(INT64_MAX)) return false;
  out = neg ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

// Rust's `str::parse::<f64>()`: decimal with optional sign, fraction and exponent, or
// inf/infinity/nan in any case.
bool ParseRustF64(std::string_view s, double& out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    out = neg ? -INFINITY : INFINITY;
    return true;
  }
  if (EqualsIgnoreCase(body, "nan")) {
    out = neg ? -NAN : NAN;
    return true;
  }
  size_t i = 0, digits = 0;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  if (i != body.size()) return false;
  const std::string copy(body);
  out = std::strtod(copy.c_str(), nullptr);
  if (neg) out = -out;
  return true;
}

namespace {

// ---------------------------------------------------------------------------------------------
// JSON fast path

void FillKeyList(Arena& arena, Node& map, const std::vector<Node>& keys);

// What both JSON builders share: the scratch stack of children being built, containers made
// from it, and cfn-guard's handling of repeated keys.
class TreeBuilder {
 public:
  TreeBuilder(Arena& arena, std::string_view text) : arena_(arena), text_(text) {}

  // libyaml rejects `\uD800`…`\uDFFF` escapes (JSON's surrogate pairs), so cfn-guard cannot
  // read such a file.
  bool surrogate_ = false;

 protected:
  // The entries of one object while it is read.
  struct ObjectState {
    size_t base = 0;                                     // its first node in scratch_
    std::vector<Node> all_keys;                          // filled once a key repeats
    std::unordered_map<std::string_view, size_t> index;  // for large objects
    bool repeated = false;
  };

  // A string node for the JSON string whose opening quote is at text_[offset] and whose
  // unescaped value is `value` (pointing into the text when it has no escapes, else copied).
  Node StringNode(std::uint32_t offset, std::string_view value, PathStep step) {
    Node n;
    n.kind = Kind::kString;
    n.step = step;
    n.offset = offset;
    const char* raw = text_.data() + offset + 1;
    const size_t left = text_.size() - offset - 1;
    if (value.size() < left && raw[value.size()] == '"' &&
        std::memchr(raw, '\\', value.size()) == nullptr) {
      n.str = raw;
    } else {
      if (HasSurrogateEscape(text_.substr(offset))) surrogate_ = true;
      n.str = arena_.Copy(value).data();
    }
    n.size = static_cast<std::uint32_t>(value.size());
    return n;
  }

  // The number whose text starts at text_[offset], as cfn-guard reads it (Rust's i64, else
  // f64, parse of the token). False when neither accepts it.
  bool NumberNode(std::uint32_t offset, Node& out) const {
    const char* p = text_.data() + offset;
    size_t n = 0;
    while (offset + n < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(p[n])) || p[n] == '-' || p[n] == '+' ||
            p[n] == '.' || p[n] == 'e' || p[n] == 'E'))
      ++n;
    const std::string_view num(p, n);
    std::int64_t i;
    double f;
    if (ParseRustI64(num, i)) {
      out.kind = Kind::kInt;
      out.i = i;
      return true;
    }
    if (ParseRustF64(num, f)) {
      out.kind = Kind::kFloat;
      out.f = f;
      return true;
    }
    return false;
  }

  void AddElement(const Node& child) { scratch_.push_back(child); }
  void FinishList(size_t base, Node& out) {
    const size_t n = scratch_.size() - base;
    out.kind = Kind::kList;
    Node* kids = arena_.AllocateArray<Node>(n);
    for (size_t i = 0; i < n; ++i) {
      kids[i] = scratch_[base + i];
      kids[i].step = PathStep::kIndex;
      kids[i].index = static_cast<std::uint32_t>(i);
    }
    scratch_.resize(base);
    out.children = kids;
    out.size = static_cast<std::uint32_t>(n);
  }

  // A repeated key keeps its first position and takes the last value.
  void AddEntry(ObjectState& o, const Node& key, const Node& value) {
    const size_t count = (scratch_.size() - o.base) / 2;
    size_t found = SIZE_MAX;
    if (count > 16 && o.index.empty())
      for (size_t e = 0; e < count; ++e) o.index.emplace(scratch_[o.base + 2 * e].text(), e);
    if (!o.index.empty()) {
      auto it = o.index.find(key.text());
      if (it != o.index.end()) found = it->second;
    } else {
      for (size_t e = 0; e < count; ++e)
        if (scratch_[o.base + 2 * e].text() == key.text()) {
          found = e;
          break;
        }
    }
    if (found != SIZE_MAX && !o.repeated) {
      o.repeated = true;
      for (size_t e = 0; e < count; ++e) o.all_keys.push_back(scratch_[o.base + 2 * e]);
    }
    if (o.repeated) o.all_keys.push_back(key);
    if (found != SIZE_MAX) {
      scratch_[o.base + 2 * found + 1] = value;
    } else {
      if (!o.index.empty()) o.index.emplace(key.text(), count);
      scratch_.push_back(key);
      scratch_.push_back(value);
    }
  }
  void FinishObject(ObjectState& o, Node& out) {
    const size_t n = scratch_.size() - o.base;
    out.kind = Kind::kMap;
    Node* kids = AllocateMapChildren(arena_, out, n / 2, o.repeated);
    if (o.repeated) FillKeyList(arena_, out, o.all_keys);
    for (size_t i = 0; i < n; ++i) kids[i] = scratch_[o.base + i];
    for (size_t i = 1; i < n; i += 2) kids[i].step = PathStep::kKey;
    scratch_.resize(o.base);
    out.size = static_cast<std::uint32_t>(n / 2);
  }

  std::uint32_t OffsetOf(const char* p) const {
    return static_cast<std::uint32_t>(p - text_.data());
  }

  Arena& arena_;
  std::string_view text_;
  std::vector<Node> scratch_;  // the children of the containers being built, innermost last

 private:
  static bool HasSurrogateEscape(std::string_view token) {
    for (size_t i = 0; i + 5 < token.size(); ++i) {
      if (token[i] == '"' && i > 0) return false;  // the string ended
      if (token[i] != '\\') continue;
      if (token[i + 1] == 'u' && (token[i + 2] == 'd' || token[i + 2] == 'D') &&
          std::strchr("89abcdefABCDEF", token[i + 3]))
        return true;
      ++i;
    }
    return false;
  }
};

// JSON through simdjson's on-demand API, token by token (the structural index it builds gives
// each node's offset). Strings without escapes are not copied: nodes point into the text.
class JsonBuilder : public TreeBuilder {
 public:
  using TreeBuilder::TreeBuilder;

  // false: not something this path handles (the YAML reader decides).
  bool Build(od::value v, Node& out, int depth) {
    if (depth > 4000) return false;
    od::json_type t;
    if (v.type().get(t)) return false;
    const std::string_view token = v.raw_json_token();
    out.offset = OffsetOf(token.data());
    switch (t) {
      case od::json_type::null:
        if (!v.is_null()) return false;
        out.kind = Kind::kNull;
        return true;
      case od::json_type::boolean: {
        bool b;
        if (v.get_bool().get(b)) return false;
        out.kind = Kind::kBool;
        out.b = b;
        return true;
      }
      case od::json_type::number: {
        if (!NumberNode(out.offset, out)) return false;
        // Let simdjson validate the number (it rejects what JSON does not allow).
        double ignored;
        return !v.get_double().get(ignored) || (out.kind == Kind::kFloat && std::isinf(out.f));
      }
      case od::json_type::string: {
        if (const char* end = Unescaped(token.data() + 1)) {
          out.kind = Kind::kString;
          out.str = token.data() + 1;
          out.size = static_cast<std::uint32_t>(end - out.str);
          return true;
        }
        std::string_view s;
        if (v.get_string().get(s)) return false;
        out = StringNode(out.offset, s, out.step);
        return true;
      }
      case od::json_type::array: {
        od::array arr;
        if (v.get_array().get(arr)) return false;
        const size_t base = scratch_.size();
        for (auto el : arr) {
          od::value ev;
          if (el.get(ev)) return false;
          Node child;
          if (!Build(ev, child, depth + 1)) return false;
          AddElement(child);
        }
        FinishList(base, out);
        return true;
      }
      case od::json_type::object: {
        od::object obj;
        if (v.get_object().get(obj)) return false;
        ObjectState o;
        o.base = scratch_.size();
        for (auto field_result : obj) {
          od::field field;
          if (std::move(field_result).get(field)) return false;
          const char* raw = field.key().raw();
          Node key;
          if (const char* end = Unescaped(raw)) {
            key.kind = Kind::kString;
            key.step = PathStep::kSame;
            key.offset = OffsetOf(raw - 1);
            key.str = raw;
            key.size = static_cast<std::uint32_t>(end - raw);
          } else {
            std::string_view k;
            if (field.unescaped_key().get(k)) return false;
            key = StringNode(OffsetOf(raw - 1), k, PathStep::kSame);
          }
          Node value;
          if (!Build(field.value(), value, depth + 1)) return false;
          AddEntry(o, key, value);
        }
        FinishObject(o, out);
        return true;
      }
    }
    return false;
  }

 private:
  // The closing quote of the string whose text starts at `p`, when it holds no escape.
  const char* Unescaped(const char* p) const {
    const char* limit = text_.data() + text_.size();
    while (p < limit && *p != '"' && *p != '\\') ++p;
    return p < limit && *p == '"' ? p : nullptr;
  }
};

// True when nothing but whitespace follows the root value.
bool AtEnd(od::document& doc) {
  const char* loc = nullptr;
  return doc.current_location().get(loc) != simdjson::SUCCESS;
}

void FillKeyList(Arena& arena, Node& map, const std::vector<Node>& keys) {
  KeyList* list = MutableKeyList(map);
  Node* k = arena.AllocateArray<Node>(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) k[i] = keys[i];
  list->keys = k;
  list->size = static_cast<std::uint32_t>(keys.size());
}

// Points every child's path parent at its container, once the tree sits where it will stay.
void LinkParents(Node& n) {
  if (n.kind == Kind::kList) {
    Node* kids = const_cast<Node*>(n.children);
    for (std::uint32_t i = 0; i < n.size; ++i) {
      kids[i].parent = &n;
      LinkParents(kids[i]);
    }
  } else if (n.kind == Kind::kMap) {
    Node* kids = const_cast<Node*>(n.children);
    for (std::uint32_t i = 0; i < 2 * n.size; ++i) {
      kids[i].parent = &n;
      LinkParents(kids[i]);
    }
    if (const KeyList* list = MutableKeyList(n)) {
      Node* keys = const_cast<Node*>(list->keys);
      for (std::uint32_t i = 0; i < list->size; ++i) keys[i].parent = &n;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// YAML, through yaml-cpp's events, mirroring cfn-guard's libyaml loader.

struct Temp {
  Kind kind = Kind::kNull;
  std::uint32_t offset = 0;
  std::string text;
  std::int64_t i = 0;
  double f = 0;
  bool b = false;
  bool bad = false;         // cfn-guard's MarkedValue::BadValue
  bool is_key_ok = true;    // for keys: a string
  std::vector<Temp> items;  // list items, or key, value, key, value…
  std::string fn_ref;       // a sequence tagged `!If`…: wrap in {fn_ref: list}
  std::uint32_t fn_offset = 0;
};

const char* LongFormOf(std::string_view short_form, bool sequence) {
  struct Entry {
    const char* s;
    const char* l;
    bool single;
    bool seq;
  };
  static const Entry kEntries[] = {
      {"Ref", "Ref", true, false},
      {"GetAtt", "Fn::GetAtt", true, true},
      {"Base64", "Fn::Base64", true, false},
      {"Sub", "Fn::Sub", true, true},
      {"GetAZs", "Fn::GetAZs", true, false},
      {"ImportValue", "Fn::ImportValue", true, false},
      {"Condition", "Condition", true, false},
      {"RefAll", "Fn::RefAll", true, false},
      {"Select", "Fn::Select", false, true},
      {"Split", "Fn::Split", false, true},
      {"Join", "Fn::Join", false, true},
      {"FindInMap", "Fn::FindInMap", false, true},
      {"And", "Fn::And", false, true},
      {"Equals", "Fn::Equals", false, true},
      {"Contains", "Fn::Contains", false, true},
      {"EachMemberIn", "Fn::EachMemberIn", false, true},
      {"EachMemberEquals", "Fn::EachMemberEquals", false, true},
      {"ValueOf", "Fn::ValueOf", false, true},
      {"If", "Fn::If", false, true},
      {"Not", "Fn::Not", false, true},
      {"Or", "Fn::Or", false, true},
  };
  for (const auto& e : kEntries)
    if (short_form == e.s && (sequence ? e.seq : e.single)) return e.l;
  return nullptr;
}

class YamlLoader : public YAML::EventHandler {
 public:
  explicit YamlLoader(std::string_view text)
      : text_(text), bom_(text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override { done_ = true; }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    // yaml-cpp reports empty, `~` and `null` plain scalars alike; cfn-guard reads an empty one as
    // the empty string.
    const size_t pos = static_cast<size_t>(std::max(0, mark.pos)) + bom_;
    const std::string_view at = pos < text_.size() ? text_.substr(pos) : std::string_view();
    auto word = [&](std::string_view w) {
      if (at.size() < w.size() || !EqualsIgnoreCase(at.substr(0, w.size()), w)) return false;
      if (at.size() == w.size()) return true;
      const char n = at[w.size()];
      return n == ' ' || n == '\t' || n == '\r' || n == '\n' || n == ',' || n == ']' || n == '}' ||
             n == '#';
    };
    Temp t;
    if (word("~") || word("null")) {
      Locate(mark, t);
      t.kind = Kind::kNull;
    } else {
      // libyaml places an empty value right after the indicator (`:` or `-`) before it.
      t.offset = static_cast<std::uint32_t>(EmptyValueOffset(pos));
      t.kind = Kind::kString;
    }
    Push(std::move(t));
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { alias_ = true; }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                const std::string& value) override {
    Temp t;
    Locate(mark, t);
    if (tag == "?") {
      Plain(value, t);
    } else if (tag == "!") {
      t.kind = Kind::kString;
      t.text = value;
    } else if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!') {
      const std::string suffix = tag.substr(1);
      if (const char* fn = LongFormOf(suffix, false)) {
        Temp inner;
        Locate(mark, inner);
        inner.kind = Kind::kString;
        inner.text = value;
        t.kind = Kind::kMap;
        Temp key;
        Locate(mark, key);
        key.kind = Kind::kString;
        key.text = fn;
        t.items.push_back(std::move(key));
        t.items.push_back(std::move(inner));
      } else {
        t.kind = Kind::kString;
        t.text = value;
      }
    } else if (tag.rfind("tag:yaml.org,2002:", 0) == 0) {
      const std::string type = tag.substr(18);
      t.text = value;
      t.kind = Kind::kString;
      if (type == "bool") {
        if (value == "true" || value == "false") {
          t.kind = Kind::kBool;
          t.b = value == "true";
        }
      } else if (type == "int") {
        if (ParseRustI64(value, t.i)) {
          t.kind = Kind::kInt;
        } else {
          t.bad = true;
        }
      } else if (type == "float") {
        if (ParseRustF64(value, t.f)) {
          t.kind = Kind::kFloat;
        } else {
          t.bad = true;
        }
      } else if (type == "null") {
        t.kind = Kind::kNull;
      }
    } else {
      t.kind = Kind::kString;
      t.text = value;
    }
    Push(std::move(t));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Temp t;
    t.kind = Kind::kList;
    Locate(mark, t);
    if (tag.size() > 1 && tag[0] == '!' && tag[1] != '!') {
      if (const char* fn = LongFormOf(tag.substr(1), true)) {
        t.fn_ref = fn;
        t.fn_offset = t.offset;
      }
    }
    stack_.push_back(std::move(t));
  }
  void OnSequenceEnd() override { Pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Temp t;
    t.kind = Kind::kMap;
    Locate(mark, t);
    stack_.push_back(std::move(t));
  }
  void OnMapEnd() override { Pop(); }

  bool done() const { return done_; }
  bool alias() const { return alias_; }
  Temp& root() { return root_; }
  bool has_root() const { return has_root_; }

 private:
  void Locate(const YAML::Mark& mark, Temp& t) {
    // yaml-cpp's positions leave out a byte-order mark; libyaml counts it as a column.
    t.offset = static_cast<std::uint32_t>(
        std::min(static_cast<size_t>(std::max(0, mark.pos)) + bom_, text_.size()));
  }

  size_t EmptyValueOffset(size_t pos) const {
    size_t p = std::min(pos, text_.size());
    for (;;) {
      while (p > 0 && std::isspace(static_cast<unsigned char>(text_[p - 1]))) --p;
      size_t line_start = p;
      while (line_start > 0 && text_[line_start - 1] != '\n') --line_start;
      size_t hash = std::string_view::npos;
      for (size_t i = line_start; i < p; ++i)
        if (text_[i] == '#' && (i == line_start || text_[i - 1] == ' ' || text_[i - 1] == '\t')) {
          hash = i;
          break;
        }
      if (hash == std::string_view::npos) return p;
      p = hash;
    }
  }

  static void Plain(const std::string& v, Temp& t) {
    t.text = v;
    if (ParseRustI64(v, t.i)) {
      t.kind = Kind::kInt;
    } else if (ParseRustF64(v, t.f)) {
      t.kind = Kind::kFloat;
    } else if (v == "true" || v == "false") {
      t.kind = Kind::kBool;
      t.b = v == "true";
    } else if (v == "~" || EqualsIgnoreCase(v, "null")) {
      t.kind = Kind::kNull;
    } else {
      t.kind = Kind::kString;
    }
  }

  void Push(Temp t) {
    if (stack_.empty()) {
      root_ = std::move(t);
      has_root_ = true;
    } else {
      stack_.back().items.push_back(std::move(t));
    }
  }

  void Pop() {
    Temp t = std::move(stack_.back());
    stack_.pop_back();
    if (!t.fn_ref.empty()) {
      Temp wrap;
      wrap.kind = Kind::kMap;
      wrap.offset = t.fn_offset;
      Temp key;
      key.kind = Kind::kString;
      key.text = t.fn_ref;
      key.offset = t.fn_offset;
      t.fn_ref.clear();
      wrap.items.push_back(std::move(key));
      wrap.items.push_back(std::move(t));
      Push(std::move(wrap));
      return;
    }
    Push(std::move(t));
  }

  std::string_view text_;
  std::vector<Temp> stack_;
  Temp root_;
  size_t bom_;
  bool has_root_ = false;
  bool done_ = false;
  bool alias_ = false;
};

std::string LocationText(const SourceText& source, std::uint32_t offset) {
  const Location at = source.Locate(offset);
  return "L:" + std::to_string(at.line) + ",C:" + std::to_string(at.column);
}

// Converts the loader's tree to nodes; fails like cfn-guard on non-string keys and bad values.
Status Convert(Temp& t, Node& out, Arena& arena, const SourceText& source) {
  out.kind = t.kind;
  out.offset = t.offset;
  if (t.bad)
    return Status::Error(
        "Parser Error when parsing `Bad Value encountered parsing incoming file "
        "Value = " +
        t.text + ", Loc = " + LocationText(source, t.offset) + "`");
  switch (t.kind) {
    case Kind::kString: {
      const std::string_view s = arena.Copy(t.text);
      out.str = s.data();
      out.size = static_cast<std::uint32_t>(s.size());
      return Status::Ok();
    }
    case Kind::kInt:
      out.i = t.i;
      return Status::Ok();
    case Kind::kFloat:
      out.f = t.f;
      return Status::Ok();
    case Kind::kBool:
      out.b = t.b;
      return Status::Ok();
    case Kind::kList: {
      Node* kids = arena.AllocateArray<Node>(t.items.size());
      for (size_t i = 0; i < t.items.size(); ++i) {
        new (&kids[i]) Node();
        if (Status s = Convert(t.items[i], kids[i], arena, source); !s.ok()) return s;
        kids[i].step = PathStep::kIndex;
        kids[i].index = static_cast<std::uint32_t>(i);
      }
      out.children = kids;
      out.size = static_cast<std::uint32_t>(t.items.size());
      return Status::Ok();
    }
    case Kind::kMap: {
      std::vector<Node> entries;
      std::vector<Node> all_keys;
      bool repeated = false;
      for (size_t i = 0; i + 1 < t.items.size(); i += 2) {
        Temp& k = t.items[i];
        if (k.kind != Kind::kString || k.bad)
          return Status::Error(
              "Parser Error when parsing `non string type detected for key in a map at " +
              LocationText(source, k.offset) +
              ", cfn-guard only supports keys that are string types`");
        Node key;
        if (Status s = Convert(k, key, arena, source); !s.ok()) return s;
        key.step = PathStep::kSame;
        Node value;
        if (Status s = Convert(t.items[i + 1], value, arena, source); !s.ok()) return s;
        all_keys.push_back(key);
        bool replaced = false;
        for (size_t e = 0; e < entries.size(); e += 2) {
          if (entries[e].text() == key.text()) {
            entries[e + 1] = value;
            replaced = true;
            repeated = true;
            break;
          }
        }
        if (!replaced) {
          entries.push_back(key);
          entries.push_back(value);
        }
      }
      Node* kids = AllocateMapChildren(arena, out, entries.size() / 2, repeated);
      if (repeated) FillKeyList(arena, out, all_keys);
      for (size_t i = 0; i < entries.size(); ++i) kids[i] = entries[i];
      for (size_t i = 1; i < entries.size(); i += 2) kids[i].step = PathStep::kKey;
      out.size = static_cast<std::uint32_t>(entries.size() / 2);
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string GenericYamlError(const std::string& name, const std::string& text) {
  size_t n = std::min<size_t>(text.size(), 100);
  return "Parser Error when parsing `Error encountered while parsing data file: " + name +
         ", data beginning with \n" + text.substr(0, n) + "\n ...`";
}

}  // namespace

Result<DataDocument> DataDocument::Load(std::string name, std::string text) {
  DataDocument doc;
  State& st = *doc.state_;
  st.name = std::move(name);
  st.text = std::move(text);
  if (IsBlank(st.text))
    return Status::Error("Parser Error when parsing `Unable to parse a template from data file: " +
                         st.name + " is empty`");
  static_assert(kPadding >= simdjson::SIMDJSON_PADDING);
  st.text.reserve(st.text.size() + kPadding);
  st.source = std::make_unique<SourceText>(st.text);

  size_t first = 0;
  while (first < st.text.size() && std::isspace(static_cast<unsigned char>(st.text[first])))
    ++first;
  if (st.text[first] == '{' || st.text[first] == '[') {
    // Documents of up to kReusedParserBytes reuse one parser per thread (the folder-of-items
    // case: no allocation per file); larger ones get their own, freed once loaded.
    constexpr size_t kReusedParserBytes = size_t{1} << 20;
    thread_local od::parser reused;
    std::unique_ptr<od::parser> own;
    if (st.text.size() > kReusedParserBytes) own = std::make_unique<od::parser>();
    od::parser& parser = own ? *own : reused;
    od::document json;
    const simdjson::padded_string_view view(st.text.data(), st.text.size(), st.text.capacity());
    // Nodes take about twice the text's bytes: one first block that size avoids growing.
    st.arena.ReserveNext(2 * st.text.size() + st.text.size() / 4);
    if (!parser.iterate(view).get(json)) {
      od::value root;
      Node* node = st.arena.AllocateArray<Node>(1);
      new (node) Node();
      JsonBuilder builder(st.arena, st.text);
      if (!json.get_value().get(root) && builder.Build(root, *node, 0) && AtEnd(json)) {
        if (builder.surrogate_) return Status::Error(GenericYamlError(st.name, st.text));
        return Finish(doc, node);
      }
    }
    st.arena = Arena();
  }

  YamlLoader loader(st.text);
  try {
    std::istringstream in(st.text);
    YAML::Parser parser(in);
    parser.HandleNextDocument(loader);
  } catch (const YAML::Exception&) {
    return Status::Error(GenericYamlError(st.name, st.text));
  }
  if (loader.alias()) return Status::Error(GenericYamlError(st.name, st.text));
  if (!loader.has_root())  // cfn-guard panics on a stream without a document
    return Status::Error("thread 'main' panicked: data file " + st.name +
                         " holds no YAML document");
  Node* node = st.arena.AllocateArray<Node>(1);
  new (node) Node();
  if (Status s = Convert(loader.root(), *node, st.arena, *st.source); !s.ok()) return s;
  return Finish(doc, node);
}

DataDocument DataDocument::Finish(DataDocument& doc, Node* root) {
  LinkParents(*root);
  if (root->kind == Kind::kList) root->offset = 0;  // cfn-guard's default location
  root->flags |= kNodeHasSource;
  root->source = doc.state_->source.get();
  doc.root_ = root;
  return std::move(doc);
}

Result<DataDocument> DataDocument::Merge(const DataDocument& base, const DataDocument& other) {
  const Node& a = base.root();
  const Node& b = other.root();
  DataDocument doc;
  doc.state_->name = other.name();
  Arena& arena = doc.state_->arena;
  Node* root = arena.AllocateArray<Node>(1);
  new (root) Node();
  if (a.kind == Kind::kList && b.kind == Kind::kList) {
    *root = a;
    Node* kids = arena.AllocateArray<Node>(a.size + b.size);
    for (std::uint32_t i = 0; i < a.size; ++i) kids[i] = a.Element(i);
    for (std::uint32_t i = 0; i < b.size; ++i) kids[a.size + i] = b.Element(i);
    root->children = kids;
    root->size = a.size + b.size;
  } else if (a.kind == Kind::kMap && b.kind == Kind::kMap) {
    for (std::uint32_t e = 0; e < b.size; ++e)
      if (a.Find(b.EntryKey(e).text()))
        return Status::Error(
            "Conflicting rule or variable assignments inside the same scope `Key " +
            std::string(b.EntryKey(e).text()) + ", already exists in map`");
    *root = a;
    root->flags &= static_cast<std::uint8_t>(~kNodeHasKeyList);
    const KeyList* a_keys = MutableKeyList(const_cast<Node&>(a));
    Node* kids = AllocateMapChildren(arena, *root, a.size + b.size, a_keys != nullptr);
    if (a_keys) *MutableKeyList(*root) = *a_keys;  // a's keys as written, as before the merge
    for (std::uint32_t i = 0; i < 2 * a.size; ++i) kids[i] = a.children[i];
    for (std::uint32_t e = 0; e < b.size; ++e) {
      Node key = b.EntryKey(e);
      // cfn-guard names an added key by the other map's path plus the key, at the other map's
      // location.
      key.step = PathStep::kOwnKey;
      key.parent = &b;
      key.offset = b.offset;
      kids[2 * (a.size + e)] = key;
      kids[2 * (a.size + e) + 1] = b.EntryValue(e);
    }
    root->size = a.size + b.size;
  } else {
    return Status::Error(std::string("Types or variable assignments are incompatible `Types are "
                                     "not compatible for merges ") +
                         TypeInfo(a) + ", " + TypeInfo(b) + "`");
  }
  doc.root_ = root;
  return doc;
}

}  // namespace vigil::guard
