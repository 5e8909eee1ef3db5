#include "model/configuration_item.h"

namespace vigil::model {

std::string_view ItemStatusName(ItemStatus s) {
  switch (s) {
    case ItemStatus::kOk:
      return "OK";
    case ItemStatus::kResourceDiscovered:
      return "ResourceDiscovered";
    case ItemStatus::kResourceNotRecorded:
      return "ResourceNotRecorded";
    case ItemStatus::kResourceDeleted:
      return "ResourceDeleted";
    case ItemStatus::kResourceDeletedNotRecorded:
      return "ResourceDeletedNotRecorded";
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
  // One pass over the members (an item has about twenty): both spellings map to one field, and
  // the first one present wins.
  json::Value capture, status_value, config, tags, supp;
  auto text = [&](std::string_view& field, const json::Value& value) {
    if (!field.empty()) return;
    if (auto s = value.String()) {
      field = *s;
    } else if (value.IsNumber() || value.IsBool()) {
      field = arena.Keep(value.ToJson());  // configurationStateId is a number in S3 files
    }
  };
  for (const auto m : v.Members()) {
    const std::string_view k = m.key;
    const json::Value& val = m.value;
    switch (k.size()) {
      case 3:
        if (k == "ARN" || k == "arn") text(ci.arn, val);
        break;
      case 4:
        if (k == "tags") tags = val;
        break;
      case 7:
        if (k == "version") text(ci.version, val);
        break;
      case 9:
        if (k == "accountId")
          text(ci.account_id, val);
        else if (k == "awsRegion")
          text(ci.region, val);
        break;
      case 10:
        if (k == "resourceId") text(ci.resource_id, val);
        break;
      case 12:
        if (k == "resourceType")
          text(ci.resource_type, val);
        else if (k == "awsAccountId")
          text(ci.account_id, val);
        else if (k == "resourceName")
          text(ci.resource_name, val);
        break;
      case 13:
        if (k == "configuration")
          config = val;
        else if (k == "relationships")
          ci.relationships = val;
        else if (k == "relatedEvents")
          ci.related_events = val;
        break;
      case 16:
        if (k == "availabilityZone" || k == "availibilityZone") text(ci.availability_zone, val);
        break;
      case 18:
        if (k == "recordingFrequency") text(ci.recording_frequency, val);
        break;
      case 20:
        if (k == "configurationStateId" || k == "configurationStateID")
          text(ci.state_id, val);
        else if (k == "resourceCreationTime")
          text(ci.resource_creation_time, val);
        break;
      case 23:
        if (k == "configurationItemStatus") status_value = val;
        break;
      case 24:
        if (k == "configurationItemVersion")
          text(ci.version, val);
        else if (k == "configurationItemMD5Hash")
          text(ci.md5_hash, val);
        break;
      case 25:
        if (k == "configurationStateMd5Hash") text(ci.md5_hash, val);
        break;
      case 26:
        if (k == "supplementaryConfiguration") supp = val;
        break;
      case 28:
        if (k == "configurationItemCaptureTime") capture = val;
        break;
      case 29:
        if (k == "configurationItemDeliveryTime") text(ci.delivery_time, val);
        break;
      default:
        break;
    }
  }
  if (ci.resource_type.empty()) return Status::Error("configuration item has no 'resourceType'");
  if (ci.resource_id.empty())
    return Status::Error("configuration item of type " + std::string(ci.resource_type) +
                         " has no 'resourceId'");
  text(ci.capture_time_text, capture);
  if (auto n = capture.Number()) {
    ci.capture_time = FromEpochSeconds(*n);  // AWS CLI v1 prints epoch seconds
  } else if (!ci.capture_time_text.empty()) {
    auto t = ParseTimestamp(ci.capture_time_text);
    if (!t)
      return Status::Error("'configurationItemCaptureTime' of " + std::string(ci.resource_id) +
                           " is not a timestamp: '" + std::string(ci.capture_time_text) + "'");
    ci.capture_time = *t;
  }
  std::string_view status;
  text(status, status_value);
  auto st = ParseStatus(status);
  if (!st)
    return Status::Error("'configurationItemStatus' of " + std::string(ci.resource_id) +
                         " is not one of AWS's values: '" + std::string(status) + "'");
  ci.status = *st;

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

  for (const auto m : supp.Members())
    ci.supplementary.emplace_back(m.key, DecodeNested(m.value, arena));
  return ci;
}

}  // namespace vigil::model
