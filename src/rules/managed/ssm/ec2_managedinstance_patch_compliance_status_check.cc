// EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK
// (ec2-managedinstance-patch-compliance-status-check): after patching, a managed instance's patch
// compliance status must be COMPLIANT. Evaluates the AWS::SSM::PatchCompliance CI: COMPLIANT if
// the Status is COMPLIANT, NON_COMPLIANT otherwise.
//
// Data: `configuration."AWS:ComplianceItem".Content.Patch`, which holds a "ComplianceSummary"
// entry and one entry per patch, each with a Status (see ssm/ssm_util.h).
//
// Choices where AWS's page is silent:
// - The CI is NON_COMPLIANT if the summary or any patch has a Status other than COMPLIANT
//   (compared ignoring case); entries with an empty Status are ignored.
// - A CI that records no patch status at all is NOT_APPLICABLE.
#include "rules/managed/ssm/ssm_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  return ssm::ComplianceItemVerdict(item, "Patch", "patch");
}

const ManagedRule kRule{{
    .identifier = "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK",
    .resource_types = {"AWS::SSM::PatchCompliance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
