#include "report/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include "ingest/input.h"
#include "json/value.h"
#include "json/writer.h"

namespace vigil::report {

namespace {

// Accumulates evaluations into a Summary. Resources are dense indices below `resources`.
class SummaryBuilder {
 public:
  SummaryBuilder(size_t rules, std::uint32_t resources)
      : state_(resources, -1), account_of_(resources) {
    s_.rules.resize(rules);
  }
  void Add(std::uint32_t rule, std::uint32_t resource, std::string_view account,
           rules::Compliance c) {
    std::int8_t level = 0;
    auto& pr = s_.rules[rule];
    switch (c) {
      case rules::Compliance::kCompliant:
        level = 1;
        ++pr.compliant;
        break;
      case rules::Compliance::kNonCompliant:
        level = 2;
        ++pr.non_compliant;
        ++pr.non_compliant_accounts[account];
        break;
      default:
        ++pr.not_applicable;
        break;
    }
    state_[resource] = std::max(state_[resource], level);
    account_of_[resource] = account;
  }
  Summary Finish() {
    for (size_t i = 0; i < state_.size(); ++i) {
      const std::int8_t level = state_[i];
      if (level < 0) continue;
      auto& acct = s_.accounts[account_of_[i]];
      if (level == 2) {
        ++s_.non_compliant;
        ++acct.non_compliant;
      } else if (level == 1) {
        ++s_.compliant;
        ++acct.compliant;
      } else {
        ++s_.not_applicable;
        ++acct.not_applicable;
      }
    }
    return std::move(s_);
  }

 private:
  Summary s_;
  // Per resource: -1 = no evaluation, 0 = not applicable only, 1 = compliant, 2 = non-compliant.
  std::vector<std::int8_t> state_;
  std::vector<std::string_view> account_of_;
};

}  // namespace

ReportData FromEngine(const engine::Engine& e, bool with_rows) {
  ReportData d;
  d.date = e.run_time();
  for (const auto& r : e.rules()) {
    RuleInfo info{r.config.name,
                  r.config.owner == "CUSTOM_POLICY" ? "CUSTOM_POLICY" : r.config.source_identifier,
                  r.config.owner, r.note, r.manual};
    d.rules.push_back(std::move(info));
  }
  const auto& names = e.names();
  if (!with_rows) {
    SummaryBuilder b(d.rules.size(), static_cast<std::uint32_t>(e.resources().size()));
    std::uint32_t index = 0;
    for (const auto& res : e.resources()) {
      for (const auto& ev : e.Evaluations(res))
        b.Add(ev.rule, index, names.Name(res.account), ev.compliance);
      ++index;
    }
    d.summary = b.Finish();
    d.resource_count = index;
    d.missing = e.missing_facts();
    return d;
  }
  size_t total = 0;
  for (const auto& res : e.resources()) total += res.eval_count;
  d.rows.reserve(total);
  std::uint32_t index = 0;
  for (const auto& res : e.resources()) {
    const std::uint32_t resource = index++;
    for (const auto& ev : e.Evaluations(res)) {
      d.rows.push_back({ev.rule, resource, names.Name(res.account), names.Name(res.region),
                        names.Name(res.type), res.id, e.annotations().Name(ev.annotation),
                        res.capture, ev.compliance});
    }
  }
  d.resource_count = index;
  d.missing = e.missing_facts();
  return d;
}

Status LoadAccountNames(const std::string& path, std::map<std::string, std::string>& names) {
  auto text = ingest::ReadInput(path);
  if (!text.ok()) return text.status();
  auto doc = json::Document::Parse(*text);
  if (!doc.ok()) return Status::Error(path + ": " + doc.status().message());
  const json::Value root = doc->Root();
  if (root.Get("Accounts").IsArray()) {
    for (const json::Value a : root.Get("Accounts").Elements()) {
      auto id = a.Get("Id").String();
      if (id) names[std::string(*id)] = std::string(a.Get("Name").String().value_or(""));
    }
    return Status::Ok();
  }
  if (root.IsObject()) {
    for (const auto m : root.Members())
      if (auto n = m.value.String()) names[std::string(m.key)] = std::string(*n);
    return Status::Ok();
  }
  return Status::Error(
      path +
      ": expected `aws organizations list-accounts` output ({\"Accounts\": [...]}) "
      "or a {\"account-id\": \"name\"} map");
}

void WriteMissingFacts(const std::vector<engine::MissingFact>& missing, json::Writer& w) {
  w.BeginArray();
  for (const auto& m : missing) {
    w.BeginObject()
        .Field("ConfigRuleName", m.rule)
        .Field("Fact", m.fact)
        .Field("AccountId", m.account)
        .Field("AwsRegion", m.region)
        .Field("Resources", static_cast<std::int64_t>(m.resources))
        .EndObject();
  }
  w.EndArray();
}

std::vector<engine::MissingFact> ReadMissingFacts(const json::Value& array) {
  std::vector<engine::MissingFact> out;
  for (const json::Value m : array.Elements()) {
    out.push_back({m.Get("ConfigRuleName").AsText(), m.Get("Fact").AsText(),
                   m.Get("AccountId").AsText(), m.Get("AwsRegion").AsText(),
                   static_cast<std::uint64_t>(m.Get("Resources").Int().value_or(0)), ""});
  }
  return out;
}

Result<Format> ParseFormat(std::string_view s) {
  if (s == "text") return Format::kText;
  if (s == "json") return Format::kJson;
  if (s == "csv") return Format::kCsv;
  return Status::Error("unknown format '" + std::string(s) + "': use text, json or csv");
}

Summary Summarise(const ReportData& d) {
  if (d.summary) return *d.summary;
  SummaryBuilder b(d.rules.size(), d.resource_count);
  for (const Row& r : d.rows) b.Add(r.rule, r.resource, r.account, r.compliance);
  return b.Finish();
}

namespace {

std::string Thousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

int Percent(std::uint64_t compliant, std::uint64_t non_compliant) {
  const std::uint64_t total = compliant + non_compliant;
  if (total == 0) return 100;
  return static_cast<int>((compliant * 100) / total);  // floor: never round a failure up to 100%
}

std::string AccountLabel(const ReportData& d, std::string_view id) {
  auto it = d.account_names.find(std::string(id));
  if (it != d.account_names.end() && !it->second.empty())
    return fmt::format("{} ({})", it->second, id);
  return std::string(id.empty() ? "(no account)" : id);
}

}  // namespace

std::string_view RuleCompliance(const RuleInfo& info, const Summary::PerRule& r) {
  if (!info.note.empty()) return "INSUFFICIENT_DATA";
  if (r.non_compliant > 0) return "NON_COMPLIANT";
  if (r.compliant > 0) return "COMPLIANT";
  return "INSUFFICIENT_DATA";
}

PackCompliance ComputePackCompliance(const ReportData& d, const PackInfo& pack, const Summary& s) {
  PackCompliance pc;
  for (std::uint32_t ri : pack.rules) {
    const auto& pr = s.rules[ri];
    ++pc.total_rules;
    const std::string_view c = RuleCompliance(d.rules[ri], pr);
    if (c == "NON_COMPLIANT") ++pc.non_compliant_rules;
    if (c == "COMPLIANT") ++pc.compliant_rules;
    if (d.rules[ri].note.empty()) {
      pc.compliant_pairs += pr.compliant;
      pc.scored_pairs += pr.compliant + pr.non_compliant;
    }
  }
  pc.compliance = pc.non_compliant_rules > 0 ? "NON_COMPLIANT"
                  : pc.compliant_rules > 0   ? "COMPLIANT"
                                             : "INSUFFICIENT_DATA";
  if (pc.scored_pairs > 0)
    pc.score =
        100.0 * static_cast<double>(pc.compliant_pairs) / static_cast<double>(pc.scored_pairs);
  return pc;
}

namespace {

void WriteText(const ReportData& d, std::FILE* out) {
  const Summary s = Summarise(d);
  std::string t;
  auto line = [&]<typename... A>(fmt::format_string<A...> f, A&&... a) {
    t += fmt::format(f, std::forward<A>(a)...);
    t += '\n';
  };
  size_t evaluated_rules = 0;
  for (const auto& r : d.rules) evaluated_rules += r.note.empty() ? 1 : 0;
  std::map<std::string_view, int> accounts;
  for (const auto& [id, a] : s.accounts) accounts[id] = 1;
  const size_t account_count =
      d.account_names.empty() ? accounts.size() : std::max(d.account_names.size(), accounts.size());

  line("AWS Config Compliance Report");
  line("===============================");
  line("Organization: {} ({} accounts)", d.organization.empty() ? "(unnamed)" : d.organization,
       account_count);
  line("Framework: {}", d.framework.empty() ? "AWS Config rules" : d.framework);
  line("Report Date: {}", FormatDate(d.date));
  line("Config Rules Active: {}", d.rules.size());
  if (evaluated_rules != d.rules.size())
    line("Config Rules Evaluated: {} (see RULES NOT EVALUATED)", evaluated_rules);
  line("");
  line("COMPLIANCE SUMMARY:");
  line("  Overall Compliance: {}%", Percent(s.compliant, s.non_compliant));
  line("  Compliant Resources: {}", Thousands(s.compliant));
  line("  Non-Compliant Resources: {}", Thousands(s.non_compliant));
  line("  Not Applicable: {}", Thousands(s.not_applicable));
  line("");

  std::vector<size_t> order;
  for (size_t i = 0; i < d.rules.size(); ++i)
    if (s.rules[i].non_compliant > 0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(s.rules[b].non_compliant, d.rules[a].name) <
           std::tie(s.rules[a].non_compliant, d.rules[b].name);
  });
  line("TOP NON-COMPLIANT RULES:");
  if (order.empty()) line("  (none)");
  for (size_t i = 0; i < order.size() && i < 10; ++i) {
    const auto& pr = s.rules[order[i]];
    line("  {}: {} resources ({} accounts)", d.rules[order[i]].name, Thousands(pr.non_compliant),
         pr.non_compliant_accounts.size());
  }
  line("");
  const auto& rem = d.remediation;
  line("AUTO-REMEDIATION (Last 30 Days):");
  line("  Public S3 buckets remediated: {}", rem.s3_buckets);
  line("  Security groups restricted: {}", rem.security_groups);
  line("  EBS default encryption enabled: {}", rem.ebs_encryption);
  line("  Total auto-remediated: {}",
       rem.s3_buckets + rem.security_groups + rem.ebs_encryption + rem.other);
  line("  Failed remediation attempts: {}", rem.failed);
  line("");

  struct Rank {
    std::string_view id;
    int percent;
    std::uint64_t non_compliant;
  };
  std::vector<Rank> ranking;
  for (const auto& [id, a] : s.accounts) {
    if (a.compliant + a.non_compliant == 0) continue;
    ranking.push_back({id, Percent(a.compliant, a.non_compliant), a.non_compliant});
  }
  std::sort(ranking.begin(), ranking.end(), [](const Rank& a, const Rank& b) {
    return std::tie(b.percent, a.non_compliant, a.id) < std::tie(a.percent, b.non_compliant, b.id);
  });
  line("ACCOUNT COMPLIANCE RANKING:");
  for (size_t i = 0; i < ranking.size(); ++i)
    line("  {}. {}: {}% compliant", i + 1, AccountLabel(d, ranking[i].id), ranking[i].percent);

  if (d.has_previous_run) {
    line("");
    std::uint64_t worse = 0, better = 0;
    for (const auto& tr : d.transitions) {
      if (tr.to == "NON_COMPLIANT")
        ++worse;
      else if (tr.from == "NON_COMPLIANT")
        ++better;
    }
    line("CHANGES SINCE LAST RUN:");
    line("  Turned NON_COMPLIANT: {}", worse);
    line("  No longer NON_COMPLIANT: {}", better);
    size_t shown = 0;
    for (const auto& tr : d.transitions) {
      if (tr.to != "NON_COMPLIANT" || shown >= 10) continue;
      ++shown;
      line("    {} {} {} ({}, {}): {} -> {}", tr.rule, tr.type, tr.id, AccountLabel(d, tr.account),
           tr.region, tr.from.empty() ? "NEW" : tr.from, tr.to);
    }
  }

  for (const auto& p : d.packs) {
    const PackCompliance pc = ComputePackCompliance(d, p, s);
    line("");
    line("CONFORMANCE PACK: {} ({})", p.name, p.framework);
    line("  Pack Compliance: {} ({} of {} rules compliant, {} non-compliant, {} insufficient data)",
         pc.compliance, pc.compliant_rules, pc.total_rules, pc.non_compliant_rules,
         pc.total_rules - pc.compliant_rules - pc.non_compliant_rules);
    if (pc.score) {
      line("  Compliance Score: {:.2f}% ({} of {} rule-resource combinations compliant)", *pc.score,
           Thousands(pc.compliant_pairs), Thousands(pc.scored_pairs));
    } else {
      line("  Compliance Score: INSUFFICIENT_DATA (no rule-resource combination was evaluated)");
    }
    size_t width = 4;
    for (std::uint32_t ri : p.rules) width = std::max(width, d.rules[ri].name.size());
    line("  {:<{}}  {:<17} {:>9} {:>13} {:>14}", "RULE", width, "COMPLIANCE", "COMPLIANT",
         "NON-COMPLIANT", "NOT APPLICABLE");
    for (std::uint32_t ri : p.rules) {
      const auto& pr = s.rules[ri];
      const RuleInfo& info = d.rules[ri];
      std::string_view c = RuleCompliance(info, pr);
      std::string tail;
      if (info.manual && pr.compliant + pr.non_compliant + pr.not_applicable == 0)
        tail = "  manual control: no evaluation recorded";
      else if (info.manual)
        tail = "  manual control";
      else if (!info.note.empty())
        tail = "  not evaluated";
      line("  {:<{}}  {:<17} {:>9} {:>13} {:>14}{}", info.name, width, c, Thousands(pr.compliant),
           Thousands(pr.non_compliant), Thousands(pr.not_applicable), tail);
    }
  }

  std::vector<size_t> manual;
  for (size_t i = 0; i < d.rules.size(); ++i)
    if (d.rules[i].manual) manual.push_back(i);
  if (!manual.empty()) {
    line("");
    line("MANUAL CONTROLS (AWS_CONFIG_PROCESS_CHECK, compliance recorded by a person):");
    for (size_t i : manual) {
      const auto& pr = s.rules[i];
      if (pr.compliant + pr.non_compliant + pr.not_applicable == 0) {
        line(
            "  {}: INSUFFICIENT_DATA (no evaluation recorded; record one with "
            "--external-evaluations)",
            d.rules[i].name);
      } else {
        line("  {}: {} ({} compliant, {} non-compliant accounts)", d.rules[i].name,
             RuleCompliance(d.rules[i], pr), pr.compliant, pr.non_compliant);
      }
    }
  }

  bool header = false;
  for (const auto& r : d.rules) {
    if (r.note.empty()) continue;
    if (!header) {
      line("");
      line("RULES NOT EVALUATED:");
      header = true;
    }
    line("  {} ({}): {}", r.name, r.identifier, r.note);
  }
  if (!d.missing.empty()) {
    line("");
    line("NOT EVALUATED FOR MISSING ACCOUNT FACTS (no verdict given; run scripts/collect-facts):");
    std::map<std::pair<std::string, std::string>, std::pair<std::uint64_t, std::set<std::string>>>
        groups;
    for (const auto& m : d.missing) {
      auto& g = groups[{m.rule, m.fact}];
      g.first += m.resources;
      g.second.insert(m.account);
    }
    for (const auto& [key, g] : groups)
      line("  {}: {} missing for {} resources in {} accounts", key.first, key.second,
           Thousands(g.first), g.second.size());
  }
  std::fwrite(t.data(), 1, t.size(), out);
}

void WriteJson(const ReportData& d, std::FILE* out) {
  const Summary s = Summarise(d);
  json::Writer w(2);
  const std::string recorded = FormatIso8601(d.date);
  w.BeginObject();
  w.Key("EvaluationResults").BeginArray();
  size_t n = 0;
  for (const Row& r : d.rows) {
    w.BeginObject();
    w.Key("EvaluationResultIdentifier").BeginObject();
    w.Key("EvaluationResultQualifier").BeginObject();
    w.Field("ConfigRuleName", d.rules[r.rule].name);
    w.Field("ResourceType", r.type);
    w.Field("ResourceId", r.id);
    w.Field("EvaluationMode", "DETECTIVE");
    w.EndObject();
    w.Field("OrderingTimestamp", FormatIso8601(r.ordering));
    w.EndObject();
    w.Field("ComplianceType", rules::ComplianceName(r.compliance));
    w.Field("ResultRecordedTime", recorded);
    w.Field("ConfigRuleInvokedTime", recorded);
    if (!r.annotation.empty()) w.Field("Annotation", r.annotation);
    w.Field("AccountId", r.account);
    w.Field("AwsRegion", r.region);
    w.EndObject();
    if (++n % 4096 == 0) {
      std::fwrite(w.str().data(), 1, w.str().size(), out);
      w.Take();
    }
  }
  w.EndArray();
  auto capped = [&](std::string_view key, std::uint64_t v) {
    w.Key(key)
        .BeginObject()
        .Field("CappedCount", static_cast<std::int64_t>(v))
        .Field("CapExceeded", false)
        .EndObject();
  };
  w.Key("ComplianceSummary").BeginObject();
  capped("CompliantResourceCount", s.compliant);
  capped("NonCompliantResourceCount", s.non_compliant);
  w.Field("ComplianceSummaryTimestamp", recorded);
  w.EndObject();
  w.Field("NotApplicableResourceCount", static_cast<std::int64_t>(s.not_applicable));
  w.Key("ComplianceByConfigRule").BeginArray();
  for (size_t i = 0; i < d.rules.size(); ++i) {
    const auto& pr = s.rules[i];
    w.BeginObject().Field("ConfigRuleName", d.rules[i].name);
    w.Key("Compliance").BeginObject();
    w.Field("ComplianceType", RuleCompliance(d.rules[i], pr));
    if (pr.non_compliant > 0) {
      w.Key("ComplianceContributorCount")
          .BeginObject()
          .Field("CappedCount", static_cast<std::int64_t>(pr.non_compliant))
          .Field("CapExceeded", false)
          .EndObject();
    }
    w.EndObject();
    w.Field("SourceIdentifier", d.rules[i].identifier);
    if (!d.rules[i].note.empty()) w.Field("NotEvaluated", d.rules[i].note);
    if (d.rules[i].manual) w.Field("ManualControl", true);
    w.EndObject();
  }
  w.EndArray();
  if (!d.packs.empty()) {
    // DescribeConformancePackCompliance and ListConformancePackComplianceScores, per pack.
    w.Key("ConformancePacks").BeginArray();
    for (const auto& p : d.packs) {
      const PackCompliance pc = ComputePackCompliance(d, p, s);
      w.BeginObject()
          .Field("ConformancePackName", p.name)
          .Field("Framework", p.framework)
          .Field("ConformancePackComplianceStatus", pc.compliance)
          .Field("ComplianceScore",
                 pc.score ? fmt::format("{:.2f}", *pc.score) : std::string("INSUFFICIENT_DATA"))
          .Field("CompliantRuleCount", static_cast<std::int64_t>(pc.compliant_rules))
          .Field("NonCompliantRuleCount", static_cast<std::int64_t>(pc.non_compliant_rules))
          .Field("TotalRuleCount", static_cast<std::int64_t>(pc.total_rules));
      w.Key("ConformancePackRuleComplianceList").BeginArray();
      for (std::uint32_t ri : p.rules)
        w.BeginObject()
            .Field("ConfigRuleName", d.rules[ri].name)
            .Field("ComplianceType", RuleCompliance(d.rules[ri], s.rules[ri]))
            .EndObject();
      w.EndArray().EndObject();
    }
    w.EndArray();
  }
  w.Key("Accounts").BeginArray();
  for (const auto& [id, a] : s.accounts) {
    w.BeginObject().Field("AccountId", id);
    auto name = d.account_names.find(std::string(id));
    if (name != d.account_names.end()) w.Field("AccountName", name->second);
    w.Field("CompliantResourceCount", static_cast<std::int64_t>(a.compliant))
        .Field("NonCompliantResourceCount", static_cast<std::int64_t>(a.non_compliant))
        .Field("NotApplicableResourceCount", static_cast<std::int64_t>(a.not_applicable))
        .Field("CompliancePercent", Percent(a.compliant, a.non_compliant))
        .EndObject();
  }
  w.EndArray();
  w.Key("MissingFacts");
  WriteMissingFacts(d.missing, w);
  if (d.has_previous_run) {
    w.Key("ComplianceTransitions").BeginArray();
    for (const auto& t : d.transitions) {
      w.BeginObject()
          .Field("ConfigRuleName", t.rule)
          .Field("AccountId", t.account)
          .Field("AwsRegion", t.region)
          .Field("ResourceType", t.type)
          .Field("ResourceId", t.id)
          .Field("PreviousComplianceType", t.from)
          .Field("ComplianceType", t.to)
          .EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  std::fwrite(w.str().data(), 1, w.str().size(), out);
  std::fputc('\n', out);
}

void Csv(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) {
    out += field;
    return;
  }
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void WriteCsv(const ReportData& d, std::FILE* out) {
  std::string t =
      "AccountId,AccountName,AwsRegion,ConfigRuleName,SourceIdentifier,ResourceType,ResourceId,"
      "ComplianceType,Annotation,OrderingTimestamp\n";
  for (const Row& r : d.rows) {
    auto name = d.account_names.find(std::string(r.account));
    for (std::string_view f :
         {r.account, std::string_view(name == d.account_names.end() ? "" : name->second.c_str()),
          r.region, std::string_view(d.rules[r.rule].name),
          std::string_view(d.rules[r.rule].identifier), r.type, r.id,
          rules::ComplianceName(r.compliance), r.annotation}) {
      Csv(t, f);
      t.push_back(',');
    }
    t += FormatIso8601(r.ordering);
    t.push_back('\n');
    if (t.size() > (1 << 20)) {
      std::fwrite(t.data(), 1, t.size(), out);
      t.clear();
    }
  }
  std::fwrite(t.data(), 1, t.size(), out);
}

}  // namespace

void Write(const ReportData& data, Format format, std::FILE* out) {
  switch (format) {
    case Format::kText:
      WriteText(data, out);
      break;
    case Format::kJson:
      WriteJson(data, out);
      break;
    case Format::kCsv:
      WriteCsv(data, out);
      break;
  }
}

}  // namespace vigil::report
