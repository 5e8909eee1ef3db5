// ATHENA_WORKGROUP_ENCRYPTED_AT_REST (athena-workgroup-encrypted-at-rest): an Amazon Athena
// workgroup must be encrypted at rest: NON_COMPLIANT if encryption of data at rest (of its query
// results) is not enabled, that is when configuration.WorkGroupConfiguration.ResultConfiguration.
// EncryptionConfiguration.EncryptionOption (CloudFormation spelling: SSE_S3, SSE_KMS or CSE_KMS)
// is not set.
//
// Data: the AWS::Athena::WorkGroup CI.
//
// Choices where AWS's page is silent:
// - Any EncryptionOption value counts as encrypted; whether the workgroup enforces its
//   configuration on clients (EnforceWorkGroupConfiguration) is not checked.
// - A CI without WorkGroupConfiguration gives no verdict: MissingFact. With it, an absent
//   ResultConfiguration or EncryptionConfiguration means not encrypted.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& workgroup) {
  const json::Value settings = workgroup.Config().Get("WorkGroupConfiguration");
  if (!settings.IsObject())
    return Verdict::MissingFact("AWS::Athena::WorkGroup",
                                "the configuration item does not record WorkGroupConfiguration");
  const std::string_view option = Trim(settings.Get("ResultConfiguration")
                                           .Get("EncryptionConfiguration")
                                           .Get("EncryptionOption")
                                           .String()
                                           .value_or(""));
  if (option.empty()) return Verdict::NonCompliant("query results are not encrypted at rest");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "ATHENA_WORKGROUP_ENCRYPTED_AT_REST",
    .resource_types = {"AWS::Athena::WorkGroup"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
