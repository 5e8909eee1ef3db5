// ConfigRule in AWS's shape: exactly what `aws configservice put-config-rule --config-rule`
// takes, and what DescribeConfigRules returns.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "json/value.h"

namespace vigil::model {

struct SourceDetail {
  std::string event_source;  // "aws.config"
  std::string message_type;  // ConfigurationItemChangeNotification, ScheduledNotification, ...
  std::string maximum_execution_frequency;
};

struct ConfigRule {
  std::string name;
  std::string arn;
  std::string id;
  std::string description;
  std::string owner;              // AWS | CUSTOM_LAMBDA | CUSTOM_POLICY
  std::string source_identifier;  // managed-rule identifier or Lambda ARN
  std::vector<SourceDetail> source_details;
  std::string policy_runtime;  // CUSTOM_POLICY only
  std::string policy_text;
  std::vector<std::string> scope_resource_types;
  std::string scope_tag_key;
  std::string scope_tag_value;
  std::string scope_resource_id;
  std::string input_parameters_json;  // as given (a JSON object, serialised)
  std::vector<std::pair<std::string, std::string>> input_parameters;  // decoded, values as text
  std::string maximum_execution_frequency;
  std::string state = "ACTIVE";

  const std::string* InputParameter(std::string_view name) const;
  // Serialises back to AWS's shape.
  std::string ToJson() const;
};

// Reads one ConfigRule object, or an array of them, or `{"ConfigRules": [...]}` as
// `describe-config-rules` prints, or `{"ConfigRule": {...}}` as `put-config-rule
// --cli-input-json` takes. `origin` (a file name) prefixes every error. Rules that fail
// validation are reported in `errors` and skipped; the others are returned.
std::vector<ConfigRule> ParseConfigRules(const json::Value& root, std::string_view origin,
                                         std::vector<std::string>& errors);

// One rule object. Fails with a message naming the field AWS would reject.
Result<ConfigRule> ParseConfigRule(const json::Value& v);

}  // namespace vigil::model
