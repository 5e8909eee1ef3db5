// VPC_FLOW_LOGS_ENABLED (vpc-flow-logs-enabled): every VPC must have a flow log, optionally of
// the traffic type `trafficType`.
//
// Flow logs are not part of the VPC CI. They come from the account fact "ec2-describe-flow-logs"
// (`aws ec2 describe-flow-logs` for the VPC's region) when it was collected, otherwise from the
// AWS::EC2::FlowLog CIs recorded in the VPC's account and region. With neither, there is no
// verdict.
//
// Choices where AWS's page is silent:
// - A flow log counts when its resource ID is the VPC's ID and its status is ACTIVE; a record
//   without a status counts (the flow log exists). Flow logs of the VPC's subnets or network
//   interfaces do not count.
// - `trafficType` is compared with the flow log's traffic type exactly, ignoring case: a flow log
//   of type ALL does not satisfy trafficType ACCEPT (the parameter is documented as "TrafficType
//   of flow logs", a value, not a minimum).
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

struct FlowLog {
  std::string_view resource_id;
  std::string_view traffic_type;
  std::string_view status;
};

bool Active(const FlowLog& log) { return log.status.empty() || ToLower(log.status) == "active"; }

// Reads the fact's `FlowLogs`, or the recorded AWS::EC2::FlowLog items. False if neither source
// is known for the account and region.
bool CollectFlowLogs(const RuleContext& ctx, const model::ConfigurationItem& vpc,
                     std::vector<FlowLog>& out) {
  const json::Value fact = ctx.Fact("ec2-describe-flow-logs", vpc);
  if (const json::Value logs = fact.Get("FlowLogs"); logs.IsArray()) {
    for (json::Value log : logs.Elements())
      out.push_back({log.Get("ResourceId").String().value_or(""),
                     log.Get("TrafficType").String().value_or(""),
                     log.Get("FlowLogStatus").String().value_or("")});
    return true;
  }
  bool known = false;
  const auto items = ctx.env().Items("AWS::EC2::FlowLog", vpc.account_id, vpc.region, &known);
  if (!known) return false;
  for (const model::ConfigurationItem* item : items) {
    const json::Value c = item->Config();
    out.push_back({c.Get("resourceId").String().value_or(""),
                   c.Get("trafficType").String().value_or(""),
                   c.Get("flowLogStatus").String().value_or("")});
  }
  return true;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& vpc) {
  std::vector<FlowLog> logs;
  if (!CollectFlowLogs(ctx, vpc, logs))
    return Verdict::MissingFact("ec2-describe-flow-logs",
                                "flow logs of " + std::string(vpc.account_id) + "/" +
                                    std::string(vpc.region) +
                                    " are unknown: collect ec2-describe-flow-logs or record "
                                    "AWS::EC2::FlowLog");
  std::string_view vpc_id = vpc.resource_id;
  if (auto id = vpc.Config().Get("vpcId").String(); id && !id->empty()) vpc_id = *id;

  const std::string wanted = ToLower(Trim(ctx.Param("trafficType").value_or("")));
  std::string other_types;
  bool any_active = false;
  for (const FlowLog& log : logs) {
    if (log.resource_id != vpc_id || !Active(log)) continue;
    any_active = true;
    if (wanted.empty() || ToLower(log.traffic_type) == wanted) return Verdict::Compliant();
    if (other_types.find(log.traffic_type) == std::string::npos)
      other_types += (other_types.empty() ? "" : ", ") + std::string(log.traffic_type);
  }
  if (!any_active) return Verdict::NonCompliant("no active flow log for " + std::string(vpc_id));
  return Verdict::NonCompliant("no flow log of traffic type " +
                               std::string(Trim(*ctx.Param("trafficType"))) + " for " +
                               std::string(vpc_id) + " (found: " + other_types + ")");
}

const ManagedRule kRule{{
    .identifier = "VPC_FLOW_LOGS_ENABLED",
    .resource_types = {"AWS::EC2::VPC"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "trafficType", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"ec2-describe-flow-logs"},
    .context_types = {"AWS::EC2::FlowLog"},
}};

}  // namespace
}  // namespace vigil::rules
