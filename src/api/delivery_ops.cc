// Delivery channel output: DeliverConfigSnapshot, and the periodic snapshots and history files
// the scheduler of the OutboxWorker delivers (outbox.h).
//
// Files go to `<--buckets>/<s3BucketName>/` with AWS's keys:
//   [prefix/]AWSLogs/<account>/Config/<region>/<y>/<m>/<d>/ConfigSnapshot/
//       <account>_Config_<region>_ConfigSnapshot_<yyyymmddThhmmssZ>_<snapshot id>.json.gz
//   [prefix/]AWSLogs/<account>/Config/<region>/<y>/<m>/<d>/ConfigHistory/
//       <account>_Config_<region>_ConfigHistory_<type>_<start>_<end>_1.json.gz
//   [prefix/]AWSLogs/<account>/Config/ConfigWritabilityCheckFile (when the channel is put)
// Snapshots hold every current (not deleted) item; history files hold, per resource type, the
// items recorded since the previous history delivery. AWS delivers history every 6 hours and
// snapshots at configSnapshotDeliveryProperties.deliveryFrequency, both only while the recorder
// records; so does vigil. The first periodic delivery is one period after the scheduler first
// sees the channel (AWS does not say when its first one comes).
//
// DeliverConfigSnapshot writes the file before it answers (AWS writes it soon after), so the
// snapshot holds exactly the items the request's transaction sees.
#include <filesystem>
#include <fstream>
#include <map>

#include "api/operation.h"
#include "api/outbox.h"
#include "api/records.h"
#include "common/strings.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

namespace fs = std::filesystem;

const Tenant kServerTenant{"", ""};
constexpr std::string_view kChannelKind = "delivery-channel";
constexpr std::string_view kRecorderKind = "recorder";
constexpr std::string_view kRecorderStatusKind = "recorder-status";
// Server tenant: Key({account, region}) of every tenant that put a delivery channel.
constexpr std::string_view kDeliveryTenantKind = "delivery-tenant";
// Per tenant, name = channel: {"snapshot": ms, "history": ms}, the last periodic deliveries.
constexpr std::string_view kScheduleKind = "delivery-schedule";
constexpr EpochMillis kHour = 3'600'000;
constexpr EpochMillis kHistoryPeriod = 6 * kHour;

struct Channel {
  std::string name, bucket, prefix, frequency;
};

std::optional<Channel> LoadChannel(Store& store, const Tenant& t, std::string_view name = {}) {
  std::vector<Document> docs;
  if (name.empty()) {
    docs = store.List(t, kChannelKind, {}, 1);
  } else if (auto body = store.Get(t, kChannelKind, name)) {
    docs.push_back({std::string(name), std::move(*body)});
  }
  if (docs.empty()) return std::nullopt;
  auto doc = json::Document::Parse(docs[0].body);
  if (!doc.ok()) return std::nullopt;
  const json::Value v = doc->Root();
  return Channel{docs[0].name, v.Get("s3BucketName").AsText(), v.Get("s3KeyPrefix").AsText(),
                 v.Get("configSnapshotDeliveryProperties").Get("deliveryFrequency").AsText()};
}

EpochMillis FrequencyMillis(std::string_view f) {
  if (f == "One_Hour") return kHour;
  if (f == "Three_Hours") return 3 * kHour;
  if (f == "Six_Hours") return 6 * kHour;
  if (f == "Twelve_Hours") return 12 * kHour;
  if (f == "TwentyFour_Hours") return 24 * kHour;
  return 0;
}

bool Recording(Store& store, const Tenant& t) {
  for (const Document& d : store.List(t, kRecorderStatusKind)) {
    auto doc = json::Document::Parse(d.body);
    if (doc.ok() && doc->Root().Get("recording").Bool().value_or(false)) return true;
  }
  return false;
}

std::string YmdPath(EpochMillis t) {
  const std::string date = FormatDate(t);  // yyyy-mm-dd
  const std::vector<std::string_view> p = Split(date, '-');
  if (p.size() != 3) return date;
  auto strip = [](std::string_view s) {
    while (s.size() > 1 && s[0] == '0') s.remove_prefix(1);
    return std::string(s);
  };
  return std::string(p[0]) + "/" + strip(p[1]) + "/" + strip(p[2]);
}

std::string Compact(EpochMillis t) {
  // 2026-02-23T10:15:30.123Z -> 20260223T101530Z
  std::string out;
  for (const char c : FormatIso8601(t).substr(0, 19)) {
    if (c != '-' && c != ':') out.push_back(c);
  }
  return out + "Z";
}

std::string BaseKey(const Tenant& t, const Channel& ch) {
  return (ch.prefix.empty() ? "" : ch.prefix + "/") + "AWSLogs/" + t.account_id + "/Config/";
}

std::string WriteObject(const Channel& ch, const std::string& key, std::string_view json) {
  const auto c = GetDeliveryConfig();
  if (!c || c->buckets_dir.empty()) return "vigil serve has no --buckets folder";
  return WriteGzipFile((fs::path(c->buckets_dir) / ch.bucket / key).string(), json);
}

std::string SubjectPrefix(const Tenant& t) { return "[AWS Config:" + t.region + "] "; }

// Writes a snapshot of the tenant's current items, with its SNS notifications and status.
void DeliverSnapshot(Store& store, const Tenant& t, const Channel& ch, const std::string& id,
                     EpochMillis now) {
  {
    json::Writer w;
    w.BeginObject()
        .Field("configSnapshotId", id)
        .Field("notificationCreationTime", FormatIso8601(now))
        .Field("messageType", "ConfigurationSnapshotDeliveryStarted")
        .Field("recordVersion", "1.1")
        .EndObject();
    QueueSnsNotification(
        store, t,
        SubjectPrefix(t) + "Configuration Snapshot Delivery Started for Account " + t.account_id,
        w.str(), now);
  }
  json::Writer file;
  file.BeginObject().Field("fileVersion", "1.0").Field("configSnapshotId", id);
  file.Key("configurationItems").BeginArray();
  for (const Document& d : store.ListPrefix(t, kResourceKind, "")) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    const std::string status = doc->Root().Get("configurationItemStatus").AsText();
    if (status == "ResourceDeleted" || status == "ResourceDeletedNotRecorded") continue;
    WriteDeliveredItem(doc->Root(), file);
  }
  file.EndArray().EndObject();
  const std::string key = BaseKey(t, ch) + t.region + "/" + YmdPath(now) + "/ConfigSnapshot/" +
                          t.account_id + "_Config_" + t.region + "_ConfigSnapshot_" + Compact(now) +
                          "_" + id + ".json.gz";
  const std::string error = WriteObject(ch, key, file.str());
  UpdateDeliveryStatus(store, t, ch.name, "configSnapshotDeliveryInfo", error.empty(), now,
                       error.empty() ? "" : "InternalError", error);
  if (!error.empty()) return;
  json::Writer w;
  w.BeginObject()
      .Field("configSnapshotId", id)
      .Field("s3ObjectKey", key)
      .Field("s3Bucket", ch.bucket)
      .Field("notificationCreationTime", FormatIso8601(now))
      .Field("messageType", "ConfigurationSnapshotDeliveryCompleted")
      .Field("recordVersion", "1.1")
      .EndObject();
  QueueSnsNotification(
      store, t,
      SubjectPrefix(t) + "Configuration Snapshot Delivery Completed for Account " + t.account_id,
      w.str(), now);
}

// Writes one history file per resource type with the items recorded in [from, to).
void DeliverHistory(Store& store, const Tenant& t, const Channel& ch, EpochMillis from,
                    EpochMillis to) {
  std::map<std::string, std::vector<std::string>> by_type;
  for (const Document& d : store.ListPrefix(t, kResourceHistoryKind, "")) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    const EpochMillis capture = doc->Root().Get("vigilCaptureMillis").Int().value_or(0);
    if (capture < from || capture >= to) continue;
    json::Writer w;
    WriteDeliveredItem(doc->Root(), w);
    by_type[doc->Root().Get("resourceType").AsText()].push_back(w.Take());
  }
  std::string error;
  for (const auto& [type, items] : by_type) {
    json::Writer file;
    file.BeginObject().Field("fileVersion", "1.0").Key("configurationItems").BeginArray();
    for (const std::string& item : items) file.Raw(item);
    file.EndArray().EndObject();
    const std::string key = BaseKey(t, ch) + t.region + "/" + YmdPath(to) + "/ConfigHistory/" +
                            t.account_id + "_Config_" + t.region + "_ConfigHistory_" + type + "_" +
                            Compact(from) + "_" + Compact(to) + "_1.json.gz";
    const std::string e = WriteObject(ch, key, file.str());
    if (!e.empty()) {
      error = e;
      continue;
    }
    json::Writer w;
    w.BeginObject()
        .Field("s3ObjectKey", key)
        .Field("s3Bucket", ch.bucket)
        .Field("notificationCreationTime", FormatIso8601(to))
        .Field("messageType", "ConfigurationHistoryDeliveryCompleted")
        .Field("recordVersion", "1.1")
        .EndObject();
    QueueSnsNotification(
        store, t,
        SubjectPrefix(t) + "Configuration History Delivery Completed for Account " + t.account_id,
        w.str(), to);
  }
  UpdateDeliveryStatus(store, t, ch.name, "configHistoryDeliveryInfo", error.empty(), to,
                       error.empty() ? "" : "InternalError", error);
}

Outcome DeliverConfigSnapshot(Context& ctx, json::Value input) {
  const std::string name = input.Get("deliveryChannelName").AsText();
  const std::optional<Channel> ch = LoadChannel(*ctx.store, ctx.tenant, name);
  if (!ch) {
    return Outcome::Fail("NoSuchDeliveryChannelException",
                         "Cannot find delivery channel with specified name '" + name + "'.");
  }
  if (ctx.store->Count(ctx.tenant, kRecorderKind) == 0) {
    return Outcome::Fail("NoAvailableConfigurationRecorderException",
                         "Configuration recorder is not available to deliver a snapshot.");
  }
  if (!Recording(*ctx.store, ctx.tenant)) {
    return Outcome::Fail("NoRunningConfigurationRecorderException",
                         "There is no configuration recorder running.");
  }
  const std::string id = RandomUuid();
  DeliverSnapshot(*ctx.store, ctx.tenant, *ch, id, ctx.now);
  json::Writer w;
  w.BeginObject().Field("configSnapshotId", id).EndObject();
  return Outcome::Ok(w.Take());
}

// One tenant's due deliveries, inside a transaction.
void ScheduleTenant(Store& store, const Tenant& t, EpochMillis now) {
  const std::optional<Channel> ch = LoadChannel(store, t);
  if (!ch) {
    store.Delete(kServerTenant, kDeliveryTenantKind, Key({t.account_id, t.region}));
    return;
  }
  EpochMillis snapshot = now, history = now;
  const std::optional<std::string> sched = store.Get(t, kScheduleKind, ch->name);
  if (sched) {
    if (auto doc = json::Document::Parse(*sched); doc.ok()) {
      snapshot = doc->Root().Get("snapshot").Int().value_or(now);
      history = doc->Root().Get("history").Int().value_or(now);
    }
  }
  const bool recording = Recording(store, t);
  const EpochMillis frequency = FrequencyMillis(ch->frequency);
  bool changed = !sched.has_value();
  if (recording && frequency > 0 && now - snapshot >= frequency) {
    DeliverSnapshot(store, t, *ch, RandomUuid(), now);
    snapshot = now;
    changed = true;
  }
  if (recording && now - history >= kHistoryPeriod) {
    DeliverHistory(store, t, *ch, history, now);
    history = now;
    changed = true;
  }
  if (!changed) return;
  json::Writer w;
  w.BeginObject().Field("snapshot", snapshot).Field("history", history).EndObject();
  store.Put(t, kScheduleKind, ch->name, w.str());
}

}  // namespace

void NoteDeliveryTenant(Store& store, const Tenant& t) {
  store.Put(kServerTenant, kDeliveryTenantKind, Key({t.account_id, t.region}), "{}");
  const auto c = GetDeliveryConfig();
  const std::optional<Channel> ch = LoadChannel(store, t);
  if (!c || c->buckets_dir.empty() || !ch) return;
  // AWS checks it can write to the bucket by writing this (empty) object.
  const fs::path path =
      fs::path(c->buckets_dir) / ch->bucket / (BaseKey(t, *ch) + "ConfigWritabilityCheckFile");
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  const fs::path tmp = path.string() + ".tmp";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc).close();
  fs::rename(tmp, path, ec);
}

void RunScheduledDeliveries(Store& store, EpochMillis now) {
  std::vector<Tenant> tenants;
  (void)store.Transact([&] {
    for (const Document& d : store.List(kServerTenant, kDeliveryTenantKind)) {
      const std::vector<std::string> parts = SplitKey(d.name);
      if (parts.size() == 2) tenants.push_back({parts[0], parts[1]});
    }
    return true;
  });
  for (const Tenant& t : tenants) {
    (void)store.Transact([&] {
      ScheduleTenant(store, t, now);
      return true;
    });
  }
}

void RegisterDeliveryOperations(Registry& r) {
  r.Add("DeliverConfigSnapshot", &DeliverConfigSnapshot);
}

}  // namespace vigil::api
