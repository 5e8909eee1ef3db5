#include "model/configuration_item.h"

namespace vigil::model {

std::string_view ItemStatusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::kOk: return "OK";
    case ItemStatus::kResourceDiscovered: return "ResourceDiscovered";
    case ItemStatus::kResourceNotRecorded: return "ResourceNotRecorded";
    case ItemStatus::kResourceDeleted: return "ResourceDeleted";
    case ItemStatus::kResourceDeletedNotRecorded: return "ResourceDeletedNotRecorded";
  }
  return "OK";
}

json::Value ItemArena::Decode(std::string_view text, Status* error) {
  auto doc = json::Document::Parse(text);
  if (!doc.ok()) {
    if (error) *error = doc.status();
    return {};
  }
  docs_.push_back(std::move(doc).value());
  return docs_.back().Root();
}

std::string_view ItemArena::Keep(std::string s) {
  strings_.push_back(std::move(s));
  return strings_.back();
}

json::Value ConfigurationItem::Supplementary(std::string_view key) const {
  for (const auto& [k, v] : supplementary)
    if (k == key) return v;
  return {};
}

const std::string_view* ConfigurationItem::Tag(std::string_view key) const {
  for (const auto& kv : tags)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

namespace {

// First present field among the spellings, as text. Numbers (configurationStateId is a number
// in S3 files) are spelled as JSON and kept in the arena.
std::string_view Text(const json::Value& v, std::initializer_list<std::string_view> names,
                      ItemArena& arena) {
  for (auto name : names) {
    const json::Value f = v.Get(name);
    if (auto s = f.String()) return *s;
    if (f.IsNumber() || f.IsBool()) return arena.Keep(f.ToJson());
  }
  return {};
}

// Strings holding JSON are decoded, repeatedly: S3 supplementary values are sometimes encoded
// twice. A string that is not JSON stays a string.
json::Value DecodeNested(json::Value v, ItemArena& arena) {
  for (int depth = 0; depth < 3; ++depth) {
    auto s = v.String();
    if (!s) return v;
    const std::string_view t = *s;
    size_t i = 0;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t' || t[i] == '\r')) ++i;
    if (i == t.size() || (t[i] != '{' && t[i] != '[' && t[i] != '"')) return v;
    Status ignored;
    json::Value d = arena.Decode(t, &ignored);
    if (d.Missing()) return v;
    v = d;
  }
  return v;
}

std::optional<ItemStatus> ParseStatus(std::string_view s) {
  if (s.empty() || s == "OK") return ItemStatus::kOk;
  if (s == "ResourceDiscovered") return ItemStatus::kResourceDiscovered;
  if (s == "ResourceNotRecorded") return ItemStatus::kResourceNotRecorded;
  if (s == "ResourceDeleted") return ItemStatus::kResourceDeleted;
  if (s == "ResourceDeletedNotRecorded") return ItemStatus::kResourceDeletedNotRecorded;
  return std::nullopt;
}

void ReadTags(const json::Value& list, ConfigurationItem& ci) {
  for (const json::Value t : list.Elements()) {
    json::Value k = t.Get("key");
    json::Value val = t.Get("value");
    if (k.Missing()) {
      k = t.Get("Key");
      val = t.Get("Value");
    }
    if (k.Missing()) {
      k = t.Get("tagName");
      val = t.Get("tagValue");
    }
    if (auto ks = k.String()) ci.tags.emplace_back(*ks, val.String().value_or(""));
  }
}

}  // namespace

Result<ConfigurationItem> ParseItem(const json::Value& v, ItemArena& arena) {
  if (!v.IsObject()) return Status::Error("configuration item is not a JSON object");
  ConfigurationItem ci;
  ci.raw = v;
  ci.resource_type = Text(v, {"resourceType"}, arena);
  if (ci.resource_type.empty())
    return Status::Error("configuration item has no 'resourceType'");
  ci.resource_id = Text(v, {"resourceId"}, arena);
  if (ci.resource_id.empty())
    return Status::Error("configuration item of type " + std::string(ci.resource_type) +
                         " has no 'resourceId'");
  ci.version = Text(v, {"configurationItemVersion", "version"}, arena);
  ci.account_id = Text(v, {"awsAccountId", "accountId"}, arena);
  ci.capture_time_text = Text(v, {"configurationItemCaptureTime"}, arena);
  const json::Value capture = v.Get("configurationItemCaptureTime");
  if (auto n = capture.Number()) {
    ci.capture_time = FromEpochSeconds(*n);  // AWS CLI v1 prints epoch seconds
  } else if (!ci.capture_time_text.empty()) {
    auto t = ParseTimestamp(ci.capture_time_text);
    if (!t)
      return Status::Error("'configurationItemCaptureTime' of " + std::string(ci.resource_id) +
                           " is not a timestamp: '" + std::string(ci.capture_time_text) + "'");
    ci.capture_time = *t;
  }
  const std::string_view status = Text(v, {"configurationItemStatus"}, arena);
  auto st = ParseStatus(status);
  if (!st)
    return Status::Error("'configurationItemStatus' of " + std::string(ci.resource_id) +
                         " is not one of AWS's values: '" + std::string(status) + "'");
  ci.status = *st;
  ci.state_id = Text(v, {"configurationStateId", "configurationStateID"}, arena);
  ci.md5_hash = Text(v, {"configurationItemMD5Hash", "configurationStateMd5Hash"}, arena);
  ci.arn = Text(v, {"ARN", "arn"}, arena);
  ci.resource_name = Text(v, {"resourceName"}, arena);
  ci.region = Text(v, {"awsRegion"}, arena);
  ci.availability_zone = Text(v, {"availabilityZone", "availibilityZone"}, arena);
  ci.resource_creation_time = Text(v, {"resourceCreationTime"}, arena);
  ci.recording_frequency = Text(v, {"recordingFrequency"}, arena);
  ci.delivery_time = Text(v, {"configurationItemDeliveryTime"}, arena);
  ci.relationships = v.Get("relationships");
  ci.related_events = v.Get("relatedEvents");

  const json::Value config = v.Get("configuration");
  if (config.IsString()) {
    const std::string_view text = *config.String();
    if (!text.empty() && text != "null") {
      Status err;
      ci.configuration = arena.Decode(text, &err);
      if (ci.configuration.Missing())
        return Status::Error("'configuration' of " + std::string(ci.resource_id) +
                             " is a string but not JSON: " + err.message());
    }
  } else if (config.IsObject() || config.IsArray()) {
    ci.configuration = config;
  } else if (!config.Missing() && !config.IsNull()) {
    return Status::Error("'configuration' of " + std::string(ci.resource_id) +
                         " must be an object or a JSON string, not a scalar");
  }
  if (ci.configuration.IsArray())
    return Status::Error("'configuration' of " + std::string(ci.resource_id) +
                         " must be an object, not an array");

  const json::Value tags = v.Get("tags");
  if (tags.IsObject()) {
    for (const auto m : tags.Members()) ci.tags.emplace_back(m.key, m.value.String().value_or(""));
  } else if (tags.IsArray()) {
    ReadTags(tags, ci);
  } else {
    // batch-get-resource-config items carry no top-level tags; the configuration's own
    // `tags` / `tagSet` list is the same data.
    json::Value list = ci.configuration.Get("tags");
    if (!list.IsArray()) list = ci.configuration.Get("tagSet");
    ReadTags(list, ci);
  }

  const json::Value supp = v.Get("supplementaryConfiguration");
  for (const auto m : supp.Members()) ci.supplementary.emplace_back(m.key, DecodeNested(m.value, arena));
  return ci;
}

}  // namespace vigil::model
