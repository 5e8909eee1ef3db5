// DYNAMODB_AUTOSCALING_ENABLED (dynamodb-autoscaling-enabled): the DynamoDB table and its global
// secondary indexes must be able to scale their read and write capacity: on-demand mode, or
// provisioned mode with auto scaling enabled. NON_COMPLIANT if provisioned capacity is used without
// auto scaling. Optionally the auto scaling settings must match the parameters
// min/maxProvisionedReadCapacity, min/maxProvisionedWriteCapacity (the scalable targets' minimum
// and maximum capacity) and targetRead/WriteUtilization (the target-tracking policies' target
// utilization, percent).
//
// Data: the table's billing mode and global secondary indexes from the AWS::DynamoDB::Table CI;
// Application Auto Scaling's scalable targets and scaling policies from the facts
// application-autoscaling-describe-scalable-targets-dynamodb and
// application-autoscaling-describe-scaling-policies-dynamodb (AWS Config does not record them).
//
// Choices where AWS's page is silent:
// - An on-demand table (billingMode PAY_PER_REQUEST) is COMPLIANT whatever the parameters say:
//   they describe auto scaling, which on-demand tables do not use.
// - Auto scaling is enabled for a capacity when Application Auto Scaling has a scalable target
//   for it (ResourceId "table/NAME" or "table/NAME/index/INDEX", dimension
//   dynamodb:{table|index}:{Read|Write}CapacityUnits); the table and every global secondary index
//   need both read and write targets.
// - Capacity parameters must equal the target's MinCapacity / MaxCapacity; a utilization
//   parameter must equal the TargetValue of a TargetTrackingScaling policy on that target (to
//   within 0.001). The scaling policies are read only when a utilization parameter is given.
// - The first shortfall is reported.
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kTargetsFact =
    "application-autoscaling-describe-scalable-targets-dynamodb";
constexpr std::string_view kPoliciesFact =
    "application-autoscaling-describe-scaling-policies-dynamodb";

const model::FactKindRegistration kTargets{{
    .name = kTargetsFact,
    .command = "aws application-autoscaling describe-scalable-targets --region REGION "
               "--service-namespace dynamodb",
    .global = false,
    .description = "Application Auto Scaling's scalable targets for DynamoDB tables and indexes",
}};

const model::FactKindRegistration kPolicies{{
    .name = kPoliciesFact,
    .command = "aws application-autoscaling describe-scaling-policies --region REGION "
               "--service-namespace dynamodb",
    .global = false,
    .description = "Application Auto Scaling's scaling policies for DynamoDB tables and indexes",
}};

using dynamodb::Field;

struct Capacity {
  std::string_view kind;  // "Read" or "Write"
  std::optional<std::int64_t> min, max;
  std::optional<double> utilization;
  std::string_view min_name, max_name, utilization_name;
};

// The first shortfall of one scalable resource ("table/T" or "table/T/index/I"), "" if none; sets
// `*missing` to the fact that is needed and absent.
std::string Check(std::string_view resource_id, std::string_view dimension_prefix,
                  const Capacity& c, json::Value targets, json::Value policies,
                  std::string* missing) {
  const std::string dimension =
      std::string(dimension_prefix) + std::string(c.kind) + "CapacityUnits";
  json::Value target;
  for (json::Value t : targets.Get("ScalableTargets").Elements())
    if (t.Get("ResourceId").String() == resource_id &&
        t.Get("ScalableDimension").String() == dimension)
      target = t;
  if (target.Missing())
    return std::string(resource_id) + " has no auto scaling for " + std::string(c.kind) +
           "CapacityUnits";
  auto mismatch = [&](std::string_view what, double actual, double wanted, std::string_view param) {
    auto num = [](double d) {
      std::string s = std::to_string(d);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    return std::string(resource_id) + " " + std::string(c.kind) + " " + std::string(what) + " is " +
           num(actual) + ", " + std::string(param) + " is " + num(wanted);
  };
  if (c.min) {
    const double actual = target.Get("MinCapacity").Number().value_or(-1);
    if (actual != static_cast<double>(*c.min))
      return mismatch("MinCapacity", actual, static_cast<double>(*c.min), c.min_name);
  }
  if (c.max) {
    const double actual = target.Get("MaxCapacity").Number().value_or(-1);
    if (actual != static_cast<double>(*c.max))
      return mismatch("MaxCapacity", actual, static_cast<double>(*c.max), c.max_name);
  }
  if (c.utilization) {
    if (!policies.IsObject()) {
      *missing = std::string(kPoliciesFact);
      return {};
    }
    std::optional<double> found;
    for (json::Value p : policies.Get("ScalingPolicies").Elements()) {
      if (p.Get("ResourceId").String() != resource_id ||
          p.Get("ScalableDimension").String() != dimension ||
          p.Get("PolicyType").String() != "TargetTrackingScaling")
        continue;
      if (auto v = p.Get("TargetTrackingScalingPolicyConfiguration").Get("TargetValue").Number()) {
        found = *v;
        if (std::fabs(*v - *c.utilization) < 0.001) return {};
      }
    }
    if (!found)
      return std::string(resource_id) + " " + std::string(c.kind) +
             " has no target-tracking scaling policy";
    return mismatch("target utilization", *found, *c.utilization, c.utilization_name);
  }
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& table) {
  const json::Value cfg = table.Config();
  if (dynamodb::OnDemand(cfg)) return Verdict::Compliant("the table uses on-demand capacity");
  const json::Value targets = ctx.Fact(kTargetsFact, table);
  if (!targets.IsObject())
    return Verdict::MissingFact(std::string(kTargetsFact),
                                "the table uses provisioned capacity; its auto scaling is unknown");
  const json::Value policies = ctx.Fact(kPoliciesFact, table);

  const Capacity read{"Read",
                      ctx.IntParam("minProvisionedReadCapacity"),
                      ctx.IntParam("maxProvisionedReadCapacity"),
                      ctx.DoubleParam("targetReadUtilization"),
                      "minProvisionedReadCapacity",
                      "maxProvisionedReadCapacity",
                      "targetReadUtilization"};
  const Capacity write{"Write",
                       ctx.IntParam("minProvisionedWriteCapacity"),
                       ctx.IntParam("maxProvisionedWriteCapacity"),
                       ctx.DoubleParam("targetWriteUtilization"),
                       "minProvisionedWriteCapacity",
                       "maxProvisionedWriteCapacity",
                       "targetWriteUtilization"};

  const std::string table_id = "table/" + std::string(dynamodb::TableName(table));
  std::vector<std::pair<std::string, std::string_view>> scalables = {{table_id, "dynamodb:table:"}};
  for (json::Value gsi : Field(cfg, "globalSecondaryIndexes").Elements())
    if (auto name = Field(gsi, "indexName").String())
      scalables.emplace_back(table_id + "/index/" + std::string(*name), "dynamodb:index:");

  std::string missing;
  for (const auto& [id, prefix] : scalables) {
    for (const Capacity* c : {&read, &write}) {
      const std::string why = Check(id, prefix, *c, targets, policies, &missing);
      if (!why.empty()) return Verdict::NonCompliant(TruncateUtf8(why, 256));
    }
  }
  if (!missing.empty())
    return Verdict::MissingFact(missing,
                                "a target utilization parameter is given; the scaling policies "
                                "are unknown");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "DYNAMODB_AUTOSCALING_ENABLED",
    .resource_types = {"AWS::DynamoDB::Table"},
    .trigger = Trigger::kPeriodic,
    .parameters =
        {{.name = "minProvisionedReadCapacity", .type = ParamType::kInt, .optional = true},
         {.name = "maxProvisionedReadCapacity", .type = ParamType::kInt, .optional = true},
         {.name = "targetReadUtilization", .type = ParamType::kDouble, .optional = true},
         {.name = "minProvisionedWriteCapacity", .type = ParamType::kInt, .optional = true},
         {.name = "maxProvisionedWriteCapacity", .type = ParamType::kInt, .optional = true},
         {.name = "targetWriteUtilization", .type = ParamType::kDouble, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kTargetsFact, kPoliciesFact},
}};

}  // namespace
}  // namespace vigil::rules
