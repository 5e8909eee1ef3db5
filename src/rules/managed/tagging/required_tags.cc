// REQUIRED_TAGS (required-tags): the resource must carry up to six tags (tag1Key..tag6Key), each
// optionally with one of a list of allowed values (tag1Value..tag6Value, comma-separated).
//
// Choices where AWS's page is silent:
// - Tag keys and values are compared exactly (case-sensitive), as AWS tags are; the allowed
//   values are trimmed of surrounding spaces and empty entries dropped.
// - A tagNValue without its tagNKey is ignored; an empty tagNKey is not a requirement.
// - A tag that is present with an empty value satisfies a key-only requirement.
#include <algorithm>
#include <array>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::array<std::string_view, 6> kKeyParams = {"tag1Key", "tag2Key", "tag3Key",
                                                        "tag4Key", "tag5Key", "tag6Key"};
constexpr std::array<std::string_view, 6> kValueParams = {"tag1Value", "tag2Value", "tag3Value",
                                                          "tag4Value", "tag5Value", "tag6Value"};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  std::string missing;
  std::string wrong;
  for (size_t i = 0; i < kKeyParams.size(); ++i) {
    const std::string_view key = Trim(ctx.Param(kKeyParams[i]).value_or(""));
    if (key.empty()) continue;
    const std::string_view* value = item.Tag(key);
    if (value == nullptr) {
      missing += (missing.empty() ? "" : ", ") + std::string(key);
      continue;
    }
    const auto allowed = ctx.CsvParam(kValueParams[i]);
    if (allowed.empty() || std::find(allowed.begin(), allowed.end(), *value) != allowed.end())
      continue;
    wrong += (wrong.empty() ? "" : ", ") + std::string(key) + "=" + std::string(*value);
  }
  if (missing.empty() && wrong.empty()) return Verdict::Compliant();
  std::string why;
  if (!missing.empty()) why = "missing tags: " + missing;
  if (!wrong.empty()) why += (why.empty() ? "" : "; ") + std::string("disallowed values: ") + wrong;
  return Verdict::NonCompliant(why);
}

const ManagedRule kRule{{
    .identifier = "REQUIRED_TAGS",
    .resource_types = {"AWS::ACM::Certificate",
                       "AWS::AutoScaling::AutoScalingGroup",
                       "AWS::CloudFormation::Stack",
                       "AWS::CodeBuild::Project",
                       "AWS::DynamoDB::Table",
                       "AWS::EC2::CustomerGateway",
                       "AWS::EC2::Instance",
                       "AWS::EC2::InternetGateway",
                       "AWS::EC2::NetworkAcl",
                       "AWS::EC2::NetworkInterface",
                       "AWS::EC2::RouteTable",
                       "AWS::EC2::SecurityGroup",
                       "AWS::EC2::Subnet",
                       "AWS::EC2::Volume",
                       "AWS::EC2::VPC",
                       "AWS::EC2::VPNConnection",
                       "AWS::EC2::VPNGateway",
                       "AWS::ElasticLoadBalancing::LoadBalancer",
                       "AWS::ElasticLoadBalancingV2::LoadBalancer",
                       "AWS::RDS::DBInstance",
                       "AWS::RDS::DBSecurityGroup",
                       "AWS::RDS::DBSnapshot",
                       "AWS::RDS::DBSubnetGroup",
                       "AWS::RDS::EventSubscription",
                       "AWS::Redshift::Cluster",
                       "AWS::Redshift::ClusterParameterGroup",
                       "AWS::Redshift::ClusterSecurityGroup",
                       "AWS::Redshift::ClusterSnapshot",
                       "AWS::Redshift::ClusterSubnetGroup",
                       "AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters =
        {
            {.name = "tag1Key",
             .type = ParamType::kString,
             .default_value = "CostCenter",
             .optional = false},
            {.name = "tag1Value", .type = ParamType::kCsv, .optional = true},
            {.name = "tag2Key", .type = ParamType::kString, .optional = true},
            {.name = "tag2Value", .type = ParamType::kCsv, .optional = true},
            {.name = "tag3Key", .type = ParamType::kString, .optional = true},
            {.name = "tag3Value", .type = ParamType::kCsv, .optional = true},
            {.name = "tag4Key", .type = ParamType::kString, .optional = true},
            {.name = "tag4Value", .type = ParamType::kCsv, .optional = true},
            {.name = "tag5Key", .type = ParamType::kString, .optional = true},
            {.name = "tag5Value", .type = ParamType::kCsv, .optional = true},
            {.name = "tag6Key", .type = ParamType::kString, .optional = true},
            {.name = "tag6Value", .type = ParamType::kCsv, .optional = true},
        },
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
