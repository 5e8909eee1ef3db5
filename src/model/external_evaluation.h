// External evaluations: what a person recorded for a manual control (an AWS_CONFIG_PROCESS_CHECK
// rule), as `aws configservice put-external-evaluation` records it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "json/value.h"

namespace vigil::model {

struct ExternalEvaluation {
  std::string rule;           // ConfigRuleName
  std::string account;        // "" = the ComplianceResourceId of an AWS::::Account evaluation
  std::string region;         // "" = the account's first region in the data
  std::string resource_type;  // ComplianceResourceType, usually AWS::::Account
  std::string resource_id;
  std::string compliance;  // COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE
  std::string annotation;
  EpochMillis ordering = 0;
};

// Reads, from JSON already parsed:
//  - PutExternalEvaluation requests: {"ConfigRuleName": "...", "ExternalEvaluation": {
//    "ComplianceResourceType", "ComplianceResourceId", "ComplianceType", "Annotation",
//    "OrderingTimestamp"}}, with optional "AccountId" and "AwsRegion" beside ConfigRuleName
//    (the API takes them from the caller's credentials and endpoint);
//  - an array of those, or {"ExternalEvaluations": [...]};
//  - `get-compliance-details-by-config-rule` output ({"EvaluationResults": [...]}), and its
//    aggregate form (AccountId / AwsRegion in each result), to carry decisions over from AWS.
// Each problem is appended to `errors` naming `origin` and the entry; good entries are kept.
std::vector<ExternalEvaluation> ParseExternalEvaluations(const json::Value& root,
                                                         std::string_view origin,
                                                         std::vector<std::string>& errors);

}  // namespace vigil::model
