// DAX helpers shared by the DAX managed rules.
//
// AWS Config's recorder has no AWS::DAX::Cluster type; AWS's periodic DAX rules read the clusters
// from the DAX API. vigil evaluates AWS::DAX::Cluster items when they are supplied, and reads a
// cluster's settings from the item's configuration when it carries them (the DescribeClusters
// shape, {"ClusterName", "SSEDescription": {"Status"}, "ClusterEndpointEncryptionType"}, or
// CloudFormation's {"SSESpecification": {"SSEEnabled"}, "ClusterEndpointEncryptionType"}), else
// from the fact dax-describe-clusters (`aws dax describe-clusters`), matching the cluster by name
// or ARN.
#pragma once

#include <optional>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/rule.h"

namespace vigil::rules::dax {

inline constexpr std::string_view kDescribeClustersFact = "dax-describe-clusters";

// Member `name` of `obj`, else the member whose name equals it ignoring case. Missing if none.
// (DynamoDB's reader; DAX items and the fact mix the API's and CloudFormation's spellings.)
using dynamodb::Field;

// The description of the cluster that holds `key` (a member read ignoring case): the item's
// configuration when it has the key, else the cluster's entry in dax-describe-clusters. Missing
// when neither has it; `*fact_missing` then tells whether the fact was absent.
json::Value ClusterWith(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                        std::string_view key, bool* fact_missing);

// The description to read setting `key` from: the item's configuration or the fact's entry that
// holds `key`, else the cluster's entry in the fact even without it (DAX omits settings left at
// their default). When neither describes the cluster, `missing` holds the MissingFact verdict,
// naming `what` ("encryption") when the fact was not collected.
struct ClusterDescription {
  json::Value description;
  std::optional<Verdict> missing;
};
ClusterDescription DescribeCluster(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                                   std::string_view key, std::string_view what);

// The definition of a DAX cluster rule: AWS::DAX::Cluster, periodic, no parameters, reading the
// fact dax-describe-clusters, with cluster items made from that fact where none is recorded.
ManagedRuleDef ClusterRule(std::string_view identifier, EvaluateFn evaluate);

}  // namespace vigil::rules::dax
