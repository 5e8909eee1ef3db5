#include "model/external_evaluation.h"

namespace vigil::model {
namespace {

std::string Str(const json::Value& v, std::string_view key) {
  return std::string(v.Get(key).String().value_or(""));
}

// One entry in either shape; "" on success, else what is wrong.
std::string ReadOne(const json::Value& e, ExternalEvaluation& out) {
  if (!e.IsObject()) return "an external evaluation must be a JSON object";
  out.account = Str(e, "AccountId");
  out.region = Str(e, "AwsRegion");
  json::Value ts;
  if (const json::Value x = e.Get("ExternalEvaluation"); x.IsObject()) {
    out.rule = Str(e, "ConfigRuleName");
    out.resource_type = Str(x, "ComplianceResourceType");
    out.resource_id = Str(x, "ComplianceResourceId");
    out.compliance = Str(x, "ComplianceType");
    out.annotation = Str(x, "Annotation");
    ts = x.Get("OrderingTimestamp");
  } else if (const json::Value id = e.Get("EvaluationResultIdentifier"); id.IsObject()) {
    const json::Value q = id.Get("EvaluationResultQualifier");
    out.rule = Str(q, "ConfigRuleName");
    out.resource_type = Str(q, "ResourceType");
    out.resource_id = Str(q, "ResourceId");
    out.compliance = Str(e, "ComplianceType");
    out.annotation = Str(e, "Annotation");
    ts = id.Get("OrderingTimestamp");
  } else {
    return "expected 'ExternalEvaluation' (put-external-evaluation input) or "
           "'EvaluationResultIdentifier' (get-compliance-details-by-config-rule output)";
  }
  if (out.rule.empty()) return "missing 'ConfigRuleName'";
  if (out.resource_type.empty()) return "missing 'ComplianceResourceType'";
  if (out.resource_id.empty()) return "missing 'ComplianceResourceId'";
  if (out.compliance != "COMPLIANT" && out.compliance != "NON_COMPLIANT" &&
      out.compliance != "NOT_APPLICABLE")
    return "'ComplianceType' must be COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE (as "
           "PutExternalEvaluation accepts), not '" +
           out.compliance + "'";
  if (out.annotation.size() > 256) return "'Annotation' is longer than 256 characters";
  if (ts.IsString()) {
    auto t = ParseTimestamp(*ts.String());
    if (!t) return "'OrderingTimestamp' is not a timestamp: '" + std::string(*ts.String()) + "'";
    out.ordering = *t;
  } else if (auto d = ts.Number()) {
    out.ordering = FromEpochSeconds(*d);
  } else {
    return "missing 'OrderingTimestamp'";
  }
  if (out.account.empty()) {
    if (out.resource_type != "AWS::::Account")
      return "'AccountId' is needed beside ConfigRuleName for a resource of type " +
             out.resource_type;
    out.account = out.resource_id;
  }
  return "";
}

}  // namespace

std::vector<ExternalEvaluation> ParseExternalEvaluations(const json::Value& root,
                                                         std::string_view origin,
                                                         std::vector<std::string>& errors) {
  std::vector<ExternalEvaluation> out;
  json::Value list = root;
  if (root.IsObject()) {
    if (root.Get("ExternalEvaluations").IsArray()) {
      list = root.Get("ExternalEvaluations");
    } else if (root.Get("EvaluationResults").IsArray()) {
      list = root.Get("EvaluationResults");
    } else if (root.Get("AggregateEvaluationResults").IsArray()) {
      list = root.Get("AggregateEvaluationResults");
    }
  }
  auto read = [&](const json::Value& e, const std::string& where) {
    ExternalEvaluation x;
    const std::string problem = ReadOne(e, x);
    if (problem.empty()) {
      out.push_back(std::move(x));
    } else {
      errors.push_back(std::string(origin) + where + ": " + problem);
    }
  };
  if (list.IsArray()) {
    size_t i = 0;
    for (const json::Value e : list.Elements()) read(e, " entry " + std::to_string(i++));
  } else {
    read(list, "");
  }
  return out;
}

}  // namespace vigil::model
