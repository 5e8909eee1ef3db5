// The compliance report: the seed's "AWS Config Compliance Report" as text, AWS's
// EvaluationResult objects as JSON, and CSV. Built from ReportData, which either a fresh Engine
// run or a stored run (store::Load) provides, so both print the same report.
#pragma once

#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "engine/engine.h"
#include "json/value.h"
#include "json/writer.h"
#include "rules/rule.h"

namespace vigil::report {

struct RuleInfo {
  std::string name;
  std::string identifier;  // SourceIdentifier (or the Lambda ARN / "CUSTOM_POLICY")
  std::string owner;
  std::string note;  // why it was not evaluated ("" if it was)
  bool manual = false;
};

struct Row {
  std::uint32_t rule;
  std::uint32_t resource;  // dense index: rows with the same index are the same resource
  std::string_view account, region, type, id, annotation;
  EpochMillis ordering;
  rules::Compliance compliance;
};

struct Transition {
  std::string rule, account, region, type, id, from, to;
};

struct RemediationCounts {
  std::uint64_t s3_buckets = 0, security_groups = 0, ebs_encryption = 0, other = 0, failed = 0;
};

// Per-resource compliance, as DescribeComplianceByResource derives it: NON_COMPLIANT if any rule
// finds the resource so, COMPLIANT if some rule finds it compliant and none non-compliant,
// NOT_APPLICABLE if every evaluation is NOT_APPLICABLE.
struct Summary {
  std::uint64_t compliant = 0, non_compliant = 0, not_applicable = 0;
  struct PerRule {
    std::uint64_t compliant = 0, non_compliant = 0, not_applicable = 0;
    std::map<std::string_view, std::uint64_t> non_compliant_accounts;
  };
  std::vector<PerRule> rules;
  struct PerAccount {
    std::uint64_t compliant = 0, non_compliant = 0, not_applicable = 0;
  };
  std::map<std::string_view, PerAccount> accounts;
};
// A conformance pack evaluated in this run.
struct PackInfo {
  std::string name, framework;
  std::vector<std::uint32_t> rules;  // indices into ReportData::rules
};

// Rule-level compliance, as DescribeComplianceByConfigRule reports it: NON_COMPLIANT if any
// resource is, else COMPLIANT if any is, else INSUFFICIENT_DATA (rule-level compliance is never
// NOT_APPLICABLE).
// A rule vigil did not evaluate (RuleInfo::note) is INSUFFICIENT_DATA.
std::string_view RuleCompliance(const RuleInfo& info, const Summary::PerRule& r);

struct PackCompliance {
  // AWS's rule: COMPLIANT if all rules are; NON_COMPLIANT if any is; INSUFFICIENT_DATA only if
  // no rule could be evaluated (rules with insufficient data beside compliant ones leave the
  // pack COMPLIANT).
  std::string_view compliance;
  std::uint64_t compliant_rules = 0, non_compliant_rules = 0, total_rules = 0;
  // ListConformancePackComplianceScores: compliant rule-resource combinations over all
  // combinations with a verdict (NOT_APPLICABLE and INSUFFICIENT_DATA ones excluded); no score
  // (INSUFFICIENT_DATA) when there are none.
  std::uint64_t compliant_pairs = 0, scored_pairs = 0;
  std::optional<double> score;  // percent
};

struct ReportData {
  std::string organization;                          // "" if unknown
  std::string framework;                             // "" if unknown
  EpochMillis date = 0;                              // run time
  std::map<std::string, std::string> account_names;  // id -> name
  std::vector<RuleInfo> rules;
  std::vector<PackInfo> packs;
  std::vector<Row> rows;
  std::uint32_t resource_count = 0;  // 1 + the largest Row::resource
  // Set instead of `rows` when only the text report is wanted (FromEngine with_rows = false).
  std::optional<Summary> summary;
  std::vector<engine::MissingFact> missing;
  std::vector<Transition> transitions;  // since the previous stored run
  bool has_previous_run = false;
  RemediationCounts remediation;
  std::deque<std::string> storage;  // owns strings the rows point to, when loaded from a store
  std::string_view Keep(std::string s) {
    storage.push_back(std::move(s));
    return storage.back();
  }
};

PackCompliance ComputePackCompliance(const ReportData& d, const PackInfo& pack, const Summary& s);

// Flattens an engine's results. The engine must outlive the returned data. Without rows only
// the summary is computed (enough for the text report, and much less memory).
ReportData FromEngine(const engine::Engine& engine, bool with_rows = true);

// Reads `aws organizations list-accounts` output ({"Accounts":[{"Id","Name"}]}) or a plain
// {"<id>": "<name>"} map into `names`.
Status LoadAccountNames(const std::string& path, std::map<std::string, std::string>& names);

// The MissingFacts array of the JSON report ({ConfigRuleName, Fact, AccountId, AwsRegion,
// Resources}), which the store also keeps; ReadMissingFacts reads it back.
void WriteMissingFacts(const std::vector<engine::MissingFact>& missing, json::Writer& w);
std::vector<engine::MissingFact> ReadMissingFacts(const json::Value& array);

enum class Format { kText, kJson, kCsv };
Result<Format> ParseFormat(std::string_view s);

// Writes the report to `out`.
void Write(const ReportData& data, Format format, std::FILE* out);

Summary Summarise(const ReportData& data);

}  // namespace vigil::report
