// SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS (sagemaker-notebook-no-direct-internet-access):
// SageMaker notebook instances must not have direct internet access. AWS: NON_COMPLIANT if the
// notebook instance is internet-enabled.
//
// Data: configuration.DirectInternetAccess ("Enabled" or "Disabled") of the
// AWS::SageMaker::NotebookInstance CI (the rule is periodic; AWS Config records the same field
// DescribeNotebookInstance returns).
//
// Choices where AWS's page is silent:
// - A notebook instance without DirectInternetAccess is internet-enabled: "Enabled" is
//   SageMaker's default. Values compare ignoring case; anything but "Disabled" is enabled.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& nb) {
  std::string_view access = nb.Config().Get("DirectInternetAccess").String().value_or("");
  if (access.empty()) access = nb.Config().Get("directInternetAccess").String().value_or("");
  access = Trim(access);
  if (ToLower(access) == "disabled") return Verdict::Compliant();
  return Verdict::NonCompliant(access.empty()
                                   ? "direct internet access is not disabled (default Enabled)"
                                   : "direct internet access is enabled");
}

const ManagedRule kRule{{
    .identifier = "SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS",
    .resource_types = {"AWS::SageMaker::NotebookInstance"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
