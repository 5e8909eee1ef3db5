// Config rules: PutConfigRule, DescribeConfigRules, DeleteConfigRule.
//
// PutConfigRule creates a rule (AWS generates ConfigRuleArn and ConfigRuleId, state ACTIVE) or
// updates the one named by ConfigRuleName, ConfigRuleId or ConfigRuleArn, keeping its ARN, id and
// tags. Managed rules (Owner AWS) must name one of AWS's managed-rule identifiers, and their
// InputParameters must be a JSON object naming only the rule's declared parameters and every
// required one; Lambda rules need SourceDetails; policy rules need CustomPolicyDetails. Messages
// are AWS's. vigil cannot check that a Lambda function exists or may be invoked, so it does not.
// DescribeConfigRules pages by 25 in name order. StoreConfigRule (operation.h) is PutConfigRule's
// body, shared with PutConformancePack; rules a conformance pack created (CreatedBy) are changed
// and deleted only through their pack.
#include <algorithm>
#include <string>

#include "api/evaluator.h"
#include "api/operation.h"
#include "api/records.h"
#include "json/writer.h"
#include "rules/rule.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRule = "config-rule";
constexpr std::string_view kTags = "tags";
constexpr size_t kPageSize = 25;

Outcome Invalid(std::string message) {
  return Outcome::Fail("InvalidParameterValueException", std::move(message));
}

// Checks Source as AWS does for each owner; returns the error, if any.
std::optional<Outcome> CheckSource(json::Value source, json::Value input_parameters) {
  const std::string owner = source.Get("Owner").AsText();
  const std::string identifier = source.Get("SourceIdentifier").AsText();
  const bool has_details = source.Get("SourceDetails").Size() > 0;
  const std::string kDetailsRule =
      "SourceDetails should be null/empty if the owner is AWS. SourceDetails should be provided "
      "if the owner is CUSTOM_LAMBDA";
  for (const json::Value d : source.Get("SourceDetails").Elements()) {
    const std::string type = d.Get("MessageType").AsText();
    if (!d.Get("MaximumExecutionFrequency").Missing() &&
        (type == "ConfigurationItemChangeNotification" ||
         type == "OversizedConfigurationItemChangeNotification")) {
      return Invalid(
          "A maximum execution frequency is not allowed if MessageType is "
          "ConfigurationItemChangeNotification or OversizedConfigurationItemChangeNotification");
    }
  }
  if (owner == "AWS" && identifier == "AWS_CONFIG_PROCESS_CHECK") {
    // A process check (a manual control): no parameters, compliance from PutExternalEvaluation.
    if (has_details) return Invalid(kDetailsRule);
    return std::nullopt;
  }
  if (owner == "AWS") {
    const rules::CatalogueEntry* entry = rules::FindCatalogueEntry(identifier);
    if (entry == nullptr) {
      return Invalid("The sourceIdentifier " + identifier +
                     " is invalid.  Please refer to the documentation for a list of valid "
                     "sourceIdentifiers that can be used when AWS is the Owner");
    }
    if (has_details) return Invalid(kDetailsRule);
    if (!source.Get("CustomPolicyDetails").Missing()) {
      return Invalid("CustomPolicyDetails should be null/empty if the owner is AWS.");
    }
    // InputParameters: only declared names, every required one.
    std::vector<std::string> given;
    if (input_parameters.IsObject()) {
      for (const json::Member m : input_parameters.Members()) given.emplace_back(m.key);
    }
    for (const std::string& g : given) {
      const bool known = std::any_of(entry->parameters.begin(), entry->parameters.end(),
                                     [&](const rules::ParamSpec& p) { return p.name == g; });
      if (!known) {
        return Invalid("Unknown parameters provided in the inputParameters: " +
                       input_parameters.ToJson());
      }
    }
    std::vector<std::string> missing;
    for (const rules::ParamSpec& p : entry->parameters) {
      if (p.optional || !p.default_value.empty()) continue;
      if (std::find(given.begin(), given.end(), p.name) == given.end()) {
        missing.emplace_back(p.name);
      }
    }
    if (!missing.empty()) {
      std::sort(missing.begin(), missing.end());
      std::string list;
      for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
      return Invalid("The required parameter [" + list + "] is not present in the inputParameters");
    }
    return std::nullopt;
  }
  if (owner == "CUSTOM_LAMBDA") {
    if (identifier.empty()) {
      return Invalid("SourceIdentifier should be provided if the owner is CUSTOM_LAMBDA");
    }
    if (!has_details) return Invalid(kDetailsRule);
    return std::nullopt;
  }
  // CUSTOM_POLICY
  if (source.Get("CustomPolicyDetails").Missing()) {
    return Invalid("CustomPolicyDetails should be provided if the owner is CUSTOM_POLICY");
  }
  if (!identifier.empty()) {
    return Invalid("SourceIdentifier should be null/empty if the owner is CUSTOM_POLICY");
  }
  if (!has_details) {
    return Invalid("SourceDetails should be provided if the owner is CUSTOM_POLICY");
  }
  return std::nullopt;
}

void WriteSource(json::Value source, json::Writer& w) {
  w.BeginObject().Field("Owner", source.Get("Owner").AsText());
  if (source.Get("SourceIdentifier").IsString()) {
    w.Field("SourceIdentifier", source.Get("SourceIdentifier").AsText());
  }
  if (source.Get("SourceDetails").IsArray()) {
    w.Key("SourceDetails").BeginArray();
    for (const json::Value d : source.Get("SourceDetails").Elements()) {
      w.BeginObject();
      if (d.Get("EventSource").IsString()) w.Field("EventSource", d.Get("EventSource").AsText());
      const std::string type = d.Get("MessageType").AsText();
      if (!type.empty()) w.Field("MessageType", type);
      // AWS runs periodic triggers every 24 hours unless told otherwise, and says so.
      std::string frequency = d.Get("MaximumExecutionFrequency").AsText();
      if (frequency.empty() &&
          (type == "ScheduledNotification" || type == "ConfigurationSnapshotDeliveryCompleted")) {
        frequency = "TwentyFour_Hours";
      }
      if (!frequency.empty()) w.Field("MaximumExecutionFrequency", frequency);
      w.EndObject();
    }
    w.EndArray();
  }
  if (const json::Value p = source.Get("CustomPolicyDetails"); p.IsObject()) {
    w.Key("CustomPolicyDetails")
        .BeginObject()
        .Field("PolicyRuntime", p.Get("PolicyRuntime").AsText())
        .Field("PolicyText", p.Get("PolicyText").AsText())
        .Field("EnableDebugLogDelivery", p.Get("EnableDebugLogDelivery").Bool().value_or(false))
        .EndObject();
  }
  w.EndObject();
}

struct Existing {
  std::string name, arn, id;
  std::string created_by;  // the service that made the rule; empty for the account's own
};

// Finds the rule an update names: by ConfigRuleName, else by ConfigRuleId or ConfigRuleArn.
std::optional<Existing> FindExisting(Context& ctx, json::Value rule) {
  const std::string name = rule.Get("ConfigRuleName").AsText();
  if (!name.empty()) {
    std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRule, name);
    if (!body) return std::nullopt;
    auto doc = json::Document::Parse(*body);
    if (!doc.ok()) return std::nullopt;
    return Existing{name, doc->Root().Get("ConfigRuleArn").AsText(),
                    doc->Root().Get("ConfigRuleId").AsText(),
                    doc->Root().Get("CreatedBy").AsText()};
  }
  const std::string id = rule.Get("ConfigRuleId").AsText();
  const std::string arn = rule.Get("ConfigRuleArn").AsText();
  for (const Document& d : ctx.store->List(ctx.tenant, kRule)) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    const std::string this_id = doc->Root().Get("ConfigRuleId").AsText();
    const std::string this_arn = doc->Root().Get("ConfigRuleArn").AsText();
    if ((!id.empty() && id == this_id) || (!arn.empty() && arn == this_arn)) {
      return Existing{d.name, this_arn, this_id, doc->Root().Get("CreatedBy").AsText()};
    }
  }
  return std::nullopt;
}

}  // namespace

Outcome StoreConfigRule(Context& ctx, json::Value rule, json::Value tags_list,
                        std::string_view created_by) {
  const ServiceModel& model = *ctx.model;
  const bool has_name = !rule.Get("ConfigRuleName").Missing();
  const bool has_ref = !rule.Get("ConfigRuleArn").Missing() || !rule.Get("ConfigRuleId").Missing();
  if (!has_name && !has_ref) {
    return Invalid("One or more identifiers needs to be provided. Provide Name or Id or Arn");
  }
  std::optional<Existing> existing = FindExisting(ctx, rule);
  // A rule a conformance pack made belongs to the pack: only PutConformancePack and
  // DeleteConformancePack change it. AWS publishes no wording for this refusal; this is vigil's.
  if (existing && existing->created_by != created_by) {
    return Invalid(existing->created_by.empty()
                       ? "The ConfigRule '" + existing->name +
                             "' already exists and was not created by " + std::string(created_by)
                       : "The ConfigRule '" + existing->name + "' was created by " +
                             existing->created_by +
                             " and can only be changed through its conformance pack");
  }
  if (!existing) {
    if (!has_name) {
      return Invalid("One or more identifiers needs to be provided. Provide Name or Id or Arn");
    }
    if (has_ref) {
      return Invalid(
          "ConfigRule Arn and Id can not be specified when creating a new ConfigRule. ConfigRule "
          "Arn and Id are generated by the service. Please try the request again without "
          "specifying ConfigRule Arn or Id");
    }
  }
  if (const std::string state = rule.Get("ConfigRuleState").AsText();
      !state.empty() && state != "ACTIVE") {
    return Invalid("The ConfigRuleState " + state +
                   " is invalid.  Only the following values are permitted: ACTIVE");
  }
  if (!rule.Get("CreatedBy").Missing()) {
    return Invalid(
        "AWS Config populates the CreatedBy field for ServiceLinkedConfigRule. Try again without "
        "populating the CreatedBy field");
  }
  std::optional<json::Document> params_doc;
  json::Value params;
  if (const json::Value p = rule.Get("InputParameters"); p.IsString() && !p.AsText().empty()) {
    auto parsed = json::Document::Parse(p.AsText());
    if (!parsed.ok() || !parsed->Root().IsObject()) {
      return Invalid("Invalid json " + p.AsText() + " passed in the InputParameters field");
    }
    params_doc = std::move(*parsed);
    params = params_doc->Root();
  }
  if (auto err = CheckSource(rule.Get("Source"), params)) return *err;

  Existing id;
  if (existing) {
    id = *existing;
  } else {
    if (ctx.store->Count(ctx.tenant, kRule) >= ctx.limits->max_config_rules) {
      return Outcome::Fail("MaxNumberOfConfigRulesExceededException",
                           "Failed to put config rule '" + rule.Get("ConfigRuleName").AsText() +
                               "' because the maximum number of config rules: " +
                               std::to_string(ctx.limits->max_config_rules) + " is reached.");
    }
    id.name = rule.Get("ConfigRuleName").AsText();
    id.id = "config-rule-" + RandomId(6);
    id.arn = "arn:" + Partition(ctx.tenant.region) + ":config:" + ctx.tenant.region + ":" +
             ctx.tenant.account_id + ":config-rule/" + id.id;
  }

  json::Writer w;
  w.BeginObject()
      .Field("ConfigRuleName", id.name)
      .Field("ConfigRuleArn", id.arn)
      .Field("ConfigRuleId", id.id);
  if (rule.Get("Description").IsString()) {
    w.Field("Description", rule.Get("Description").AsText());
  }
  if (rule.Get("Scope").IsObject()) {
    w.Key("Scope");
    WriteShape(model, model.FindShape("Scope"), rule.Get("Scope"), w);
  }
  w.Key("Source");
  WriteSource(rule.Get("Source"), w);
  if (rule.Get("InputParameters").IsString()) {
    w.Field("InputParameters", rule.Get("InputParameters").AsText());
  }
  if (rule.Get("MaximumExecutionFrequency").IsString()) {
    w.Field("MaximumExecutionFrequency", rule.Get("MaximumExecutionFrequency").AsText());
  }
  w.Field("ConfigRuleState", "ACTIVE");
  if (!created_by.empty()) w.Field("CreatedBy", created_by);
  w.Key("EvaluationModes");
  if (rule.Get("EvaluationModes").Size() > 0) {
    WriteShape(model, model.FindShape("EvaluationModes"), rule.Get("EvaluationModes"), w);
  } else {
    w.BeginArray().BeginObject().Field("Mode", "DETECTIVE").EndObject().EndArray();
  }
  w.EndObject();
  ctx.store->Put(ctx.tenant, kRule, id.name, w.str());
  // The engine picks the rule up, and evaluates it over the recorded resources (evaluator.h).
  RulesChanged(ctx, id.name);
  // Tags are set when a rule is created and never by a later PutConfigRule (AWS ignores them).
  if (!existing && tags_list.Size() > 0) {
    json::Writer tags;
    WriteShape(model, model.FindShape("TagsList"), tags_list, tags);
    ctx.store->Put(ctx.tenant, kTags, id.arn, tags.str());
  }
  return Outcome::Ok("{}");
}

namespace {

Outcome PutConfigRule(Context& ctx, json::Value input) {
  return StoreConfigRule(ctx, input.Get("ConfigRule"), input.Get("Tags"), {});
}

Outcome DescribeConfigRules(Context& ctx, json::Value input) {
  const std::vector<std::string> names = Strings(input.Get("ConfigRuleNames"));
  std::string after;
  if (const json::Value t = input.Get("NextToken"); t.IsString() && !t.AsText().empty()) {
    std::optional<std::string> position = ReadNextToken(t.AsText());
    if (!position) {
      return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
    }
    after = *position;
  }
  const std::string mode = input.Get("Filters").Get("EvaluationMode").AsText();
  std::vector<Document> rules;
  bool more = false;
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
    rules = ctx.store->List(ctx.tenant, kRule, after);
  }
  json::Writer w;
  w.BeginObject().Key("ConfigRules").BeginArray();
  size_t n = 0;
  std::string last;
  for (const Document& d : rules) {
    if (!mode.empty()) {
      auto doc = json::Document::Parse(d.body);
      bool match = false;
      if (doc.ok()) {
        for (const json::Value m : doc->Root().Get("EvaluationModes").Elements()) {
          match = match || m.Get("Mode").AsText() == mode;
        }
      }
      if (!match) continue;
    }
    if (n == kPageSize) {
      more = true;
      break;
    }
    w.Raw(d.body);
    last = d.name;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome DeleteConfigRule(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigRuleName").AsText();
  std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRule, name);
  if (!body) return NoSuchConfigRule(name);
  auto doc = json::Document::Parse(*body);
  if (doc.ok()) {
    if (const std::string by = doc->Root().Get("CreatedBy").AsText(); !by.empty()) {
      return Invalid("The ConfigRule '" + name + "' was created by " + by +
                     " and can only be deleted through its conformance pack");
    }
    ctx.store->Delete(ctx.tenant, kTags, doc->Root().Get("ConfigRuleArn").AsText());
  }
  ctx.store->Delete(ctx.tenant, kRule, name);
  ctx.store->Delete(ctx.tenant, kRuleStatusKind, name);
  DeleteRuleEvaluations(*ctx.store, ctx.tenant, name);
  RulesChanged(ctx);
  return Outcome::Ok("{}");
}

}  // namespace

void RegisterConfigRuleOperations(Registry& r) {
  r.Add("PutConfigRule", &PutConfigRule);
  r.Add("DescribeConfigRules", &DescribeConfigRules);
  r.Add("DeleteConfigRule", &DeleteConfigRule);
}

}  // namespace vigil::api
