// Helpers shared by the RDS managed rules, and by the Neptune and DocumentDB rules (AWS Config
// records Neptune and DocumentDB clusters and cluster snapshots as AWS::RDS::DBCluster and
// AWS::RDS::DBClusterSnapshot items whose configuration.engine is "neptune" or "docdb").
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::rds {

// The whole of RDS_INSTANCE_DEFAULT_ADMIN_CHECK / RDS_CLUSTER_DEFAULT_ADMIN_CHECK, for a DB
// instance or DB cluster CI: NON_COMPLIANT when configuration.masterUsername is a default admin
// user name ("postgres" or "admin", the defaults AWS names), or when validAdminUserNames is given
// and does not list it; COMPLIANT otherwise. Names compare exactly (case-sensitive), list
// entries trimmed; a default name stays NON_COMPLIANT even if validAdminUserNames lists it (AWS
// says the list cannot include them). MissingFact(resource type) when masterUsername is not
// recorded.
Verdict EvaluateDefaultAdmin(const RuleContext& ctx, const model::ConfigurationItem& db);

// The verdict of a rule that wants the boolean configuration.<field> of a DB instance or cluster
// CI to be `wanted`: COMPLIANT when it is, NON_COMPLIANT with the annotation `otherwise` when it
// is not, MissingFact (the item's type) when the CI does not record the field.
Verdict RequireSetting(const model::ConfigurationItem& db, std::string_view field, bool wanted,
                       std::string_view otherwise);

// configuration.engine of a DB instance, cluster or snapshot CI, lower-cased; "" when absent.
std::string Engine(const model::ConfigurationItem& item);

// For rules that cover one engine only (the Neptune and DocumentDB rules): nullopt when the
// item's engine is `engine` (compared ignoring case); otherwise the verdict to give:
// NOT_APPLICABLE for another engine, MissingFact(resource type) when the CI records no engine.
// `service` names the service in the annotation ("Neptune", "DocumentDB").
std::optional<Verdict> RequireEngine(const model::ConfigurationItem& item, std::string_view engine,
                                     std::string_view service);

// Whether a DB snapshot or DB cluster snapshot is public: its "restore" attribute
// (supplementaryConfiguration.DBClusterSnapshotAttributes or DBSnapshotAttributes, a list of
// {"attributeName": "restore", "attributeValues": [account IDs or "all"]}) lists "all". Names and
// "all" compare ignoring case. nullopt when the CI records neither attribute list.
std::optional<bool> SnapshotIsPublic(const model::ConfigurationItem& snapshot);

// Whether `actual` (a kmsKeyId as CIs record it, normally a key ARN) is one of `wanted` (key ARNs
// or key IDs, as a CSV rule parameter lists them), compared as ec2::KmsKeyMatches does.
bool KmsKeyListed(std::span<const std::string_view> wanted, std::string_view actual);

// The storage-encryption check shared by NEPTUNE_CLUSTER_ENCRYPTED and DOCDB_CLUSTER_ENCRYPTED,
// for a cluster of the right engine: NON_COMPLIANT when configuration.storageEncrypted is not true
// (absent counts as not encrypted), or when `keys` is not empty and configuration.kmsKeyId is not
// listed; COMPLIANT otherwise.
Verdict EvaluateClusterEncryption(const model::ConfigurationItem& cluster,
                                  std::span<const std::string_view> keys);

}  // namespace vigil::rules::rds
