// Resources: PutResourceConfig, DeleteResourceConfig, ListDiscoveredResources,
// GetDiscoveredResourceCounts, GetResourceConfigHistory, BatchGetResourceConfig.
//
// PutResourceConfig records third-party resource types only, as AWS: the type is
// `Organization::Service::Resource` and the organization may not be aws, amzn, amazon, alexa or
// custom; the configuration is a JSON object of at most 64 KB; a configuration recorder must be
// recording. Each call that changes the resource (configuration, name, tags or schema version)
// adds a configuration item (status ResourceDiscovered first, OK after) with a capture time and
// a configurationStateId (epoch milliseconds of the capture, strictly increasing per
// resource); a call that changes nothing adds none. DeleteResourceConfig adds a ResourceDeleted
// item. The latest item and the whole history are kept (records.h); the read operations answer
// for any type, as AWS's do.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "api/evaluator.h"
#include "api/operation.h"
#include "api/records.h"
#include "api/retention.h"
#include "common/strings.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRecorder = "recorder";
constexpr std::string_view kRecorderStatus = "recorder-status";
constexpr size_t kMaxConfiguration = 64 * 1024;

Outcome Validation(std::string message) {
  return Outcome::Fail("ValidationException", std::move(message));
}

Outcome BadNextToken() {
  return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
}

bool RecorderRunning(Context& ctx) {
  for (const Document& d : ctx.store->List(ctx.tenant, kRecorderStatus)) {
    auto doc = json::Document::Parse(d.body);
    if (doc.ok() && doc->Root().Get("recording").Bool().value_or(false)) return true;
  }
  return false;
}

std::optional<Outcome> NeedRunningRecorder(Context& ctx) {
  if (RecorderRunning(ctx)) return std::nullopt;
  return Outcome::Fail("NoRunningConfigurationRecorderException",
                       "There is no configuration recorder running.");
}

std::optional<Outcome> NeedRecorder(Context& ctx) {
  if (ctx.store->Count(ctx.tenant, kRecorder) > 0) return std::nullopt;
  return Outcome::Fail("NoAvailableConfigurationRecorderException",
                       "There are no configuration recorders available to provide the resource "
                       "information. Create a configuration recorder.");
}

std::optional<std::string> Position(json::Value token) {
  if (!token.IsString() || token.AsText().empty()) return std::string();
  return ReadNextToken(token.AsText());
}

size_t PageSize(json::Value limit, size_t fallback) {
  const std::int64_t n = limit.Int().value_or(0);
  return n <= 0 ? fallback : static_cast<size_t>(n);
}

std::string StateKey(std::int64_t state) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(state));
  return buf;
}

// A stored item (the "resource" and "resource-history" documents): the API's
// ConfigurationItem plus vigil's own members (dropped when written in an output shape).
struct StoredItem {
  std::optional<json::Document> doc;
  json::Value Root() const { return doc ? doc->Root() : json::Value(); }
  bool deleted() const {
    return Root().Get("configurationItemStatus").AsText() == "ResourceDeleted";
  }
  std::int64_t state() const { return Root().Get("vigilState").Int().value_or(0); }
  EpochMillis capture() const { return Root().Get("vigilCaptureMillis").Int().value_or(0); }
};

std::optional<StoredItem> LoadCurrent(Context& ctx, std::string_view type, std::string_view id) {
  const std::optional<std::string> body =
      ctx.store->Get(ctx.tenant, kResourceKind, Key({type, id}));
  if (!body) return std::nullopt;
  auto doc = json::Document::Parse(*body);
  if (!doc.ok()) return std::nullopt;
  StoredItem item;
  item.doc = std::move(*doc);
  return item;
}

struct NewItem {
  std::string type, id, name, schema_version, configuration, status;
  json::Value tags;  // an object, or missing
};

// Writes the item, as current and into the history.
void Record(Context& ctx, const NewItem& n, const std::optional<StoredItem>& previous) {
  const std::int64_t state = std::max<std::int64_t>(ctx.now, previous ? previous->state() + 1 : 0);
  json::Writer w;
  w.BeginObject()
      .Field("version", "1.3")
      .Field("accountId", ctx.tenant.account_id)
      .Key("configurationItemCaptureTime")
      .Double(EpochSeconds(ctx.now))
      .Field("configurationItemStatus", n.status)
      .Field("configurationStateId", std::to_string(state))
      .Field("configurationItemMD5Hash", "")
      .Field("resourceType", n.type)
      .Field("resourceId", n.id);
  if (!n.name.empty()) w.Field("resourceName", n.name);
  w.Field("awsRegion", ctx.tenant.region).Field("availabilityZone", "Not Applicable");
  w.Key("tags").BeginObject();
  for (const json::Member m : n.tags.Members()) {
    if (m.value.IsString()) w.Field(m.key, m.value.AsText());
  }
  w.EndObject();
  w.Key("relatedEvents").BeginArray().EndArray();
  w.Key("relationships").BeginArray().EndArray();
  if (n.status != "ResourceDeleted") w.Field("configuration", n.configuration);
  w.Key("supplementaryConfiguration").BeginObject().EndObject();
  w.Field("recordingFrequency", "CONTINUOUS");
  w.Field("vigilSchemaVersionId", n.schema_version)
      .Field("vigilState", state)
      .Field("vigilCaptureMillis", ctx.now)
      .EndObject();
  ctx.store->Put(ctx.tenant, kResourceKind, Key({n.type, n.id}), w.str());
  ctx.store->Put(ctx.tenant, kResourceHistoryKind, Key({n.type, n.id, StateKey(state)}), w.str());
  PruneResourceHistory(*ctx.store, ctx.tenant, n.type, n.id, ctx.now);  // retention period
  // The rules in scope judge the new item in this same transaction (evaluator.h).
  OnItemRecorded(ctx, w.str(), previous ? previous->Root().ToJson() : std::string());
}

std::string TagsJson(json::Value tags) {
  json::Writer w;
  w.BeginObject();
  std::map<std::string, std::string> sorted;
  for (const json::Member m : tags.Members()) {
    if (m.value.IsString()) sorted[std::string(m.key)] = m.value.AsText();
  }
  for (const auto& kv : sorted) w.Field(kv.first, kv.second);
  w.EndObject();
  return w.Take();
}

Outcome PutResourceConfig(Context& ctx, json::Value input) {
  NewItem n;
  n.type = input.Get("ResourceType").AsText();
  n.id = input.Get("ResourceId").AsText();
  n.name = input.Get("ResourceName").AsText();
  n.schema_version = input.Get("SchemaVersionId").AsText();
  n.tags = input.Get("Tags");
  const std::vector<std::string_view> parts = [&] {
    std::vector<std::string_view> out;
    std::string_view rest = n.type;
    for (size_t at; (at = rest.find("::")) != std::string_view::npos; rest.remove_prefix(at + 2)) {
      out.push_back(rest.substr(0, at));
    }
    out.push_back(rest);
    return out;
  }();
  if (parts.size() != 3 ||
      std::any_of(parts.begin(), parts.end(), [](std::string_view p) { return p.empty(); })) {
    return Validation("The resourceType " + n.type +
                      " is invalid. A resource type has the form Organization::Service::Resource");
  }
  const std::string org = ToLower(parts[0]);
  if (org == "aws" || org == "amzn" || org == "amazon" || org == "alexa" || org == "custom") {
    return Validation("The resourceType " + n.type + " is invalid. The organization names aws, " +
                      "amzn, amazon, alexa and custom are reserved: PutResourceConfig records " +
                      "third-party resource types registered with CloudFormation");
  }
  const std::string config = input.Get("Configuration").AsText();
  if (config.size() > kMaxConfiguration) {
    return Validation("The configuration must not exceed 64 KB");
  }
  auto parsed = json::Document::Parse(config);
  if (!parsed.ok() || !parsed->Root().IsObject()) {
    return Validation("The configuration is not a valid JSON object");
  }
  n.configuration = parsed->Root().ToJson();
  if (auto err = NeedRunningRecorder(ctx)) return *err;

  const std::optional<StoredItem> current = LoadCurrent(ctx, n.type, n.id);
  if (current && !current->deleted()) {
    const json::Value c = current->Root();
    if (c.Get("configuration").AsText() == n.configuration &&
        c.Get("resourceName").AsText() == n.name &&
        c.Get("vigilSchemaVersionId").AsText() == n.schema_version &&
        TagsJson(c.Get("tags")) == TagsJson(n.tags)) {
      return Outcome::Ok("{}");  // nothing changed: no new configuration item
    }
  }
  n.status = current && !current->deleted() ? "OK" : "ResourceDiscovered";
  Record(ctx, n, current);
  return Outcome::Ok("{}");
}

Outcome DeleteResourceConfig(Context& ctx, json::Value input) {
  NewItem n;
  n.type = input.Get("ResourceType").AsText();
  n.id = input.Get("ResourceId").AsText();
  if (auto err = NeedRunningRecorder(ctx)) return *err;
  const std::optional<StoredItem> current = LoadCurrent(ctx, n.type, n.id);
  if (!current) {
    return Validation("The resource " + n.id + " of resourceType " + n.type +
                      " has not been recorded");
  }
  if (current->deleted()) return Outcome::Ok("{}");
  n.name = current->Root().Get("resourceName").AsText();
  n.schema_version = current->Root().Get("vigilSchemaVersionId").AsText();
  n.tags = current->Root().Get("tags");
  n.status = "ResourceDeleted";
  Record(ctx, n, current);
  return Outcome::Ok("{}");
}

void WriteIdentifier(const StoredItem& item, json::Writer& w) {
  const json::Value v = item.Root();
  w.BeginObject()
      .Field("resourceType", v.Get("resourceType").AsText())
      .Field("resourceId", v.Get("resourceId").AsText());
  if (v.Get("resourceName").IsString()) w.Field("resourceName", v.Get("resourceName").AsText());
  if (item.deleted()) w.Key("resourceDeletionTime").Double(EpochSeconds(item.capture()));
  w.EndObject();
}

Outcome ListDiscoveredResources(Context& ctx, json::Value input) {
  const std::string type = input.Get("resourceType").AsText();
  const std::vector<std::string> ids = Strings(input.Get("resourceIds"));
  const std::string name = input.Get("resourceName").AsText();
  const bool include_deleted = input.Get("includeDeletedResources").Bool().value_or(false);
  if (!ids.empty() && !input.Get("resourceName").Missing()) {
    return Validation("Both Resource ID and Resource Name cannot be specified in the request");
  }
  const auto position = Position(input.Get("nextToken"));
  if (!position) return BadNextToken();
  if (auto err = NeedRecorder(ctx)) return *err;
  const size_t page = PageSize(input.Get("limit"), 100);
  const std::string prefix = Key({type}, true);
  if (!position->empty() && position->rfind(prefix, 0) != 0) return BadNextToken();

  std::vector<Document> docs;
  if (!ids.empty()) {
    std::vector<std::string> keys;
    for (const std::string& id : ids) keys.push_back(Key({type, id}));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const std::string& k : keys) {
      if (k <= *position) continue;
      if (auto body = ctx.store->Get(ctx.tenant, kResourceKind, k)) docs.push_back({k, *body});
    }
  } else {
    docs = ctx.store->ListPrefix(ctx.tenant, kResourceKind, prefix, *position);
  }
  json::Writer w;
  w.BeginObject().Key("resourceIdentifiers").BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const Document& d : docs) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    StoredItem item;
    item.doc = std::move(*doc);
    if (item.deleted() && !include_deleted) continue;
    if (!name.empty() && item.Root().Get("resourceName").AsText() != name) continue;
    if (n == page) {
      more = true;
      break;
    }
    WriteIdentifier(item, w);
    last = d.name;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("nextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome GetDiscoveredResourceCounts(Context& ctx, json::Value input) {
  const std::vector<std::string> types = Strings(input.Get("resourceTypes"));
  const auto position = Position(input.Get("nextToken"));
  if (!position) return BadNextToken();
  size_t start = 0;
  if (!position->empty()) {
    start = static_cast<size_t>(std::strtoull(position->c_str(), nullptr, 10));
  }
  const size_t page = PageSize(input.Get("limit"), 100);
  std::map<std::string, std::int64_t> counts;
  for (const Document& d : ctx.store->ListPrefix(ctx.tenant, kResourceKind, "")) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    if (doc->Root().Get("configurationItemStatus").AsText() == "ResourceDeleted") continue;
    const std::string type = doc->Root().Get("resourceType").AsText();
    if (!types.empty() && std::find(types.begin(), types.end(), type) == types.end()) continue;
    ++counts[type];
  }
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::int64_t total = 0;
  for (const auto& kv : sorted) total += kv.second;
  json::Writer w;
  w.BeginObject().Field("totalDiscoveredResources", total).Key("resourceCounts").BeginArray();
  size_t i = start;
  for (; i < sorted.size() && i < start + page; ++i) {
    w.BeginObject()
        .Field("resourceType", sorted[i].first)
        .Field("count", sorted[i].second)
        .EndObject();
  }
  w.EndArray();
  if (i < sorted.size()) w.Field("nextToken", MakeNextToken(std::to_string(i)));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome GetResourceConfigHistory(Context& ctx, json::Value input) {
  const std::string type = input.Get("resourceType").AsText();
  const std::string id = input.Get("resourceId").AsText();
  const bool forward = input.Get("chronologicalOrder").AsText() == "Forward";
  const EpochMillis from = TimestampMillis(input.Get("earlierTime")).value_or(INT64_MIN);
  const EpochMillis to = TimestampMillis(input.Get("laterTime")).value_or(ctx.now);
  if (from > to) {
    return Outcome::Fail("InvalidTimeRangeException",
                         "The earlier time can not be later than the later time");
  }
  const auto position = Position(input.Get("nextToken"));
  if (!position) return BadNextToken();
  if (auto err = NeedRecorder(ctx)) return *err;
  if (!LoadCurrent(ctx, type, id)) {
    return Outcome::Fail(
        "ResourceNotDiscoveredException",
        "Resource " + id + " of resourceType:" + type + " is unknown or has not been discovered");
  }
  const size_t page = PageSize(input.Get("limit"), 10);
  std::vector<Document> history =
      ctx.store->ListPrefix(ctx.tenant, kResourceHistoryKind, Key({type, id}, true));
  if (!forward) std::reverse(history.begin(), history.end());
  const ServiceModel& model = *ctx.model;
  const int shape = model.FindShape("ConfigurationItem");
  json::Writer w;
  w.BeginObject().Key("configurationItems").BeginArray();
  size_t n = 0;
  bool skipping = !position->empty();
  std::string last;
  bool more = false;
  for (const Document& d : history) {
    if (skipping) {
      skipping = d.name != *position;
      continue;
    }
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    const EpochMillis capture = doc->Root().Get("vigilCaptureMillis").Int().value_or(0);
    if (capture < from || capture > to) continue;
    if (n == page) {
      more = true;
      break;
    }
    WriteShape(model, shape, doc->Root(), w);
    last = d.name;
    ++n;
  }
  if (skipping) return BadNextToken();
  w.EndArray();
  if (more) w.Field("nextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome BatchGetResourceConfig(Context& ctx, json::Value input) {
  if (auto err = NeedRecorder(ctx)) return *err;
  const ServiceModel& model = *ctx.model;
  const int shape = model.FindShape("BaseConfigurationItem");
  json::Writer w;
  w.BeginObject().Key("baseConfigurationItems").BeginArray();
  for (const json::Value k : input.Get("resourceKeys").Elements()) {
    const auto item =
        LoadCurrent(ctx, k.Get("resourceType").AsText(), k.Get("resourceId").AsText());
    // AWS returns nothing for deleted resources.
    if (!item || item->deleted()) continue;
    WriteShape(model, shape, item->Root(), w);
  }
  w.EndArray().Key("unprocessedResourceKeys").BeginArray().EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

}  // namespace

void RegisterResourceOperations(Registry& r) {
  r.Add("PutResourceConfig", &PutResourceConfig);
  r.Add("DeleteResourceConfig", &DeleteResourceConfig);
  r.Add("ListDiscoveredResources", &ListDiscoveredResources);
  r.Add("GetDiscoveredResourceCounts", &GetDiscoveredResourceCounts);
  r.Add("GetResourceConfigHistory", &GetResourceConfigHistory);
  r.Add("BatchGetResourceConfig", &BatchGetResourceConfig);
}

}  // namespace vigil::api
