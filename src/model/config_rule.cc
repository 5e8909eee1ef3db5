#include "model/config_rule.h"

#include "json/writer.h"

namespace vigil::model {

const std::string* ConfigRule::InputParameter(std::string_view n) const {
  for (const auto& [k, v] : input_parameters)
    if (k == n) return &v;
  return nullptr;
}

namespace {
std::string Str(const json::Value& v, std::string_view key) {
  return std::string(v.Get(key).String().value_or(""));
}
}  // namespace

Result<ConfigRule> ParseConfigRule(const json::Value& v) {
  if (!v.IsObject()) return Status::Error("a ConfigRule must be a JSON object");
  ConfigRule r;
  r.name = Str(v, "ConfigRuleName");
  if (r.name.empty()) return Status::Error("missing 'ConfigRuleName'");
  if (r.name.size() > 128)
    return Status::Error("'ConfigRuleName' is longer than 128 characters: " + r.name);
  const std::string who = "rule '" + r.name + "': ";
  r.arn = Str(v, "ConfigRuleArn");
  r.id = Str(v, "ConfigRuleId");
  r.description = Str(v, "Description");
  const json::Value source = v.Get("Source");
  if (!source.IsObject()) return Status::Error(who + "missing 'Source'");
  r.owner = Str(source, "Owner");
  if (r.owner != "AWS" && r.owner != "CUSTOM_LAMBDA" && r.owner != "CUSTOM_POLICY")
    return Status::Error(who + "'Source.Owner' must be AWS, CUSTOM_LAMBDA or CUSTOM_POLICY, not '" +
                         r.owner + "'");
  r.source_identifier = Str(source, "SourceIdentifier");
  if (r.owner != "CUSTOM_POLICY" && r.source_identifier.empty())
    return Status::Error(who + "missing 'Source.SourceIdentifier'");
  for (const json::Value d : source.Get("SourceDetails").Elements()) {
    r.source_details.push_back(
        {Str(d, "EventSource"), Str(d, "MessageType"), Str(d, "MaximumExecutionFrequency")});
  }
  const json::Value policy = source.Get("CustomPolicyDetails");
  r.policy_runtime = Str(policy, "PolicyRuntime");
  r.policy_text = Str(policy, "PolicyText");
  if (r.owner == "CUSTOM_POLICY" && r.policy_text.empty())
    return Status::Error(who + "CUSTOM_POLICY needs 'Source.CustomPolicyDetails.PolicyText'");

  const json::Value scope = v.Get("Scope");
  for (const json::Value t : scope.Get("ComplianceResourceTypes").Elements())
    if (auto s = t.String()) r.scope_resource_types.emplace_back(*s);
  r.scope_tag_key = Str(scope, "TagKey");
  r.scope_tag_value = Str(scope, "TagValue");
  r.scope_resource_id = Str(scope, "ComplianceResourceId");
  if (!r.scope_resource_id.empty() && r.scope_resource_types.size() != 1)
    return Status::Error(who +
                         "'Scope.ComplianceResourceId' needs exactly one entry in "
                         "'Scope.ComplianceResourceTypes'");
  if (!r.scope_tag_value.empty() && r.scope_tag_key.empty())
    return Status::Error(who + "'Scope.TagValue' needs 'Scope.TagKey'");

  // AWS takes InputParameters as a JSON string holding an object; an object written inline is
  // accepted too. Values are text, as AWS passes them to the rule.
  const json::Value params = v.Get("InputParameters");
  json::Value obj;
  std::optional<json::Document> holder;
  if (auto text = params.String()) {
    if (!text->empty()) {
      auto doc = json::Document::Parse(*text);
      if (!doc.ok())
        return Status::Error(who +
                             "'InputParameters' is not valid JSON: " + doc.status().message());
      holder = std::move(doc).value();
      obj = holder->Root();
    }
  } else if (!params.Missing() && !params.IsNull()) {
    obj = params;
  }
  if (!obj.Missing()) {
    if (!obj.IsObject()) return Status::Error(who + "'InputParameters' must hold a JSON object");
    r.input_parameters_json = obj.ToJson();
    for (const auto m : obj.Members()) {
      if (m.value.IsObject() || m.value.IsArray())
        return Status::Error(who + "input parameter '" + std::string(m.key) +
                             "' must be a string, number or boolean");
      r.input_parameters.emplace_back(std::string(m.key), m.value.AsText());
    }
  }
  r.maximum_execution_frequency = Str(v, "MaximumExecutionFrequency");
  static const char* kFrequencies[] = {"One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours",
                                       "TwentyFour_Hours"};
  if (!r.maximum_execution_frequency.empty()) {
    bool ok = false;
    for (auto f : kFrequencies) ok |= r.maximum_execution_frequency == f;
    if (!ok)
      return Status::Error(who +
                           "'MaximumExecutionFrequency' must be one of One_Hour, "
                           "Three_Hours, Six_Hours, Twelve_Hours, TwentyFour_Hours");
  }
  if (auto st = v.Get("ConfigRuleState").String()) r.state = std::string(*st);
  return r;
}

std::vector<ConfigRule> ParseConfigRules(const json::Value& root, std::string_view origin,
                                         std::vector<std::string>& errors) {
  std::vector<ConfigRule> out;
  json::Value list = root;
  if (root.IsObject() && root.Get("ConfigRules").IsArray()) list = root.Get("ConfigRules");
  // `aws configservice put-config-rule --cli-input-json` input: {"ConfigRule": {...}, "Tags":
  // [...]}.
  if (root.IsObject() && root.Get("ConfigRule").IsObject()) list = root.Get("ConfigRule");
  auto take = [&](const json::Value& v, size_t index, bool in_array) {
    auto r = ParseConfigRule(v);
    if (r.ok()) {
      out.push_back(std::move(r).value());
    } else {
      errors.push_back(std::string(origin) +
                       (in_array ? " [rule #" + std::to_string(index + 1) + "]" : "") + ": " +
                       r.status().message());
    }
  };
  if (list.IsArray()) {
    size_t i = 0;
    for (const json::Value v : list.Elements()) take(v, i++, true);
  } else {
    take(list, 0, false);
  }
  return out;
}

std::string ConfigRule::ToJson() const {
  json::Writer w;
  w.BeginObject();
  w.Field("ConfigRuleName", name);
  if (!arn.empty()) w.Field("ConfigRuleArn", arn);
  if (!id.empty()) w.Field("ConfigRuleId", id);
  if (!description.empty()) w.Field("Description", description);
  if (!scope_resource_types.empty() || !scope_tag_key.empty() || !scope_resource_id.empty()) {
    w.Key("Scope").BeginObject();
    if (!scope_resource_types.empty()) {
      w.Key("ComplianceResourceTypes").BeginArray();
      for (const auto& t : scope_resource_types) w.String(t);
      w.EndArray();
    }
    if (!scope_tag_key.empty()) w.Field("TagKey", scope_tag_key);
    if (!scope_tag_value.empty()) w.Field("TagValue", scope_tag_value);
    if (!scope_resource_id.empty()) w.Field("ComplianceResourceId", scope_resource_id);
    w.EndObject();
  }
  w.Key("Source").BeginObject();
  w.Field("Owner", owner);
  if (!source_identifier.empty()) w.Field("SourceIdentifier", source_identifier);
  if (!source_details.empty()) {
    w.Key("SourceDetails").BeginArray();
    for (const auto& d : source_details) {
      w.BeginObject();
      if (!d.event_source.empty()) w.Field("EventSource", d.event_source);
      if (!d.message_type.empty()) w.Field("MessageType", d.message_type);
      if (!d.maximum_execution_frequency.empty())
        w.Field("MaximumExecutionFrequency", d.maximum_execution_frequency);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!policy_text.empty()) {
    w.Key("CustomPolicyDetails").BeginObject();
    w.Field("PolicyRuntime", policy_runtime);
    w.Field("PolicyText", policy_text);
    w.EndObject();
  }
  w.EndObject();
  if (!input_parameters_json.empty()) w.Field("InputParameters", input_parameters_json);
  if (!maximum_execution_frequency.empty())
    w.Field("MaximumExecutionFrequency", maximum_execution_frequency);
  w.Field("ConfigRuleState", state);
  w.EndObject();
  return w.Take();
}

}  // namespace vigil::model
