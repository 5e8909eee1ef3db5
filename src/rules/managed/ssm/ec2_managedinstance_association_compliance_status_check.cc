// EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK
// (ec2-managedinstance-association-compliance-status-check): after State Manager associations
// run on a managed instance, their compliance status must be COMPLIANT. Evaluates the
// AWS::SSM::AssociationCompliance CI: COMPLIANT if the Status of its associations is COMPLIANT,
// NON_COMPLIANT otherwise.
//
// Data: `configuration."AWS:ComplianceItem".Content.Association.<association-id>.Status`
// (see ssm/ssm_util.h).
//
// Choices where AWS's page is silent:
// - The CI is NON_COMPLIANT if any association's Status is not COMPLIANT (compared ignoring case);
//   entries with an empty Status are ignored.
// - A CI that records no association status at all is NOT_APPLICABLE.
#include "rules/managed/ssm/ssm_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& item) {
  return ssm::ComplianceItemVerdict(item, "Association", "association");
}

const ManagedRule kRule{{
    .identifier = "EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK",
    .resource_types = {"AWS::SSM::AssociationCompliance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
