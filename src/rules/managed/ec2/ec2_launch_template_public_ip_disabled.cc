// EC2_LAUNCH_TEMPLATE_PUBLIC_IP_DISABLED (ec2-launch-template-public-ip-disabled): EC2 launch
// templates must not assign public IP addresses to network interfaces. AWS: NON_COMPLIANT if the
// default version of an EC2 launch template has at least 1 network interface with
// 'AssociatePublicIpAddress' set to 'true'; `exemptedLaunchTemplates` lists launch template IDs
// allowed to.
//
// Data: configuration.LaunchTemplateData.NetworkInterfaces[].AssociatePublicIpAddress of the
// AWS::EC2::LaunchTemplate CI (the EC2 API's camelCase spelling is read too). AWS Config records
// one version's data with the template, and DefaultVersionNumber.
//
// Choices where AWS's page is silent:
// - The recorded LaunchTemplateData is taken as the default version's data.
// - An exempted template (its ID is configuration.Id / LaunchTemplateId, else the resource ID)
//   is COMPLIANT, whatever its interfaces say. IDs compare exactly.
// - A template without network interfaces is COMPLIANT; a CI without LaunchTemplateData has no
//   verdict.
#include <algorithm>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view TemplateId(const model::ConfigurationItem& lt) {
  for (std::string_view key : {"Id", "LaunchTemplateId", "launchTemplateId"})
    if (auto id = lt.Config().Get(key).String(); id && !id->empty()) return *id;
  return lt.resource_id;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& lt) {
  const std::string_view id = TemplateId(lt);
  const std::vector<std::string_view> exempted = ctx.CsvParam("exemptedLaunchTemplates");
  if (std::find(exempted.begin(), exempted.end(), id) != exempted.end())
    return Verdict::Compliant("the launch template is exempted");
  const json::Value data = PascalOrCamel(lt.Config(), "LaunchTemplateData");
  if (!data.IsObject())
    return Verdict::MissingFact("AWS::EC2::LaunchTemplate",
                                "the configuration item has no LaunchTemplateData");
  size_t i = 0;
  for (json::Value ni : PascalOrCamel(data, "NetworkInterfaces").Elements()) {
    if (PascalOrCamel(ni, "AssociatePublicIpAddress").Bool().value_or(false)) {
      const json::Value index = PascalOrCamel(ni, "DeviceIndex");
      return Verdict::NonCompliant(
          "network interface " +
          (index.Int() ? "with device index " + index.AsText() : std::to_string(i + 1)) +
          " associates a public IP address (default version " +
          PascalOrCamel(lt.Config(), "DefaultVersionNumber").AsText() + ")");
    }
    ++i;
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EC2_LAUNCH_TEMPLATE_PUBLIC_IP_DISABLED",
    .resource_types = {"AWS::EC2::LaunchTemplate"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "exemptedLaunchTemplates", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
