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

#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::dax {

inline constexpr std::string_view kDescribeClustersFact = "dax-describe-clusters";

// Member `name` of `obj`, else the member whose name equals it ignoring case. Missing if none.
json::Value Field(json::Value obj, std::string_view name);

// The description of the cluster that holds `key` (a member read ignoring case): the item's
// configuration when it has the key, else the cluster's entry in dax-describe-clusters. Missing
// when neither has it; `*fact_missing` then tells whether the fact was absent.
json::Value ClusterWith(const RuleContext& ctx, const model::ConfigurationItem& cluster,
                        std::string_view key, bool* fact_missing);

}  // namespace vigil::rules::dax
