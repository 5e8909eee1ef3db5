#include "guard/eval.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <functional>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "common/strings.h"
#include "guard/functions.h"

namespace vigil::guard {

const char* StatusName(EvalStatus s) {
  switch (s) {
    case EvalStatus::kPass:
      return "PASS";
    case EvalStatus::kFail:
      return "FAIL";
    case EvalStatus::kSkip:
      return "SKIP";
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Display of rules-file constructs (cfn-guard's Display impls in exprs.rs and display.rs)

namespace {

const char* OpWord(CmpOperator op) {
  switch (op) {
    case CmpOperator::kEq:
      return "EQUALS";
    case CmpOperator::kIn:
      return "IN";
    case CmpOperator::kGt:
      return "GREATER THAN";
    case CmpOperator::kLt:
      return "LESS THAN";
    case CmpOperator::kGe:
      return "GREATER THAN EQUALS";
    case CmpOperator::kLe:
      return "LESS THAN EQUALS";
    case CmpOperator::kExists:
      return "EXISTS";
    case CmpOperator::kEmpty:
      return "EMPTY";
    case CmpOperator::kIsString:
      return "IS STRING";
    case CmpOperator::kIsBool:
      return "IS BOOL";
    case CmpOperator::kIsInt:
      return "IS INT";
    case CmpOperator::kIsList:
      return "IS LIST";
    case CmpOperator::kIsMap:
      return "IS MAP";
    case CmpOperator::kIsNull:
      return "IS NULL";
    case CmpOperator::kIsFloat:
      return "IS FLOAT";
  }
  return "";
}

// ValueOnlyDisplay of a rules literal.
void AppendAstValue(std::string& out, const Value& v) {
  auto range = [&](const RangeBounds& b, auto&& lower, auto&& upper) {
    out += b.lower_inclusive ? '[' : '(';
    lower();
    out += ',';
    upper();
    out += b.upper_inclusive ? ']' : ')';
  };
  switch (v.kind) {
    case Value::Kind::kNull:
      out += "\"NULL\"";
      return;
    case Value::Kind::kString:
      out += '"' + v.text + '"';
      return;
    case Value::Kind::kRegex:
      out += "\"/" + v.text + "/\"";
      return;
    case Value::Kind::kBool:
      out += v.boolean ? "true" : "false";
      return;
    case Value::Kind::kInt:
      out += std::to_string(v.integer);
      return;
    case Value::Kind::kFloat:
      AppendRustFloat(out, v.number);
      return;
    case Value::Kind::kChar:
      out += '\'';
      AppendUtf8(out, v.character);
      out += '\'';
      return;
    case Value::Kind::kList:
      out += '[';
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out += ',';
        AppendAstValue(out, v.list[i]);
      }
      out += ']';
      return;
    case Value::Kind::kMap:
      out += '{';
      for (size_t i = 0; i < v.map.size(); ++i) {
        if (i) out += ',';
        out += '"' + v.map[i].key + "\":";
        AppendAstValue(out, v.map[i].value);
      }
      out += '}';
      return;
    case Value::Kind::kRangeInt:
      range(
          v.int_range, [&] { out += std::to_string(v.int_range.lower); },
          [&] { out += std::to_string(v.int_range.upper); });
      return;
    case Value::Kind::kRangeFloat:
      range(
          v.float_range, [&] { AppendRustFloat(out, v.float_range.lower); },
          [&] { AppendRustFloat(out, v.float_range.upper); });
      return;
    case Value::Kind::kRangeChar:
      range(
          v.char_range, [&] { AppendUtf8(out, v.char_range.lower); },
          [&] { AppendUtf8(out, v.char_range.upper); });
      return;
  }
}

std::string PartText(const QueryPart& p) {
  switch (p.kind) {
    case QueryPart::Kind::kThis:
      return "_";
    case QueryPart::Kind::kKey:
      return p.name;
    case QueryPart::Kind::kVariable:
      return "%" + p.name;
    case QueryPart::Kind::kAllValues:
      return "*";
    case QueryPart::Kind::kAllIndices:
      return "[*]";
    case QueryPart::Kind::kIndex:
      return std::to_string(p.index);
    case QueryPart::Kind::kFilter:
      return p.capture.value_or("") + " (filter-clauses)";
    case QueryPart::Kind::kMapKeyFilter:
      return p.capture.value_or("") + " (map-key-filter-clauses)";
  }
  return "";
}

void AppendLetValue(std::string& out, const LetValue& v);

void AppendFunction(std::string& out, const FunctionCall& f) {
  out += f.name + "(";
  for (size_t i = 0; i < f.arguments.size(); ++i) {
    AppendLetValue(out, f.arguments[i]);
    if (i + 1 != f.arguments.size()) out += ", ";
  }
  out += ")";
}

void AppendLetValue(std::string& out, const LetValue& v) {
  if (const auto* q = std::get_if<AccessQuery>(&v.v)) {
    out += QueryText(q->parts);
  } else if (const auto* val = std::get_if<Value>(&v.v)) {
    AppendAstValue(out, *val);
  } else {
    AppendFunction(out, std::get<FunctionCall>(v.v));
  }
}

}  // namespace

std::string QueryText(const std::vector<QueryPart>& parts, size_t from) {
  std::string q;
  for (size_t i = from; i < parts.size(); ++i) {
    if (i != from) q += '.';
    q += PartText(parts[i]);
  }
  std::string out;
  out.reserve(q.size());
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] == '.' && i + 1 < q.size() && q[i + 1] == '[') continue;
    out += q[i];
  }
  return out;
}

std::string RemainingQuery(const Unresolved& u) {
  return u.query ? QueryText(*u.query, u.from) : std::string();
}

std::string ClauseText(const AccessClause& c) {
  std::string s = c.negated ? "not" : "";
  s += ' ';
  s += QueryText(c.query.parts);
  s += ' ';
  if (c.comparator.negated) s += "not ";
  s += OpWord(c.comparator.op);
  s += ' ';
  s += ' ';
  if (c.compare_with) AppendLetValue(s, *c.compare_with);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Compiling

CompiledRules::CompiledRules() : arena_(std::make_unique<Arena>()) {}
CompiledRules::~CompiledRules() = default;
CompiledRules::CompiledRules(CompiledRules&&) noexcept = default;
CompiledRules& CompiledRules::operator=(CompiledRules&&) noexcept = default;

std::string_view CompiledRules::RuleName(const Rule& rule) const {
  return rule.is_default ? std::string_view(default_name_) : std::string_view(rule.name);
}

const Node* CompiledRules::Literal(const Value& v) const {
  auto it = literals_.find(&v);
  return it == literals_.end() ? nullptr : it->second;
}

namespace {

class LiteralBuilder {
 public:
  LiteralBuilder(Arena& arena, std::unordered_map<const Value*, const Node*>& out,
                 std::vector<std::unique_ptr<Regex>>& regexes)
      : arena_(arena), out_(out), regexes_(regexes) {}

  void Build(const Value& v) {
    Node* n = arena_.AllocateArray<Node>(1);
    new (n) Node();
    Fill(v, *n);
    out_[&v] = n;
  }

  void LetVal(const LetValue& v) {
    if (const auto* val = std::get_if<Value>(&v.v)) {
      Build(*val);
    } else if (const auto* q = std::get_if<AccessQuery>(&v.v)) {
      Query(q->parts);
    } else {
      for (const auto& a : std::get<FunctionCall>(v.v).arguments) LetVal(a);
    }
  }
  void Query(const std::vector<QueryPart>& parts) {
    for (const auto& p : parts) {
      if (p.kind == QueryPart::Kind::kFilter) Conj(p.filter);
      if (p.kind == QueryPart::Kind::kMapKeyFilter)
        for (const auto& k : p.key_filter) LetVal(*k.compare_with);
    }
  }
  void Access(const AccessClause& c) {
    Query(c.query.parts);
    if (c.compare_with) LetVal(*c.compare_with);
  }
  void Ref(const NamedRuleRef& r) {
    for (const auto& a : r.arguments) LetVal(a);
  }
  void Guard(const GuardClause& g) {
    if (const auto* a = std::get_if<AccessClause>(&g.v)) {
      Access(*a);
    } else if (const auto* r = std::get_if<NamedRuleRef>(&g.v)) {
      Ref(*r);
    } else if (const auto* b = std::get_if<BlockClause>(&g.v)) {
      Query(b->query.parts);
      Blk(b->block);
    } else {
      When(std::get<WhenBlock>(g.v));
    }
  }
  void Conj(const Conjunctions& c) {
    for (const auto& d : c)
      for (const auto& g : d) Guard(g);
  }
  void Conditions(const WhenConditions& w) {
    for (const auto& d : w)
      for (const auto& c : d) {
        if (const auto* a = std::get_if<AccessClause>(&c.v)) Access(*a);
        if (const auto* r = std::get_if<NamedRuleRef>(&c.v)) Ref(*r);
      }
  }
  void When(const WhenBlock& w) {
    Conditions(w.conditions);
    Blk(w.block);
  }
  void Lets(const std::vector<LetExpr>& lets) {
    for (const auto& l : lets) LetVal(l.value);
  }
  void Blk(const Block<GuardClause>& b) {
    Lets(b.assignments);
    for (const auto& d : b.conjunctions)
      for (const auto& g : d) Guard(g);
  }
  void RuleBody(const Rule& r) {
    if (r.conditions) Conditions(*r.conditions);
    Lets(r.block.assignments);
    for (const auto& d : r.block.conjunctions)
      for (const auto& c : d) {
        if (const auto* g = std::get_if<GuardClause>(&c.v)) Guard(*g);
        if (const auto* w = std::get_if<WhenBlock>(&c.v)) When(*w);
        if (const auto* t = std::get_if<TypeBlock>(&c.v)) {
          if (t->conditions) Conditions(*t->conditions);
          Blk(t->block);
          Query(t->query);
        }
      }
  }

 private:
  void Fill(const Value& v, Node& n) {
    switch (v.kind) {
      case Value::Kind::kNull:
        n.kind = Kind::kNull;
        return;
      case Value::Kind::kString:
      case Value::Kind::kRegex: {
        if (v.kind == Value::Kind::kRegex) {
          regexes_.push_back(std::make_unique<Regex>(v.text));
          SetRegex(arena_, n, v.text, regexes_.back().get());
          return;
        }
        n.kind = Kind::kString;
        const std::string_view s = arena_.Copy(v.text);
        n.str = s.data();
        n.size = static_cast<std::uint32_t>(s.size());
        return;
      }
      case Value::Kind::kBool:
        n.kind = Kind::kBool;
        n.b = v.boolean;
        return;
      case Value::Kind::kInt:
        n.kind = Kind::kInt;
        n.i = v.integer;
        return;
      case Value::Kind::kFloat:
        n.kind = Kind::kFloat;
        n.f = v.number;
        return;
      case Value::Kind::kChar:
        n.kind = Kind::kChar;
        n.c = v.character;
        return;
      case Value::Kind::kList: {
        n.kind = Kind::kList;
        Node* kids = arena_.AllocateArray<Node>(v.list.size());
        for (size_t i = 0; i < v.list.size(); ++i) {
          new (&kids[i]) Node();
          Fill(v.list[i], kids[i]);
          kids[i].step = PathStep::kIndex;
          kids[i].index = static_cast<std::uint32_t>(i);
          kids[i].parent = &n;
        }
        n.children = kids;
        n.size = static_cast<std::uint32_t>(v.list.size());
        return;
      }
      case Value::Kind::kMap: {
        n.kind = Kind::kMap;
        Node* kids = AllocateMapChildren(arena_, n, v.map.size(), false);
        for (size_t e = 0; e < v.map.size(); ++e) {
          Node& key = kids[2 * e];
          Node& val = kids[2 * e + 1];
          const std::string_view k = arena_.Copy(v.map[e].key);
          key.kind = Kind::kString;
          key.str = k.data();
          key.size = static_cast<std::uint32_t>(k.size());
          // Literal maps come from serde-style values: keys carry the extended path.
          key.step = PathStep::kOwnKey;
          key.parent = &n;
          Fill(v.map[e].value, val);
          val.step = PathStep::kKey;
          val.parent = &n;
        }
        n.size = static_cast<std::uint32_t>(v.map.size());
        return;
      }
      case Value::Kind::kRangeInt: {
        n.kind = Kind::kRangeInt;
        auto* r = arena_.AllocateArray<RangeOf<std::int64_t>>(1);
        *r = {v.int_range.lower, v.int_range.upper,
              static_cast<std::uint8_t>((v.int_range.lower_inclusive ? kLowerInclusive : 0) |
                                        (v.int_range.upper_inclusive ? kUpperInclusive : 0))};
        n.int_range = r;
        return;
      }
      case Value::Kind::kRangeFloat: {
        n.kind = Kind::kRangeFloat;
        auto* r = arena_.AllocateArray<RangeOf<double>>(1);
        *r = {v.float_range.lower, v.float_range.upper,
              static_cast<std::uint8_t>((v.float_range.lower_inclusive ? kLowerInclusive : 0) |
                                        (v.float_range.upper_inclusive ? kUpperInclusive : 0))};
        n.float_range = r;
        return;
      }
      case Value::Kind::kRangeChar: {
        n.kind = Kind::kRangeChar;
        auto* r = arena_.AllocateArray<RangeOf<char32_t>>(1);
        *r = {v.char_range.lower, v.char_range.upper,
              static_cast<std::uint8_t>((v.char_range.lower_inclusive ? kLowerInclusive : 0) |
                                        (v.char_range.upper_inclusive ? kUpperInclusive : 0))};
        n.char_range = r;
        return;
      }
    }
  }

  Arena& arena_;
  std::unordered_map<const Value*, const Node*>& out_;
  std::vector<std::unique_ptr<Regex>>& regexes_;
};

}  // namespace

Result<CompiledRules> CompiledRules::Compile(const RulesFile& file, std::string rules_file_name) {
  CompiledRules c;
  c.file_ = &file;
  c.file_name_ = std::move(rules_file_name);
  bool blank = true;
  for (char ch : c.file_name_) blank = blank && std::isspace(static_cast<unsigned char>(ch));
  c.default_name_ = blank ? "default" : c.file_name_ + "/default";
  LiteralBuilder b(*c.arena_, c.literals_, c.regexes_);
  b.Lets(file.assignments);
  for (const auto& r : file.rules) {
    b.RuleBody(r);
    c.rules_by_name_[c.RuleName(r)].push_back(&r);
  }
  for (const auto& p : file.parameterized_rules) {
    b.RuleBody(p.rule);
    c.parameterized_[p.rule.name] = &p;
  }
  return c;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

Evaluation::Evaluation() : arena_(std::make_unique<Arena>()) {}
Evaluation::~Evaluation() = default;
Evaluation::Evaluation(Evaluation&&) noexcept = default;
Evaluation& Evaluation::operator=(Evaluation&&) noexcept = default;

namespace {

using Values = std::vector<QueryResult>;
using Parts = std::vector<QueryPart>;
using Converter = std::string (*)(std::string_view);

// --- Inflector's case conversions, which cfn-guard tries when a key is missing ---------------

bool IsAlnum(unsigned char c) { return c >= 0x80 || std::isalnum(c); }
bool IsLower(unsigned char c) { return c < 0x80 && std::islower(c); }
bool IsUpper(unsigned char c) { return c < 0x80 && std::isupper(c); }

std::string_view TrimRightNonAlnum(std::string_view s) {
  while (!s.empty() && !IsAlnum(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

struct CamelOptions {
  bool new_word;
  bool first_word;
  char injectable;
  bool has_separator;
};

std::string CamelLike(std::string_view input, CamelOptions o) {
  bool new_word = o.new_word, first_word = o.first_word, found_real = false;
  unsigned char last = ' ';
  std::string out;
  for (const char ch : TrimRightNonAlnum(input)) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (!IsAlnum(c) && found_real) {
      new_word = true;
    } else if (!found_real && !IsAlnum(c)) {
      continue;
    } else if (c < 0x80 && std::isdigit(c)) {
      found_real = true;
      new_word = true;
      out += ch;
    } else if (new_word || (IsLower(last) && IsUpper(c) && last != ' ')) {
      found_real = true;
      new_word = false;
      if (o.has_separator && !first_word) out += o.injectable;
      out += static_cast<char>(c < 0x80 ? std::toupper(c) : c);
      first_word = false;
    } else {
      found_real = true;
      last = c;
      out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    }
  }
  return out;
}

std::string SnakeLike(std::string_view input, char sep) {
  bool first = true;
  std::string out;
  const std::string_view s = TrimRightNonAlnum(input);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool upperish = c < 0x80 ? !std::islower(c) : true;
    if (!IsAlnum(c)) {
      if (!first) {
        first = true;
        out += sep;
      }
    } else if (!first && upperish &&
               ((i + 1 < input.size() ? IsLower(static_cast<unsigned char>(input[i + 1]))
                                      : false) ||
                (i >= 1 ? IsLower(static_cast<unsigned char>(input[i - 1])) : false))) {
      first = false;
      out += sep;
      out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    } else {
      first = false;
      out += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    }
  }
  return out;
}

std::string ToCamel(std::string_view s) { return CamelLike(s, {false, false, ' ', false}); }
std::string ToPascal(std::string_view s) { return CamelLike(s, {true, false, ' ', false}); }
std::string ToTitle(std::string_view s) { return CamelLike(s, {true, true, ' ', true}); }
std::string ToTrain(std::string_view s) { return CamelLike(s, {true, true, '-', true}); }
std::string ToKebab(std::string_view s) { return SnakeLike(s, '-'); }
std::string ToSnake(std::string_view s) { return SnakeLike(s, '_'); }

const Converter kConverters[] = {&ToCamel, &ToPascal /* class case, without singularizing */,
                                 &ToKebab, &ToPascal,
                                 &ToSnake, &ToTitle,
                                 &ToTrain};

// conv(name), memoised per thread: the keys come from the rules (a handful), and a key missing
// from every item would otherwise be converted again for each item.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
const std::string& Converted(Converter conv, const std::string& name) {
  constexpr size_t kCount = sizeof(kConverters) / sizeof(kConverters[0]);
  thread_local std::unordered_map<std::string, std::array<std::optional<std::string>, kCount>,
                                  StringHash, std::equal_to<>>
      memo;
  size_t i = 0;
  while (i + 1 < kCount && kConverters[i] != conv) ++i;
  auto it = memo.find(std::string_view(name));
  if (it == memo.end())
    it = memo.emplace(name, std::array<std::optional<std::string>, kCount>{}).first;
  std::optional<std::string>& slot = it->second[i];
  if (!slot) slot = conv(name);
  return *slot;
}

// Rust's `str::parse::<i32>()`.
bool ParseI32(std::string_view s, std::int32_t& out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return false;
  std::int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
    if (v > 2147483648LL) return false;
  }
  if (neg) v = -v;
  if (v > INT32_MAX || v < INT32_MIN) return false;
  out = static_cast<std::int32_t>(v);
  return true;
}

std::string LocationText(std::string_view file, const Span& s) {
  return "Location[file:" + std::string(file) + ", line:" + std::to_string(s.line) +
         ", column:" + std::to_string(s.column) + "]";
}

// Errors as cfn-guard displays them.
std::string MissingValue(const std::string& m) {
  return "There was no variable or value object to resolve. Error = `" + m + "`";
}
std::string IncompatibleError(const std::string& m) {
  return "Types or variable assignments are incompatible `" + m + "`";
}
std::string NotComparableError(const std::string& m) {
  return "Comparing incoming context with literals or dynamic results wasn't possible `" + m + "`";
}

bool IsVariablePart(const QueryPart& p) { return p.kind == QueryPart::Kind::kVariable; }

}  // namespace

class Scope;

class Evaluator {
 public:
  Evaluator(const CompiledRules& c, const EvalOptions& o, Evaluation& out)
      : c_(c), o_(o), out_(out), arena_(*out.arena_) {}

  const CompiledRules& c_;
  const EvalOptions& o_;
  Evaluation& out_;
  Arena& arena_;
  Status error_;
  bool failed_ = false;
  std::vector<std::int32_t> open_;        // started records
  std::vector<std::int32_t> last_child_;  // per open record: its last child
  std::int32_t final_ = -1;

  bool Fail(std::string message) {
    if (!failed_) {
      failed_ = true;
      error_ = Status::Error(std::move(message));
    }
    return false;
  }
  bool Fail(const Status& s) { return Fail(s.message()); }

  // --- records (cfn-guard's RecordTracker) ---
  bool recording() const { return o_.record; }
  void Start(ContextKind k, const void* node = nullptr, std::uint32_t index = 0) {
    if (!o_.record) return;
    Record r;
    r.context = k;
    r.context_node = node;
    r.context_index = index;
    out_.records_.push_back(std::move(r));
    open_.push_back(static_cast<std::int32_t>(out_.records_.size() - 1));
    last_child_.push_back(-1);
  }
  // Completes the innermost started record with `r`'s content.
  void Finish(Record&& r) {
    if (!o_.record || open_.empty()) return;
    const std::int32_t id = open_.back();
    const std::int32_t first_child = out_.records_[id].first_child;
    open_.pop_back();
    last_child_.pop_back();
    Record& slot = out_.records_[id];
    r.context = slot.context;
    r.context_node = slot.context_node;
    r.context_index = slot.context_index;
    r.first_child = first_child;
    r.next_sibling = -1;
    // The reports print the subtrees of failed records only, plus three kinds of value checks
    // whatever their status (BuildFileReport's ValueCheck).
    const bool reported_anyway =
        r.kind == RecordKind::kClauseValueCheck &&
        (r.check == CheckKind::kNoValueForEmptyCheck || r.check == CheckKind::kDependentRule ||
         r.check == CheckKind::kMissingBlockValue);
    if (o_.failures_only && r.status != EvalStatus::kFail && !reported_anyway && !open_.empty()) {
      // Drop the record and its subtree, which are the last records (it was the innermost
      // open one).
      out_.records_.resize(static_cast<size_t>(id));
      return;
    }
    slot = std::move(r);
    if (open_.empty()) {
      final_ = id;
      return;
    }
    const std::int32_t parent = open_.back();
    if (last_child_.back() < 0) {
      out_.records_[parent].first_child = id;
    } else {
      out_.records_[last_child_.back()].next_sibling = id;
    }
    last_child_.back() = id;
  }

  Unresolved* NewUnresolved(const Node* at, const Parts* q, size_t from, std::string reason) {
    auto u = std::make_unique<Unresolved>();
    u->traversed_to = at;
    u->query = q;
    u->from = static_cast<std::uint32_t>(from);
    u->reason = std::move(reason);
    out_.unresolved_.push_back(std::move(u));
    return out_.unresolved_.back().get();
  }
  QueryResult UnresolvedResult(const Node* at, const Parts* q, size_t from, std::string reason) {
    QueryResult r;
    r.kind = QueryResult::Kind::kUnresolved;
    r.unresolved = NewUnresolved(at, q, from, std::move(reason));
    return r;
  }

  // --- query_retrieval_with_converter ---
  bool Retrieve(size_t index, const Parts& q, const Node* current, Scope& resolver, Converter conv,
                Values& out);
  bool Accumulate(const Node* parent, size_t index, const Parts& q, Scope& resolver, Converter conv,
                  Values& out);
  template <typename F>
  bool AccumulateMap(const Node* parent, size_t index, const Parts& q, Scope& resolver,
                     Converter conv, Values& out, F&& func);
  bool FilterMapEntry(const Conjunctions& conj, const std::optional<std::string>& name,
                      size_t index, const Parts& q, const Node* key, const Node* value, Scope& ctx,
                      Converter conv, Values& out);

  bool ResolveFunction(const FunctionCall& f, Scope& resolver, Values& out);

  // --- eval.rs ---
  bool EvalAccessClause(const AccessClause& gac, Scope& r, EvalStatus& out);
  bool EvalNamedRef(const NamedRuleRef& ref, Scope& r, EvalStatus& out);
  bool EvalParameterizedCall(const NamedRuleRef& ref, Scope& r, EvalStatus& out);
  bool EvalBlockClause(const BlockClause& b, Scope& r, EvalStatus& out);
  bool EvalWhenBlock(bool rule_level, const WhenBlock& w, Scope& r, EvalStatus& out);
  bool EvalGuardClause(const GuardClause& g, Scope& r, EvalStatus& out);
  bool EvalWhenClause(const WhenCondition& w, Scope& r, EvalStatus& out);
  bool EvalRuleClause(const RuleClause& rc, Scope& r, EvalStatus& out);
  bool EvalTypeBlock(const TypeBlock& t, Scope& r, EvalStatus& out);
  bool EvalRule(const Rule& rule, Scope& r, EvalStatus& out);
  template <typename T, typename F>
  bool EvalConjunctions(const std::vector<std::vector<T>>& conj, ContextKind disjunction, Scope& r,
                        F&& eval, EvalStatus& out);
  template <typename T, typename F>
  bool EvalGeneralBlock(const Block<T>& block, Scope& r, F&& eval, EvalStatus& out);

  bool UnaryOperation(const AccessClause& gac, Scope& r, bool& empty_result,
                      EvalStatus& empty_status, std::vector<EvalStatus>& statuses);
  bool BinaryOperation(const AccessClause& gac, const Values& rhs, Scope& r, bool& empty_result,
                       std::vector<EvalStatus>& statuses);
  // real_binary_operation: the checks of a `keys` filter. Returns per-lhs (result, status).
  bool RealBinaryOperation(const Values& lhs, const Values& rhs, Comparator cmp,
                           std::vector<std::pair<QueryResult, EvalStatus>>& out);

  void RecordSuccess() {
    if (!recording()) return;
    Record r;
    r.kind = RecordKind::kClauseValueCheck;
    r.check = CheckKind::kSuccess;
    Finish(std::move(r));
  }
};

// ---------------------------------------------------------------------------------------------
// Scopes (cfn-guard's RootScope, BlockScope, ValueScope, ResolvedParameterContext)

struct Variables {
  std::vector<std::pair<std::string_view, const Node*>> literals;
  std::vector<std::pair<std::string_view, const AccessQuery*>> queries;
  std::vector<std::pair<std::string_view, const FunctionCall*>> functions;
  std::vector<std::pair<std::string_view, Values>> resolved;

  void Extract(const std::vector<LetExpr>& lets, const CompiledRules& c) {
    for (const auto& l : lets) {
      if (const auto* v = std::get_if<Value>(&l.value.v)) {
        Set(literals, l.name, c.Literal(*v));
      } else if (const auto* q = std::get_if<AccessQuery>(&l.value.v)) {
        Set(queries, l.name, q);
      } else {
        Set(functions, l.name, &std::get<FunctionCall>(l.value.v));
      }
    }
  }
  template <typename T>
  static void Set(std::vector<std::pair<std::string_view, T>>& v, std::string_view k, T value) {
    for (auto& e : v)
      if (e.first == k) {
        e.second = value;
        return;
      }
    v.emplace_back(k, value);
  }
  template <typename T>
  static const T* Get(const std::vector<std::pair<std::string_view, T>>& v, std::string_view k) {
    for (const auto& e : v)
      if (e.first == k) return &e.second;
    return nullptr;
  }
  Values* Resolved(std::string_view k) {
    for (auto& e : resolved)
      if (e.first == k) return &e.second;
    return nullptr;
  }
};

class Scope {
 public:
  Scope(Evaluator& ev, Scope* parent) : ev(ev), parent(parent) {}
  virtual ~Scope() = default;
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

  virtual bool Query(const Parts& q, Values& out) = 0;
  virtual const Node* Root() = 0;
  virtual bool RuleStatus(std::string_view name, EvalStatus& out) {
    return parent->RuleStatus(name, out);
  }
  virtual bool ResolveVariable(std::string_view name, Values& out) {
    return parent->ResolveVariable(name, out);
  }
  virtual void AddCapture(std::string_view name, const Node* key) { parent->AddCapture(name, key); }
  virtual const ParameterizedRule* FindParameterized(std::string_view name) {
    return parent->FindParameterized(name);
  }
  virtual void EndRecord(Record&& r) {
    if (parent) {
      parent->EndRecord(std::move(r));
    } else {
      ev.Finish(std::move(r));
    }
  }

  Evaluator& ev;
  Scope* parent;
};

// Resolution shared by the root and block scopes (resolve_variable in both).
static bool ResolveIn(Scope& self, Variables& vars, std::string_view name, Values& out,
                      bool& found) {
  found = true;
  if (const auto* lit = Variables::Get(vars.literals, name)) {
    QueryResult r;
    r.kind = QueryResult::Kind::kLiteral;
    r.value = *lit;
    out.assign(1, r);
    return true;
  }
  if (Values* cached = vars.Resolved(name)) {
    out = *cached;
    return true;
  }
  if (const auto* fn = Variables::Get(vars.functions, name)) {
    Values result;
    if (!self.ev.ResolveFunction(**fn, self, result)) return false;
    vars.resolved.emplace_back(name, result);
    out = std::move(result);
    return true;
  }
  const auto* query = Variables::Get(vars.queries, name);
  if (!query) {
    found = false;
    return true;
  }
  Values result;
  if (!self.ev.Retrieve(0, (*query)->parts, self.Root(), self, nullptr, result)) return false;
  if (!(*query)->match_all) {
    Values kept;
    for (const auto& r : result)
      if (r.kind == QueryResult::Kind::kResolved) kept.push_back(r);
    result = std::move(kept);
  }
  vars.resolved.emplace_back(name, result);
  out = std::move(result);
  return true;
}

class RootScope : public Scope {
 public:
  RootScope(Evaluator& ev, const Node* root) : Scope(ev, nullptr), root_(root) {
    vars_.Extract(ev.c_.file().assignments, ev.c_);
  }
  bool Query(const Parts& q, Values& out) override {
    return ev.Retrieve(0, q, root_, *this, nullptr, out);
  }
  const Node* Root() override { return root_; }
  bool RuleStatus(std::string_view name, EvalStatus& out) override {
    for (const auto& e : statuses_)
      if (e.first == name) {
        out = e.second;
        return true;
      }
    auto it = ev.c_.rules_by_name_.find(name);
    if (it == ev.c_.rules_by_name_.end()) {
      std::string names;
      for (const auto& [n, rules] : ev.c_.rules_by_name_) {
        if (!names.empty()) names += ", ";
        names += "\"" + std::string(n) + "\"";
      }
      return ev.Fail(MissingValue("Rule " + std::string(name) +
                                  " by that name does not exist, Rule Names = [" + names + "]"));
    }
    EvalStatus status = EvalStatus::kSkip;
    for (const Rule* rule : it->second) {
      EvalStatus s;
      if (!ev.EvalRule(*rule, *this, s)) return false;
      if (s != EvalStatus::kSkip) {
        status = s;
        break;
      }
    }
    statuses_.emplace_back(name, status);
    out = status;
    return true;
  }
  bool ResolveVariable(std::string_view name, Values& out) override {
    bool found;
    if (!ResolveIn(*this, vars_, name, out, found)) return false;
    if (!found)
      return ev.Fail(MissingValue("Could not resolve variable by name " + std::string(name) +
                                  " across scopes"));
    return true;
  }
  void AddCapture(std::string_view name, const Node* key) override {
    Values* v = vars_.Resolved(name);
    if (!v) {
      vars_.resolved.emplace_back(name, Values());
      v = &vars_.resolved.back().second;
    }
    QueryResult r;
    r.kind = QueryResult::Kind::kResolved;
    r.value = key;
    v->push_back(r);
  }
  const ParameterizedRule* FindParameterized(std::string_view name) override {
    auto it = ev.c_.parameterized_.find(name);
    return it == ev.c_.parameterized_.end() ? nullptr : it->second;
  }

 private:
  const Node* root_;
  Variables vars_;
  std::vector<std::pair<std::string_view, EvalStatus>> statuses_;
};

class BlockScope : public Scope {
 public:
  BlockScope(Evaluator& ev, Scope& parent, const Node* root,
             const std::vector<LetExpr>& assignments)
      : Scope(ev, &parent), root_(root) {
    vars_.Extract(assignments, ev.c_);
  }
  bool Query(const Parts& q, Values& out) override {
    return ev.Retrieve(0, q, root_, *this, nullptr, out);
  }
  const Node* Root() override { return root_; }
  bool ResolveVariable(std::string_view name, Values& out) override {
    bool found;
    if (!ResolveIn(*this, vars_, name, out, found)) return false;
    if (!found) return parent->ResolveVariable(name, out);
    return true;
  }

 private:
  const Node* root_;
  Variables vars_;
};

class ValueScope : public Scope {
 public:
  ValueScope(Evaluator& ev, Scope& parent, const Node* root) : Scope(ev, &parent), root_(root) {}
  bool Query(const Parts& q, Values& out) override {
    return ev.Retrieve(0, q, root_, *parent, nullptr, out);
  }
  const Node* Root() override { return root_; }

 private:
  const Node* root_;
};

class ParameterScope : public Scope {
 public:
  ParameterScope(Evaluator& ev, Scope& parent, const NamedRuleRef& call)
      : Scope(ev, &parent), call_(call) {}
  bool Query(const Parts& q, Values& out) override { return parent->Query(q, out); }
  const Node* Root() override { return parent->Root(); }
  bool ResolveVariable(std::string_view name, Values& out) override {
    for (const auto& p : params_)
      if (p.first == name) {
        out = p.second;
        return true;
      }
    return parent->ResolveVariable(name, out);
  }
  void EndRecord(Record&& r) override {
    if (r.kind == RecordKind::kRuleCheck && r.name == call_.rule_name)
      r.message = call_.custom_message;
    parent->EndRecord(std::move(r));
  }
  std::vector<std::pair<std::string_view, Values>> params_;

 private:
  const NamedRuleRef& call_;
};

// ---------------------------------------------------------------------------------------------
// Queries

bool Evaluator::Accumulate(const Node* parent, size_t index, const Parts& q, Scope& resolver,
                           Converter conv, Values& out) {
  if (parent->size == 0) {
    out.push_back(
        UnresolvedResult(parent, &q, index,
                         "No more entries for value at path = " + PathWithLocation(*parent) +
                             " on type = " + TypeInfo(*parent) + " "));
    return true;
  }
  for (std::uint32_t i = 0; i < parent->size; ++i)
    if (!Retrieve(index + 1, q, &parent->Element(i), resolver, conv, out)) return false;
  return true;
}

template <typename F>
bool Evaluator::AccumulateMap(const Node* parent, size_t index, const Parts& q, Scope& resolver,
                              Converter conv, Values& out, F&& func) {
  if (parent->size == 0) {
    out.push_back(
        UnresolvedResult(parent, &q, index,
                         "No more entries for value at path = " + PathWithLocation(*parent) +
                             " on type = " + TypeInfo(*parent) + " "));
    return true;
  }
  // cfn-guard zips its key list (repeated keys included) with the values.
  const std::uint32_t n = std::min(parent->KeyCount(), parent->size);
  for (std::uint32_t e = 0; e < n; ++e) {
    ValueScope scope(*this, resolver, &parent->EntryValue(e));
    if (!func(index + 1, &parent->KeyAt(e), &parent->EntryValue(e), scope, conv, out)) return false;
  }
  return true;
}

bool Evaluator::FilterMapEntry(const Conjunctions& conj, const std::optional<std::string>& name,
                               size_t index, const Parts& q, const Node* key, const Node* value,
                               Scope& ctx, Converter conv, Values& out) {
  Start(ContextKind::kFilterMap, nullptr, static_cast<std::uint32_t>(conj.size()));
  EvalStatus status;
  if (!EvalConjunctions(
          conj, ContextKind::kDisjunctionGuard, ctx,
          [this](const GuardClause& g, Scope& s, EvalStatus& st) {
            return EvalGuardClause(g, s, st);
          },
          status)) {
    if (recording()) {
      Record r;
      r.kind = RecordKind::kFilter;
      r.status = EvalStatus::kFail;
      ctx.EndRecord(std::move(r));
    }
    return false;
  }
  if (recording()) {
    Record r;
    r.kind = RecordKind::kFilter;
    r.status = status;
    ctx.EndRecord(std::move(r));
  }
  if (name && status == EvalStatus::kPass) ctx.AddCapture(*name, key);
  if (status == EvalStatus::kPass) return Retrieve(index, q, value, ctx, conv, out);
  return true;
}

bool Evaluator::Retrieve(size_t index, const Parts& q, const Node* current, Scope& resolver,
                         Converter conv, Values& out) {
  if (index >= q.size()) {
    QueryResult r;
    r.value = current;
    out.push_back(r);
    return true;
  }
  const QueryPart& part = q[index];
  if (index == 0 && IsVariablePart(part)) {
    Values retrieved;
    if (!resolver.ResolveVariable(part.name, retrieved)) return false;
    for (const auto& each : retrieved) {
      if (!each.resolved()) {
        out.push_back(each);
        continue;
      }
      size_t next = index + 1;
      if (index + 1 < q.size() && q[index + 1].kind == QueryPart::Kind::kAllIndices)
        next = index + 2;
      if (next < q.size()) {
        ValueScope scope(*this, resolver, each.value);
        if (!Retrieve(next, q, each.value, scope, conv, out)) return false;
      } else {
        out.push_back(each);
      }
    }
    return true;
  }

  switch (part.kind) {
    case QueryPart::Kind::kThis:
      return Retrieve(index + 1, q, current, resolver, conv, out);

    case QueryPart::Kind::kKey:
    case QueryPart::Kind::kVariable: {
      std::int32_t as_index;
      if (part.kind == QueryPart::Kind::kKey && ParseI32(part.name, as_index)) {
        if (current->kind == Kind::kList) {
          const std::uint32_t check = static_cast<std::uint32_t>(
              as_index >= 0 ? as_index : -static_cast<std::int64_t>(as_index));
          if (check < current->size)
            return Retrieve(index + 1, q, &current->Element(check), resolver, conv, out);
          std::string elems;
          elems += '[';
          for (std::uint32_t i = 0; i < current->size; ++i) {
            if (i) elems += ", ";
            AppendDebug(elems, current->Element(i));
          }
          elems += ']';
          out.push_back(UnresolvedResult(
              current, &q, 0,
              "Array Index out of bounds for path = " + PathWithLocation(*current) +
                  " on index = " + std::to_string(as_index) + " inside Array = " + elems +
                  ", remaining query = " + QueryText(q)));
          return true;
        }
        out.push_back(UnresolvedResult(
            current, &q, 0,
            "Attempting to retrieve from index " + std::to_string(as_index) +
                " but type is not an array at path " + PathWithLocation(*current)));
        return true;
      }
      const std::string key_text =
          part.kind == QueryPart::Kind::kVariable ? "%" + part.name : part.name;
      if (current->kind != Kind::kMap) {
        std::string dbg;
        AppendDebug(dbg, *current);
        out.push_back(UnresolvedResult(current, &q, index,
                                       "Attempting to retrieve from key " + key_text +
                                           " but type is not an struct type at path " +
                                           PathWithLocation(*current) +
                                           ", Type = " + TypeInfo(*current) + ", Value = " + dbg));
        return true;
      }
      if (part.kind == QueryPart::Kind::kVariable) {
        Values keys;
        if (!resolver.ResolveVariable(part.name, keys)) return false;
        if (q.size() > index + 1) {
          const QueryPart& next = q[index + 1];
          if (next.kind == QueryPart::Kind::kAllIndices || next.kind == QueryPart::Kind::kKey ||
              next.kind == QueryPart::Kind::kVariable) {
            // keep all keys
          } else if (next.kind == QueryPart::Kind::kIndex) {
            const std::int64_t check =
                next.index >= 0 ? next.index : -static_cast<std::int64_t>(next.index);
            if (check < static_cast<std::int64_t>(keys.size())) {
              Values one{keys[static_cast<size_t>(check)]};
              keys = std::move(one);
            } else {
              std::string dbg = "[";
              for (size_t i = 0; i < keys.size(); ++i) {
                if (i) dbg += ", ";
                dbg += keys[i].resolved() ? "Resolved(" : "UnResolved(";
                if (keys[i].resolved()) AppendDebug(dbg, *keys[i].value);
                dbg += ")";
              }
              dbg += "]";
              out.push_back(
                  UnresolvedResult(current, &q, index,
                                   "Index " + std::to_string(check) +
                                       " on the set of values returned for variable " + part.name +
                                       " on the join, is out of bounds. Length " +
                                       std::to_string(keys.size()) + ", Values = " + dbg));
              return true;
            }
          } else {
            return Fail(IncompatibleError("This type of query " + PartText(q[1]) +
                                          " based variable interpolation is not supported " +
                                          TypeInfo(*current) + ", " + QueryText(q)));
          }
        }
        for (const auto& each_key : keys) {
          if (!each_key.resolved()) {
            const Unresolved& ur = *each_key.unresolved;
            out.push_back(
                UnresolvedResult(current, &q, index,
                                 "Keys returned for variable " + part.name +
                                     " could not completely resolve. Path traversed until " +
                                     PathWithLocation(*ur.traversed_to) + ur.reason));
            continue;
          }
          const Node* k = each_key.value;
          auto not_string = [&](const Node& v) {
            std::string dbg = "(";
            dbg += "Path(";
            AppendRustDebugString(dbg, PathOf(v));
            const Location at = LocationOf(v);
            dbg += ", Location { line: " + std::to_string(at.line) +
                   ", col: " + std::to_string(at.column) + " }), ";
            AppendDebug(dbg, v);
            dbg += ")";
            return Fail(NotComparableError("Variable projections inside Query " + QueryText(q) +
                                           ", is returning a non-string value for key " +
                                           TypeInfo(*k) + ", " + dbg));
          };
          if (k->kind == Kind::kString) {
            if (const Node* next = current->Find(k->text())) {
              if (!Retrieve(index + 1, q, next, resolver, conv, out)) return false;
            } else {
              out.push_back(
                  UnresolvedResult(current, &q, index,
                                   "Could not locate key = " + std::string(k->text()) +
                                       " inside struct at path = " + PathWithLocation(*current)));
            }
          } else if (k->kind == Kind::kList) {
            for (std::uint32_t i = 0; i < k->size; ++i) {
              const Node& inner = k->Element(i);
              if (inner.kind != Kind::kString) return not_string(*k);
              if (const Node* next = current->Find(inner.text())) {
                if (!Retrieve(index + 1, q, next, resolver, conv, out)) return false;
              } else {
                out.push_back(
                    UnresolvedResult(current, &q, index,
                                     "Could not locate key = " + std::string(inner.text()) +
                                         " inside struct at path = " + PathWithLocation(inner)));
              }
            }
          } else {
            return not_string(*k);
          }
        }
        return true;
      }
      if (const Node* val = current->Find(part.name))
        return Retrieve(index + 1, q, val, resolver, conv, out);
      if (conv) {
        if (const Node* val = current->Find(Converted(conv, part.name)))
          return Retrieve(index + 1, q, val, resolver, conv, out);
      } else {
        for (Converter c : kConverters)
          if (const Node* val = current->Find(Converted(c, part.name)))
            return Retrieve(index + 1, q, val, resolver, c, out);
      }
      out.push_back(UnresolvedResult(current, &q, index,
                                     "Could not find key " + part.name + " inside struct at path " +
                                         PathWithLocation(*current)));
      return true;
    }

    case QueryPart::Kind::kIndex: {
      if (current->kind != Kind::kList) {
        out.push_back(
            UnresolvedResult(current, &q, index,
                             "Attempting to retrieve from index " + std::to_string(part.index) +
                                 " but type is not an array at path " + PathWithLocation(*current) +
                                 ", type " + TypeInfo(*current)));
        return true;
      }
      const std::int64_t check =
          part.index >= 0 ? part.index : -static_cast<std::int64_t>(part.index);
      if (check < static_cast<std::int64_t>(current->size))
        return Retrieve(index + 1, q, &current->Element(static_cast<std::uint32_t>(check)),
                        resolver, conv, out);
      std::string elems = "[";
      for (std::uint32_t i = 0; i < current->size; ++i) {
        if (i) elems += ", ";
        AppendDebug(elems, current->Element(i));
      }
      elems += ']';
      out.push_back(
          UnresolvedResult(current, &q, 0,
                           "Array Index out of bounds for path = " + PathWithLocation(*current) +
                               " on index = " + std::to_string(part.index) +
                               " inside Array = " + elems + ", remaining query = " + QueryText(q)));
      return true;
    }

    case QueryPart::Kind::kAllIndices:
    case QueryPart::Kind::kAllValues: {
      if (current->kind == Kind::kList) return Accumulate(current, index, q, resolver, conv, out);
      if (current->kind == Kind::kMap) {
        if (part.kind == QueryPart::Kind::kAllIndices && !part.capture)
          return Retrieve(index + 1, q, current, resolver, conv, out);
        const std::optional<std::string>& capture = part.capture;
        return AccumulateMap(
            current, index, q, resolver, conv, out,
            [&](size_t i, const Node* key, const Node* value, Scope& ctx, Converter cv, Values& o) {
              if (capture) ctx.AddCapture(*capture, key);
              return Retrieve(i, q, value, ctx, cv, o);
            });
      }
      return Retrieve(index + 1, q, current, resolver, conv, out);
    }

    case QueryPart::Kind::kFilter: {
      if (current->kind == Kind::kMap) {
        const QueryPart::Kind prev = index > 0 ? q[index - 1].kind : QueryPart::Kind::kThis;
        if (index > 0 &&
            (prev == QueryPart::Kind::kAllValues || prev == QueryPart::Kind::kAllIndices)) {
          static const std::optional<std::string> kNone;
          return FilterMapEntry(part.filter, kNone, index + 1, q, current, current, resolver, conv,
                                out);
        }
        if (index > 0 && (prev == QueryPart::Kind::kKey || prev == QueryPart::Kind::kVariable)) {
          if (current->size == 0) return true;
          return AccumulateMap(current, index, q, resolver, conv, out,
                               [&](size_t i, const Node* key, const Node* value, Scope& ctx,
                                   Converter cv, Values& o) {
                                 return FilterMapEntry(part.filter, part.capture, i, q, key, value,
                                                       ctx, cv, o);
                               });
        }
        return Fail(
            "thread 'main' panicked: internal error: entered unreachable code "
            "(a filter on a map after " +
            (index > 0 ? PartText(q[index - 1]) : std::string("nothing")) + ")");
      }
      if (current->kind == Kind::kList) {
        for (std::uint32_t i = 0; i < current->size; ++i) {
          const Node* each = &current->Element(i);
          Start(ContextKind::kFilterList, nullptr, static_cast<std::uint32_t>(part.filter.size()));
          ValueScope scope(*this, resolver, each);
          EvalStatus status;
          if (!EvalConjunctions(
                  part.filter, ContextKind::kDisjunctionGuard, scope,
                  [this](const GuardClause& g, Scope& s, EvalStatus& st) {
                    return EvalGuardClause(g, s, st);
                  },
                  status)) {
            if (recording()) {
              Record r;
              r.kind = RecordKind::kFilter;
              r.status = EvalStatus::kFail;
              resolver.EndRecord(std::move(r));
            }
            return false;
          }
          if (recording()) {
            Record r;
            r.kind = RecordKind::kFilter;
            r.status = status;
            resolver.EndRecord(std::move(r));
          }
          if (status == EvalStatus::kPass && !Retrieve(index + 1, q, each, resolver, conv, out))
            return false;
        }
        return true;
      }
      if (index > 0 && q[index - 1].kind == QueryPart::Kind::kAllIndices) {
        ValueScope scope(*this, resolver, current);
        EvalStatus status;
        if (!EvalConjunctions(
                part.filter, ContextKind::kDisjunctionGuard, scope,
                [this](const GuardClause& g, Scope& s, EvalStatus& st) {
                  return EvalGuardClause(g, s, st);
                },
                status))
          return false;
        if (status == EvalStatus::kPass)
          return Retrieve(index + 1, q, current, resolver, conv, out);
        return true;
      }
      out.push_back(UnresolvedResult(current, &q, index,
                                     std::string("Filter on value type that was not a struct or "
                                                 "array ") +
                                         TypeInfo(*current) + " " + PathWithLocation(*current)));
      return true;
    }

    case QueryPart::Kind::kMapKeyFilter: {
      if (current->kind != Kind::kMap) {
        out.push_back(UnresolvedResult(current, &q, index,
                                       std::string("Map Filter for keys was not a struct ") +
                                           TypeInfo(*current) + " " + PathWithLocation(*current)));
        return true;
      }
      const MapKeyFilter& f = part.key_filter.at(0);
      Values rhs;
      const LetValue& with = *f.compare_with;
      if (const auto* aq = std::get_if<AccessQuery>(&with.v)) {
        if (!Retrieve(0, aq->parts, current, resolver, conv, rhs)) return false;
      } else if (const auto* v = std::get_if<Value>(&with.v)) {
        QueryResult r;
        r.kind = QueryResult::Kind::kLiteral;
        r.value = c_.Literal(*v);
        rhs.push_back(r);
      } else {
        if (!ResolveFunction(std::get<FunctionCall>(with.v), resolver, rhs)) return false;
      }
      Values lhs;
      for (std::uint32_t e = 0; e < current->KeyCount(); ++e) {
        QueryResult r;
        r.value = &current->KeyAt(e);
        lhs.push_back(r);
      }
      std::vector<std::pair<QueryResult, EvalStatus>> results;
      // real_binary_operation records into whatever record is open (with an empty context).
      if (!RealBinaryOperation(lhs, rhs, f.comparator, results)) return false;
      Values selected;
      for (const auto& [qr, st] : results) {
        if (qr.kind == QueryResult::Kind::kResolved && st == EvalStatus::kPass) {
          if (qr.value->kind == Kind::kString) {
            QueryResult r;
            r.value = current->Find(qr.value->text());
            if (r.value) selected.push_back(r);
          }
        } else if (!qr.resolved()) {
          selected.push_back(qr);
        }
      }
      for (const auto& each : selected) {
        if (each.resolved()) {
          if (!Retrieve(index + 1, q, each.value, resolver, conv, out)) return false;
        } else {
          out.push_back(each);
        }
      }
      return true;
    }
  }
  return true;
}

bool Evaluator::ResolveFunction(const FunctionCall& f, Scope& resolver, Values& out) {
  if (Status s = CheckFunctionCall(f.name, f.arguments.size()); !s.ok()) return Fail(s);
  std::vector<Values> args;
  args.reserve(f.arguments.size());
  for (const auto& a : f.arguments) {
    Values v;
    if (const auto* val = std::get_if<Value>(&a.v)) {
      QueryResult r;
      r.kind = QueryResult::Kind::kLiteral;
      r.value = c_.Literal(*val);
      v.push_back(r);
    } else if (const auto* q = std::get_if<AccessQuery>(&a.v)) {
      if (!resolver.Query(q->parts, v)) return false;
    } else {
      if (!ResolveFunction(std::get<FunctionCall>(a.v), resolver, v)) return false;
    }
    args.push_back(std::move(v));
  }
  std::vector<const Node*> values;
  if (Status s = CallFunction(f.name, args, arena_, values); !s.ok()) return Fail(s);
  for (const Node* n : values) {
    QueryResult r;
    r.value = n;
    out.push_back(r);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Operators (eval/operators.rs)

namespace {

using NodeList = std::vector<const Node*>;

enum class CompareKind : std::uint8_t { kValue, kQueryIn, kListIn, kValueIn };
enum class OutcomeKind : std::uint8_t {
  kLhsUnresolved,
  kRhsUnresolved,
  kNotComparable,
  kSuccess,
  kFail
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kSuccess;
  CompareKind compare = CompareKind::kValue;
  const Unresolved* unresolved = nullptr;  // kLhsUnresolved, kRhsUnresolved
  const Node* lhs = nullptr;               // kValue/kValueIn/kListIn, kRhsUnresolved, pair lhs
  const Node* rhs = nullptr;
  std::string reason;                 // kNotComparable
  NodeList diff, lhs_list, rhs_list;  // kQueryIn (lhs_list, rhs_list), kListIn (diff)
};

using CompareFn = Cmp (*)(const Node&, const Node&);

std::string TypeNotComparable(const Node& l, const Node& r) {
  return "Type not comparable, " + DisplayValue(l) + ", " + DisplayValue(r);
}

Outcome Success(const Node* l, const Node* r, CompareKind k = CompareKind::kValue) {
  Outcome o;
  o.kind = OutcomeKind::kSuccess;
  o.compare = k;
  o.lhs = l;
  o.rhs = r;
  return o;
}
Outcome FailOf(const Node* l, const Node* r, CompareKind k = CompareKind::kValue) {
  Outcome o = Success(l, r, k);
  o.kind = OutcomeKind::kFail;
  return o;
}
Outcome NotComparableOf(const Node* l, const Node* r, std::string reason) {
  Outcome o;
  o.kind = OutcomeKind::kNotComparable;
  o.lhs = l;
  o.rhs = r;
  o.reason = std::move(reason);
  return o;
}

// The ordering comparisons: compare_lt etc. over compare_values.
enum class OrderOp : std::uint8_t { kLt, kLe, kGt, kGe };

Outcome MatchOrder(const Node* l, const Node* r, OrderOp op) {
  const Cmp c = CompareOrder(*l, *r);
  if (c == Cmp::kNotComparable) return NotComparableOf(l, r, NotComparableReason(*l, *r));
  bool ok = false;
  switch (op) {
    case OrderOp::kLt:
      ok = c == Cmp::kLess;
      break;
    case OrderOp::kLe:
      ok = c != Cmp::kGreater;
      break;
    case OrderOp::kGt:
      ok = c == Cmp::kGreater;
      break;
    case OrderOp::kGe:
      ok = c != Cmp::kLess;
      break;
  }
  return ok ? Success(l, r) : FailOf(l, r);
}

// The reason compare_eq gives when it cannot compare (the innermost pair it failed on).
std::string EqReason(const Node& a, const Node& b) {
  if (a.kind == Kind::kMap && b.kind == Kind::kMap && a.size == b.size) {
    for (std::uint32_t e = 0; e < a.size; ++e) {
      const Node* o = b.Find(a.EntryKey(e).text());
      if (!o) break;
      const EqResult r = CompareEq(a.EntryValue(e), *o);
      if (!r.comparable) return EqReason(a.EntryValue(e), *o);
      if (!r.equal) break;
    }
  }
  if (a.kind == Kind::kList && b.kind == Kind::kList && a.size == b.size) {
    for (std::uint32_t i = 0; i < a.size; ++i) {
      const EqResult r = CompareEq(a.Element(i), b.Element(i));
      if (!r.comparable) return EqReason(a.Element(i), b.Element(i));
      if (!r.equal) break;
    }
  }
  return NotComparableReason(a, b);
}

Outcome MatchEq(const Node* l, const Node* r) {
  const EqResult e = CompareEq(*l, *r);
  if (!e.comparable) return NotComparableOf(l, r, EqReason(*l, *r));
  return e.equal ? Success(l, r) : FailOf(l, r);
}

bool Contains(const Node& list, const Node& v) {
  for (std::uint32_t i = 0; i < list.size; ++i)
    if (LooseEqual(list.Element(i), v)) return true;
  return false;
}
bool ContainsNode(const NodeList& list, const Node& v) {
  for (const Node* n : list)
    if (LooseEqual(*n, v)) return true;
  return false;
}

Outcome StringIn(const Node* l, const Node* r) {
  if (l->kind == Kind::kString && r->kind == Kind::kString)
    return r->text().find(l->text()) != std::string_view::npos ? Success(l, r) : FailOf(l, r);
  return NotComparableOf(l, r, TypeNotComparable(*l, *r));
}

Outcome ContainedIn(const Node* l, const Node* r) {
  if (l->kind == Kind::kList) {
    if (r->kind != Kind::kList)
      return NotComparableOf(l, r,
                             "Can not compare type " + DisplayValue(*l) + ", " + DisplayValue(*r));
    if (r->size > 0 && r->Element(0).kind == Kind::kList) {
      if (Contains(*r, *l)) return Success(l, r, CompareKind::kListIn);
      Outcome o = FailOf(l, r, CompareKind::kListIn);
      o.diff.push_back(l);
      return o;
    }
    Outcome o;
    for (std::uint32_t i = 0; i < l->size; ++i)
      if (!Contains(*r, l->Element(i))) o.diff.push_back(&l->Element(i));
    o.kind = o.diff.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
    o.compare = CompareKind::kListIn;
    o.lhs = l;
    o.rhs = r;
    return o;
  }
  if (r->kind == Kind::kList)
    return Contains(*r, *l) ? Success(l, r, CompareKind::kValueIn)
                            : FailOf(l, r, CompareKind::kValueIn);
  return MatchEq(l, r);
}

// selected(): resolved values, with a callback for the unresolved ones.
template <typename U>
NodeList Selected(const Values& v, U&& on_unresolved) {
  NodeList out;
  out.reserve(v.size());
  for (const auto& q : v) {
    if (q.resolved()) {
      out.push_back(q.value);
    } else {
      on_unresolved(q.unresolved);
    }
  }
  return out;
}

const Node* IsLiteral(const Values& v) {
  if (v.size() == 1 && v[0].kind == QueryResult::Kind::kLiteral) return v[0].value;
  return nullptr;
}

Outcome LhsUnresolved(const Unresolved* u) {
  Outcome o;
  o.kind = OutcomeKind::kLhsUnresolved;
  o.unresolved = u;
  return o;
}
Outcome RhsUnresolved(const Unresolved* u, const Node* lhs) {
  Outcome o;
  o.kind = OutcomeKind::kRhsUnresolved;
  o.unresolved = u;
  o.lhs = lhs;
  return o;
}

// flattened(): lists contribute their elements.
template <typename U>
NodeList Flattened(const Values& v, U&& on_unresolved) {
  NodeList out;
  for (const auto& q : v) {
    if (!q.resolved()) {
      on_unresolved(q.unresolved);
    } else if (q.value->kind == Kind::kList) {
      for (std::uint32_t i = 0; i < q.value->size; ++i) out.push_back(&q.value->Element(i));
    } else {
      out.push_back(q.value);
    }
  }
  return out;
}

void CommonCompare(const Values& lhs, const Values& rhs, OrderOp op, std::vector<Outcome>& out) {
  const NodeList l = Flattened(lhs, [&](const Unresolved* u) { out.push_back(LhsUnresolved(u)); });
  const NodeList r = Flattened(rhs, [&](const Unresolved* u) {
    for (const Node* each : l) out.push_back(RhsUnresolved(u, each));
  });
  for (const Node* a : l)
    for (const Node* b : r) out.push_back(MatchOrder(a, b, op));
}

void EqCompare(const Values& lhs, const Values& rhs, std::vector<Outcome>& out) {
  const Node* l = IsLiteral(lhs);
  const Node* r = IsLiteral(rhs);
  if (l && r) {
    out.push_back(MatchEq(l, r));
  } else if (l) {
    const NodeList rs =
        Selected(rhs, [&](const Unresolved* u) { out.push_back(RhsUnresolved(u, l)); });
    if (l->kind == Kind::kList) {
      for (const Node* each : rs) out.push_back(MatchEq(l, each));
    } else {
      for (const Node* each : rs) {
        if (each->kind == Kind::kList) {
          for (std::uint32_t i = 0; i < each->size; ++i)
            out.push_back(MatchEq(l, &each->Element(i)));
        } else {
          out.push_back(MatchEq(l, each));
        }
      }
    }
  } else if (r) {
    const NodeList ls =
        Selected(lhs, [&](const Unresolved* u) { out.push_back(LhsUnresolved(u)); });
    if (r->kind == Kind::kList) {
      for (const Node* each : ls) {
        if (each->IsScalar() && r->size == 1) {
          out.push_back(MatchEq(each, &r->Element(0)));
        } else {
          out.push_back(MatchEq(each, r));
        }
      }
    } else {
      for (const Node* each : ls) {
        if (each->kind == Kind::kList) {
          for (std::uint32_t i = 0; i < each->size; ++i)
            out.push_back(MatchEq(&each->Element(i), r));
        } else {
          out.push_back(MatchEq(each, r));
        }
      }
    }
  } else {
    const NodeList ls =
        Selected(lhs, [&](const Unresolved* u) { out.push_back(LhsUnresolved(u)); });
    const NodeList rs = Selected(rhs, [&](const Unresolved* u) {
      for (const Node* each : ls) out.push_back(RhsUnresolved(u, each));
    });
    NodeList diff;
    if (ls.size() > rs.size()) {
      for (const Node* e : ls)
        if (!ContainsNode(rs, *e)) diff.push_back(e);
    } else {
      for (const Node* e : rs)
        if (!ContainsNode(ls, *e)) diff.push_back(e);
    }
    Outcome o;
    o.kind = diff.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
    o.compare = CompareKind::kQueryIn;
    o.diff = std::move(diff);
    o.lhs_list = ls;
    o.rhs_list = rs;
    out.push_back(std::move(o));
  }
}

void InCompare(const Values& lhs, const Values& rhs, std::vector<Outcome>& out) {
  const Node* l = IsLiteral(lhs);
  const Node* r = IsLiteral(rhs);
  if (l && r) {
    Outcome o = StringIn(l, r);
    if (o.kind != OutcomeKind::kSuccess) o = ContainedIn(l, r);
    out.push_back(std::move(o));
  } else if (l) {
    const NodeList rs =
        Selected(rhs, [&](const Unresolved* u) { out.push_back(RhsUnresolved(u, l)); });
    bool any_list = false;
    for (const Node* e : rs) any_list = any_list || e->kind == Kind::kList;
    if (any_list) {
      for (const Node* e : rs) out.push_back(ContainedIn(l, e));
    } else if (l->kind == Kind::kList) {
      Outcome o;
      for (std::uint32_t i = 0; i < l->size; ++i)
        if (!ContainsNode(rs, l->Element(i))) o.diff.push_back(&l->Element(i));
      o.kind = o.diff.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
      o.compare = CompareKind::kQueryIn;
      o.rhs_list = rs;
      o.lhs_list = {l};
      out.push_back(std::move(o));
    } else {
      for (const Node* e : rs) out.push_back(ContainedIn(l, e));
    }
  } else if (r) {
    const NodeList ls =
        Selected(lhs, [&](const Unresolved* u) { out.push_back(LhsUnresolved(u)); });
    for (const Node* each : ls) {
      if (r->kind == Kind::kString) {
        if (each->kind == Kind::kList) {
          for (std::uint32_t i = 0; i < each->size; ++i)
            out.push_back(StringIn(&each->Element(i), r));
        } else {
          out.push_back(StringIn(each, r));
        }
      } else {
        out.push_back(ContainedIn(each, r));
      }
    }
  } else {
    const NodeList ls =
        Selected(lhs, [&](const Unresolved* u) { out.push_back(LhsUnresolved(u)); });
    const NodeList rs = Selected(rhs, [&](const Unresolved* u) {
      for (const Node* each : ls) out.push_back(RhsUnresolved(u, each));
    });
    NodeList diff;
    for (const Node* el : ls) {
      bool found = false;
      for (const Node* er : rs)
        if (ContainedIn(el, er).kind == OutcomeKind::kSuccess) {
          found = true;
          break;
        }
      if (!found) diff.push_back(el);
    }
    Outcome o;
    o.kind = diff.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
    o.compare = CompareKind::kQueryIn;
    o.diff = std::move(diff);
    o.lhs_list = ls;
    o.rhs_list = rs;
    out.push_back(std::move(o));
  }
}

// (CmpOperator, bool)::compare: false when there is nothing to compare (cfn-guard's Skip).
bool Compare(Comparator cmp, const Values& lhs, const Values& rhs, std::vector<Outcome>& out) {
  if (lhs.empty() || rhs.empty()) return false;
  switch (cmp.op) {
    case CmpOperator::kEq:
      EqCompare(lhs, rhs, out);
      break;
    case CmpOperator::kIn:
      InCompare(lhs, rhs, out);
      break;
    case CmpOperator::kLt:
      CommonCompare(lhs, rhs, OrderOp::kLt, out);
      break;
    case CmpOperator::kGt:
      CommonCompare(lhs, rhs, OrderOp::kGt, out);
      break;
    case CmpOperator::kLe:
      CommonCompare(lhs, rhs, OrderOp::kLe, out);
      break;
    case CmpOperator::kGe:
      CommonCompare(lhs, rhs, OrderOp::kGe, out);
      break;
    default:
      break;
  }
  if (!cmp.negated) return true;
  for (Outcome& o : out) {
    if (o.kind == OutcomeKind::kFail) {
      if (o.compare == CompareKind::kQueryIn) {
        NodeList reverse;
        for (const Node* e : o.lhs_list)
          if (!ContainsNode(o.diff, *e)) reverse.push_back(e);
        o.kind = reverse.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
        o.diff = std::move(reverse);
      } else if (o.compare == CompareKind::kListIn) {
        NodeList reverse;
        for (std::uint32_t i = 0; i < o.lhs->size; ++i)
          if (!ContainsNode(o.diff, o.lhs->Element(i))) reverse.push_back(&o.lhs->Element(i));
        o.kind = reverse.empty() ? OutcomeKind::kSuccess : OutcomeKind::kFail;
        o.diff = std::move(reverse);
      } else {
        o.kind = OutcomeKind::kSuccess;
      }
    } else if (o.kind == OutcomeKind::kSuccess) {
      if (o.compare == CompareKind::kQueryIn) {
        o.diff = o.lhs_list;
      } else if (o.compare == CompareKind::kListIn) {
        o.diff.clear();
        for (std::uint32_t i = 0; i < o.lhs->size; ++i) o.diff.push_back(&o.lhs->Element(i));
      }
      o.kind = OutcomeKind::kFail;
    }
  }
  return true;
}

QueryResult Resolved(const Node* n) {
  QueryResult r;
  r.value = n;
  return r;
}
QueryResult UnresolvedQR(const Unresolved* u) {
  QueryResult r;
  r.kind = QueryResult::Kind::kUnresolved;
  r.unresolved = u;
  return r;
}

bool IsUnaryOp(CmpOperator op) { return IsUnary(op); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Clauses (eval.rs)

bool Evaluator::UnaryOperation(const AccessClause& gac, Scope& r, bool& empty_result,
                               EvalStatus& empty_status, std::vector<EvalStatus>& statuses) {
  const Parts& parts = gac.query.parts;
  const Comparator cmp = gac.comparator;
  const bool inverse = gac.negated;
  Values lhs;
  if (!r.Query(parts, lhs)) return false;
  const QueryPart& last = parts.back();
  const bool empty_on_expr = last.kind == QueryPart::Kind::kFilter ||
                             last.kind == QueryPart::Kind::kMapKeyFilter ||
                             (IsVariablePart(last) && parts.size() == 1);
  auto fail_record = [&](const QueryResult& from, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kClauseValueCheck;
    rec.check = CheckKind::kUnary;
    rec.status = EvalStatus::kFail;
    rec.op = cmp.op;
    rec.op_negated = cmp.negated;
    rec.from = from;
    rec.message = std::move(message);
    rec.custom_message = gac.custom_message ? &*gac.custom_message : nullptr;
    r.EndRecord(std::move(rec));
  };
  if (empty_on_expr && cmp.op == CmpOperator::kEmpty) {
    if (!lhs.empty()) {
      empty_result = false;
      for (const auto& each : lhs) {
        Start(ContextKind::kClause, &gac);
        bool pass;
        QueryResult result = each;
        if (each.resolved()) {
          result.kind = QueryResult::Kind::kResolved;
          const bool is_null = each.value->kind == Kind::kNull;
          pass = cmp.negated ? !is_null : is_null;
        } else {
          pass = !cmp.negated;
        }
        if (inverse) pass = !pass;
        if (pass) {
          if (recording()) {
            Record rec;
            rec.kind = RecordKind::kClauseValueCheck;
            r.EndRecord(std::move(rec));
          }
        } else {
          fail_record(result, std::nullopt);
        }
        statuses.push_back(pass ? EvalStatus::kPass : EvalStatus::kFail);
      }
      return true;
    }
    empty_result = true;
    bool result = !cmp.negated;
    if (inverse) result = !result;
    Start(ContextKind::kClause, &gac);
    if (recording()) {
      Record rec;
      rec.kind = RecordKind::kClauseValueCheck;
      if (!result) {
        rec.check = CheckKind::kNoValueForEmptyCheck;
        rec.custom_message = gac.custom_message ? &*gac.custom_message : nullptr;
      }
      r.EndRecord(std::move(rec));
    }
    empty_status = result ? EvalStatus::kPass : EvalStatus::kFail;
    return true;
  }
  if (lhs.empty()) {
    empty_result = true;
    empty_status = EvalStatus::kSkip;
    return true;
  }
  empty_result = false;
  for (const auto& each : lhs) {
    Start(ContextKind::kClause, &gac);
    bool result = false;
    if (cmp.op == CmpOperator::kExists) {
      result = each.resolved();
    } else if (cmp.op == CmpOperator::kEmpty) {
      if (!each.resolved()) {
        result = true;
      } else {
        const Node& v = *each.value;
        switch (v.kind) {
          case Kind::kList:
          case Kind::kMap:
          case Kind::kString:
            result = v.size == 0;
            break;
          case Kind::kBool:
            result = false;
            break;
          default: {
            std::string msg = std::string("Attempting EMPTY operation on type ") + TypeInfo(v) +
                              " that does not support it at " + PathWithLocation(v);
            std::string full = IncompatibleError(msg);
            fail_record(each, full);
            return Fail(full);
          }
        }
      }
    } else if (each.resolved()) {
      const Kind k = each.value->kind;
      switch (cmp.op) {
        case CmpOperator::kIsString:
          result = k == Kind::kString;
          break;
        case CmpOperator::kIsList:
          result = k == Kind::kList;
          break;
        case CmpOperator::kIsMap:
          result = k == Kind::kMap;
          break;
        case CmpOperator::kIsBool:
          result = k == Kind::kBool;
          break;
        case CmpOperator::kIsInt:
          result = k == Kind::kInt;
          break;
        case CmpOperator::kIsFloat:
          result = k == Kind::kFloat;
          break;
        case CmpOperator::kIsNull:
          result = k == Kind::kNull;
          break;
        default:
          break;
      }
    }
    if (cmp.negated) result = !result;
    if (inverse) result = !result;
    if (result) {
      if (recording()) {
        Record rec;
        rec.kind = RecordKind::kClauseValueCheck;
        r.EndRecord(std::move(rec));
      }
    } else {
      fail_record(each, std::nullopt);
    }
    statuses.push_back(result ? EvalStatus::kPass : EvalStatus::kFail);
  }
  return true;
}

bool Evaluator::BinaryOperation(const AccessClause& gac, const Values& rhs, Scope& r,
                                bool& empty_result, std::vector<EvalStatus>& statuses) {
  Values lhs;
  if (!r.Query(gac.query.parts, lhs)) return false;
  std::vector<Outcome> outcomes;
  if (!Compare(gac.comparator, lhs, rhs, outcomes)) {
    empty_result = true;
    return true;
  }
  empty_result = false;
  const Comparator cmp = gac.comparator;
  auto record = [&](CheckKind check, QueryResult from, std::optional<QueryResult> to,
                    std::vector<QueryResult> to_list, std::optional<std::string> message) {
    Start(ContextKind::kClause, &gac);
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kClauseValueCheck;
    rec.check = check;
    if (check != CheckKind::kSuccess) {
      rec.status = EvalStatus::kFail;
      rec.op = cmp.op;
      rec.op_negated = cmp.negated;
      rec.from = from;
      rec.to = to;
      rec.to_list = std::move(to_list);
      rec.message = std::move(message);
      rec.custom_message = gac.custom_message ? &*gac.custom_message : nullptr;
    }
    r.EndRecord(std::move(rec));
  };
  for (Outcome& o : outcomes) {
    switch (o.kind) {
      case OutcomeKind::kLhsUnresolved:
        record(CheckKind::kComparison, UnresolvedQR(o.unresolved), std::nullopt, {}, std::nullopt);
        statuses.push_back(EvalStatus::kFail);
        break;
      case OutcomeKind::kRhsUnresolved:
        record(CheckKind::kComparison, Resolved(o.lhs), UnresolvedQR(o.unresolved), {},
               std::nullopt);
        statuses.push_back(EvalStatus::kFail);
        break;
      case OutcomeKind::kNotComparable:
        record(CheckKind::kComparison, Resolved(o.lhs), Resolved(o.rhs), {}, o.reason);
        statuses.push_back(EvalStatus::kFail);
        break;
      case OutcomeKind::kSuccess:
        if (o.compare == CompareKind::kQueryIn) {
          for (size_t i = 0; i < o.lhs_list.size(); ++i) {
            record(CheckKind::kSuccess, {}, std::nullopt, {}, std::nullopt);
            statuses.push_back(EvalStatus::kPass);
          }
        } else {
          record(CheckKind::kSuccess, {}, std::nullopt, {}, std::nullopt);
          statuses.push_back(EvalStatus::kPass);
        }
        break;
      case OutcomeKind::kFail:
        switch (o.compare) {
          case CompareKind::kValue:
            record(CheckKind::kComparison, Resolved(o.lhs), Resolved(o.rhs), {}, std::nullopt);
            statuses.push_back(EvalStatus::kFail);
            break;
          case CompareKind::kValueIn:
          case CompareKind::kListIn:
            record(CheckKind::kInComparison, Resolved(o.lhs), std::nullopt, {Resolved(o.rhs)},
                   std::nullopt);
            statuses.push_back(EvalStatus::kFail);
            break;
          case CompareKind::kQueryIn: {
            std::vector<QueryResult> to;
            for (const Node* n : o.rhs_list) to.push_back(Resolved(n));
            for (const Node* d : o.diff) {
              record(CheckKind::kInComparison, Resolved(d), std::nullopt, to, std::nullopt);
              statuses.push_back(EvalStatus::kFail);
            }
            break;
          }
        }
        break;
    }
  }
  return true;
}

bool Evaluator::RealBinaryOperation(const Values& lhs, const Values& rhs, Comparator cmp_in,
                                    std::vector<std::pair<QueryResult, EvalStatus>>& out) {
  Comparator cmp = cmp_in;
  if (cmp.op == CmpOperator::kEq && rhs.size() > 1) cmp.op = CmpOperator::kIn;
  struct Cmpd {
    enum { kComparable, kNotComparable, kUnresolvedRhs } kind;
    bool outcome;
    const Node* lhs;
    QueryResult rhs;
  };
  auto cmp_fn = [&](const Node& a, const Node& b, bool& comparable) -> bool {
    comparable = true;
    if (cmp.op == CmpOperator::kIn) {
      // in_cmp
      if (a.kind == Kind::kString && b.kind == Kind::kString) {
        const bool res = b.text().find(a.text()) != std::string_view::npos;
        return cmp.negated ? !res : res;
      }
      if (b.kind == Kind::kList) {
        bool found = false;
        for (std::uint32_t i = 0; i < b.size; ++i) {
          const EqResult e = CompareEq(a, b.Element(i));
          if (!e.comparable) {
            comparable = false;
            return false;
          }
          found = found || e.equal;
        }
        return found ? !cmp.negated : cmp.negated;
      }
      const EqResult e = CompareEq(a, b);
      if (!e.comparable) {
        comparable = false;
        return false;
      }
      return cmp.negated ? !e.equal : e.equal;
    }
    bool res = false;
    if (cmp.op == CmpOperator::kEq) {
      const EqResult e = CompareEq(a, b);
      if (!e.comparable) {
        comparable = false;
        return false;
      }
      res = e.equal;
    } else {
      const Cmp c = CompareOrder(a, b);
      if (c == Cmp::kNotComparable) {
        comparable = false;
        return false;
      }
      switch (cmp.op) {
        case CmpOperator::kGe:
          res = c != Cmp::kLess;
          break;
        case CmpOperator::kGt:
          res = c == Cmp::kGreater;
          break;
        case CmpOperator::kLt:
          res = c == Cmp::kLess;
          break;
        case CmpOperator::kLe:
          res = c != Cmp::kGreater;
          break;
        default:
          break;
      }
    }
    return cmp.negated ? !res : res;
  };
  auto report = [&](const std::vector<Cmpd>& results) {
    if (cmp.op == CmpOperator::kIn) {
      // report_at_least_one: grouped by lhs value.
      std::vector<std::pair<const Node*, std::vector<const Cmpd*>>> groups;
      for (const auto& c : results) {
        if (c.kind == Cmpd::kUnresolvedRhs && c.rhs.resolved()) continue;
        bool placed = false;
        for (auto& g : groups)
          if (LooseEqual(*g.first, *c.lhs)) {
            g.second.push_back(&c);
            placed = true;
            break;
          }
        if (!placed) groups.push_back({c.lhs, {&c}});
      }
      for (const auto& g : groups) {
        bool found = false;
        for (const Cmpd* c : g.second)
          found = found || (c->kind == Cmpd::kComparable && c->outcome);
        Start(ContextKind::kEmpty);
        if (found) {
          RecordSuccess();
          out.emplace_back(Resolved(g.first), EvalStatus::kPass);
        } else {
          if (recording()) {
            Record rec;
            rec.kind = RecordKind::kClauseValueCheck;
            rec.check = CheckKind::kInComparison;
            rec.status = EvalStatus::kFail;
            rec.op = cmp.op;
            rec.op_negated = cmp.negated;
            rec.from = Resolved(g.first);
            for (const Cmpd* c : g.second) rec.to_list.push_back(c->rhs);
            Finish(std::move(rec));
          }
          out.emplace_back(Resolved(g.first), EvalStatus::kFail);
        }
      }
      return;
    }
    for (const auto& c : results) {
      Start(ContextKind::kEmpty);
      const bool outcome = c.kind == Cmpd::kComparable && c.outcome;
      if (outcome) {
        RecordSuccess();
        out.emplace_back(Resolved(c.lhs), EvalStatus::kPass);
      } else {
        if (recording()) {
          Record rec;
          rec.kind = RecordKind::kClauseValueCheck;
          rec.check = CheckKind::kComparison;
          rec.status = EvalStatus::kFail;
          rec.op = cmp.op;
          rec.op_negated = cmp.negated;
          rec.from = Resolved(c.lhs);
          rec.to = c.rhs;
          Finish(std::move(rec));
        }
        out.emplace_back(Resolved(c.lhs), EvalStatus::kFail);
      }
    }
  };
  for (const auto& each : lhs) {
    if (!each.resolved()) {
      Start(ContextKind::kEmpty);
      if (recording()) {
        Record rec;
        rec.kind = RecordKind::kClauseValueCheck;
        rec.check = CheckKind::kComparison;
        rec.status = EvalStatus::kFail;
        rec.op = cmp.op;
        rec.op_negated = cmp.negated;
        rec.from = each;
        Finish(std::move(rec));
      }
      out.emplace_back(each, EvalStatus::kFail);
      continue;
    }
    const Node* l = each.value;
    std::vector<Cmpd> results;
    for (const auto& each_rhs : rhs) {
      if (!each_rhs.resolved()) {
        results.push_back({Cmpd::kUnresolvedRhs, false, l, each_rhs});
        continue;
      }
      const Node* rv = each_rhs.value;
      bool comparable;
      const bool outcome = cmp_fn(*l, *rv, comparable);
      if (comparable) {
        results.push_back({Cmpd::kComparable, outcome, l, Resolved(rv)});
        continue;
      }
      if (l->kind == Kind::kList) {
        for (std::uint32_t i = 0; i < l->size; ++i) {
          bool c2;
          const bool o2 = cmp_fn(l->Element(i), *rv, c2);
          results.push_back({c2 ? Cmpd::kComparable : Cmpd::kNotComparable, c2 && o2,
                             &l->Element(i), Resolved(rv)});
        }
        continue;
      }
      if (l->IsScalar() && each_rhs.kind == QueryResult::Kind::kLiteral &&
          rv->kind == Kind::kList && rv->size == 1) {
        bool c2;
        const bool o2 = cmp_fn(*l, rv->Element(0), c2);
        results.push_back({c2 ? Cmpd::kComparable : Cmpd::kNotComparable, c2 && o2, l,
                           Resolved(&rv->Element(0))});
        continue;
      }
      results.push_back({Cmpd::kNotComparable, false, l, Resolved(rv)});
    }
    report(results);
  }
  return true;
}

bool Evaluator::EvalAccessClause(const AccessClause& gac, Scope& r, EvalStatus& out) {
  const bool all = gac.query.match_all;
  Start(ContextKind::kClauseBlock, &gac);
  auto end_block = [&](EvalStatus st, bool at_least_one, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kGuardClauseBlockCheck;
    rec.status = st;
    rec.at_least_one_matches = at_least_one;
    rec.message = std::move(message);
    r.EndRecord(std::move(rec));
  };
  bool empty_result = false;
  EvalStatus empty_status = EvalStatus::kSkip;
  std::vector<EvalStatus> statuses;
  bool ok;
  if (IsUnaryOp(gac.comparator.op)) {
    ok = UnaryOperation(gac, r, empty_result, empty_status, statuses);
  } else {
    Values rhs;
    if (!gac.compare_with) {
      end_block(EvalStatus::kFail, !all,
                "Error not RHS for binary clause when handling clause, bailing");
      return Fail(NotComparableError("GuardAccessClause GuardAccessClause#block" + ClauseText(gac) +
                                     ", did not have a RHS for compare operation"));
    }
    const LetValue& with = *gac.compare_with;
    if (const auto* v = std::get_if<Value>(&with.v)) {
      QueryResult lit;
      lit.kind = QueryResult::Kind::kLiteral;
      lit.value = c_.Literal(*v);
      rhs.push_back(lit);
    } else if (const auto* q = std::get_if<AccessQuery>(&with.v)) {
      if (!r.Query(q->parts, rhs)) {
        end_block(EvalStatus::kFail, !all,
                  "Error " + error_.message() + " when handling clause, bailing");
        return false;
      }
    } else {
      if (!ResolveFunction(std::get<FunctionCall>(with.v), r, rhs)) {
        end_block(EvalStatus::kFail, !all,
                  "Error " + error_.message() + " when handling clause, bailing");
        return false;
      }
    }
    ok = BinaryOperation(gac, rhs, r, empty_result, statuses);
  }
  if (!ok) {
    end_block(EvalStatus::kFail, !all,
              "Error " + error_.message() + " when handling clause, bailing");
    return false;
  }
  if (empty_result) {
    end_block(empty_status, all, std::nullopt);
    out = empty_status;
    return true;
  }
  int fails = 0, passes = 0;
  for (EvalStatus s : statuses) {
    if (s == EvalStatus::kPass) ++passes;
    if (s == EvalStatus::kFail) ++fails;
  }
  EvalStatus outcome;
  if (all) {
    outcome = fails > 0 ? EvalStatus::kFail : EvalStatus::kPass;
  } else {
    outcome = passes > 0 ? EvalStatus::kPass : EvalStatus::kFail;
  }
  end_block(outcome, !all, std::nullopt);
  out = outcome;
  return true;
}

bool Evaluator::EvalNamedRef(const NamedRuleRef& ref, Scope& r, EvalStatus& out) {
  Start(ContextKind::kNamedRule, &ref);
  EvalStatus status;
  if (!r.RuleStatus(ref.rule_name, status)) {
    if (recording()) {
      Record rec;
      rec.kind = RecordKind::kClauseValueCheck;
      rec.check = CheckKind::kDependentRule;
      rec.status = EvalStatus::kFail;
      rec.name = ref.rule_name;
      rec.message = "Rule(" + ref.rule_name + "@" + LocationText(c_.rules_file_name(), ref.span) +
                    ") failed due to error " + error_.message();
      rec.custom_message = ref.custom_message ? &*ref.custom_message : nullptr;
      r.EndRecord(std::move(rec));
    }
    return false;
  }
  EvalStatus st = status == EvalStatus::kPass
                      ? (ref.negated ? EvalStatus::kFail : EvalStatus::kPass)
                      : (ref.negated ? EvalStatus::kPass : EvalStatus::kFail);
  if (recording()) {
    Record rec;
    rec.kind = RecordKind::kClauseValueCheck;
    if (st == EvalStatus::kFail) {
      rec.check = CheckKind::kDependentRule;
      rec.status = EvalStatus::kFail;
      rec.name = ref.rule_name;
      rec.custom_message = ref.custom_message ? &*ref.custom_message : nullptr;
    }
    r.EndRecord(std::move(rec));
  }
  out = st;
  return true;
}

bool Evaluator::EvalParameterizedCall(const NamedRuleRef& call, Scope& r, EvalStatus& out) {
  const ParameterizedRule* pr = r.FindParameterized(call.rule_name);
  if (!pr) {
    std::string names;
    for (const auto& [n, p] : c_.parameterized_) {
      if (!names.empty()) names += ", ";
      names += "\"" + std::string(n) + "\"";
    }
    return Fail(MissingValue("Parameterized Rule with name " + call.rule_name +
                             " was not found, candidate [" + names + "]"));
  }
  if (pr->parameters.size() != call.arguments.size())
    return Fail(IncompatibleError("Arity mismatch for called parameter rule " + call.rule_name +
                                  ", expected " + std::to_string(pr->parameters.size()) + ", got " +
                                  std::to_string(call.arguments.size())));
  ParameterScope scope(*this, r, call);
  for (size_t i = 0; i < call.arguments.size(); ++i) {
    const LetValue& a = call.arguments[i];
    Values v;
    if (const auto* val = std::get_if<Value>(&a.v)) {
      v.push_back(Resolved(c_.Literal(*val)));
    } else if (const auto* q = std::get_if<AccessQuery>(&a.v)) {
      if (!r.Query(q->parts, v)) return false;
    } else {
      if (!ResolveFunction(std::get<FunctionCall>(a.v), r, v)) return false;
    }
    bool replaced = false;
    for (auto& p : scope.params_)
      if (p.first == pr->parameters[i]) {
        p.second = v;
        replaced = true;
      }
    if (!replaced) scope.params_.emplace_back(pr->parameters[i], std::move(v));
  }
  return EvalRule(pr->rule, scope, out);
}

template <typename T, typename F>
bool Evaluator::EvalGeneralBlock(const Block<T>& block, Scope& r, F&& eval, EvalStatus& out) {
  BlockScope scope(*this, r, r.Root(), block.assignments);
  return EvalConjunctions(block.conjunctions,
                          std::is_same_v<T, RuleClause> ? ContextKind::kDisjunctionRule
                                                        : ContextKind::kDisjunctionGuard,
                          scope, eval, out);
}

template <typename T, typename F>
bool Evaluator::EvalConjunctions(const std::vector<std::vector<T>>& conjunctions,
                                 ContextKind disjunction, Scope& r, F&& eval, EvalStatus& out) {
  int num_passes = 0, num_fails = 0;
  auto end_disjunction = [&](EvalStatus st, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kDisjunction;
    rec.status = st;
    rec.at_least_one_matches = true;
    rec.message = std::move(message);
    r.EndRecord(std::move(rec));
  };
  for (const auto& conjunction : conjunctions) {
    int disjunction_fails = 0;
    const bool multiple = conjunction.size() > 1;
    if (multiple) Start(disjunction);
    bool passed = false;
    for (const auto& clause : conjunction) {
      EvalStatus st;
      if (!eval(clause, r, st)) {
        if (multiple)
          end_disjunction(EvalStatus::kFail,
                          "Disjunction failed due to error " + error_.message() + ", bailing");
        return false;
      }
      if (st == EvalStatus::kPass) {
        ++num_passes;
        if (multiple) end_disjunction(EvalStatus::kPass, std::nullopt);
        passed = true;
        break;
      }
      if (st == EvalStatus::kFail) ++disjunction_fails;
    }
    if (passed) continue;
    if (disjunction_fails > 0) ++num_fails;
    if (multiple)
      end_disjunction(disjunction_fails > 0 ? EvalStatus::kFail : EvalStatus::kSkip, std::nullopt);
  }
  out = num_fails > 0 ? EvalStatus::kFail : num_passes > 0 ? EvalStatus::kPass : EvalStatus::kSkip;
  return true;
}

bool Evaluator::EvalBlockClause(const BlockClause& b, Scope& r, EvalStatus& out) {
  const bool match_all = b.query.match_all;
  Start(ContextKind::kBlockClause, &b);
  auto end = [&](EvalStatus st, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kBlockGuardCheck;
    rec.status = st;
    rec.at_least_one_matches = !match_all;
    rec.message = std::move(message);
    r.EndRecord(std::move(rec));
  };
  Values values;
  if (!r.Query(b.query.parts, values)) {
    end(EvalStatus::kFail, std::nullopt);
    return false;
  }
  if (values.empty()) {
    const EvalStatus st = b.not_empty ? EvalStatus::kFail : EvalStatus::kSkip;
    end(st, std::nullopt);
    out = st;
    return true;
  }
  int fails = 0, passes = 0;
  for (const auto& each : values) {
    if (!each.resolved()) {
      ++fails;
      Start(ContextKind::kBlockClauseMissing, &b);
      if (recording()) {
        Record rec;
        rec.kind = RecordKind::kClauseValueCheck;
        rec.check = CheckKind::kMissingBlockValue;
        rec.status = EvalStatus::kFail;
        rec.from = each;
        rec.message = "Query " + QueryText(b.query.parts) +
                      " did not resolve to correct value, reason " + each.unresolved->reason;
        r.EndRecord(std::move(rec));
      }
      continue;
    }
    ValueScope scope(*this, r, each.value);
    EvalStatus st;
    if (!EvalGeneralBlock(
            b.block, scope,
            [this](const GuardClause& g, Scope& s, EvalStatus& x) {
              return EvalGuardClause(g, s, x);
            },
            st)) {
      end(EvalStatus::kFail, "Error " + error_.message() + " when handling block clause, bailing");
      return false;
    }
    if (st == EvalStatus::kPass) ++passes;
    if (st == EvalStatus::kFail) ++fails;
  }
  EvalStatus st;
  if (match_all) {
    st = fails > 0 ? EvalStatus::kFail : passes > 0 ? EvalStatus::kPass : EvalStatus::kSkip;
  } else {
    st = passes > 0 ? EvalStatus::kPass : fails > 0 ? EvalStatus::kFail : EvalStatus::kSkip;
  }
  end(st, std::nullopt);
  out = st;
  return true;
}

bool Evaluator::EvalWhenBlock(bool rule_level, const WhenBlock& w, Scope& r, EvalStatus& out) {
  Start(rule_level ? ContextKind::kRuleClauseWhen : ContextKind::kGuardClauseWhen);
  Start(rule_level ? ContextKind::kRuleClauseWhenCond : ContextKind::kGuardClauseWhenCond);
  auto end_cond = [&](EvalStatus st) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kWhenCondition;
    rec.status = st;
    r.EndRecord(std::move(rec));
  };
  auto end_check = [&](EvalStatus st, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kWhenCheck;
    rec.status = st;
    rec.message = std::move(message);
    r.EndRecord(std::move(rec));
  };
  EvalStatus cond;
  if (!EvalConjunctions(
          w.conditions, ContextKind::kDisjunctionWhen, r,
          [this](const WhenCondition& c, Scope& s, EvalStatus& x) {
            return EvalWhenClause(c, s, x);
          },
          cond)) {
    end_cond(EvalStatus::kFail);
    end_check(EvalStatus::kFail,
              "Error " + error_.message() + " during type condition evaluation, bailing");
    return false;
  }
  if (cond != EvalStatus::kPass) {
    end_cond(cond);
    end_check(EvalStatus::kSkip, std::nullopt);
    out = EvalStatus::kSkip;
    return true;
  }
  end_cond(EvalStatus::kPass);
  EvalStatus st;
  if (!EvalGeneralBlock(
          w.block, r,
          [this](const GuardClause& g, Scope& s, EvalStatus& x) {
            return EvalGuardClause(g, s, x);
          },
          st)) {
    end_check(EvalStatus::kFail,
              "Error " + error_.message() + " during type condition evaluation, bailing");
    return false;
  }
  end_check(st, std::nullopt);
  out = st;
  return true;
}

bool Evaluator::EvalGuardClause(const GuardClause& g, Scope& r, EvalStatus& out) {
  if (const auto* a = std::get_if<AccessClause>(&g.v)) return EvalAccessClause(*a, r, out);
  if (const auto* n = std::get_if<NamedRuleRef>(&g.v))
    return n->parameterized ? EvalParameterizedCall(*n, r, out) : EvalNamedRef(*n, r, out);
  if (const auto* b = std::get_if<BlockClause>(&g.v)) return EvalBlockClause(*b, r, out);
  return EvalWhenBlock(false, std::get<WhenBlock>(g.v), r, out);
}

bool Evaluator::EvalWhenClause(const WhenCondition& w, Scope& r, EvalStatus& out) {
  if (const auto* a = std::get_if<AccessClause>(&w.v)) return EvalAccessClause(*a, r, out);
  const auto& n = std::get<NamedRuleRef>(w.v);
  return n.parameterized ? EvalParameterizedCall(n, r, out) : EvalNamedRef(n, r, out);
}

bool Evaluator::EvalRuleClause(const RuleClause& rc, Scope& r, EvalStatus& out) {
  if (const auto* g = std::get_if<GuardClause>(&rc.v)) return EvalGuardClause(*g, r, out);
  if (const auto* t = std::get_if<TypeBlock>(&rc.v)) return EvalTypeBlock(*t, r, out);
  return EvalWhenBlock(true, std::get<WhenBlock>(rc.v), r, out);
}

bool Evaluator::EvalTypeBlock(const TypeBlock& t, Scope& r, EvalStatus& out) {
  Start(ContextKind::kTypeBlock, &t);
  auto end_type = [&](EvalStatus st, std::optional<std::string> message) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kTypeCheck;
    rec.name = t.type_name;
    rec.status = st;
    rec.message = std::move(message);
    r.EndRecord(std::move(rec));
  };
  if (t.conditions) {
    Start(ContextKind::kTypeBlockWhen, &t);
    auto end_cond = [&](EvalStatus st) {
      if (!recording()) return;
      Record rec;
      rec.kind = RecordKind::kTypeCondition;
      rec.status = st;
      r.EndRecord(std::move(rec));
    };
    EvalStatus cond;
    if (!EvalConjunctions(
            *t.conditions, ContextKind::kDisjunctionWhen, r,
            [this](const WhenCondition& c, Scope& s, EvalStatus& x) {
              return EvalWhenClause(c, s, x);
            },
            cond)) {
      end_cond(EvalStatus::kFail);
      end_type(EvalStatus::kFail,
               "Error " + error_.message() + " during type condition evaluation, bailing");
      return false;
    }
    if (cond != EvalStatus::kPass) {
      end_cond(cond);
      end_type(EvalStatus::kSkip, std::nullopt);
      out = EvalStatus::kSkip;
      return true;
    }
    end_cond(EvalStatus::kPass);
  }
  Values values;
  if (!r.Query(t.query, values)) {
    end_type(EvalStatus::kFail, std::nullopt);
    return false;
  }
  if (values.empty()) {
    end_type(EvalStatus::kSkip, std::nullopt);
    out = EvalStatus::kSkip;
    return true;
  }
  int fails = 0, passes = 0;
  for (size_t idx = 0; idx < values.size(); ++idx) {
    const QueryResult& each = values[idx];
    if (!each.resolved()) {
      end_type(EvalStatus::kFail, each.unresolved->reason);
      return Fail(MissingValue("Unable to resolve type block query: " + t.type_name));
    }
    Start(ContextKind::kTypeBlockIndex, &t, static_cast<std::uint32_t>(idx));
    ValueScope scope(*this, r, each.value);
    EvalStatus st;
    auto end_block = [&](EvalStatus s) {
      if (!recording()) return;
      Record rec;
      rec.kind = RecordKind::kTypeBlock;
      rec.status = s;
      r.EndRecord(std::move(rec));
    };
    if (!EvalGeneralBlock(
            t.block, scope,
            [this](const GuardClause& g, Scope& s, EvalStatus& x) {
              return EvalGuardClause(g, s, x);
            },
            st)) {
      end_block(EvalStatus::kFail);
      end_type(EvalStatus::kFail,
               "Error " + error_.message() + " during type block evaluation, bailing");
      return false;
    }
    if (st == EvalStatus::kPass) ++passes;
    if (st == EvalStatus::kFail) ++fails;
    end_block(st);
  }
  const EvalStatus st = fails > 0    ? EvalStatus::kFail
                        : passes > 0 ? EvalStatus::kPass
                                     : EvalStatus::kSkip;
  end_type(st, std::nullopt);
  out = st;
  return true;
}

bool Evaluator::EvalRule(const Rule& rule, Scope& r, EvalStatus& out) {
  const std::string_view name = c_.RuleName(rule);
  Start(ContextKind::kRule, &rule);
  auto end_rule = [&](EvalStatus st) {
    if (!recording()) return;
    Record rec;
    rec.kind = RecordKind::kRuleCheck;
    rec.name = name;
    rec.status = st;
    r.EndRecord(std::move(rec));
  };
  if (rule.conditions) {
    Start(ContextKind::kRuleWhen, &rule);
    auto end_cond = [&](EvalStatus st) {
      if (!recording()) return;
      Record rec;
      rec.kind = RecordKind::kRuleCondition;
      rec.status = st;
      r.EndRecord(std::move(rec));
    };
    EvalStatus cond;
    if (!EvalConjunctions(
            *rule.conditions, ContextKind::kDisjunctionWhen, r,
            [this](const WhenCondition& c, Scope& s, EvalStatus& x) {
              return EvalWhenClause(c, s, x);
            },
            cond)) {
      end_cond(EvalStatus::kFail);
      end_rule(EvalStatus::kFail);
      return false;
    }
    if (cond != EvalStatus::kPass) {
      end_cond(cond);
      end_rule(EvalStatus::kSkip);
      out = EvalStatus::kSkip;
      return true;
    }
    end_cond(EvalStatus::kPass);
  }
  EvalStatus st;
  if (!EvalGeneralBlock(
          rule.block, r,
          [this](const RuleClause& c, Scope& s, EvalStatus& x) { return EvalRuleClause(c, s, x); },
          st)) {
    end_rule(EvalStatus::kFail);
    return false;
  }
  end_rule(st);
  out = st;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Entry point

Result<Evaluation> Evaluate(const CompiledRules& rules, const Node& root,
                            const EvalOptions& options) {
  Evaluation ev;
  ev.compiled_ = &rules;
  if (options.record) ev.records_.reserve(16);  // a small file's records, without regrowing
  Evaluator e(rules, options, ev);
  RootScope scope(e, &root);
  const RulesFile& file = rules.file();
  e.Start(ContextKind::kFile, nullptr, static_cast<std::uint32_t>(file.rules.size()));
  int fails = 0, passes = 0;
  for (const Rule& rule : file.rules) {
    EvalStatus st;
    if (!e.EvalRule(rule, scope, st)) return e.error_;
    ev.rules_.push_back({rules.RuleName(rule), st});
    if (st == EvalStatus::kPass) ++passes;
    if (st == EvalStatus::kFail) ++fails;
  }
  ev.status_ = fails > 0 ? EvalStatus::kFail : passes > 0 ? EvalStatus::kPass : EvalStatus::kSkip;
  if (options.record) {
    Record rec;
    rec.kind = RecordKind::kFileCheck;
    rec.status = ev.status_;
    rec.name = options.data_file_name;
    e.Finish(std::move(rec));
    ev.root_ = e.final_;
    // The name must outlive the options.
    const std::string_view n = ev.arena_->Copy(options.data_file_name);
    ev.records_[ev.root_].name = n;
  }
  return ev;
}

// ---------------------------------------------------------------------------------------------
// Record contexts and the --print-json dump

std::string Evaluation::ContextText(const Record& r) const {
  const std::string& file = compiled_->rules_file_name();
  switch (r.context) {
    case ContextKind::kFile:
      return "File(rules=" + std::to_string(r.context_index) + ")";
    case ContextKind::kRule:
      return std::string(compiled_->RuleName(*static_cast<const Rule*>(r.context_node)));
    case ContextKind::kRuleWhen:
      return "Rule#" + std::string(compiled_->RuleName(*static_cast<const Rule*>(r.context_node))) +
             "/When";
    case ContextKind::kTypeBlock:
      return "TypeBlock#" + static_cast<const TypeBlock*>(r.context_node)->type_name;
    case ContextKind::kTypeBlockWhen:
      return "TypeBlock#" + static_cast<const TypeBlock*>(r.context_node)->type_name + "/When";
    case ContextKind::kTypeBlockIndex:
      return "TypeBlock#" + static_cast<const TypeBlock*>(r.context_node)->type_name + "/" +
             std::to_string(r.context_index);
    case ContextKind::kRuleClauseWhen:
      return "RuleClause";
    case ContextKind::kRuleClauseWhenCond:
      return "RuleClause/When";
    case ContextKind::kGuardClauseWhen:
      return "GuardConditionClause";
    case ContextKind::kGuardClauseWhenCond:
      return "GuardConditionClause/When";
    case ContextKind::kDisjunctionRule:
      return "cfn_guard::rules::exprs::RuleClause#disjunction";
    case ContextKind::kDisjunctionGuard:
      return "cfn_guard::rules::exprs::GuardClause#disjunction";
    case ContextKind::kDisjunctionWhen:
      return "cfn_guard::rules::exprs::WhenGuardClause#disjunction";
    case ContextKind::kClauseBlock:
      return "GuardAccessClause#block" +
             ClauseText(*static_cast<const AccessClause*>(r.context_node));
    case ContextKind::kClause:
      return ClauseText(*static_cast<const AccessClause*>(r.context_node));
    case ContextKind::kNamedRule: {
      const auto* n = static_cast<const NamedRuleRef*>(r.context_node);
      return "Rule(" + n->rule_name + "@" + LocationText(file, n->span) + ")";
    }
    case ContextKind::kBlockClause:
      return "BlockGuardClause#" +
             LocationText(file, static_cast<const BlockClause*>(r.context_node)->span);
    case ContextKind::kBlockClauseMissing:
      return "GuardBlockAccessClause#" +
             LocationText(file, static_cast<const BlockClause*>(r.context_node)->span);
    case ContextKind::kFilterMap:
      return "Filter/Map#" + std::to_string(r.context_index);
    case ContextKind::kFilterList:
      return "Filter/List#" + std::to_string(r.context_index);
    case ContextKind::kEmpty:
      return "";
  }
  return "";
}

namespace {

class PrettyJson {
 public:
  void Begin(char c) {
    out_ += c;
    first_.push_back(true);
  }
  void End(char c) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) Newline();
    out_ += c;
  }
  void Key(std::string_view k) {
    Sep();
    Quote(k);
    out_ += ": ";
  }
  void Item() { Sep(); }
  void Quote(std::string_view s) {
    out_ += '"';
    for (const char ch : s) {
      const unsigned char c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += ch;
          }
      }
    }
    out_ += '"';
  }
  void Raw(std::string_view s) { out_ += s; }
  void Null() { out_ += "null"; }
  void OptString(const std::string* s) {
    if (s) {
      Quote(*s);
    } else {
      Null();
    }
  }
  void OptString(const std::optional<std::string>& s) {
    if (s) {
      Quote(*s);
    } else {
      Null();
    }
  }
  std::string& out() { return out_; }

  // Re-indents compact JSON (from AppendJson) at the current depth.
  void Value(std::string_view compact) {
    bool in_str = false;
    for (size_t i = 0; i < compact.size(); ++i) {
      const char c = compact[i];
      if (in_str) {
        out_ += c;
        if (c == '\\') {
          out_ += compact[++i];
        } else if (c == '"') {
          in_str = false;
        }
        continue;
      }
      switch (c) {
        case '"':
          in_str = true;
          out_ += c;
          break;
        case '{':
        case '[': {
          const char close = c == '{' ? '}' : ']';
          if (i + 1 < compact.size() && compact[i + 1] == close) {
            out_ += c;
            out_ += close;
            ++i;
            break;
          }
          out_ += c;
          first_.push_back(false);
          Newline();
          break;
        }
        case '}':
        case ']':
          first_.pop_back();
          Newline();
          out_ += c;
          break;
        case ',':
          out_ += ',';
          Newline();
          break;
        case ':':
          out_ += ": ";
          break;
        default:
          out_ += c;
      }
    }
  }

 private:
  void Sep() {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
    Newline();
  }
  void Newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }
  std::string out_;
  std::vector<bool> first_;
};

void WritePathValue(PrettyJson& j, const Node& n) {
  j.Begin('{');
  j.Key("path");
  j.Quote(PathOf(n));
  j.Key("value");
  std::string compact;
  if (!AppendJson(compact, n)) compact = "null";
  j.Value(compact);
  j.End('}');
}

void WriteQueryResult(PrettyJson& j, const QueryResult& q) {
  j.Begin('{');
  if (q.kind == QueryResult::Kind::kUnresolved) {
    j.Key("UnResolved");
    j.Begin('{');
    j.Key("traversed_to");
    WritePathValue(j, *q.unresolved->traversed_to);
    j.Key("remaining_query");
    j.Quote(RemainingQuery(*q.unresolved));
    j.Key("reason");
    if (q.unresolved->has_reason) {
      j.Quote(q.unresolved->reason);
    } else {
      j.Null();
    }
    j.End('}');
  } else {
    j.Key(q.kind == QueryResult::Kind::kLiteral ? "Literal" : "Resolved");
    WritePathValue(j, *q.value);
  }
  j.End('}');
}

void WriteComparison(PrettyJson& j, const Record& r) {
  j.Begin('[');
  j.Item();
  j.Quote(CfnGuardName(r.op));
  j.Item();
  j.Raw(r.op_negated ? "true" : "false");
  j.End(']');
}

void WriteBlockCheck(PrettyJson& j, const Record& r) {
  j.Begin('{');
  j.Key("at_least_one_matches");
  j.Raw(r.at_least_one_matches ? "true" : "false");
  j.Key("status");
  j.Quote(StatusName(r.status));
  j.Key("message");
  j.OptString(r.message);
  j.End('}');
}

void WriteContainer(PrettyJson& j, const Record& r) {
  auto status_only = [&](const char* name) {
    j.Begin('{');
    j.Key(name);
    j.Quote(StatusName(r.status));
    j.End('}');
  };
  auto named = [&](const char* name) {
    j.Begin('{');
    j.Key(name);
    j.Begin('{');
    j.Key("name");
    j.Quote(r.name);
    j.Key("status");
    j.Quote(StatusName(r.status));
    j.Key("message");
    j.OptString(r.message);
    j.End('}');
    j.End('}');
  };
  auto block = [&](const char* name) {
    j.Begin('{');
    j.Key(name);
    WriteBlockCheck(j, r);
    j.End('}');
  };
  switch (r.kind) {
    case RecordKind::kFileCheck:
      return named("FileCheck");
    case RecordKind::kRuleCheck:
      return named("RuleCheck");
    case RecordKind::kRuleCondition:
      return status_only("RuleCondition");
    case RecordKind::kTypeCheck:
      j.Begin('{');
      j.Key("TypeCheck");
      j.Begin('{');
      j.Key("type_name");
      j.Quote(r.name);
      j.Key("block");
      WriteBlockCheck(j, r);
      j.End('}');
      j.End('}');
      return;
    case RecordKind::kTypeCondition:
      return status_only("TypeCondition");
    case RecordKind::kTypeBlock:
      return status_only("TypeBlock");
    case RecordKind::kFilter:
      return status_only("Filter");
    case RecordKind::kWhenCheck:
      return block("WhenCheck");
    case RecordKind::kWhenCondition:
      return status_only("WhenCondition");
    case RecordKind::kDisjunction:
      return block("Disjunction");
    case RecordKind::kBlockGuardCheck:
      return block("BlockGuardCheck");
    case RecordKind::kGuardClauseBlockCheck:
      return block("GuardClauseBlockCheck");
    case RecordKind::kClauseValueCheck:
      break;
  }
  j.Begin('{');
  j.Key("ClauseValueCheck");
  switch (r.check) {
    case CheckKind::kSuccess:
      j.Quote("Success");
      break;
    case CheckKind::kComparison:
    case CheckKind::kInComparison:
      j.Begin('{');
      j.Key(r.check == CheckKind::kComparison ? "Comparison" : "InComparison");
      j.Begin('{');
      j.Key("comparison");
      WriteComparison(j, r);
      j.Key("from");
      WriteQueryResult(j, r.from);
      j.Key("to");
      if (r.check == CheckKind::kInComparison) {
        j.Begin('[');
        for (const auto& t : r.to_list) {
          j.Item();
          WriteQueryResult(j, t);
        }
        j.End(']');
      } else if (r.to) {
        WriteQueryResult(j, *r.to);
      } else {
        j.Null();
      }
      j.Key("message");
      j.OptString(r.message);
      j.Key("custom_message");
      j.OptString(r.custom_message);
      j.Key("status");
      j.Quote(StatusName(r.status));
      j.End('}');
      j.End('}');
      break;
    case CheckKind::kUnary:
      j.Begin('{');
      j.Key("Unary");
      j.Begin('{');
      j.Key("value");
      j.Begin('{');
      j.Key("from");
      WriteQueryResult(j, r.from);
      j.Key("message");
      j.OptString(r.message);
      j.Key("custom_message");
      j.OptString(r.custom_message);
      j.Key("status");
      j.Quote(StatusName(r.status));
      j.End('}');
      j.Key("comparison");
      WriteComparison(j, r);
      j.End('}');
      j.End('}');
      break;
    case CheckKind::kNoValueForEmptyCheck:
      j.Begin('{');
      j.Key("NoValueForEmptyCheck");
      j.OptString(r.custom_message);
      j.End('}');
      break;
    case CheckKind::kDependentRule:
      j.Begin('{');
      j.Key("DependentRule");
      j.Begin('{');
      j.Key("rule");
      j.Quote(r.name);
      j.Key("message");
      j.OptString(r.message);
      j.Key("custom_message");
      j.OptString(r.custom_message);
      j.Key("status");
      j.Quote(StatusName(r.status));
      j.End('}');
      j.End('}');
      break;
    case CheckKind::kMissingBlockValue:
      j.Begin('{');
      j.Key("MissingBlockValue");
      j.Begin('{');
      j.Key("from");
      WriteQueryResult(j, r.from);
      j.Key("message");
      j.OptString(r.message);
      j.Key("custom_message");
      j.OptString(r.custom_message);
      j.Key("status");
      j.Quote(StatusName(r.status));
      j.End('}');
      j.End('}');
      break;
  }
  j.End('}');
}

void WriteRecord(PrettyJson& j, const Evaluation& ev, const Record& r) {
  j.Begin('{');
  j.Key("context");
  j.Quote(ev.ContextText(r));
  j.Key("container");
  WriteContainer(j, r);
  j.Key("children");
  j.Begin('[');
  for (std::int32_t c = r.first_child; c >= 0; c = ev.records()[c].next_sibling) {
    j.Item();
    WriteRecord(j, ev, ev.records()[c]);
  }
  j.End(']');
  j.End('}');
}

}  // namespace

std::string Evaluation::RecordTreeJson() const {
  if (!root_record()) return "";
  PrettyJson j;
  WriteRecord(j, *this, *root_record());
  return std::move(j.out());
}

}  // namespace vigil::guard
