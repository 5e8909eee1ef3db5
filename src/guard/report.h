// The outputs of `vigil guard validate`, byte for byte as cfn-guard 3.1.1 writes them
// (guard/src/commands/reporters/validate/ and eval_context.rs's simplified_json_from_root).
//
// cfn-guard builds its outputs with serde; vigil builds the same shapes as an `Out` tree (a
// serde data-model value: maps keep their field order) and prints it the way serde_json's
// pretty printer and serde_yaml 0.9 do. The record tree of an Evaluation becomes cfn-guard's
// FileReport (`--structured`): one object per data file, with the failed clauses of every failed
// rule (`not_compliant`) and the sorted names of passed (`compliant`) and skipped
// (`not_applicable`) rules.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "guard/eval.h"
#include "json/value.h"

namespace vigil::guard::report {

// A serde data-model value. Objects keep their keys in insertion order (serde structs do).
struct Out {
  // kNode: a data value, printed as ValueOut would build it but without copying it (reports
  // quote whole subtrees of the data; the data outlives the Out).
  enum class Type : std::uint8_t { kNull, kBool, kInt, kFloat, kString, kArray, kObject, kNode };
  Type type = Type::kNull;
  const Node* node = nullptr;  // kNode
  bool b = false;
  std::int64_t i = 0;
  double f = 0;
  std::string s;                  // kString: the text; kFloat: serde_json's text of the number
  std::vector<Out> items;         // kArray elements; kObject values
  std::vector<std::string> keys;  // kObject keys, parallel to `items`

  static Out Null() { return {}; }
  static Out Bool(bool v);
  static Out Int(std::int64_t v);
  static Out Float(double v);
  static Out Str(std::string v);
  static Out Array();
  static Out Object();
  static Out NodeRef(const Node& n);
  // kObject: appends a field and returns its value.
  Out& Add(std::string key, Out value);
  // kArray: appends an element.
  Out& Push(Out value);
  // A single-field object {key: value} (how serde writes an enum variant).
  static Out Variant(std::string key, Out value);
};

// serde_json::to_string_pretty (two-space indent, "key": value, empty containers as {} / []).
std::string ToJsonPretty(const Out& v);
// Where JSON text goes: a string, flushed to `file` (when set) whenever it passes 1 MiB, so a
// large report never sits whole in memory.
struct JsonSink {
  std::string buf;
  std::FILE* file = nullptr;
  void MaybeFlush() {
    if (file && buf.size() >= (size_t{1} << 20)) Flush();
  }
  void Flush();
};
// The pretty text of `v`, written as if it started at nesting level `depth`.
void AppendJsonPretty(JsonSink& sink, const Out& v, int depth);
// serde_json::to_string.
std::string ToJsonCompact(const Out& v);
// serde_yaml 0.9's to_string (block style, sequences not indented under their key, strings
// quoted only when they would read back as another type). Ends with a newline.
std::string ToYaml(const Out& v);

// A data value as serde writes cfn-guard's (path, value) pair: {"path": "/a/b", "value": …}.
Out PathValueOut(const Node& n);
// The value alone (regexes as "/re/", chars and ranges as strings): a kNode reference.
Out ValueOut(const Node& n);
// The same value copied into an Out tree (kNode expanded, recursively).
Out ExpandValue(const Node& n);

// cfn-guard's FileReport for one data file (several rules files combine into one).
struct FileReport {
  std::string name;
  EvalStatus status = EvalStatus::kSkip;
  std::vector<Out> not_compliant;
  std::set<std::string> not_applicable;
  std::set<std::string> compliant;

  // FileReport::combine: statuses joined with Status::and, lists appended, sets merged.
  void Combine(FileReport other);
  Out ToOut() const;
  // The same, moving not_compliant out.
  Out TakeOut();
};

// simplified_json_from_root: the report of one evaluation. The failed clauses come from the
// record tree; an evaluation without one (EvalOptions::record = false) gives the rule lists only,
// under `name` — which is the whole report when no rule failed.
FileReport BuildFileReport(const Evaluation& ev, std::string_view name = {});

// The summary table cfn-guard prints before the details for single-line-summary, json and yaml
// output (`-S`): "<data> Status = FAIL", "FAILED rules", one padded line per rule, "---".
// `show` is a mask of kShowPass | kShowFail | kShowSkip (0 prints nothing).
inline constexpr unsigned kShowPass = 1, kShowFail = 2, kShowSkip = 4;
std::string SummaryTable(const Evaluation& ev, std::string_view rules_file_name,
                         std::string_view data_file_name, unsigned show);

// The per-file output of `validate` without --structured, after the summary table: for a
// CloudFormation template (a document with `Resources`) the FileReport (json/yaml) or the
// "Evaluating data … against rules …" text; for other data the generic summary. `data_text` is
// the data file's content (the text report quotes lines of it).
enum class Format : std::uint8_t { kSingleLineSummary, kJson, kYaml, kJunit, kSarif };
std::string FileDetails(const Evaluation& ev, const Node& data_root, std::string_view data_text,
                        std::string_view rules_file_name, std::string_view data_file_name,
                        Format format, unsigned show);

// `--structured -o junit` and `-o sarif` documents. `rules_names[i]` is the rules file whose
// evaluation over data file j is `evals[i][j]`; `data_names[j]` the data files' names.
std::string JunitReport(const std::vector<std::string>& rules_names,
                        const std::vector<std::string>& data_names,
                        const std::vector<std::vector<const Evaluation*>>& evals);
std::string SarifReport(const std::vector<FileReport>& reports);

// quick-xml's escape(): the five XML special characters (JUnit outputs).
std::string XmlEscape(std::string_view s);

// The message texts shared by reports (also used by tests).
// cmp_str(): "EQUAL", "NOT EXISTS", "IS BOOl" (sic) …
const char* CmpText(CmpOperator op, bool negated);

// A JSON document as an Out tree (keys in document order).
Out OutFromJson(const json::Value& v);

// `cfn-guard test`: runs the unit-test files of a rules file (or of every rules file under a
// directory) and reports as cfn-guard does.
struct UnitTestOptions {
  std::string rules_file, test_data, dir;
  std::string output_format = "single-line-summary";
  bool last_modified = false, verbose = false;
};
struct UnitTestOutput {
  std::string out, err;
  int exit_code = 0;
};
UnitTestOutput RunUnitTests(const UnitTestOptions& options);

}  // namespace vigil::guard::report

namespace vigil::guard::report {

// The single-line-summary report of a CloudFormation template (a document with `Resources`,
// cfn.rs) or a Terraform plan (`resource_changes`, tf.rs): the non-compliant resources, each with
// its failed rules as nested ALL/ANY blocks, checks and (templates) the lines of `data_text`
// around each value. Empty when no rule failed; nullopt for other data, and where cfn-guard's
// template reporter gives up or panics (vigil then prints the generic report, as cfn-guard does
// when it gives up). cfn-guard lists the resources in hash-map order, which changes from run to
// run (and its code snippets number lines from where its cursor was, so the numbers depend on
// that order); vigil lists them by name, or `resource_order` first when given (to reproduce one
// cfn-guard run).
std::optional<std::string> TemplateSingleLine(
    const Evaluation& ev, const Node& data_root, std::string_view data_text,
    std::string_view rules_file_name, std::string_view data_file_name,
    const std::vector<std::string>* resource_order = nullptr);

}  // namespace vigil::guard::report
