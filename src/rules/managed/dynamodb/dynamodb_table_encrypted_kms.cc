// DYNAMODB_TABLE_ENCRYPTED_KMS (dynamodb-table-encrypted-kms): the DynamoDB table must be encrypted
// with AWS KMS; NON_COMPLIANT if it is not, or if its KMS key is not in the kmsKeyArns parameter
// (when given).
//
// Data: configuration.ssedescription ({"status", "ssetype": "KMS", "kmsmasterKeyArn"}) of the
// AWS::DynamoDB::Table CI; DescribeTable omits it for tables encrypted with an AWS owned key.
//
// Choices where AWS's page is silent:
// - Encrypted with KMS: ssetype KMS with status ENABLED, ENABLING or UPDATING (a key change in
//   progress); DISABLING/DISABLED, or no SSEDescription (AWS owned key), is NON_COMPLIANT.
// - kmsKeyArns entries match the table's key ARN exactly; a bare key ID matches the key ARN's ID
//   (ec2::KmsKeyMatches).
#include <string>

#include "common/strings.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

using dynamodb::Field;

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& table) {
  const json::Value sse = dynamodb::SseDescription(table.Config());
  if (sse.Missing())
    return Verdict::NonCompliant("the table is encrypted with an AWS owned key, not AWS KMS");
  const std::string type(Field(sse, "ssetype").String().value_or(""));
  const std::string status(Field(sse, "status").String().value_or(""));
  const std::string s = ToLower(status);
  if (ToLower(type) != "kms" || (s != "enabled" && s != "enabling" && s != "updating"))
    return Verdict::NonCompliant(TruncateUtf8("the table is not encrypted with AWS KMS (SSE type " +
                                                  (type.empty() ? "none" : type) + ", status " +
                                                  (status.empty() ? "none" : status) + ")",
                                              256));
  const auto allowed = ctx.CsvParam("kmsKeyArns");
  if (allowed.empty()) return Verdict::Compliant();
  const std::string key(Field(sse, "kmsmasterKeyArn").String().value_or(""));
  for (std::string_view wanted : allowed)
    if (!key.empty() && ec2::KmsKeyMatches(wanted, key)) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "KMS key " + (key.empty() ? std::string("(not recorded)") : key) + " is not in kmsKeyArns",
      256));
}

const ManagedRule kRule{{
    .identifier = "DYNAMODB_TABLE_ENCRYPTED_KMS",
    .resource_types = {"AWS::DynamoDB::Table"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "kmsKeyArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
