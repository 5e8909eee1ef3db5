// DYNAMODB_TABLE_ENCRYPTION_ENABLED (dynamodb-table-encryption-enabled): checks whether the
// DynamoDB table is encrypted and its encryption status; COMPLIANT if the status is ENABLED or
// ENABLING, NON_COMPLIANT otherwise.
//
// Data: configuration.ssedescription.status of the AWS::DynamoDB::Table CI (the DescribeTable
// SSEDescription; the API's spelling is read too).
//
// Choices where AWS's page is silent:
// - A table without SSEDescription (DynamoDB encrypts it with an AWS owned key, and DescribeTable
//   then reports no encryption status) has no status ENABLED or ENABLING: NON_COMPLIANT, as AWS's
//   wording reads.
// - Statuses compare ignoring case; DISABLING, DISABLED, UPDATING and anything else are
//   NON_COMPLIANT.
#include <string>

#include "common/strings.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& table) {
  const json::Value sse = dynamodb::SseDescription(table.Config());
  if (sse.Missing())
    return Verdict::NonCompliant(
        "the table has no SSEDescription (encrypted with an AWS owned key, no encryption status)");
  const std::string status(dynamodb::Field(sse, "status").String().value_or(""));
  const std::string s = ToLower(status);
  if (s == "enabled" || s == "enabling") return Verdict::Compliant();
  return Verdict::NonCompliant("the table's encryption status is " +
                               (status.empty() ? std::string("not recorded") : status));
}

const ManagedRule kRule{{
    .identifier = "DYNAMODB_TABLE_ENCRYPTION_ENABLED",
    .resource_types = {"AWS::DynamoDB::Table"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
