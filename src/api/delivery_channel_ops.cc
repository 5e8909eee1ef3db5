// Delivery channels: PutDeliveryChannel, DescribeDeliveryChannels, DeleteDeliveryChannel,
// DescribeDeliveryChannelStatus.
//
// As in AWS: a channel needs a recorder to exist first, one channel per account and region,
// an empty bucket name, key prefix, SNS topic or KMS key is refused with AWS's error, and the
// last channel cannot be deleted while the recorder is recording. The status reports what
// delivery_ops.cc and the outbox (outbox.h) delivered.
#include <string>

#include "api/operation.h"
#include "api/outbox.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kChannel = "delivery-channel";
constexpr std::string_view kRecorder = "recorder";
constexpr std::string_view kRecorderStatus = "recorder-status";

Outcome NoSuchChannel(std::string_view name) {
  return Outcome::Fail(
      "NoSuchDeliveryChannelException",
      "Cannot find delivery channel with specified name '" + std::string(name) + "'.");
}

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

Outcome PutDeliveryChannel(Context& ctx, json::Value input) {
  const json::Value ch = input.Get("DeliveryChannel");
  if (ctx.store->Count(ctx.tenant, kRecorder) == 0) {
    return Outcome::Fail("NoAvailableConfigurationRecorderException",
                         "Configuration recorder is not available to put delivery channel.");
  }
  const std::string name = ch.Get("name").Missing() ? "default" : ch.Get("name").AsText();
  if (Blank(name)) {
    return Outcome::Fail("InvalidDeliveryChannelNameException",
                         "The delivery channel name '" + name + "' is not valid, blank string.");
  }
  if (Blank(ch.Get("s3BucketName").AsText())) {
    return Outcome::Fail("NoSuchBucketException",
                         "Cannot find a S3 bucket with an empty bucket name.");
  }
  if (const json::Value p = ch.Get("s3KeyPrefix"); p.IsString() && p.AsText().empty()) {
    return Outcome::Fail("InvalidS3KeyPrefixException",
                         "The s3 key prefix '' is not valid, empty s3 key prefix.");
  }
  if (const json::Value sns = ch.Get("snsTopicARN"); sns.IsString()) {
    const std::string arn = sns.AsText();
    if (arn.rfind("arn:aws", 0) != 0 || arn.find(":sns:") == std::string::npos) {
      return Outcome::Fail("InvalidSNSTopicARNException",
                           "The sns topic arn '" + arn + "' is not valid.");
    }
  }
  if (const json::Value kms = ch.Get("s3KmsKeyArn"); kms.IsString()) {
    const std::string arn = kms.AsText();
    if (arn.rfind("arn:aws", 0) != 0 || arn.find(":kms:") == std::string::npos) {
      return Outcome::Fail("InvalidS3KmsKeyArnException",
                           "The arn '" + arn + "' is not a valid kms key or alias arn.");
    }
  }
  if (!ctx.store->Get(ctx.tenant, kChannel, name) && ctx.store->Count(ctx.tenant, kChannel) >= 1) {
    return Outcome::Fail("MaxNumberOfDeliveryChannelsExceededException",
                         "Failed to put delivery channel '" + name +
                             "' because the maximum number of delivery channels: 1 is reached.");
  }
  json::Writer w;
  const ServiceModel& model = *ctx.model;
  // The stored channel is the request's, in the model's member order, with the default name.
  w.BeginObject().Field("name", name);
  const Shape& shape = model.shape(model.FindShape("DeliveryChannel"));
  for (const ShapeMember& m : shape.members) {
    if (m.name == "name") continue;
    const json::Value v = ch.Get(m.name);
    if (v.Missing() || v.IsNull()) continue;
    w.Key(m.name);
    WriteShape(model, m.shape, v, w);
  }
  w.EndObject();
  ctx.store->Put(ctx.tenant, kChannel, name, w.str());
  NoteDeliveryTenant(*ctx.store, ctx.tenant);  // periodic delivery (delivery_ops.cc)
  return Outcome::Ok("{}");
}

// The channels named in DeliveryChannelNames, or all of them.
std::optional<Outcome> Select(Context& ctx, json::Value input, std::vector<Document>& out) {
  const std::vector<std::string> names = Strings(input.Get("DeliveryChannelNames"));
  if (names.empty()) {
    out = ctx.store->List(ctx.tenant, kChannel);
    return std::nullopt;
  }
  for (const std::string& n : names) {
    std::optional<std::string> body = ctx.store->Get(ctx.tenant, kChannel, n);
    if (!body) return NoSuchChannel(n);
    out.push_back({n, std::move(*body)});
  }
  return std::nullopt;
}

Outcome DescribeDeliveryChannels(Context& ctx, json::Value input) {
  std::vector<Document> channels;
  if (auto err = Select(ctx, input, channels)) return *err;
  json::Writer w;
  w.BeginObject().Key("DeliveryChannels").BeginArray();
  for (const Document& d : channels) w.Raw(d.body);
  w.EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

Outcome DescribeDeliveryChannelStatus(Context& ctx, json::Value input) {
  std::vector<Document> channels;
  if (auto err = Select(ctx, input, channels)) return *err;
  json::Writer w;
  w.BeginObject().Key("DeliveryChannelsStatus").BeginArray();
  for (const Document& d : channels) {
    auto doc = json::Document::Parse(d.body);
    const bool has_topic = doc.ok() && !doc->Root().Get("snsTopicARN").Missing();
    // What was delivered so far (delivery_ops.cc and the outbox write it).
    const std::optional<std::string> status =
        ctx.store->Get(ctx.tenant, kDeliveryStatusKind, d.name);
    auto status_doc = json::Document::Parse(status ? *status : std::string("{}"));
    const json::Value s = status_doc.ok() ? status_doc->Root() : json::Value();
    w.BeginObject().Field("name", d.name);
    for (const std::string_view m : {"configSnapshotDeliveryInfo", "configHistoryDeliveryInfo"}) {
      w.Key(m).Raw(s.Get(m).IsObject() ? s.Get(m).ToJson() : "{}");
    }
    w.Key("configStreamDeliveryInfo");
    if (has_topic && s.Get("configStreamDeliveryInfo").IsObject()) {
      w.Raw(s.Get("configStreamDeliveryInfo").ToJson());
    } else {
      w.BeginObject();
      if (!has_topic) w.Field("lastStatus", "NOT_APPLICABLE");
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return Outcome::Ok(w.Take());
}

Outcome DeleteDeliveryChannel(Context& ctx, json::Value input) {
  const std::string name = input.Get("DeliveryChannelName").AsText();
  if (!ctx.store->Get(ctx.tenant, kChannel, name)) return NoSuchChannel(name);
  for (const Document& d : ctx.store->List(ctx.tenant, kRecorderStatus)) {
    auto doc = json::Document::Parse(d.body);
    if (doc.ok() && doc->Root().Get("recording").Bool().value_or(false)) {
      return Outcome::Fail("LastDeliveryChannelDeleteFailedException",
                           "Failed to delete last specified delivery channel with name '" + name +
                               "', because there, because there is a running configuration "
                               "recorder.");
    }
  }
  ctx.store->Delete(ctx.tenant, kChannel, name);
  return Outcome::Ok("{}");
}

}  // namespace

void RegisterDeliveryChannelOperations(Registry& r) {
  r.Add("PutDeliveryChannel", &PutDeliveryChannel);
  r.Add("DescribeDeliveryChannels", &DescribeDeliveryChannels);
  r.Add("DescribeDeliveryChannelStatus", &DescribeDeliveryChannelStatus);
  r.Add("DeleteDeliveryChannel", &DeleteDeliveryChannel);
}

}  // namespace vigil::api
