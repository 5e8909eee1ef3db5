// EC2_INSTANCE_PROFILE_ATTACHED (ec2-instance-profile-attached): an EC2 instance must have an IAM
// instance profile attached, and, when IamInstanceProfileArnList is given, one of those profiles.
// NON_COMPLIANT if no profile is attached (or the attached one is not listed).
//
// Choices where AWS's page is silent:
// - A terminated instance is NOT_APPLICABLE (it no longer runs with any profile).
// - The attached profile is `configuration.iamInstanceProfile` (its `arn`); with
//   IamInstanceProfileArnList, the ARN must equal a listed ARN exactly.
#include <string>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  const json::Value profile = config.Get("iamInstanceProfile");
  const std::string_view arn = Trim(profile.Get("arn").String().value_or(""));
  const std::string_view id = Trim(profile.Get("id").String().value_or(""));
  if (arn.empty() && id.empty())
    return Verdict::NonCompliant("no IAM instance profile is attached");
  const auto allowed = ctx.CsvParam("IamInstanceProfileArnList");
  if (allowed.empty()) return Verdict::Compliant();
  for (std::string_view a : allowed)
    if (a == arn) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8("instance profile " +
                                                std::string(arn.empty() ? id : arn) +
                                                " is not in IamInstanceProfileArnList",
                                            256));
}

const ManagedRule kRule{{
    .identifier = "EC2_INSTANCE_PROFILE_ATTACHED",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "IamInstanceProfileArnList",
                    .type = ParamType::kCsv,
                    .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
