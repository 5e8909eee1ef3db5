// Retention of configuration item history in `vigil serve` (PutRetentionConfiguration): the
// pruning that makes the retention period take effect, for the writers of item history and for a
// periodic worker.
//
// The retention configuration is the store document kind "retention-configuration", name
// "default", body AWS's RetentionConfiguration (`{"Name": "default", "RetentionPeriodInDays": N}`).
// Without one nothing is pruned (AWS's default period is 2557 days, seven years).
//
// Pruning removes "resource-history" items (records.h) captured more than the period before
// `now`, except each resource's newest item, which AWS keeps as the resource's current state
// whatever its age. The current item ("resource") is never touched.
//
// All functions run inside the caller's Store::Transact.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "api/store.h"
#include "common/time.h"

namespace vigil::api {

inline constexpr std::string_view kRetentionConfigurationKind = "retention-configuration";

// The tenant's retention period in days, if it has a retention configuration.
std::optional<std::int64_t> RetentionDays(Store& store, const Tenant& t);

// Prunes the history of one resource; what a writer of new history calls after writing it.
// Returns how many items were removed.
std::int64_t PruneResourceHistory(Store& store, const Tenant& t, std::string_view resource_type,
                                  std::string_view resource_id, EpochMillis now);

// Prunes the history of every resource of the tenant (a periodic worker's job; also run by
// PutRetentionConfiguration). Returns how many items were removed.
std::int64_t PruneHistory(Store& store, const Tenant& t, EpochMillis now);

}  // namespace vigil::api
