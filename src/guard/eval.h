// The Guard evaluator: cfn-guard 3.1.1's semantics (guard/src/rules/eval.rs, eval_context.rs,
// eval/operators.rs) over the flat values of value.h.
//
// Use:
//   auto file = guard::Parse(source);                          // parser.h
//   auto rules = guard::CompiledRules::Compile(*file, "r.guard");
//   auto data = guard::DataDocument::Load("d.json", text);      // data.h
//   guard::EvalOptions o;  o.data_file_name = "d.json";
//   auto ev = guard::Evaluate(*rules, data->root(), o);
//   ev->status();  ev->rules();  ev->root_record();
//
// Evaluate() returns what cfn-guard computes for one data file: the status of each rule (in file
// order, the default rule — the clauses outside any rule, named "<rules file>/default" — first),
// the file status (FAIL if a rule failed, else PASS if one passed, else SKIP), and the record tree
// cfn-guard prints its outputs from (its EventRecord/RecordType tree, node for node: the same
// contexts, statuses, compared values and messages; see Record). `RecordTreeJson()` prints the
// tree exactly as `cfn-guard validate --print-json` does, which is how the tree is tested.
//
// Errors: where cfn-guard stops with an error (an undefined variable, an unknown rule, a type
// block over data without `Resources`, `empty` on a number, a bad function argument…) Evaluate
// returns a non-OK Status whose message is the text cfn-guard prints after "Error occurred "
// (it exits with status 255 then, 5 for rules that do not parse).
//
// Thread-safety: a CompiledRules is immutable after Compile(); any number of threads may call
// Evaluate() with it at once (each call has its own state). The RulesFile given to Compile()
// and the data must outlive the CompiledRules and the Evaluation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "guard/ast.h"
#include "guard/value.h"

namespace vigil::guard {

enum class EvalStatus : std::uint8_t { kPass, kFail, kSkip };
// "PASS", "FAIL", "SKIP".
const char* StatusName(EvalStatus s);

// Why a query stopped (cfn-guard's UnResolved): the value it reached and the rest of the query.
struct Unresolved {
  const Node* traversed_to = nullptr;
  // The part of the query not satisfied: parts[from..] of `query`.
  const std::vector<QueryPart>* query = nullptr;
  std::uint32_t from = 0;
  // cfn-guard's reason text (rendered when the query stopped; empty when it gave none).
  std::string reason;
  bool has_reason = true;
};
// cfn-guard's SliceDisplay of the remaining query ("Properties.Tags[*].Key").
std::string RemainingQuery(const Unresolved& u);

// cfn-guard's QueryResult.
struct QueryResult {
  enum class Kind : std::uint8_t { kLiteral, kResolved, kUnresolved };
  Kind kind = Kind::kResolved;
  const Node* value = nullptr;             // kLiteral, kResolved
  const Unresolved* unresolved = nullptr;  // kUnresolved
  bool resolved() const { return kind != Kind::kUnresolved; }
};

// cfn-guard's RecordType, one per record.
enum class RecordKind : std::uint8_t {
  kFileCheck,              // name = data file name, status
  kRuleCheck,              // name = rule name, status, message (parameterized call message)
  kRuleCondition,          // status
  kTypeCheck,              // name = type name, status, at_least_one_matches, message
  kTypeCondition,          // status
  kTypeBlock,              // status
  kFilter,                 // status
  kWhenCheck,              // status, at_least_one_matches, message
  kWhenCondition,          // status
  kDisjunction,            // status, at_least_one_matches, message
  kBlockGuardCheck,        // status, at_least_one_matches, message
  kGuardClauseBlockCheck,  // status, at_least_one_matches, message
  kClauseValueCheck,       // check (below)
};

// cfn-guard's ClauseCheck, for kClauseValueCheck records.
enum class CheckKind : std::uint8_t {
  kSuccess,
  kComparison,            // from, to (optional), comparison, message, custom_message (FAIL)
  kInComparison,          // from, to_list, comparison, custom_message (FAIL)
  kUnary,                 // from, comparison, message, custom_message (FAIL)
  kNoValueForEmptyCheck,  // custom_message
  kDependentRule,         // name = rule, message, custom_message (FAIL)
  kMissingBlockValue,     // from (unresolved), message (FAIL)
};

// How a record's context string is made (ContextText() renders it).
enum class ContextKind : std::uint8_t {
  kFile,                 // "File(rules=N)"
  kRule,                 // the rule name
  kRuleWhen,             // "Rule#<name>/When"
  kTypeBlock,            // "TypeBlock#<type>"
  kTypeBlockWhen,        // "TypeBlock#<type>/When"
  kTypeBlockIndex,       // "TypeBlock#<type>/<index>"
  kRuleClauseWhen,       // "RuleClause" (a when block directly in a rule)
  kRuleClauseWhenCond,   // "RuleClause/When"
  kGuardClauseWhen,      // "GuardConditionClause" (a nested when block)
  kGuardClauseWhenCond,  // "GuardConditionClause/When"
  kDisjunctionRule,      // "cfn_guard::rules::exprs::RuleClause#disjunction"
  kDisjunctionGuard,     // "cfn_guard::rules::exprs::GuardClause#disjunction"
  kDisjunctionWhen,      // "cfn_guard::rules::exprs::WhenGuardClause#disjunction"
  kClauseBlock,          // "GuardAccessClause#block<clause>"
  kClause,               // "<clause>", e.g. " Resources.*.Type EQUALS  \"X\""
  kNamedRule,            // "Rule(<name>@Location[file:<f>, line:<l>, column:<c>])"
  kBlockClause,          // "BlockGuardClause#Location[file:<f>, line:<l>, column:<c>]"
  kBlockClauseMissing,   // "GuardBlockAccessClause#Location[…]"
  kFilterMap,            // "Filter/Map#<number of conjunctions>"
  kFilterList,           // "Filter/List#<number of conjunctions>"
  kEmpty,                // "" (the checks of a `keys` filter)
};

struct Record {
  RecordKind kind = RecordKind::kClauseValueCheck;
  EvalStatus status = EvalStatus::kPass;
  bool at_least_one_matches = false;
  CheckKind check = CheckKind::kSuccess;
  CmpOperator op = CmpOperator::kEq;  // the comparison of a value check
  bool op_negated = false;
  ContextKind context = ContextKind::kEmpty;
  std::uint32_t context_index = 0;     // kTypeBlockIndex, kFilterMap/kFilterList, kFile
  const void* context_node = nullptr;  // the AST node the context names
  std::string_view name;               // see RecordKind / CheckKind
  std::optional<std::string> message;
  const std::string* custom_message = nullptr;  // the rule's `<< … >>`, owned by the AST
  QueryResult from;
  std::optional<QueryResult> to;
  std::vector<QueryResult> to_list;  // kInComparison
  std::int32_t first_child = -1;     // index into Evaluation::records()
  std::int32_t next_sibling = -1;
};

struct RuleStatus {
  std::string_view name;
  EvalStatus status = EvalStatus::kSkip;
};

class CompiledRules;
struct EvalOptions;
class Evaluation;
Result<Evaluation> Evaluate(const CompiledRules& rules, const Node& root,
                            const EvalOptions& options);

// The outcome of evaluating one data document. Owns the records and the values functions made;
// refers to the CompiledRules and the data, which must outlive it. Movable.
class Evaluation {
 public:
  Evaluation();
  ~Evaluation();
  Evaluation(Evaluation&&) noexcept;
  Evaluation& operator=(Evaluation&&) noexcept;

  EvalStatus status() const { return status_; }
  // Every rule of the file in order (the default rule first), with its status.
  const std::vector<RuleStatus>& rules() const { return rules_; }
  // The record tree (empty when EvalOptions::record is false); root_record() is the FileCheck.
  const std::vector<Record>& records() const { return records_; }
  const Record* root_record() const { return records_.empty() ? nullptr : &records_[root_]; }
  std::string ContextText(const Record& r) const;
  // The tree as `cfn-guard validate --print-json` prints it (serde_json, two-space indent).
  std::string RecordTreeJson() const;

 private:
  friend class Evaluator;
  friend Result<Evaluation> Evaluate(const CompiledRules&, const Node&, const EvalOptions&);
  EvalStatus status_ = EvalStatus::kSkip;
  std::vector<RuleStatus> rules_;
  std::vector<Record> records_;
  std::int32_t root_ = 0;
  const CompiledRules* compiled_ = nullptr;
  std::unique_ptr<Arena> arena_;
  std::vector<std::unique_ptr<Unresolved>> unresolved_;
};

// A RulesFile prepared for evaluation: rule and parameterized-rule lookup, rule literals as
// values, regular expressions compiled.
class CompiledRules {
 public:
  // `rules_file_name` is the rules file's name as cfn-guard shows it (the file name, e.g.
  // "r.guard"): the default rule is named "<name>/default" ("default" when it is blank), and
  // rule-reference contexts print it.
  static Result<CompiledRules> Compile(const RulesFile& file, std::string rules_file_name);

  CompiledRules();
  ~CompiledRules();
  CompiledRules(CompiledRules&&) noexcept;
  CompiledRules& operator=(CompiledRules&&) noexcept;

  const RulesFile& file() const { return *file_; }
  const std::string& rules_file_name() const { return file_name_; }
  // The name cfn-guard gives `rule` (the default rule's is "<file>/default").
  std::string_view RuleName(const Rule& rule) const;
  // The value of a rule literal.
  const Node* Literal(const Value& v) const;

 private:
  friend class Evaluator;
  friend class RootScope;
  const RulesFile* file_ = nullptr;
  std::string file_name_;
  std::string default_name_;
  std::unique_ptr<Arena> arena_;
  std::unordered_map<const Value*, const Node*> literals_;
  std::vector<std::unique_ptr<Regex>> regexes_;
  std::unordered_map<std::string_view, std::vector<const Rule*>> rules_by_name_;
  std::unordered_map<std::string_view, const ParameterizedRule*> parameterized_;
};

struct EvalOptions {
  // The data file's name as cfn-guard reports it (FileCheck's name).
  std::string data_file_name;
  // Build the record tree. Statuses do not depend on it; turning it off saves time and memory.
  bool record = true;
  // Keep only the records of what failed (and the root): all that cfn-guard's structured
  // reports (BuildFileReport: json, yaml, junit, sarif) read. Not for RecordTreeJson().
  bool failures_only = false;
};

Result<Evaluation> Evaluate(const CompiledRules& rules, const Node& root,
                            const EvalOptions& options);

// cfn-guard's Display of an access clause, as record contexts show it:
// "[not] <query> <op> <rhs>" → " Resources.*.Type EQUALS  \"X\"".
std::string ClauseText(const AccessClause& clause);
// SliceDisplay of query parts: "Resources.*[*].Type", "%x[*].a", "Resources.* (filter-clauses)".
std::string QueryText(const std::vector<QueryPart>& parts, size_t from = 0);

}  // namespace vigil::guard
