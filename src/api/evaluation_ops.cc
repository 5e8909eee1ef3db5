// Evaluations and compliance: PutEvaluations, PutExternalEvaluation, DeleteEvaluationResults,
// DescribeComplianceByConfigRule, DescribeComplianceByResource,
// GetComplianceDetailsByConfigRule, GetComplianceDetailsByResource,
// GetComplianceSummaryByConfigRule, GetComplianceSummaryByResourceType.
//
// Results live in the store as records.h describes, one current result per (rule, resource);
// the queries aggregate them as AWS documents: a rule is NON_COMPLIANT if any resource is, else
// COMPLIANT if any is, else INSUFFICIENT_DATA; a resource likewise over the rules that evaluate
// it. NOT_APPLICABLE results are kept (GetComplianceDetails* returns them when asked) but count
// for nothing. Contributor counts are capped at 100 resources (25 rules for the rule summary),
// with CapExceeded set past the cap.
#include <algorithm>
#include <map>
#include <string>

#include "api/operation.h"
#include "api/records.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRule = "config-rule";
constexpr size_t kRulePage = 25;
constexpr std::int64_t kResourceCap = 100;
constexpr std::int64_t kRuleCap = 25;
// How long a result token vigil issues stays valid.
constexpr EpochMillis kTokenLifetime = 6 * 3600 * 1000;

Outcome Invalid(std::string message) {
  return Outcome::Fail("InvalidParameterValueException", std::move(message));
}

Outcome BadNextToken() {
  return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
}

// The NextToken's position: "" for none; nullopt for a token vigil did not make.
std::optional<std::string> Position(json::Value token) {
  if (!token.IsString() || token.AsText().empty()) return std::string();
  return ReadNextToken(token.AsText());
}

EpochMillis Millis(json::Value timestamp) { return TimestampMillis(timestamp).value_or(0); }

// The page size from a Limit member: 0 or absent means `fallback`.
size_t PageSize(json::Value limit, size_t fallback) {
  const std::int64_t n = limit.Int().value_or(0);
  return n <= 0 ? fallback : static_cast<size_t>(n);
}

// The ComplianceTypes filter, checked against what the operation allows; empty `given` means
// `fallback`.
std::optional<Outcome> ReadFilter(json::Value types, const std::vector<std::string>& allowed,
                                  const std::vector<std::string>& fallback,
                                  std::vector<std::string>& out) {
  out = Strings(types);
  for (const std::string& t : out) {
    if (std::find(allowed.begin(), allowed.end(), t) == allowed.end()) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Invalid("The ComplianceType " + t +
                     " is not valid for this operation. Valid "
                     "values: " +
                     list);
    }
  }
  if (out.empty()) out = fallback;
  return std::nullopt;
}

bool Has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The evaluation's compliance type as PutEvaluations and PutExternalEvaluation take it.
std::optional<Outcome> CheckEvaluationCompliance(json::Value e) {
  if (e.Get("ComplianceType").AsText() == "INSUFFICIENT_DATA") {
    return Invalid(
        "The ComplianceType INSUFFICIENT_DATA is not supported for evaluations you provide. "
        "Valid values: COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE");
  }
  return std::nullopt;
}

struct Counts {
  std::int64_t compliant = 0, non_compliant = 0, not_applicable = 0;
  void Add(std::string_view c) {
    if (c == "COMPLIANT") ++compliant;
    if (c == "NON_COMPLIANT") ++non_compliant;
    if (c == "NOT_APPLICABLE") ++not_applicable;
  }
  std::string_view Compliance() const {
    if (non_compliant > 0) return "NON_COMPLIANT";
    if (compliant > 0) return "COMPLIANT";
    return "INSUFFICIENT_DATA";
  }
};

void WriteContributors(json::Writer& w, std::int64_t n, std::int64_t cap) {
  w.BeginObject().Field("CappedCount", std::min(n, cap)).Field("CapExceeded", n > cap).EndObject();
}

void WriteCompliance(json::Writer& w, const Counts& c) {
  w.BeginObject().Field("ComplianceType", c.Compliance());
  if (c.non_compliant > 0) {
    w.Key("ComplianceContributorCount");
    WriteContributors(w, c.non_compliant, kResourceCap);
  }
  w.EndObject();
}

Counts RuleCounts(Context& ctx, std::string_view rule) {
  Counts c;
  for (const Document& d : ctx.store->ListPrefix(ctx.tenant, kEvaluationKind, Key({rule}, true))) {
    if (auto r = EvaluationRecord::FromJson(d.body)) c.Add(r->compliance);
  }
  return c;
}

Outcome PutEvaluations(Context& ctx, json::Value input) {
  const bool test = input.Get("TestMode").Bool().value_or(false);
  for (const json::Value e : input.Get("Evaluations").Elements()) {
    if (auto err = CheckEvaluationCompliance(e)) return *err;
  }
  // In test mode AWS checks the evaluations and keeps nothing; any token will do.
  if (test) return Outcome::Ok(R"({"FailedEvaluations":[]})");

  const std::string token = input.Get("ResultToken").AsText();
  const auto claims = VerifyResultToken(*ctx.store, token);
  if (!claims || claims->account_id != ctx.tenant.account_id ||
      claims->region != ctx.tenant.region || claims->expires < ctx.now) {
    return Outcome::Fail("InvalidResultTokenException", "The resultToken provided is invalid");
  }
  const std::optional<std::string> rule = ctx.store->Get(ctx.tenant, kRule, claims->rule_name);
  std::optional<json::Document> doc;
  if (rule) {
    if (auto parsed = json::Document::Parse(*rule); parsed.ok()) doc = std::move(*parsed);
  }
  // A token for a rule that was deleted (or deleted and made again) is for no rule.
  if (!doc || doc->Root().Get("ConfigRuleId").AsText() != claims->rule_id) {
    return NoSuchConfigRule(claims->rule_name);
  }
  for (const json::Value e : input.Get("Evaluations").Elements()) {
    EvaluationRecord r;
    r.rule_name = claims->rule_name;
    r.resource_type = e.Get("ComplianceResourceType").AsText();
    r.resource_id = e.Get("ComplianceResourceId").AsText();
    r.compliance = e.Get("ComplianceType").AsText();
    r.annotation = e.Get("Annotation").AsText();
    r.ordering_time = Millis(e.Get("OrderingTimestamp"));
    r.invoked_time = claims->invoked_time;
    r.recorded_time = ctx.now;
    r.source = "PutEvaluations";
    PutEvaluation(*ctx.store, ctx.tenant, r);
  }
  return Outcome::Ok(R"({"FailedEvaluations":[]})");
}

Outcome PutExternalEvaluation(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigRuleName").AsText();
  const std::optional<std::string> rule = ctx.store->Get(ctx.tenant, kRule, name);
  if (!rule) return NoSuchConfigRule(name);
  auto doc = json::Document::Parse(*rule);
  if (!doc.ok() || doc->Root().Get("Source").Get("Owner").AsText() != "AWS" ||
      doc->Root().Get("Source").Get("SourceIdentifier").AsText() != "AWS_CONFIG_PROCESS_CHECK") {
    return Outcome::Fail("NoSuchConfigRuleException",
                         "The ConfigRule '" + name +
                             "' provided in the request is not a process check rule "
                             "(AWS_CONFIG_PROCESS_CHECK)");
  }
  const json::Value e = input.Get("ExternalEvaluation");
  if (auto err = CheckEvaluationCompliance(e)) return *err;
  EvaluationRecord r;
  r.rule_name = name;
  r.resource_type = e.Get("ComplianceResourceType").AsText();
  r.resource_id = e.Get("ComplianceResourceId").AsText();
  r.compliance = e.Get("ComplianceType").AsText();
  r.annotation = e.Get("Annotation").AsText();
  r.ordering_time = Millis(e.Get("OrderingTimestamp"));
  r.invoked_time = ctx.now;
  r.recorded_time = ctx.now;
  r.source = "PutExternalEvaluation";
  PutEvaluation(*ctx.store, ctx.tenant, r);
  return Outcome::Ok("{}");
}

Outcome DeleteEvaluationResults(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigRuleName").AsText();
  if (!ctx.store->Get(ctx.tenant, kRule, name)) return NoSuchConfigRule(name);
  DeleteRuleEvaluations(*ctx.store, ctx.tenant, name);
  return Outcome::Ok("{}");
}

Outcome DescribeComplianceByConfigRule(Context& ctx, json::Value input) {
  std::vector<std::string> filter;
  if (auto err = ReadFilter(input.Get("ComplianceTypes"),
                            {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"},
                            {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"}, filter)) {
    return *err;
  }
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  std::vector<std::string> names = Strings(input.Get("ConfigRuleNames"));
  if (!names.empty()) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    for (const std::string& n : names) {
      if (!ctx.store->Get(ctx.tenant, kRule, n)) return NoSuchConfigRule(n);
    }
  } else {
    for (const Document& d : ctx.store->List(ctx.tenant, kRule)) names.push_back(d.name);
  }
  json::Writer w;
  w.BeginObject().Key("ComplianceByConfigRules").BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const std::string& name : names) {
    if (name <= *after) continue;
    const Counts c = RuleCounts(ctx, name);
    if (!Has(filter, c.Compliance())) continue;
    if (n == kRulePage) {
      more = true;
      break;
    }
    w.BeginObject().Field("ConfigRuleName", name).Key("Compliance");
    WriteCompliance(w, c);
    w.EndObject();
    last = name;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// Visits the stored results grouped by resource, in (type, id) order, starting after the
// resource whose index prefix is `after`, within `prefix`. `fn` returns false to stop.
template <typename Fn>
void ForEachResource(Context& ctx, const std::string& prefix, std::string after, Fn fn) {
  constexpr size_t kChunk = 512;
  std::string type, id;
  std::vector<EvaluationRecord> group;
  while (true) {
    std::vector<Document> docs =
        ctx.store->ListPrefix(ctx.tenant, kEvaluationByResourceKind, prefix, after, kChunk);
    for (const Document& d : docs) {
      auto r = EvaluationRecord::FromJson(d.body);
      if (!r) continue;
      if (!group.empty() && (r->resource_type != type || r->resource_id != id)) {
        if (!fn(type, id, group)) return;
        group.clear();
      }
      type = r->resource_type;
      id = r->resource_id;
      group.push_back(std::move(*r));
    }
    if (docs.size() < kChunk) break;
    after = docs.back().name;
  }
  if (!group.empty()) fn(type, id, group);
}

Outcome DescribeComplianceByResource(Context& ctx, json::Value input) {
  const std::string type = input.Get("ResourceType").AsText();
  const std::string id = input.Get("ResourceId").AsText();
  if (!id.empty() && type.empty()) {
    return Invalid("ResourceType must be provided when ResourceId is specified");
  }
  std::vector<std::string> filter;
  if (auto err = ReadFilter(input.Get("ComplianceTypes"),
                            {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"},
                            {"COMPLIANT", "NON_COMPLIANT", "INSUFFICIENT_DATA"}, filter)) {
    return *err;
  }
  const auto position = Position(input.Get("NextToken"));
  if (!position) return BadNextToken();
  const size_t page = PageSize(input.Get("Limit"), 10);
  const std::string prefix = !id.empty()     ? Key({type, id}, true)
                             : !type.empty() ? Key({type}, true)
                                             : std::string();
  json::Writer w;
  w.BeginObject().Key("ComplianceByResources").BeginArray();
  size_t n = 0;
  bool more = false;
  std::string last;
  ForEachResource(ctx, prefix, *position,
                  [&](const std::string& t, const std::string& i,
                      const std::vector<EvaluationRecord>& results) {
                    Counts c;
                    for (const EvaluationRecord& r : results) c.Add(r.compliance);
                    if (!Has(filter, c.Compliance())) return true;
                    if (n == page) {
                      more = true;
                      return false;
                    }
                    w.BeginObject().Field("ResourceType", t).Field("ResourceId", i);
                    w.Key("Compliance");
                    WriteCompliance(w, c);
                    w.EndObject();
                    last = Key({t, i}, true) + "\xff";
                    ++n;
                    return true;
                  });
  // A resource named in full that no rule has judged: AWS answers INSUFFICIENT_DATA.
  if (n == 0 && !id.empty() && position->empty() && Has(filter, "INSUFFICIENT_DATA")) {
    w.BeginObject()
        .Field("ResourceType", type)
        .Field("ResourceId", id)
        .Key("Compliance")
        .BeginObject()
        .Field("ComplianceType", "INSUFFICIENT_DATA")
        .EndObject()
        .EndObject();
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// Writes up to `page` results of `docs` that pass `filter`; returns the name to resume after
// when there are more.
std::optional<std::string> WriteResults(const std::vector<Document>& docs,
                                        const std::vector<std::string>& filter, size_t page,
                                        json::Writer& w) {
  size_t n = 0;
  std::string last;
  for (const Document& d : docs) {
    auto r = EvaluationRecord::FromJson(d.body);
    if (!r || !Has(filter, r->compliance)) continue;
    if (n == page) return last;
    WriteEvaluationResult(*r, w);
    last = d.name;
    ++n;
  }
  return std::nullopt;
}

const std::vector<std::string> kDetailTypes = {"COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"};
// Without a filter, AWS lists the results that decide compliance.
const std::vector<std::string> kDefaultDetailTypes = {"COMPLIANT", "NON_COMPLIANT"};

Outcome GetComplianceDetailsByConfigRule(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigRuleName").AsText();
  std::vector<std::string> filter;
  if (auto err =
          ReadFilter(input.Get("ComplianceTypes"), kDetailTypes, kDefaultDetailTypes, filter)) {
    return *err;
  }
  const auto position = Position(input.Get("NextToken"));
  if (!position) return BadNextToken();
  if (!ctx.store->Get(ctx.tenant, kRule, name)) return NoSuchConfigRule(name);
  const std::string prefix = Key({name}, true);
  if (!position->empty() && position->rfind(prefix, 0) != 0) return BadNextToken();
  const std::vector<Document> docs =
      ctx.store->ListPrefix(ctx.tenant, kEvaluationKind, prefix, *position);
  json::Writer w;
  w.BeginObject().Key("EvaluationResults").BeginArray();
  const auto next = WriteResults(docs, filter, PageSize(input.Get("Limit"), 10), w);
  w.EndArray();
  if (next) w.Field("NextToken", MakeNextToken(*next));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome GetComplianceDetailsByResource(Context& ctx, json::Value input) {
  const std::string type = input.Get("ResourceType").AsText();
  const std::string id = input.Get("ResourceId").AsText();
  const bool by_evaluation_id = !input.Get("ResourceEvaluationId").Missing();
  if (!by_evaluation_id && (type.empty() || id.empty())) {
    return Invalid("ResourceType and ResourceId, or ResourceEvaluationId, must be provided");
  }
  std::vector<std::string> filter;
  if (auto err =
          ReadFilter(input.Get("ComplianceTypes"), kDetailTypes, kDefaultDetailTypes, filter)) {
    return *err;
  }
  const auto position = Position(input.Get("NextToken"));
  if (!position) return BadNextToken();
  json::Writer w;
  w.BeginObject().Key("EvaluationResults").BeginArray();
  // Proactive evaluations (ResourceEvaluationId) are not run by vigil, so there are none.
  if (!by_evaluation_id) {
    const std::string prefix = Key({type, id}, true);
    if (!position->empty() && position->rfind(prefix, 0) != 0) return BadNextToken();
    const std::vector<Document> docs =
        ctx.store->ListPrefix(ctx.tenant, kEvaluationByResourceKind, prefix, *position);
    const auto next = WriteResults(docs, filter, 100, w);
    w.EndArray();
    if (next) w.Field("NextToken", MakeNextToken(*next));
  } else {
    w.EndArray();
  }
  w.EndObject();
  return Outcome::Ok(w.Take());
}

void WriteSummary(json::Writer& w, std::int64_t compliant, std::int64_t non_compliant,
                  std::int64_t cap, EpochMillis now) {
  w.BeginObject().Key("CompliantResourceCount");
  WriteContributors(w, compliant, cap);
  w.Key("NonCompliantResourceCount");
  WriteContributors(w, non_compliant, cap);
  w.Key("ComplianceSummaryTimestamp").Double(EpochSeconds(now));
  w.EndObject();
}

Outcome GetComplianceSummaryByConfigRule(Context& ctx, json::Value) {
  std::int64_t compliant = 0, non_compliant = 0;
  for (const Document& d : ctx.store->List(ctx.tenant, kRule)) {
    const std::string_view c = RuleCounts(ctx, d.name).Compliance();
    if (c == "COMPLIANT") ++compliant;
    if (c == "NON_COMPLIANT") ++non_compliant;
  }
  json::Writer w;
  w.BeginObject().Key("ComplianceSummary");
  WriteSummary(w, compliant, non_compliant, kRuleCap, ctx.now);
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome GetComplianceSummaryByResourceType(Context& ctx, json::Value input) {
  const std::vector<std::string> types = Strings(input.Get("ResourceTypes"));
  struct Tally {
    std::int64_t compliant = 0, non_compliant = 0;
  };
  std::map<std::string, Tally> by_type;
  Tally total;
  for (const std::string& t : types) by_type[t];
  ForEachResource(
      ctx, "", "",
      [&](const std::string& t, const std::string&, const std::vector<EvaluationRecord>& results) {
        if (!types.empty() && by_type.find(t) == by_type.end()) return true;
        Counts c;
        for (const EvaluationRecord& r : results) c.Add(r.compliance);
        Tally& tally = types.empty() ? total : by_type[t];
        if (c.Compliance() == "COMPLIANT") ++tally.compliant;
        if (c.Compliance() == "NON_COMPLIANT") ++tally.non_compliant;
        return true;
      });
  json::Writer w;
  w.BeginObject().Key("ComplianceSummariesByResourceType").BeginArray();
  // Without ResourceTypes AWS gives one summary over every resource, with no type.
  if (types.empty()) {
    w.BeginObject().Key("ComplianceSummary");
    WriteSummary(w, total.compliant, total.non_compliant, kResourceCap, ctx.now);
    w.EndObject();
  }
  for (const auto& [type, tally] : by_type) {
    w.BeginObject().Field("ResourceType", type).Key("ComplianceSummary");
    WriteSummary(w, tally.compliant, tally.non_compliant, kResourceCap, ctx.now);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

}  // namespace

std::string IssueResultTokenForRule(Context& ctx, std::string_view rule_name) {
  const std::optional<std::string> rule = ctx.store->Get(ctx.tenant, kRule, rule_name);
  if (!rule) return "";
  auto doc = json::Document::Parse(*rule);
  if (!doc.ok()) return "";
  ResultTokenClaims c{ctx.tenant.account_id,
                      ctx.tenant.region,
                      std::string(rule_name),
                      doc->Root().Get("ConfigRuleId").AsText(),
                      ctx.now,
                      ctx.now + kTokenLifetime};
  return IssueResultToken(*ctx.store, c);
}

void RegisterEvaluationOperations(Registry& r) {
  r.Add("PutEvaluations", &PutEvaluations);
  r.Add("PutExternalEvaluation", &PutExternalEvaluation);
  r.Add("DeleteEvaluationResults", &DeleteEvaluationResults);
  r.Add("DescribeComplianceByConfigRule", &DescribeComplianceByConfigRule);
  r.Add("DescribeComplianceByResource", &DescribeComplianceByResource);
  r.Add("GetComplianceDetailsByConfigRule", &GetComplianceDetailsByConfigRule);
  r.Add("GetComplianceDetailsByResource", &GetComplianceDetailsByResource);
  r.Add("GetComplianceSummaryByConfigRule", &GetComplianceSummaryByConfigRule);
  r.Add("GetComplianceSummaryByResourceType", &GetComplianceSummaryByResourceType);
}

}  // namespace vigil::api
