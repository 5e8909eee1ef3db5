// Shared Amazon CloudFront logic for managed rules: the distribution configuration as AWS Config
// records it.
//
// An AWS::CloudFront::Distribution CI holds the distribution's configuration in
// `configuration.distributionConfig` (camelCase: `origins`, `defaultCacheBehavior`,
// `cacheBehaviors`, `originGroups`, `viewerCertificate`, `logging`, `webACLId`, ...). CloudFront
// lists are recorded as `{"quantity": N, "items": [...]}`; an absent `items` is an empty list.
// CloudFront is global: AWS Config records distributions in us-east-1, and AWS's CloudFront rules
// run only there. The PascalCase spellings of the CloudFront API (`DistributionConfig`,
// `Origins`, ...) are accepted too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::cloudfront {

// `v[camel_name]`, or `v[CamelName]` (first letter upper-cased) when absent.
json::Value Field(const json::Value& v, std::string_view camel_name);

// The string at `v[camel_name]` (either spelling); "" when absent or not a string.
std::string_view Str(const json::Value& v, std::string_view camel_name);

// The elements of a CloudFront list (`{"quantity", "items"}`, or a bare array).
std::vector<json::Value> ListItems(const json::Value& list);

// configuration.distributionConfig; Missing when the CI does not record it.
json::Value DistributionConfig(const model::ConfigurationItem& item);

// The verdict for a CI without a distributionConfig: no verdict, the item's data is missing.
Verdict ConfigMissing(const model::ConfigurationItem& item);

// The definition of a CloudFront distribution rule: AWS::CloudFront::Distribution items, evaluated
// on configuration change (as every CloudFront managed rule), with `parameters`.
ManagedRuleDef DistributionRule(std::string_view identifier, EvaluateFn evaluate,
                                std::vector<ParamSpec> parameters = {});

struct Origin {
  std::string_view id;
  std::string_view domain_name;
  json::Value s3_config;      // s3OriginConfig (an object for S3 REST origins)
  json::Value custom_config;  // customOriginConfig (an object for custom origins)
  json::Value raw;
  // An S3 origin type: s3OriginConfig recorded and no customOriginConfig. S3 website endpoints
  // are custom origins (CloudFront requires customOriginConfig for them).
  bool IsS3() const { return s3_config.IsObject() && !custom_config.IsObject(); }
  bool IsCustom() const { return custom_config.IsObject(); }
};
std::vector<Origin> Origins(const json::Value& dc);

// The verdict of a rule that wants a per-origin setting on every S3 origin (an origin access
// identity, origin access control): `if_no_s3_origin` when the distribution has no S3 origin;
// NON_COMPLIANT "S3 origin(s) without <what>: <ids>" when `setting(origin)` is empty (after
// trimming) for some S3 origin; else COMPLIANT "<n> S3 origin(s) with <what>".
Verdict RequireOnS3Origins(const json::Value& dc, std::string_view (*setting)(const Origin&),
                           std::string_view what, Verdict if_no_s3_origin);

struct CacheBehavior {
  std::string_view path_pattern;  // "" for the default cache behavior
  std::string_view target_origin_id;
  std::string_view viewer_protocol_policy;  // "allow-all", "redirect-to-https", "https-only"
};
// The default cache behavior (when recorded) first, then cacheBehaviors in order.
std::vector<CacheBehavior> CacheBehaviors(const json::Value& dc);

// The IDs of the origins a cache behavior's target reaches: the target itself, and the members
// of the origin group of that ID when it names one.
std::vector<std::string_view> TargetOrigins(const json::Value& dc, std::string_view target_id);

// "default cache behavior" or "cache behavior <pathPattern>", for annotations.
std::string BehaviorName(const CacheBehavior& b);

// A multi-tenant distribution (distributionConfig.connectionMode "tenant-only", or a
// tenantConfig recorded).
bool MultiTenant(const json::Value& dc);

// Case-insensitive ASCII comparison.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Joins up to `max` names with ", ", adding ", ..." when there are more.
std::string JoinNames(const std::vector<std::string>& names, size_t max = 5);

}  // namespace vigil::rules::cloudfront
