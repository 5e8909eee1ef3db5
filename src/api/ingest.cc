#include "api/ingest.h"

#include <cstdio>
#include <set>

#include "api/evaluator.h"
#include "api/records.h"
#include "api/retention.h"
#include "common/strings.h"
#include "json/writer.h"
#include "model/facts.h"

namespace vigil::api {

namespace {

std::string StateKey(std::int64_t state) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(state));
  return buf;
}

// configurationStateId is a decimal number (AWS uses the capture's epoch milliseconds); other
// text falls back to the capture time.
std::int64_t StateOf(const model::ConfigurationItem& ci) {
  std::int64_t n = 0;
  if (ci.state_id.empty() || ci.state_id.size() > 18) return ci.capture_time;
  for (char c : ci.state_id) {
    if (c < '0' || c > '9') return ci.capture_time;
    n = n * 10 + (c - '0');
  }
  return n;
}

// A JSON value as the API writes it inside a ConfigurationItem: objects as JSON text.
std::string AsJsonText(const json::Value& v) {
  if (v.IsString()) return v.AsText();
  return v.ToJson();
}

// The stored document: the API's ConfigurationItem plus vigil's members (resource_ops.cc).
std::string StoredJson(const model::ConfigurationItem& ci, std::string_view region,
                       std::int64_t state) {
  json::Writer w;
  w.BeginObject()
      .Field("version", ci.version.empty() ? std::string_view("1.3") : ci.version)
      .Field("accountId", ci.account_id)
      .Key("configurationItemCaptureTime")
      .Double(EpochSeconds(ci.capture_time))
      .Field("configurationItemStatus", model::ItemStatusName(ci.status))
      .Field("configurationStateId", std::to_string(state))
      .Field("configurationItemMD5Hash", ci.md5_hash);
  if (!ci.arn.empty()) w.Field("arn", ci.arn);
  w.Field("resourceType", ci.resource_type).Field("resourceId", ci.resource_id);
  if (!ci.resource_name.empty()) w.Field("resourceName", ci.resource_name);
  w.Field("awsRegion", ci.region.empty() ? region : ci.region);
  if (!ci.availability_zone.empty()) w.Field("availabilityZone", ci.availability_zone);
  if (auto t = ParseTimestamp(ci.resource_creation_time)) {
    w.Key("resourceCreationTime").Double(EpochSeconds(*t));
  }
  w.Key("tags").BeginObject();
  for (const auto& [k, v] : ci.tags) w.Field(k, v);
  w.EndObject();
  w.Key("relatedEvents").BeginArray();
  for (const json::Value e : ci.related_events.Elements()) {
    if (e.IsString()) w.String(e.AsText());
  }
  w.EndArray();
  w.Key("relationships").BeginArray();
  for (const json::Value r : ci.relationships.Elements()) {
    if (!r.IsObject()) continue;
    w.BeginObject();
    for (std::string_view k : {"resourceType", "resourceId", "resourceName", "relationshipName"}) {
      if (r.Get(k).IsString()) w.Field(k, r.Get(k).AsText());
    }
    w.EndObject();
  }
  w.EndArray();
  if (!ci.configuration.Missing() && !ci.configuration.IsNull()) {
    w.Field("configuration", AsJsonText(ci.configuration));
  }
  w.Key("supplementaryConfiguration").BeginObject();
  for (const auto& [k, v] : ci.supplementary) w.Field(k, AsJsonText(v));
  w.EndObject();
  w.Field("recordingFrequency",
          ci.recording_frequency.empty() ? std::string_view("CONTINUOUS") : ci.recording_frequency);
  w.Field("vigilState", state).Field("vigilCaptureMillis", ci.capture_time).EndObject();
  return w.Take();
}

}  // namespace

void StoreFact(Context& ctx, std::string_view name, std::string_view json) {
  ctx.store->Put(ctx.tenant, kFactKind, name, json);
  std::vector<Tenant> readers = {ctx.tenant};
  const model::FactKind* kind = model::FindFactKind(name);
  if (kind != nullptr && kind->global) {
    ctx.store->Put({ctx.tenant.account_id, ""}, kFactKind, name, json);
    readers = AccountTenants(*ctx.store, ctx.tenant.account_id);
  }
  for (const Tenant& t : readers) {
    Context rc = ctx;
    rc.tenant = t;
    for (const Document& d : ctx.store->List(t, "config-rule")) {
      QueueRuleEvaluation(rc, d.name, false);
    }
  }
}

IngestOutcome IngestItem(Context& ctx, const model::ConfigurationItem& ci) {
  const std::string type(ci.resource_type), id(ci.resource_id);
  const std::int64_t state = StateOf(ci);
  const std::string history_key = Key({type, id, StateKey(state)});
  if (ctx.store->Get(ctx.tenant, kResourceHistoryKind, history_key)) {
    return IngestOutcome::kUnchanged;
  }
  const std::string body = StoredJson(ci, ctx.tenant.region, state);
  ctx.store->Put(ctx.tenant, kResourceHistoryKind, history_key, body);
  PruneResourceHistory(*ctx.store, ctx.tenant, type, id, ctx.now);  // retention period
  const std::string current_key = Key({type, id});
  std::optional<std::string> current = ctx.store->Get(ctx.tenant, kResourceKind, current_key);
  if (current) {
    auto doc = json::Document::Parse(*current);
    if (doc.ok()) {
      const EpochMillis capture = doc->Root().Get("vigilCaptureMillis").Int().value_or(0);
      const std::int64_t cur_state = doc->Root().Get("vigilState").Int().value_or(0);
      if (capture > ci.capture_time || (capture == ci.capture_time && cur_state > state)) {
        return IngestOutcome::kHistory;  // an older capture, arriving late
      }
    }
  }
  ctx.store->Put(ctx.tenant, kResourceKind, current_key, body);
  OnItemRecorded(ctx, body, current.value_or(""));
  return IngestOutcome::kRecorded;
}

Outcome ImportConfigurationItems(Context& ctx, json::Value input) {
  const json::Value items = input.Get("ConfigurationItems");
  const json::Value facts = input.Get("Facts");
  const std::string recording_region = input.Get("RecordingRegion").AsText();
  if ((!items.Missing() && !items.IsArray()) || (!facts.Missing() && !facts.IsArray())) {
    return Outcome::Fail("SerializationException", "ConfigurationItems and Facts must be lists");
  }
  // Facts first: the items' rules read them.
  IngestTally tally;
  size_t index = 0;
  size_t facts_stored = 0;
  for (const json::Value f : facts.Elements()) {
    const std::string where = "Facts[" + std::to_string(index++) + "]";
    const std::string name = f.Get("Name").AsText();
    if (model::FindFactKind(name) == nullptr) {
      tally.refused.push_back(where + ": unknown fact '" + name + "'");
      continue;
    }
    Context fact_ctx = ctx;
    if (const std::string region = f.Get("Region").AsText(); !region.empty()) {
      fact_ctx.tenant.region = region;
    }
    StoreFact(fact_ctx, name, f.Get("Document").ToJson());
    ++facts_stored;
  }
  index = 0;
  for (const json::Value v : items.Elements()) {
    const std::string where = "ConfigurationItems[" + std::to_string(index++) + "]";
    model::ItemArena arena;
    auto ci = model::ParseItem(v, arena);
    if (!ci.ok()) {
      tally.refused.push_back(where + ": " + ci.status().message());
      continue;
    }
    if (ci->account_id != ctx.tenant.account_id) {
      tally.refused.push_back(where + ": " + std::string(ci->resource_type) + " " +
                              std::string(ci->resource_id) + " belongs to account " +
                              std::string(ci->account_id) + ", not to the caller's account " +
                              ctx.tenant.account_id);
      continue;
    }
    Context item_ctx = ctx;
    if (!ci->region.empty() && ci->region != "global") {
      item_ctx.tenant.region = std::string(ci->region);
    } else if (!recording_region.empty()) {
      item_ctx.tenant.region = recording_region;
    }
    switch (IngestItem(item_ctx, *ci)) {
      case IngestOutcome::kRecorded:
        ++tally.recorded;
        break;
      case IngestOutcome::kHistory:
        ++tally.history;
        break;
      case IngestOutcome::kUnchanged:
        ++tally.unchanged;
        break;
    }
  }
  json::Writer w;
  w.BeginObject()
      .Field("Recorded", static_cast<std::int64_t>(tally.recorded))
      .Field("History", static_cast<std::int64_t>(tally.history))
      .Field("Unchanged", static_cast<std::int64_t>(tally.unchanged))
      .Field("Facts", static_cast<std::int64_t>(facts_stored));
  w.Key("Refused").BeginArray();
  for (const std::string& r : tally.refused) w.String(r);
  w.EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

}  // namespace vigil::api
