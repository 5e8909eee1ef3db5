// EC2_EBS_ENCRYPTION_BY_DEFAULT (ec2-ebs-encryption-by-default): EBS encryption by default must be
// enabled: NON_COMPLIANT if it is not. The setting is per account and region. Account-level:
// evaluated against an AWS::::Account item.
//
// Data: the fact ec2-get-ebs-encryption-by-default (`aws ec2 get-ebs-encryption-by-default
// --region REGION`, {"EbsEncryptionByDefault": true, "SseType": "sse-ebs"}); AWS Config records
// no configuration item for this setting.
//
// Choices where AWS's page is silent:
// - Which key encrypts by default (the AWS managed key or a customer managed one) is not checked.
#include <string>

#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "ec2-get-ebs-encryption-by-default";

const model::FactKindRegistration kEncryptionByDefault{{
    .name = kFact,
    .command = "aws ec2 get-ebs-encryption-by-default --region REGION",
    .global = false,
    .description = "whether new EBS volumes in the region are encrypted by default",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value fact = ctx.Fact(kFact, account);
  const std::optional<bool> enabled = fact.Get("EbsEncryptionByDefault").Bool();
  if (!enabled)
    return Verdict::MissingFact(std::string(kFact),
                                fact.Missing() ? "the EBS default-encryption setting of the region "
                                                 "was not collected"
                                               : "the fact has no EbsEncryptionByDefault");
  if (!*enabled) return Verdict::NonCompliant("EBS encryption by default is disabled");
  return Verdict::Compliant("EBS encryption by default is enabled");
}

const ManagedRule kRule{{
    .identifier = "EC2_EBS_ENCRYPTION_BY_DEFAULT",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
