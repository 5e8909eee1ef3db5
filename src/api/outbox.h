// What `vigil serve` sends out: SNS notifications to the webhook standing for the delivery
// channel's topic, EventBridge events to the configured webhooks, and the delivery channel's
// files in a local folder standing for its S3 bucket (docs/serve.md, "Delivery").
//
// Messages go through a durable outbox. The Queue* functions run INSIDE a request's store
// transaction and write one "outbox" document per (message, destination) in the server's tenant
// ("", ""), named Key({destination URL, 16 hex digits of a sequence number}): the message is
// kept if and only if the request's change is. After the commit, the OutboxWorker (woken by
// Service::AddCommitListener) posts each destination's messages in name order (queue order) and
// deletes each only after the destination answered 2xx. A failed post is retried with
// exponential backoff (100 ms doubling to 60 s), forever, also after a restart since the
// documents stay in the store. Each destination has its own thread, so one that is down or slow
// holds back only its own messages. Delivery is at least once: a crash between a post and the
// deletion of its document sends that message again.
//
// The destinations are process-wide (SetDeliveryConfig, from `vigil serve`'s options). Without a
// configuration, or with no destination for a message, nothing is queued.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "api/records.h"
#include "api/store.h"
#include "common/time.h"

namespace vigil::api {

inline constexpr std::string_view kOutboxKind = "outbox";
// Per delivery channel (name): AWS's DeliveryChannelStatus members but `name`, timestamps as
// epoch seconds; written by DeliverConfigSnapshot, the scheduler and the worker.
inline constexpr std::string_view kDeliveryStatusKind = "delivery-channel-status";

struct DeliveryConfig {
  // --buckets: the channel's s3BucketName is the folder `buckets_dir/<bucket>/`; empty: no files.
  std::string buckets_dir;
  // --topic ARN=URL: the webhook standing for each SNS topic.
  std::map<std::string, std::string, std::less<>> topics;
  // --events-webhook: EventBridge's API destinations.
  std::vector<std::string> event_webhooks;
  // --sns-signing-key: the SNS envelope's Signature is base64(HMAC-SHA256(key, SNS's string to
  // sign)) with this key; empty: the Signature is "" (vigil has no AWS signing certificate).
  std::string sns_signing_key;
  // How often the scheduler looks for due periodic snapshots and history files.
  EpochMillis schedule_interval_ms = 60'000;
};

// Sets (or, with nullptr, clears) the process-wide destinations. Call before serving.
void SetDeliveryConfig(std::shared_ptr<const DeliveryConfig> config);
std::shared_ptr<const DeliveryConfig> GetDeliveryConfig();

// A rule's compliance for a resource changed (before: the previous record or nullptr).
void QueueComplianceChange(Store&, const Tenant&, const EvaluationRecord& now,
                           const EvaluationRecord* before, EpochMillis at);
// A new configuration item was recorded (item JSON in AWS's ConfigurationItem shape as
// resource_ops.cc stores it; previous: "" if none).
void QueueConfigurationItemChange(Store&, const Tenant&, std::string_view item_json,
                                  std::string_view previous_json, EpochMillis at);

// Queues one SNS notification (subject, message JSON) to the topic of the tenant's delivery
// channel, if it has one that is mapped to a webhook. `message_type` is the message's
// messageType, kept for the logs.
void QueueSnsNotification(Store& store, const Tenant& t, std::string_view subject,
                          std::string_view message_json, EpochMillis at);

// Delivery latency (queued -> destination answered 2xx) of the last 65536 messages.
struct OutboxStats {
  std::uint64_t delivered = 0;
  std::uint64_t failed_attempts = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};

class OutboxWorker {
 public:
  explicit OutboxWorker(Store& store);
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // Starts a thread per destination (those configured and those with documents left from an
  // earlier run) and the scheduler of periodic snapshots and history files.
  void Start();
  // Stops and joins every thread; undelivered messages stay in the store. With VIGIL_TIMINGS=1
  // logs the delivery latency.
  void Stop();
  // Something was queued: every destination looks at once. Cheap, thread-safe.
  void Wake();
  OutboxStats Stats() const;

 private:
  struct Destination;
  void RunDestination(Destination* d);
  void RunScheduler();
  void Record(double latency_ms);

  Store& store_;
  std::atomic<bool> stopping_{false};
  std::vector<std::unique_ptr<Destination>> destinations_;
  std::thread scheduler_;
  std::mutex scheduler_mu_;
  std::condition_variable scheduler_cv_;

  mutable std::mutex stats_mu_;
  std::vector<float> latencies_;  // ring buffer
  std::uint64_t delivered_ = 0;
  std::atomic<std::uint64_t> failed_attempts_{0};
};

// Shared with delivery_ops.cc.

// A random UUID (version 4), as AWS's message and snapshot ids are.
std::string RandomUuid();
// The stored item (the "resource" document) in the spelling AWS delivers to S3 and SNS
// (awsAccountId, ARN, configuration as an object, ISO 8601 times).
void WriteDeliveredItem(json::Value stored, json::Writer& w);
// Writes `data` gzip-compressed to `path` atomically (a temporary file, then rename), creating
// the folders; an error message, or "" on success.
std::string WriteGzipFile(const std::string& path, std::string_view data);
// Records a delivery attempt in one member ("configSnapshotDeliveryInfo",
// "configHistoryDeliveryInfo" or "configStreamDeliveryInfo") of the channel's status document.
void UpdateDeliveryStatus(Store& store, const Tenant& t, std::string_view channel,
                          std::string_view member, bool success, EpochMillis at,
                          std::string_view error_code = {}, std::string_view error_message = {});
// Delivers the tenant's periodic snapshots and history files that are due (scheduler).
void RunScheduledDeliveries(Store& store, EpochMillis now);
// Remembers that the tenant has a delivery channel, for the scheduler (PutDeliveryChannel).
void NoteDeliveryTenant(Store& store, const Tenant& t);

}  // namespace vigil::api
