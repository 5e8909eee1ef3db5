// EC2_INSTANCE_MULTIPLE_ENI_CHECK (ec2-instance-multiple-eni-check): an EC2 instance should use a
// single network interface (ENI or EFA). NON_COMPLIANT if the instance uses multiple network
// interfaces; NetworkInterfaceIds lists interfaces that are allowed.
//
// Choices where AWS's page is silent:
// - The interfaces are `configuration.networkInterfaces[].networkInterfaceId`.
// - Interfaces listed in NetworkInterfaceIds ("the allowed ENIs", as Security Hub's EC2.17
//   describes the parameter) are not counted: the instance is NON_COMPLIANT when more than one of
//   its interfaces is unlisted. So an instance whose extra interfaces are all listed is COMPLIANT.
// - A terminated instance is NOT_APPLICABLE.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/ec2/ec2_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& instance) {
  const json::Value config = instance.Config();
  if (auto skip = ec2::NotApplicableIfTerminated(config)) return *skip;
  const auto allowed = ctx.CsvParam("NetworkInterfaceIds");
  size_t total = 0;
  std::vector<std::string_view> unlisted;
  for (json::Value eni : config.Get("networkInterfaces").Elements()) {
    ++total;
    const std::string_view id = Trim(eni.Get("networkInterfaceId").String().value_or(""));
    bool listed = false;
    for (std::string_view a : allowed) listed = listed || (!id.empty() && a == id);
    if (!listed) unlisted.push_back(id);
  }
  if (unlisted.size() <= 1)
    return Verdict::Compliant(total > 1 ? "extra network interfaces are listed in "
                                          "NetworkInterfaceIds"
                                        : "");
  std::string list;
  for (std::string_view id : unlisted) list += (list.empty() ? "" : ", ") + std::string(id);
  return Verdict::NonCompliant(
      TruncateUtf8("instance uses " + std::to_string(total) + " network interfaces: " + list, 256));
}

const ManagedRule kRule{{
    .identifier = "EC2_INSTANCE_MULTIPLE_ENI_CHECK",
    .resource_types = {"AWS::EC2::Instance"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "NetworkInterfaceIds", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
