// EC2_VOLUME_INUSE_CHECK (ec2-volume-inuse-check): EBS volumes must be attached to EC2 instances,
// and, when `deleteOnTermination` is true, marked for deletion when their instance terminates.
// AWS: checks if EBS volumes are attached to EC2 instances; optionally checks if they are marked
// for deletion when an instance is terminated.
//
// Data: configuration.attachments[] (state, deleteOnTermination) and configuration.state of the
// AWS::EC2::Volume CI.
//
// Choices where AWS's page is silent:
// - A volume is attached when one of its attachments is in state "attached" or "attaching" (or
//   records no state). Without an attachments list, the volume state "in-use" counts as attached
//   and any other state as unattached; with neither there is no verdict.
// - `deleteOnTermination` true: every attached attachment must have deleteOnTermination true.
//   `deleteOnTermination` false or absent: only the attachment is checked (the deletion check is
//   the optional part). An attachment without deleteOnTermination has no verdict.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool Attached(json::Value attachment) {
  const std::string state = ToLower(Trim(attachment.Get("state").String().value_or("")));
  return state.empty() || state == "attached" || state == "attaching";
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& volume) {
  const json::Value config = volume.Config();
  const json::Value attachments = config.Get("attachments");
  if (!attachments.IsArray()) {
    const std::string state = ToLower(Trim(config.Get("state").String().value_or("")));
    if (state.empty())
      return Verdict::MissingFact("AWS::EC2::Volume",
                                  "the configuration item has neither attachments nor a state");
    if (state != "in-use") return Verdict::NonCompliant("volume is " + state + ", not attached");
    if (ctx.BoolParam("deleteOnTermination").value_or(false))
      return Verdict::MissingFact("AWS::EC2::Volume",
                                  "the configuration item does not record its attachments");
    return Verdict::Compliant();
  }
  bool any = false;
  std::string kept;
  for (json::Value a : attachments.Elements()) {
    if (!Attached(a)) continue;
    any = true;
    if (!ctx.BoolParam("deleteOnTermination").value_or(false)) continue;
    const std::optional<bool> del = a.Get("deleteOnTermination").Bool();
    if (!del)
      return Verdict::MissingFact("AWS::EC2::Volume",
                                  "an attachment does not record deleteOnTermination");
    if (!*del) kept = std::string(a.Get("instanceId").String().value_or("its instance"));
  }
  if (!any) return Verdict::NonCompliant("volume is not attached to an instance");
  if (!kept.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("volume is not marked for deletion when " + kept + " terminates", 256));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "EC2_VOLUME_INUSE_CHECK",
    .resource_types = {"AWS::EC2::Volume"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "deleteOnTermination", .type = ParamType::kBoolean, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
