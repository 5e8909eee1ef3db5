#include "rules/managed/dynamodb/dynamodb_util.h"

#include "common/strings.h"

namespace vigil::rules::dynamodb {

json::Value Field(json::Value obj, std::string_view name) {
  if (json::Value v = obj.Get(name); !v.Missing()) return v;
  const std::string want = ToLower(name);
  for (const auto& m : obj.Members())
    if (m.key.size() == want.size() && ToLower(m.key) == want) return m.value;
  return {};
}

json::Value SseDescription(json::Value table_config) {
  json::Value sse = Field(table_config, "ssedescription");
  if (sse.IsNull()) return {};
  return sse;
}

std::string_view TableName(const model::ConfigurationItem& table) {
  if (auto n = Field(table.Config(), "tableName").String(); n && !n->empty()) return *n;
  if (!table.resource_name.empty()) return table.resource_name;
  return table.resource_id;
}

bool OnDemand(json::Value table_config) {
  return Field(Field(table_config, "billingModeSummary"), "billingMode").String() ==
         "PAY_PER_REQUEST";
}

}  // namespace vigil::rules::dynamodb
