// The Guard abstract syntax tree: plain structs, one per construct of the language as
// cfn-guard 3.1.1 parses it.
//
// The shapes follow cfn-guard's own (guard/src/rules/exprs.rs), so that the evaluator can keep
// its semantics and `DumpCfnGuardJson` (ast_json.h) can print exactly what `cfn-guard parse-tree
// -p` prints. In particular the tree keeps cfn-guard's desugarings:
//  - a query starting with a variable and followed by more parts (`%x.a`) gets an implicit
//    `[*]` after the variable (QueryPart::implicit marks it);
//  - a type block `AWS::S3::Bucket { … }` carries the query it stands for,
//    `Resources.*[ Type == 'AWS::S3::Bucket' ]`;
//  - clauses outside any named rule are collected into a rule named "default" placed first
//    (RulesFile::rules[0] with Rule::is_default).
//
// Every node has a Span into the Source it came from (Span::line == 0 for synthesised nodes).
// Nodes are values: copyable, movable, owning their children. Not thread-safe to mutate; safe to
// read from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "guard/source.h"

namespace vigil::guard {

// A heap-allocated T with value semantics (deep copy), for recursive nodes.
template <typename T>
class Box {
 public:
  Box() : p_(std::make_unique<T>()) {}
  Box(T v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT(google-explicit-constructor)
  Box(const Box& o) : p_(std::make_unique<T>(*o.p_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = std::make_unique<T>(*o.p_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

// ---------------------------------------------------------------------------------------------
// Literals

struct RangeBounds {
  bool lower_inclusive = false;  // '[' rather than '('
  bool upper_inclusive = false;  // ']' rather than ')'
};

template <typename T>
struct Range : RangeBounds {
  T lower{};
  T upper{};
};

struct MapEntry;

// A literal value: `"s"`, `'s'`, `10`, `-3`, `1.5`, `true`, `null`, `/re/`, `[…]`, `{…}`,
// `r[1,2)`. Chars appear only as range bounds (`r[a,z]`).
struct Value {
  enum class Kind {
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
  Kind kind = Kind::kNull;
  Span span;
  // kString: the text (cfn-guard keeps escapes verbatim except `\'`/`\"` for the delimiter);
  // kRegex: the pattern with `\/` turned into `/`; kChar: the character as UTF-8.
  std::string text;
  bool boolean = false;
  std::int64_t integer = 0;
  double number = 0;
  char32_t character = 0;
  std::vector<Value> list;
  // In source order; a repeated key keeps its first position and its last value.
  std::vector<MapEntry> map;
  Range<std::int64_t> int_range;
  Range<double> float_range;
  Range<char32_t> char_range;
};

struct MapEntry {
  std::string key;
  Value value;
};

// ---------------------------------------------------------------------------------------------
// Operators

enum class CmpOperator {
  kEq,
  kIn,
  kGt,
  kLt,
  kLe,
  kGe,
  kExists,
  kEmpty,
  kIsString,
  kIsList,
  kIsMap,  // is_struct
  kIsBool,
  kIsInt,
  kIsNull,
  kIsFloat,
};

// True for exists, empty and the is_* checks, which take no right-hand side.
bool IsUnary(CmpOperator op);
// cfn-guard's spelling of the operator in its parse tree ("Eq", "IsMap", …).
const char* CfnGuardName(CmpOperator op);

// `!=` is kEq negated; `not in` / `!in` is kIn negated; `not exists`, `!empty`, …
struct Comparator {
  CmpOperator op = CmpOperator::kEq;
  bool negated = false;
};

// ---------------------------------------------------------------------------------------------
// Queries, values on the right of operators, function calls

struct GuardClause;
struct LetValue;
using Disjunction = std::vector<GuardClause>;   // clauses joined by `or`
using Conjunctions = std::vector<Disjunction>;  // disjunctions, one per line, all must hold

// `[ keys == /re/ ]`, `[ keys in [...] ]`, `[ keys not in %v ]`.
struct MapKeyFilter {
  Comparator comparator;  // kEq or kIn
  Box<LetValue> compare_with;
};

// One step of a query.
struct QueryPart {
  enum class Kind {
    kThis,          // `this`
    kKey,           // `a`, `"a-b"`, `.0` is kIndex
    kVariable,      // `%name` (also a quoted key beginning with '%', as in cfn-guard)
    kAllValues,     // `.*` or `[ name ]` (name captured)
    kAllIndices,    // `[*]` or `[name]` (name captured)
    kIndex,         // `[3]`, `.3`, `[-1]`
    kFilter,        // `[ clauses ]` or `[ name | clauses ]`
    kMapKeyFilter,  // `[ keys == … ]` or `[ name | keys == … ]`
  };
  Kind kind = Kind::kKey;
  Span span;
  std::string name;  // kKey: the key; kVariable: the name without '%'
  // kAllValues, kAllIndices, kFilter, kMapKeyFilter: the capture name, if any.
  std::optional<std::string> capture;
  std::int32_t index = 0;                // kIndex (cfn-guard truncates the parsed i64 to i32)
  bool implicit = false;                 // the `[*]` cfn-guard inserts after a leading variable
  Conjunctions filter;                   // kFilter
  std::vector<MapKeyFilter> key_filter;  // kMapKeyFilter: exactly one
};

struct AccessQuery {
  Span span;
  std::vector<QueryPart> parts;
  bool match_all = true;  // false when the query starts with `some`
};

// `name(arg, …)` as the value of a `let` or the right-hand side of a clause.
struct FunctionCall {
  Span span;
  std::string name;
  std::vector<LetValue> arguments;
};

// What a `let` binds, what a clause compares with, or a function/rule argument.
struct LetValue {
  std::variant<Value, AccessQuery, FunctionCall> v;
  Span span() const;
};

// `let name = value` (also `:=`).
struct LetExpr {
  Span span;
  std::string name;
  LetValue value;
};

// ---------------------------------------------------------------------------------------------
// Clauses

// `[not] query op [rhs] [<<message>>]`.
struct AccessClause {
  Span span;             // span.line/column: cfn-guard's clause location
  bool negated = false;  // leading `not` / `!`
  AccessQuery query;
  Comparator comparator;
  std::optional<LetValue> compare_with;  // absent for unary operators
  std::optional<std::string> custom_message;
};

// A reference to a named rule: `[not] name [<<message>>]`, or with arguments
// `[not] name(arg, …) [<<message>>]` (parameterized rule call).
struct NamedRuleRef {
  Span span;
  std::string rule_name;
  bool negated = false;
  std::optional<std::string> custom_message;
  bool parameterized = false;  // called with `( … )`
  std::vector<LetValue> arguments;
};

template <typename T>
struct Block {
  std::vector<LetExpr> assignments;
  std::vector<std::vector<T>> conjunctions;
};

// `query [!empty | not empty] { … }`.
struct BlockClause {
  Span span;
  AccessQuery query;
  bool not_empty = false;
  Block<GuardClause> block;
};

// The conditions of a `when`: clauses and rule references in CNF.
struct WhenCondition {
  std::variant<AccessClause, NamedRuleRef> v;
};
using WhenConditions = std::vector<std::vector<WhenCondition>>;

// `when conditions { … }` nested in a block.
struct WhenBlock {
  Span span;
  WhenConditions conditions;
  Block<GuardClause> block;
};

struct GuardClause {
  std::variant<AccessClause, NamedRuleRef, BlockClause, WhenBlock> v;
  Span span() const;
};

// `AWS::S3::Bucket [when …] { … }` or `AWS::S3::Bucket clause`.
struct TypeBlock {
  Span span;
  std::string type_name;
  std::optional<WhenConditions> conditions;
  Block<GuardClause> block;
  // `Resources.*[ Type == '<type_name>' ]`, as cfn-guard expands it.
  std::vector<QueryPart> query;
};

// What a rule's block holds: a clause, a `when` block (at this level its body may also
// reference rules; cfn-guard's RuleClause::WhenBlock), or a type block.
struct RuleClause {
  std::variant<GuardClause, WhenBlock, TypeBlock> v;
};

// `rule name [when conditions] { … }`, or the implicit default rule.
struct Rule {
  Span span;
  std::string name;
  bool is_default = false;  // the clauses written outside any rule
  std::optional<WhenConditions> conditions;
  Block<RuleClause> block;
};

// `rule name(param, …) { … }`.
struct ParameterizedRule {
  std::vector<std::string> parameters;  // distinct, in order of first appearance
  Rule rule;
};

struct RulesFile {
  // True for a file holding nothing but whitespace and comments (cfn-guard returns no rules).
  bool empty = false;
  std::vector<LetExpr> assignments;
  std::vector<Rule> rules;  // the default rule, if any, first
  std::vector<ParameterizedRule> parameterized_rules;
};

}  // namespace vigil::guard
