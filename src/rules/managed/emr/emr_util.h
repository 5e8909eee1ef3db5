// EMR data for the EMR rules. AWS Config does not record AWS::EMR::Cluster (it is not in the
// Config API's ResourceType enum nor in aws-config-resource-schema); AWS's periodic rules read the
// EMR APIs. vigil reads the same answers from account facts, registered in emr_util.cc:
//
//   emr-list-clusters        aws emr list-clusters --region REGION --active
//   emr-list-instances       aws emr list-instances --region REGION --cluster-id KEY
//                                --instance-group-types MASTER      (keyed by cluster ID; for a
//                                cluster built from instance fleets, `--instance-fleet-type
//                                MASTER` gives the same Instances[] answer)
//   emr-describe-cluster     aws emr describe-cluster --region REGION --cluster-id KEY
//                                                                    (keyed by cluster ID)
//   emr-list-security-configurations
//                            aws emr list-security-configurations --region REGION
//   emr-describe-security-configuration
//                            aws emr describe-security-configuration --region REGION --name KEY
//                                                                    (keyed by name)
#pragma once

#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::emr {

// Where a cluster stands according to the emr-list-clusters fact.
struct ActiveCluster {
  bool fact_present = false;  // emr-list-clusters was collected for the account and region
  json::Value entry;          // the cluster's Clusters[] entry; Missing if it is not active
  std::string_view state;     // entry.Status.State
};
ActiveCluster FindActiveCluster(const RuleContext& ctx, const model::ConfigurationItem& cluster);

}  // namespace vigil::rules::emr
