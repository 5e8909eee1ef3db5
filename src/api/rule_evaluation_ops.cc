// Rule evaluations on demand and their status: StartConfigRulesEvaluation,
// DescribeConfigRuleEvaluationStatus.
//
// StartConfigRulesEvaluation queues one whole-rule evaluation per named rule (at most 25, as
// AWS) and returns at once; the evaluation worker (evaluator.h) runs it against the last known
// state of the resources. As AWS, a rule whose on-demand evaluation has not finished cannot be
// started again (ResourceInUseException).
// DescribeConfigRuleEvaluationStatus answers from the "rule-evaluation-status" documents that the
// evaluator and the Lambda runner keep, in rule-name order, 150 per page by default (AWS's
// maximum Limit).
#include <algorithm>
#include <string>

#include "api/evaluator.h"
#include "api/operation.h"
#include "api/records.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRule = "config-rule";
constexpr std::string_view kJob = "evaluation-job";

Outcome StartConfigRulesEvaluation(Context& ctx, json::Value input) {
  std::vector<std::string> names = Strings(input.Get("ConfigRuleNames"));
  if (names.empty()) {
    for (const Document& d : ctx.store->List(ctx.tenant, kRule)) names.push_back(d.name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string& n : names) {
    if (!ctx.store->Get(ctx.tenant, kRule, n)) return NoSuchConfigRule(n);
    if (auto job = ctx.store->Get(ctx.tenant, kJob, n)) {
      auto doc = json::Document::Parse(*job);
      if (doc.ok() && doc->Root().Get("onDemand").Bool().value_or(false)) {
        return Outcome::Fail("ResourceInUseException",
                             "The evaluation of the ConfigRule '" + n +
                                 "' is still in progress. Retry when it has completed.");
      }
    }
  }
  for (const std::string& n : names) {
    json::Writer w;
    w.BeginObject()
        .Field("scheduled", false)
        .Field("onDemand", true)
        .Field("queued", ctx.now)
        .EndObject();
    ctx.store->Put(ctx.tenant, kJob, n, w.str());
  }
  return Outcome::Ok("{}");
}

Outcome DescribeConfigRuleEvaluationStatus(Context& ctx, json::Value input) {
  const std::vector<std::string> names = Strings(input.Get("ConfigRuleNames"));
  std::string after;
  if (const json::Value t = input.Get("NextToken"); t.IsString() && !t.AsText().empty()) {
    std::optional<std::string> position = ReadNextToken(t.AsText());
    if (!position) {
      return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
    }
    after = *position;
  }
  const std::int64_t limit_in = input.Get("Limit").Int().value_or(0);
  const size_t limit = limit_in <= 0 ? 150 : static_cast<size_t>(limit_in);
  std::vector<Document> rules;
  if (!names.empty()) {
    std::vector<std::string> sorted = names;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (const std::string& n : sorted) {
      std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRule, n);
      if (!body) return NoSuchConfigRule(n);
      if (n > after) rules.push_back({n, std::move(*body)});
    }
  } else {
    rules = ctx.store->List(ctx.tenant, kRule, after, limit + 1);
  }
  const ServiceModel& model = *ctx.model;
  const int status_shape = model.FindShape("ConfigRuleEvaluationStatus");
  json::Writer w;
  w.BeginObject().Key("ConfigRulesEvaluationStatus").BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const Document& d : rules) {
    if (n == limit) {
      more = true;
      break;
    }
    auto rule = json::Document::Parse(d.body);
    if (!rule.ok()) continue;
    json::Writer item;
    item.BeginObject()
        .Field("ConfigRuleName", d.name)
        .Field("ConfigRuleArn", rule->Root().Get("ConfigRuleArn").AsText())
        .Field("ConfigRuleId", rule->Root().Get("ConfigRuleId").AsText());
    if (auto body = ctx.store->Get(ctx.tenant, kRuleStatusKind, d.name)) {
      auto status = json::Document::Parse(*body);
      if (status.ok()) {
        for (const json::Member m : status->Root().Members()) {
          if (m.key.substr(0, 5) == "vigil") continue;  // vigil's own bookkeeping
          item.Key(m.key).Raw(m.value.ToJson());
        }
      }
    }
    item.EndObject();
    // Written through the model's shape: only AWS's members, in AWS's types.
    auto doc = json::Document::Parse(item.str());
    if (doc.ok()) WriteShape(model, status_shape, doc->Root(), w);
    last = d.name;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

}  // namespace

void RegisterRuleEvaluationOperations(Registry& r) {
  r.Add("StartConfigRulesEvaluation", &StartConfigRulesEvaluation);
  r.Add("DescribeConfigRuleEvaluationStatus", &DescribeConfigRuleEvaluationStatus);
}

}  // namespace vigil::api
