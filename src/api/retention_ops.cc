// Retention configuration: PutRetentionConfiguration, DescribeRetentionConfigurations,
// DeleteRetentionConfiguration, and the history pruning that makes the period take effect
// (retention.h).
//
// One retention configuration per account and region, always named "default" (AWS names it so);
// the period (30..2557 days) is checked by the model. PutRetentionConfiguration creates or
// replaces it and prunes the tenant's history at once. Describe with a name other than "default"
// (or "default" when there is none) and Delete of a missing one are
// NoSuchRetentionConfigurationException.
#include <string>
#include <vector>

#include "api/operation.h"
#include "api/records.h"
#include "api/retention.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kDefault = "default";
constexpr EpochMillis kDayMillis = 24LL * 60 * 60 * 1000;
constexpr size_t kPruneBatch = 1000;

EpochMillis Capture(std::string_view body) {
  auto doc = json::Document::Parse(body);
  if (!doc.ok()) return 0;
  if (auto m = doc->Root().Get("vigilCaptureMillis").Int()) return *m;
  return TimestampMillis(doc->Root().Get("configurationItemCaptureTime")).value_or(0);
}

// Removes, from one resource's items in state order, those captured before `cutoff`, except the
// last (newest).
std::int64_t PruneGroup(Store& store, const Tenant& t, const std::vector<Document>& items,
                        EpochMillis cutoff) {
  std::int64_t removed = 0;
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    if (Capture(items[i].body) < cutoff && store.Delete(t, kResourceHistoryKind, items[i].name)) {
      ++removed;
    }
  }
  return removed;
}

Outcome NoSuchRetention(std::string_view name) {
  return Outcome::Fail(
      "NoSuchRetentionConfigurationException",
      "Cannot find retention configuration with the specified name '" + std::string(name) + "'.");
}

std::string RetentionJson(std::int64_t days) {
  json::Writer w;
  w.BeginObject().Field("Name", kDefault).Field("RetentionPeriodInDays", days).EndObject();
  return w.Take();
}

Outcome PutRetentionConfiguration(Context& ctx, json::Value input) {
  const std::int64_t days = input.Get("RetentionPeriodInDays").Int().value_or(0);
  const std::string body = RetentionJson(days);
  ctx.store->Put(ctx.tenant, kRetentionConfigurationKind, kDefault, body);
  PruneHistory(*ctx.store, ctx.tenant, ctx.now);
  return Outcome::Ok(R"({"RetentionConfiguration":)" + body + "}");
}

Outcome DescribeRetentionConfigurations(Context& ctx, json::Value input) {
  if (const json::Value t = input.Get("NextToken"); t.IsString() && !t.AsText().empty()) {
    // There is at most one configuration, so no page ever follows: no token is valid.
    return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
  }
  const std::optional<std::int64_t> days = RetentionDays(*ctx.store, ctx.tenant);
  for (const std::string& name : Strings(input.Get("RetentionConfigurationNames"))) {
    if (name != kDefault || !days) return NoSuchRetention(name);
  }
  json::Writer w;
  w.BeginObject().Key("RetentionConfigurations").BeginArray();
  if (days) w.Raw(RetentionJson(*days));
  w.EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

Outcome DeleteRetentionConfiguration(Context& ctx, json::Value input) {
  const std::string name = input.Get("RetentionConfigurationName").AsText();
  if (name != kDefault || !ctx.store->Delete(ctx.tenant, kRetentionConfigurationKind, kDefault)) {
    return NoSuchRetention(name);
  }
  return Outcome::Ok("{}");
}

}  // namespace

std::optional<std::int64_t> RetentionDays(Store& store, const Tenant& t) {
  const std::optional<std::string> body = store.Get(t, kRetentionConfigurationKind, kDefault);
  if (!body) return std::nullopt;
  auto doc = json::Document::Parse(*body);
  if (!doc.ok()) return std::nullopt;
  return doc->Root().Get("RetentionPeriodInDays").Int();
}

std::int64_t PruneResourceHistory(Store& store, const Tenant& t, std::string_view resource_type,
                                  std::string_view resource_id, EpochMillis now) {
  const std::optional<std::int64_t> days = RetentionDays(store, t);
  if (!days) return 0;
  const std::vector<Document> items =
      store.ListPrefix(t, kResourceHistoryKind, Key({resource_type, resource_id}, true));
  return PruneGroup(store, t, items, now - *days * kDayMillis);
}

std::int64_t PruneHistory(Store& store, const Tenant& t, EpochMillis now) {
  const std::optional<std::int64_t> days = RetentionDays(store, t);
  if (!days) return 0;
  const EpochMillis cutoff = now - *days * kDayMillis;
  std::int64_t removed = 0;
  // History names are Key({type, id, state}): one resource's items are consecutive, oldest first.
  std::vector<Document> group;
  std::string group_key;
  std::string after;
  for (;;) {
    std::vector<Document> page = store.List(t, kResourceHistoryKind, after, kPruneBatch);
    if (page.empty()) break;
    after = page.back().name;
    for (Document& d : page) {
      const std::vector<std::string> parts = SplitKey(d.name);
      const std::string key = parts.size() == 3 ? Key({parts[0], parts[1]}) : d.name;
      if (key != group_key) {
        removed += PruneGroup(store, t, group, cutoff);
        group.clear();
        group_key = key;
      }
      group.push_back(std::move(d));
    }
    if (page.size() < kPruneBatch) break;
  }
  removed += PruneGroup(store, t, group, cutoff);
  return removed;
}

void RegisterRetentionOperations(Registry& r) {
  r.Add("PutRetentionConfiguration", &PutRetentionConfiguration);
  r.Add("DescribeRetentionConfigurations", &DescribeRetentionConfigurations);
  r.Add("DeleteRetentionConfiguration", &DeleteRetentionConfiguration);
}

}  // namespace vigil::api
