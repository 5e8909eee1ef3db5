// RDS_ENHANCED_MONITORING_ENABLED (rds-enhanced-monitoring-enabled): enhanced monitoring must be
// enabled for RDS DB instances: NON_COMPLIANT when configuration.monitoringInterval is 0, or when
// monitoringInterval (the parameter: 1, 5, 10, 15, 30 or 60 seconds) is given and the instance's
// interval differs.
//
// Data: the AWS::RDS::DBInstance CI (monitoringInterval).
//
// Choices where AWS's page is silent:
// - Every engine is evaluated (the page names none).
// - The parameter is compared as given; a value outside AWS's valid list simply never matches.
// - monitoringInterval 0 is NON_COMPLIANT even when the parameter is 0 (monitoring is off).
// - A CI without monitoringInterval gives no verdict: MissingFact.
#include <string>

#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& db) {
  const std::optional<std::int64_t> interval = db.Config().Get("monitoringInterval").Int();
  if (!interval)
    return Verdict::MissingFact("AWS::RDS::DBInstance",
                                "the configuration item does not record monitoringInterval");
  if (*interval == 0)
    return Verdict::NonCompliant("enhanced monitoring is disabled (monitoringInterval 0)");
  if (auto want = ctx.IntParam("monitoringInterval"); want && *want != *interval)
    return Verdict::NonCompliant("monitoringInterval is " + std::to_string(*interval) +
                                 " seconds, not " + std::to_string(*want));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "RDS_ENHANCED_MONITORING_ENABLED",
    .resource_types = {"AWS::RDS::DBInstance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "monitoringInterval", .type = ParamType::kInt, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
