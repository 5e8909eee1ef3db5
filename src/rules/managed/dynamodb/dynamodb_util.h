// DynamoDB helpers shared by the DynamoDB managed rules: reading AWS::DynamoDB::Table CIs, whose
// configuration AWS Config records in the DescribeTable shape with its own casing
// (`ssedescription.kmsmasterKeyArn`, `billingModeSummary.billingMode`,
// `provisionedThroughput.readCapacityUnits`); Field() also accepts the API's spellings
// (`SSEDescription.KMSMasterKeyArn`).
#pragma once

#include <string>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"

namespace vigil::rules::dynamodb {

inline constexpr std::string_view kTableType = "AWS::DynamoDB::Table";

// Member `name` of `obj`, else the member whose name equals it ignoring case. Missing if none.
json::Value Field(json::Value obj, std::string_view name);

// The table's server-side encryption description (configuration.ssedescription); Missing when the
// table has none (DynamoDB then encrypts with an AWS owned key and DescribeTable omits it).
json::Value SseDescription(json::Value table_config);

// The table's name: configuration.tableName, else the CI's resource name, else its resource ID.
std::string_view TableName(const model::ConfigurationItem& table);

// Whether the table is billed on demand (billingModeSummary.billingMode PAY_PER_REQUEST).
bool OnDemand(json::Value table_config);

}  // namespace vigil::rules::dynamodb
