#include "api/outbox.h"

#include <curl/curl.h>
#include <libdeflate.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "api/operation.h"
#include "aws/sigv4.h"
#include "common/log.h"
#include "common/strings.h"
#include "json/value.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

namespace fs = std::filesystem;

const Tenant kServerTenant{"", ""};
constexpr std::string_view kChannelKind = "delivery-channel";
constexpr std::string_view kRuleKind = "config-rule";
// SNS's largest message; AWS Config sends a summary instead of a larger item change.
constexpr size_t kMaxSnsMessage = 256 * 1024;
constexpr size_t kLatencyRing = 65536;

std::mutex config_mu;
std::shared_ptr<const DeliveryConfig> config;

std::int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Names sort in queue order: microseconds since the epoch, bumped past the last one handed out
// (queueing runs inside store transactions, which are serialised).
std::string NextSequence() {
  static std::atomic<std::int64_t> last{0};
  std::int64_t now = WallMicros();
  std::int64_t prev = last.load();
  std::int64_t next = 0;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(next));
  return buf;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

// One outbox document: where to post, what, and whose it is.
struct Message {
  std::string url;
  std::string type;  // "sns" or "events"
  std::int64_t queued_us = 0;
  Tenant tenant;
  std::string channel;  // sns: the delivery channel, for its configStreamDeliveryInfo
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

std::string MessageJson(const Message& m) {
  json::Writer w;
  w.BeginObject()
      .Field("url", m.url)
      .Field("type", m.type)
      .Field("queued", m.queued_us)
      .Field("account", m.tenant.account_id)
      .Field("region", m.tenant.region)
      .Field("channel", m.channel);
  w.Key("headers").BeginArray();
  for (const auto& [name, value] : m.headers) w.BeginArray().String(name).String(value).EndArray();
  w.EndArray().Field("body", m.body).EndObject();
  return w.Take();
}

std::optional<Message> ParseMessage(std::string_view text) {
  auto doc = json::Document::Parse(text);
  if (!doc.ok()) return std::nullopt;
  const json::Value v = doc->Root();
  Message m;
  m.url = v.Get("url").AsText();
  m.type = v.Get("type").AsText();
  m.queued_us = v.Get("queued").Int().value_or(0);
  m.tenant = {v.Get("account").AsText(), v.Get("region").AsText()};
  m.channel = v.Get("channel").AsText();
  for (const json::Value h : v.Get("headers").Elements()) {
    m.headers.emplace_back(h.At(0).AsText(), h.At(1).AsText());
  }
  m.body = v.Get("body").AsText();
  return m;
}

void Queue(Store& store, const Message& m) {
  store.Put(kServerTenant, kOutboxKind, Key({m.url, NextSequence()}), MessageJson(m));
}

// An ISO 8601 time as EventBridge writes it: whole seconds.
std::string EventTime(EpochMillis t) {
  std::string s = FormatIso8601(t);
  if (const size_t dot = s.find('.'); dot != std::string::npos) s = s.substr(0, dot) + "Z";
  return s;
}

// EventBridge events go to every --events-webhook.
void QueueEvent(Store& store, const DeliveryConfig& c, const Tenant& t,
                std::string_view detail_type, const std::vector<std::string>& resources,
                std::string_view detail, EpochMillis at) {
  if (c.event_webhooks.empty()) return;
  json::Writer w;
  w.BeginObject()
      .Field("version", "0")
      .Field("id", RandomUuid())
      .Field("detail-type", detail_type)
      .Field("source", "aws.config")
      .Field("account", t.account_id)
      .Field("time", EventTime(at))
      .Field("region", t.region);
  w.Key("resources").BeginArray();
  for (const std::string& r : resources) w.String(r);
  w.EndArray().Key("detail").Raw(detail).EndObject();
  Message m;
  m.type = "events";
  m.queued_us = WallMicros();
  m.tenant = t;
  m.headers = {{"Content-Type", "application/json; charset=utf-8"}};
  m.body = w.Take();
  for (const std::string& url : c.event_webhooks) {
    m.url = url;
    Queue(store, m);
  }
}

void WriteTime(json::Writer& w, std::string_view key, EpochMillis t) {
  w.Key(key);
  if (t > 0) {
    w.String(FormatIso8601(t));
  } else {
    w.Null();
  }
}

// AWS's EvaluationResult as notifications spell it (camelCase, ISO times, nulls).
void WriteNotifiedResult(const EvaluationRecord* r, bool with_mode, json::Writer& w) {
  if (r == nullptr) {
    w.Null();
    return;
  }
  w.BeginObject().Key("evaluationResultIdentifier").BeginObject();
  w.Key("evaluationResultQualifier")
      .BeginObject()
      .Field("configRuleName", r->rule_name)
      .Field("resourceType", r->resource_type)
      .Field("resourceId", r->resource_id);
  if (with_mode) w.Field("evaluationMode", r->evaluation_mode);
  w.EndObject();
  WriteTime(w, "orderingTimestamp", r->ordering_time);
  w.EndObject();
  w.Field("complianceType", r->compliance);
  WriteTime(w, "resultRecordedTime", r->recorded_time);
  WriteTime(w, "configRuleInvokedTime", r->invoked_time);
  w.Key("annotation");
  if (r->annotation.empty()) {
    w.Null();
  } else {
    w.String(r->annotation);
  }
  w.Key("resultToken").Null();
  w.EndObject();
}

// Writes a JSON value that the stored item may hold as a JSON string (the API's spelling) or as
// JSON (S3's); `fallback` if it is neither.
void WriteEmbedded(json::Value v, json::Writer& w, std::string_view fallback) {
  if (v.IsString()) {
    auto doc = json::Document::Parse(v.AsText());
    if (doc.ok()) {
      w.Raw(doc->Root().ToJson());
      return;
    }
  } else if (!v.Missing()) {
    w.Raw(v.ToJson());
    return;
  }
  w.Raw(fallback);
}

std::string Capitalized(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// The diff of two items' configurations, one level deep ("Configuration.<Member>"), as AWS's
// configurationItemDiff.changedProperties names them. AWS also descends into arrays
// ("Configuration.NetworkInterfaces.0"); vigil reports the whole member.
void WriteChangedProperties(json::Value now, json::Value before, json::Writer& w) {
  auto parse = [](json::Value v) -> std::optional<json::Document> {
    if (v.IsString()) {
      auto d = json::Document::Parse(v.AsText());
      if (d.ok()) return std::move(*d);
      return std::nullopt;
    }
    if (v.Missing()) return std::nullopt;
    auto d = json::Document::Parse(v.ToJson());
    if (d.ok()) return std::move(*d);
    return std::nullopt;
  };
  const std::optional<json::Document> a = parse(before.Get("configuration"));
  const std::optional<json::Document> b = parse(now.Get("configuration"));
  const json::Value old_config = a ? a->Root() : json::Value();
  const json::Value new_config = b ? b->Root() : json::Value();
  std::set<std::string> keys;
  for (const json::Member m : old_config.Members()) keys.emplace(m.key);
  for (const json::Member m : new_config.Members()) keys.emplace(m.key);
  w.BeginObject();
  for (const std::string& k : keys) {
    const json::Value x = old_config.Get(k), y = new_config.Get(k);
    const std::string xs = x.Missing() ? "" : x.ToJson(), ys = y.Missing() ? "" : y.ToJson();
    if (xs == ys) continue;
    w.Key("Configuration." + Capitalized(k)).BeginObject();
    if (!x.Missing()) w.Key("previousValue").Raw(xs);
    if (!y.Missing()) w.Key("updatedValue").Raw(ys);
    w.Field("changeType", x.Missing() ? "CREATE" : y.Missing() ? "DELETE" : "UPDATE").EndObject();
  }
  w.EndObject();
}

std::string DatePath(EpochMillis t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%d/%d/%d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

std::string CompactTime(EpochMillis t) {
  const std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

struct Channel {
  std::string name, bucket, prefix, topic;
};

std::optional<Channel> FindChannel(Store& store, const Tenant& t) {
  const std::vector<Document> channels = store.List(t, kChannelKind, {}, 1);
  if (channels.empty()) return std::nullopt;
  auto doc = json::Document::Parse(channels[0].body);
  if (!doc.ok()) return std::nullopt;
  const json::Value v = doc->Root();
  return Channel{channels[0].name, v.Get("s3BucketName").AsText(), v.Get("s3KeyPrefix").AsText(),
                 v.Get("snsTopicARN").AsText()};
}

std::string RegionOfArn(std::string_view arn) {
  const std::vector<std::string_view> parts = Split(arn, ':');
  return parts.size() > 3 ? std::string(parts[3]) : std::string();
}

void QueueSns(Store& store, const DeliveryConfig& c, const Tenant& t, std::string_view subject,
              std::string_view message_json, EpochMillis at) {
  const std::optional<Channel> ch = FindChannel(store, t);
  if (!ch || ch->topic.empty()) return;
  const auto url = c.topics.find(ch->topic);
  if (url == c.topics.end()) return;
  const std::string id = RandomUuid();
  const std::string timestamp = FormatIso8601(at);
  // SNS's string to sign for a Notification: name and value lines, in this order.
  std::string to_sign = "Message\n" + std::string(message_json) + "\nMessageId\n" + id + "\n";
  if (!subject.empty()) to_sign += "Subject\n" + std::string(subject) + "\n";
  to_sign += "Timestamp\n" + timestamp + "\nTopicArn\n" + ch->topic + "\nType\nNotification\n";
  const std::string signature =
      c.sns_signing_key.empty() ? "" : Base64(aws::HmacSha256(c.sns_signing_key, to_sign));
  const std::string region = RegionOfArn(ch->topic);
  json::Writer w;
  w.BeginObject().Field("Type", "Notification").Field("MessageId", id).Field("TopicArn", ch->topic);
  if (!subject.empty()) w.Field("Subject", subject);
  w.Field("Message", message_json)
      .Field("Timestamp", timestamp)
      .Field("SignatureVersion", "1")
      .Field("Signature", signature)
      .Field("SigningCertURL", "")
      .Field("UnsubscribeURL",
             "https://sns." + region +
                 ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + ch->topic + ":vigil")
      .EndObject();
  Message m;
  m.url = url->second;
  m.type = "sns";
  m.queued_us = WallMicros();
  m.tenant = t;
  m.channel = ch->name;
  m.headers = {{"Content-Type", "text/plain; charset=UTF-8"},
               {"x-amz-sns-message-type", "Notification"},
               {"x-amz-sns-message-id", id},
               {"x-amz-sns-topic-arn", ch->topic},
               {"x-amz-sns-subscription-arn", ch->topic + ":vigil"},
               {"User-Agent", "Amazon Simple Notification Service Agent"}};
  m.body = w.Take();
  Queue(store, m);
}

// SNS subjects are at most 100 characters; AWS Config cuts longer ones with "...".
std::string Subject(std::string s) {
  if (s.size() > 100) s = TruncateUtf8(s, 97) + "...";
  return s;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

// Aborts a post in progress when the worker stops.
int AbortWhenStopping(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<std::atomic<bool>*>(stopping)->load() ? 1 : 0;
}

}  // namespace

void SetDeliveryConfig(std::shared_ptr<const DeliveryConfig> c) {
  std::lock_guard lock(config_mu);
  config = std::move(c);
}

std::shared_ptr<const DeliveryConfig> GetDeliveryConfig() {
  std::lock_guard lock(config_mu);
  return config;
}

std::string RandomUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t a = rng(), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xFFFF), static_cast<unsigned>(a & 0xFFF),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3FFF)),
                static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFULL));
  return buf;
}

void WriteDeliveredItem(json::Value v, json::Writer& w) {
  const EpochMillis capture = v.Get("vigilCaptureMillis").Int().value_or(0);
  w.BeginObject()
      .Field("configurationItemVersion", "1.3")
      .Key("configurationItemCaptureTime")
      .String(capture > 0 ? FormatIso8601(capture)
                          : FormatIso8601(FromEpochSeconds(
                                v.Get("configurationItemCaptureTime").Number().value_or(0))));
  const std::string state = v.Get("configurationStateId").AsText();
  if (const auto n = v.Get("vigilState").Int()) {
    w.Field("configurationStateId", *n);
  } else {
    w.Field("configurationStateId", state);
  }
  w.Field("awsAccountId", v.Get("accountId").Missing() ? v.Get("awsAccountId").AsText()
                                                       : v.Get("accountId").AsText())
      .Field("configurationItemStatus", v.Get("configurationItemStatus").AsText())
      .Field("resourceType", v.Get("resourceType").AsText())
      .Field("resourceId", v.Get("resourceId").AsText());
  w.Key("resourceName");
  if (v.Get("resourceName").IsString()) {
    w.String(v.Get("resourceName").AsText());
  } else {
    w.Null();
  }
  const json::Value arn = v.Get("arn").Missing() ? v.Get("ARN") : v.Get("arn");
  w.Key("ARN");
  if (arn.IsString()) {
    w.String(arn.AsText());
  } else {
    w.Null();
  }
  w.Field("awsRegion", v.Get("awsRegion").AsText())
      .Field("availabilityZone", v.Get("availabilityZone").AsText())
      .Field("configurationStateMd5Hash", v.Get("configurationItemMD5Hash").AsText());
  w.Key("resourceCreationTime");
  if (const auto t = v.Get("resourceCreationTime").Number()) {
    w.String(FormatIso8601(FromEpochSeconds(*t)));
  } else if (v.Get("resourceCreationTime").IsString()) {
    w.String(v.Get("resourceCreationTime").AsText());
  } else {
    w.Null();
  }
  w.Key("tags");
  WriteEmbedded(v.Get("tags"), w, "{}");
  w.Key("relatedEvents");
  WriteEmbedded(v.Get("relatedEvents"), w, "[]");
  w.Key("relationships");
  WriteEmbedded(v.Get("relationships"), w, "[]");
  w.Key("configuration");
  WriteEmbedded(v.Get("configuration"), w, "null");
  w.Key("supplementaryConfiguration");
  WriteEmbedded(v.Get("supplementaryConfiguration"), w, "{}");
  w.EndObject();
}

std::string WriteGzipFile(const std::string& path, std::string_view data) {
  libdeflate_compressor* c = libdeflate_alloc_compressor(6);
  if (c == nullptr) return "out of memory";
  std::string out(libdeflate_gzip_compress_bound(c, data.size()), '\0');
  const size_t n = libdeflate_gzip_compress(c, data.data(), data.size(), out.data(), out.size());
  libdeflate_free_compressor(c);
  if (n == 0) return "gzip compression failed";
  out.resize(n);
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return ec.message();
  const std::string tmp = path + ".tmp" + RandomUuid().substr(0, 8);
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f.write(out.data(), static_cast<std::streamsize>(out.size()));
    f.flush();
    if (!f) {
      fs::remove(tmp, ec);
      return "cannot write " + tmp;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return ec.message();
  }
  return "";
}

void UpdateDeliveryStatus(Store& store, const Tenant& t, std::string_view channel,
                          std::string_view member, bool success, EpochMillis at,
                          std::string_view error_code, std::string_view error_message) {
  const std::optional<std::string> old = store.Get(t, kDeliveryStatusKind, channel);
  std::optional<json::Document> doc;
  if (old) {
    if (auto d = json::Document::Parse(*old); d.ok()) doc = std::move(*d);
  }
  const json::Value root = doc ? doc->Root() : json::Value();
  json::Writer w;
  w.BeginObject();
  for (const std::string_view m :
       {"configSnapshotDeliveryInfo", "configHistoryDeliveryInfo", "configStreamDeliveryInfo"}) {
    const json::Value prev = root.Get(m);
    if (m != member) {
      if (!prev.Missing()) w.Key(m).Raw(prev.ToJson());
      continue;
    }
    const std::string status = success ? "SUCCESS" : "FAILURE";
    w.Key(m).BeginObject().Field("lastStatus", status);
    if (!success) {
      w.Field("lastErrorCode", error_code).Field("lastErrorMessage", error_message);
    }
    if (m == "configStreamDeliveryInfo") {
      const bool changed = prev.Get("lastStatus").AsText() != status;
      w.Key("lastStatusChangeTime");
      if (changed || prev.Get("lastStatusChangeTime").Missing()) {
        w.Double(EpochSeconds(at));
      } else {
        w.Raw(prev.Get("lastStatusChangeTime").ToJson());
      }
    } else {
      w.Key("lastAttemptTime").Double(EpochSeconds(at));
      if (success) {
        w.Key("lastSuccessfulTime").Double(EpochSeconds(at));
      } else if (!prev.Get("lastSuccessfulTime").Missing()) {
        w.Key("lastSuccessfulTime").Raw(prev.Get("lastSuccessfulTime").ToJson());
      }
      if (const json::Value next = prev.Get("nextDeliveryTime"); !next.Missing()) {
        w.Key("nextDeliveryTime").Raw(next.ToJson());
      }
    }
    w.EndObject();
  }
  w.EndObject();
  store.Put(t, kDeliveryStatusKind, channel, w.str());
}

void QueueSnsNotification(Store& store, const Tenant& t, std::string_view subject,
                          std::string_view message_json, EpochMillis at) {
  const std::shared_ptr<const DeliveryConfig> c = GetDeliveryConfig();
  if (c) QueueSns(store, *c, t, subject, message_json, at);
}

void QueueComplianceChange(Store& store, const Tenant& t, const EvaluationRecord& now,
                           const EvaluationRecord* before, EpochMillis at) {
  const std::shared_ptr<const DeliveryConfig> c = GetDeliveryConfig();
  if (!c || (c->topics.empty() && c->event_webhooks.empty())) return;
  std::string rule_arn;
  if (const auto rule = store.Get(t, kRuleKind, now.rule_name)) {
    if (auto doc = json::Document::Parse(*rule); doc.ok()) {
      rule_arn = doc->Root().Get("ConfigRuleArn").AsText();
    }
  }
  if (!c->topics.empty()) {
    json::Writer w;
    w.BeginObject()
        .Field("awsAccountId", t.account_id)
        .Field("configRuleName", now.rule_name)
        .Field("configRuleARN", rule_arn)
        .Field("resourceType", now.resource_type)
        .Field("resourceId", now.resource_id)
        .Field("awsRegion", t.region)
        .Key("newEvaluationResult");
    WriteNotifiedResult(&now, false, w);
    w.Key("oldEvaluationResult");
    WriteNotifiedResult(before, false, w);
    w.Field("notificationCreationTime", FormatIso8601(at))
        .Field("messageType", "ComplianceChangeNotification")
        .Field("recordVersion", "1.0")
        .EndObject();
    QueueSns(
        store, *c, t,
        Subject("[AWS Config:" + t.region + "] " + now.resource_type + " " + now.resource_id +
                " is " + now.compliance + " with " + now.rule_name + " in Account " + t.account_id),
        w.str(), at);
  }
  if (!c->event_webhooks.empty()) {
    json::Writer w;
    w.BeginObject()
        .Field("resourceId", now.resource_id)
        .Field("awsRegion", t.region)
        .Field("awsAccountId", t.account_id)
        .Field("configRuleName", now.rule_name)
        .Field("recordVersion", "1.0")
        .Field("configRuleARN", rule_arn)
        .Field("messageType", "ComplianceChangeNotification")
        .Key("newEvaluationResult");
    WriteNotifiedResult(&now, true, w);
    w.Key("oldEvaluationResult");
    WriteNotifiedResult(before, true, w);
    w.Field("notificationCreationTime", FormatIso8601(at))
        .Field("resourceType", now.resource_type)
        .EndObject();
    QueueEvent(store, *c, t, "Config Rules Compliance Change", {}, w.str(), at);
  }
}

void QueueConfigurationItemChange(Store& store, const Tenant& t, std::string_view item_json,
                                  std::string_view previous_json, EpochMillis at) {
  const std::shared_ptr<const DeliveryConfig> c = GetDeliveryConfig();
  if (!c || (c->topics.empty() && c->event_webhooks.empty())) return;
  auto item_doc = json::Document::Parse(item_json);
  if (!item_doc.ok()) return;
  std::optional<json::Document> prev_doc;
  if (!previous_json.empty()) {
    if (auto d = json::Document::Parse(previous_json); d.ok()) prev_doc = std::move(*d);
  }
  const json::Value item = item_doc->Root();
  const json::Value prev = prev_doc ? prev_doc->Root() : json::Value();
  const std::string status = item.Get("configurationItemStatus").AsText();
  const bool was_there =
      !prev.Missing() && prev.Get("configurationItemStatus").AsText() != "ResourceDeleted" &&
      prev.Get("configurationItemStatus").AsText() != "ResourceDeletedNotRecorded";
  const bool deleted = status == "ResourceDeleted" || status == "ResourceDeletedNotRecorded";
  const std::string change = deleted ? "DELETE" : was_there ? "UPDATE" : "CREATE";
  const std::string type = item.Get("resourceType").AsText();
  const std::string id = item.Get("resourceId").AsText();
  json::Writer ci;
  WriteDeliveredItem(item, ci);

  json::Writer w;
  w.BeginObject().Key("configurationItemDiff").BeginObject().Key("changedProperties");
  if (change == "UPDATE") {
    WriteChangedProperties(item, prev, w);
  } else {
    w.BeginObject().EndObject();
  }
  w.Field("changeType", change).EndObject();
  w.Key("configurationItem").Raw(ci.str());
  w.Field("notificationCreationTime", FormatIso8601(at))
      .Field("messageType", "ConfigurationItemChangeNotification")
      .Field("recordVersion", "1.3")
      .EndObject();
  std::string message = w.Take();

  if (message.size() > kMaxSnsMessage) {
    // The full notification goes to the bucket; the topic gets a summary pointing at it.
    std::string location;
    std::string error_code = "null", error_message = "null";
    const std::optional<Channel> ch = FindChannel(store, t);
    if (ch && !c->buckets_dir.empty()) {
      const std::string key = (ch->prefix.empty() ? "" : ch->prefix + "/") + "AWSLogs/" +
                              t.account_id + "/Config/" + t.region + "/" + DatePath(at) +
                              "/OversizedChangeNotification/" + type + "/" + id + "/" +
                              t.account_id + "_Config_" + t.region + "_ChangeNotification_" + type +
                              "_" + id + "_" + CompactTime(at) + "_0.json.gz";
      location = ch->bucket + "/" + key;
      const std::string err =
          WriteGzipFile((fs::path(c->buckets_dir) / ch->bucket / key).string(), message);
      if (!err.empty()) {
        error_code = "\"InternalError\"";
        json::Writer e;
        e.String(err);
        error_message = e.Take();
      }
    }
    json::Writer s;
    s.BeginObject().Key("configurationItemSummary").BeginObject().Field("changeType", change);
    auto ci_doc = json::Document::Parse(ci.str());
    const json::Value civ = ci_doc.ok() ? ci_doc->Root() : json::Value();
    for (const std::string_view k :
         {"configurationItemVersion", "configurationItemCaptureTime", "configurationStateId",
          "awsAccountId", "configurationItemStatus", "resourceType", "resourceId", "resourceName",
          "ARN", "awsRegion", "availabilityZone", "configurationStateMd5Hash",
          "resourceCreationTime"}) {
      s.Key(k).Raw(civ.Get(k).Missing() ? "null" : civ.Get(k).ToJson());
    }
    s.EndObject().Key("s3DeliverySummary").BeginObject().Key("s3BucketLocation");
    if (location.empty()) {
      s.Null();
    } else {
      s.String(location);
    }
    s.Key("errorCode").Raw(error_code).Key("errorMessage").Raw(error_message).EndObject();
    s.Field("notificationCreationTime", FormatIso8601(at))
        .Field("messageType", "OversizedConfigurationItemChangeNotification")
        .Field("recordVersion", "1.0")
        .EndObject();
    message = s.Take();
  }
  const std::string verb = change == "CREATE"   ? "Created"
                           : change == "UPDATE" ? "Updated"
                                                : "Deleted";
  if (!c->topics.empty()) {
    QueueSns(store, *c, t,
             Subject("[AWS Config:" + t.region + "] " + type + " " + id + " " + verb +
                     " in Account " + t.account_id),
             message, at);
  }
  std::vector<std::string> resources;
  const json::Value arn = item.Get("arn").Missing() ? item.Get("ARN") : item.Get("arn");
  if (arn.IsString() && !arn.AsText().empty()) resources.push_back(arn.AsText());
  QueueEvent(store, *c, t, "Config Configuration Item Change", resources, message, at);
}

// The worker.

struct OutboxWorker::Destination {
  std::string url;
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t generation = 0;  // bumped by Wake
  CURL* curl = nullptr;
  // The last configStreamDeliveryInfo status written, per (account, region): written again
  // only when it changes.
  std::map<std::pair<std::string, std::string>, bool> stream_ok;
};

OutboxWorker::OutboxWorker(Store& store) : store_(store) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  static std::once_flag curl_once;
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  stopping_ = false;
  std::set<std::string> urls;
  if (const auto c = GetDeliveryConfig()) {
    for (const auto& kv : c->topics) urls.insert(kv.second);
    urls.insert(c->event_webhooks.begin(), c->event_webhooks.end());
  }
  // Destinations with messages left from an earlier run (perhaps no longer configured): the
  // first document of each, skipping the rest of its range.
  (void)store_.Transact([&] {
    std::string after;
    for (;;) {
      const std::vector<Document> first = store_.List(kServerTenant, kOutboxKind, after, 1);
      if (first.empty()) break;
      const std::string url = SplitKey(first[0].name)[0];
      urls.insert(url);
      after = Key({url}, true) + "\xff";
    }
    return true;
  });
  for (const std::string& url : urls) {
    auto d = std::make_unique<Destination>();
    d->url = url;
    d->curl = curl_easy_init();
    destinations_.push_back(std::move(d));
  }
  for (auto& d : destinations_) {
    Destination* p = d.get();
    p->thread = std::thread([this, p] { RunDestination(p); });
  }
  scheduler_ = std::thread([this] { RunScheduler(); });
}

void OutboxWorker::Stop() {
  if (destinations_.empty() && !scheduler_.joinable()) return;
  stopping_ = true;
  for (auto& d : destinations_) {
    {
      std::lock_guard lock(d->mu);
      ++d->generation;
    }
    d->cv.notify_all();
  }
  { std::lock_guard lock(scheduler_mu_); }
  scheduler_cv_.notify_all();
  for (auto& d : destinations_) {
    if (d->thread.joinable()) d->thread.join();
    if (d->curl != nullptr) curl_easy_cleanup(d->curl);
  }
  destinations_.clear();
  if (scheduler_.joinable()) scheduler_.join();
  if (const char* t = std::getenv("VIGIL_TIMINGS"); t != nullptr && std::string_view(t) == "1") {
    const OutboxStats s = Stats();
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "outbox: %llu delivered, %llu failed attempts; latency p50 %.3f ms, p99 %.3f "
                  "ms, max %.3f ms",
                  static_cast<unsigned long long>(s.delivered),
                  static_cast<unsigned long long>(s.failed_attempts), s.p50_ms, s.p99_ms, s.max_ms);
    log::Info(buf);
  }
}

void OutboxWorker::Wake() {
  for (auto& d : destinations_) {
    {
      std::lock_guard lock(d->mu);
      ++d->generation;
    }
    d->cv.notify_one();
  }
}

void OutboxWorker::Record(double latency_ms) {
  std::lock_guard lock(stats_mu_);
  if (latencies_.size() < kLatencyRing) {
    latencies_.push_back(static_cast<float>(latency_ms));
  } else {
    latencies_[delivered_ % kLatencyRing] = static_cast<float>(latency_ms);
  }
  ++delivered_;
}

OutboxStats OutboxWorker::Stats() const {
  OutboxStats s;
  std::vector<float> v;
  {
    std::lock_guard lock(stats_mu_);
    v = latencies_;
    s.delivered = delivered_;
  }
  s.failed_attempts = failed_attempts_.load();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    return static_cast<double>(v[std::min(v.size() - 1, static_cast<size_t>(q * v.size()))]);
  };
  s.p50_ms = at(0.5);
  s.p99_ms = at(0.99);
  s.max_ms = v.back();
  return s;
}

void OutboxWorker::RunDestination(Destination* d) {
  constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
  constexpr auto kMaxBackoff = std::chrono::milliseconds(60'000);
  auto backoff = kFirstBackoff;
  const std::string prefix = Key({d->url}, true);
  while (!stopping_) {
    std::uint64_t seen = 0;
    {
      std::lock_guard lock(d->mu);
      seen = d->generation;
    }
    std::vector<Document> batch;
    (void)store_.Transact([&] {
      batch = store_.ListPrefix(kServerTenant, kOutboxKind, prefix, {}, 64);
      return true;
    });
    if (batch.empty()) {
      std::unique_lock lock(d->mu);
      d->cv.wait(lock, [&] { return stopping_ || d->generation != seen; });
      continue;
    }
    for (const Document& doc : batch) {
      if (stopping_) return;
      const std::optional<Message> m = ParseMessage(doc.body);
      bool ok = !m.has_value();  // an unreadable document is dropped
      std::string error;
      if (m) {
        curl_slist* headers = nullptr;
        for (const auto& [name, value] : m->headers) {
          headers = curl_slist_append(headers, (name + ": " + value).c_str());
        }
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(d->curl, CURLOPT_URL, d->url.c_str());
        curl_easy_setopt(d->curl, CURLOPT_POST, 1L);
        curl_easy_setopt(d->curl, CURLOPT_POSTFIELDS, m->body.data());
        curl_easy_setopt(d->curl, CURLOPT_POSTFIELDSIZE_LARGE,
                         static_cast<curl_off_t>(m->body.size()));
        curl_easy_setopt(d->curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(d->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
        curl_easy_setopt(d->curl, CURLOPT_TIMEOUT_MS, 30000L);
        curl_easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, &Discard);
        curl_easy_setopt(d->curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(d->curl, CURLOPT_XFERINFOFUNCTION, &AbortWhenStopping);
        curl_easy_setopt(d->curl, CURLOPT_XFERINFODATA, &stopping_);
        const CURLcode rc = curl_easy_perform(d->curl);
        long status = 0;
        curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_setopt(d->curl, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(headers);
        ok = rc == CURLE_OK && status >= 200 && status < 300;
        if (!ok) {
          error = rc != CURLE_OK ? curl_easy_strerror(rc) : "HTTP status " + std::to_string(status);
        }
      }
      const bool sns = m && m->type == "sns";
      const std::pair<std::string, std::string> tenant_key =
          m ? std::make_pair(m->tenant.account_id, m->tenant.region)
            : std::pair<std::string, std::string>();
      const auto known = d->stream_ok.find(tenant_key);
      const bool status_changed = sns && (known == d->stream_ok.end() || known->second != ok);
      if (ok || status_changed) {
        (void)store_.Transact([&] {
          if (ok) store_.Delete(kServerTenant, kOutboxKind, doc.name);
          if (status_changed) {
            UpdateDeliveryStatus(store_, m->tenant, m->channel, "configStreamDeliveryInfo", ok,
                                 NowMillis(), ok ? "" : "SNSDeliveryFailed", error);
          }
          return true;
        });
        if (sns) d->stream_ok[tenant_key] = ok;
      }
      if (ok) {
        if (m) Record(static_cast<double>(WallMicros() - m->queued_us) / 1000.0);
        backoff = kFirstBackoff;
        continue;
      }
      ++failed_attempts_;
      std::unique_lock lock(d->mu);
      d->cv.wait_for(lock, backoff, [&] { return stopping_.load(); });
      backoff = std::min(backoff * 2, kMaxBackoff);
      break;
    }
  }
}

void OutboxWorker::RunScheduler() {
  const auto c = GetDeliveryConfig();
  const EpochMillis interval = c ? std::max<EpochMillis>(c->schedule_interval_ms, 10) : 60'000;
  while (!stopping_) {
    {
      std::unique_lock lock(scheduler_mu_);
      if (scheduler_cv_.wait_for(lock, std::chrono::milliseconds(interval),
                                 [&] { return stopping_.load(); })) {
        return;
      }
    }
    RunScheduledDeliveries(store_, NowMillis());
    Wake();
  }
}

}  // namespace vigil::api
