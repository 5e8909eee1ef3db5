// CLOUDWATCH_ALARM_RESOURCE_CHECK (cloudwatch-alarm-resource-check): every resource of the type
// named by `resourceType` (AWS::EC2::Volume, AWS::EC2::Instance, AWS::RDS::DBCluster or
// AWS::S3::Bucket) must have a CloudWatch alarm on the metric `metricName`. AWS: COMPLIANT if the
// named metric has a resource ID and a CloudWatch alarm.
//
// Data: the recorded AWS::CloudWatch::Alarm CIs of the resource's account and region
// (configuration.metricName and configuration.dimensions, a list of {name, value}). Without
// recorded alarms (the type not recorded there) there is no verdict.
//
// Choices where AWS's page is silent:
// - Resources of the rule's other types than `resourceType` are NOT_APPLICABLE; `resourceType`
//   is compared exactly (after trimming).
// - An alarm covers the resource when its metricName equals `metricName` exactly (CloudWatch
//   names are case-sensitive) and one of its dimensions has the resource's ID as value, whatever
//   the dimension's name. The resource's IDs are its resource ID and name, and for an RDS
//   cluster its DBClusterIdentifier (the value of CloudWatch's DBClusterIdentifier dimension).
// - Metric-math alarms (no metricName) cover nothing. Alarms whose actions are disabled count.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kAlarmType = "AWS::CloudWatch::Alarm";

std::vector<std::string_view> ResourceIds(const model::ConfigurationItem& item) {
  std::vector<std::string_view> ids;
  auto add = [&](std::string_view id) {
    id = Trim(id);
    if (!id.empty()) ids.push_back(id);
  };
  add(item.resource_id);
  add(item.resource_name);
  const json::Value c = item.Config();
  for (std::string_view key : {"dBClusterIdentifier", "dbClusterIdentifier", "DBClusterIdentifier"})
    add(c.Get(key).String().value_or(""));
  return ids;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const std::string_view wanted_type = Trim(ctx.Param("resourceType").value_or(""));
  if (wanted_type != item.resource_type)
    return Verdict::NotApplicable(TruncateUtf8(
        "resourceType is " + std::string(wanted_type) + ", not " + std::string(item.resource_type),
        256));
  const std::string_view metric = Trim(ctx.Param("metricName").value_or(""));

  bool known = false;
  const auto alarms = ctx.env().Items(kAlarmType, item.account_id, item.region, &known);
  if (!known)
    return Verdict::MissingFact(std::string(kAlarmType),
                                "the CloudWatch alarms of " + std::string(item.account_id) + "/" +
                                    std::string(item.region) + " are not recorded");
  const auto ids = ResourceIds(item);
  for (const model::ConfigurationItem* alarm : alarms) {
    const json::Value c = alarm->Config();
    if (c.Get("metricName").String().value_or("") != metric) continue;
    for (json::Value d : c.Get("dimensions").Elements()) {
      const std::string_view value = Trim(d.Get("value").String().value_or(""));
      for (std::string_view id : ids)
        if (value == id)
          return Verdict::Compliant(
              TruncateUtf8("alarm " +
                               std::string(alarm->resource_name.empty() ? alarm->resource_id
                                                                        : alarm->resource_name) +
                               " watches " + std::string(metric),
                           256));
    }
  }
  return Verdict::NonCompliant(
      TruncateUtf8("no CloudWatch alarm on metric " + std::string(metric) + " for " +
                       std::string(ids.empty() ? item.resource_id : ids.front()),
                   256));
}

const ManagedRule kRule{{
    .identifier = "CLOUDWATCH_ALARM_RESOURCE_CHECK",
    .resource_types = {"AWS::EC2::Instance", "AWS::RDS::DBCluster", "AWS::S3::Bucket",
                       "AWS::EC2::Volume"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "resourceType", .type = ParamType::kString, .optional = false},
                   {.name = "metricName", .type = ParamType::kString, .optional = false}},
    .evaluate = &Evaluate,
    .context_types = {kAlarmType},
}};

}  // namespace
}  // namespace vigil::rules
