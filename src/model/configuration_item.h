// The configuration item (CI): AWS Config's record of one resource at one moment.
//
// AWS writes CIs in two spellings. Files delivered to S3 and change notifications use
// `awsAccountId`, `ARN`, `configurationItemVersion` and an object `configuration`; the API
// (`batch-get-resource-config`, `get-resource-config-history`) uses `accountId`, `arn`, `version`
// and `configuration` as a JSON *string*. `supplementaryConfiguration` values may be objects,
// JSON strings, or strings encoded twice. ParseItem accepts all of them and presents one model.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "json/value.h"

namespace vigil::model {

enum class ItemStatus {
  kOk,
  kResourceDiscovered,
  kResourceNotRecorded,
  kResourceDeleted,
  kResourceDeletedNotRecorded,
};

std::string_view ItemStatusName(ItemStatus s);

// Owns what a parsed CI needs beyond its source document: documents decoded from JSON strings
// and strings made from numbers. Not thread-safe; one per file being read.
class ItemArena {
 public:
  json::Value Decode(std::string_view json_text, Status* error);
  std::string_view Keep(std::string s);
  void Clear() {
    docs_.clear();
    strings_.clear();
  }

 private:
  std::deque<json::Document> docs_;
  std::deque<std::string> strings_;
};

// A parsed CI. All views point into the source document or its ItemArena, and are valid only
// while both live. Copying is cheap (views only).
struct ConfigurationItem {
  std::string_view version;
  std::string_view account_id;
  std::string_view capture_time_text;
  EpochMillis capture_time = 0;
  ItemStatus status = ItemStatus::kOk;
  std::string_view state_id;
  std::string_view md5_hash;
  std::string_view arn;
  std::string_view resource_type;
  std::string_view resource_id;
  std::string_view resource_name;
  std::string_view region;
  std::string_view availability_zone;
  std::string_view resource_creation_time;
  std::string_view recording_frequency;
  std::string_view delivery_time;
  json::Value configuration;   // always an object, array, or Missing (decoded if it was a string)
  json::Value relationships;   // array
  json::Value related_events;  // array
  json::Value raw;             // the whole CI as read
  std::vector<std::pair<std::string_view, std::string_view>> tags;
  std::vector<std::pair<std::string_view, json::Value>> supplementary;  // decoded values

  bool Deleted() const {
    return status == ItemStatus::kResourceDeleted ||
           status == ItemStatus::kResourceDeletedNotRecorded;
  }
  const json::Value& Config() const { return configuration; }
  // A supplementaryConfiguration value, decoded from JSON text when AWS stored it as a string.
  json::Value Supplementary(std::string_view key) const;
  // The value of tag `key`, if the resource carries it.
  const std::string_view* Tag(std::string_view key) const;
};

// Reads one CI from `v`. Fails, naming the field, when `resourceType` or `resourceId` is missing,
// `configuration` is neither an object, null, nor a JSON string holding one, or the capture time
// cannot be read.
Result<ConfigurationItem> ParseItem(const json::Value& v, ItemArena& arena);

}  // namespace vigil::model
