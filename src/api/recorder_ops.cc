// Configuration recorders: PutConfigurationRecorder, DescribeConfigurationRecorders,
// DeleteConfigurationRecorder, Start/StopConfigurationRecorder,
// DescribeConfigurationRecorderStatus.
//
// AWS allows one customer-managed recorder per account and region; putting one under another
// name fails with MaxNumberOfConfigurationRecordersExceededException, putting the same name
// again updates it. Starting needs a delivery channel. vigil cannot check that the role exists or
// trusts AWS Config, so roleARN is only checked to be an IAM role ARN.
#include <string>

#include "api/operation.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kRecorder = "recorder";
constexpr std::string_view kRecorderStatus = "recorder-status";
constexpr std::string_view kDeliveryChannel = "delivery-channel";

struct RecorderStatus {
  std::string name, arn, last_status;
  bool recording = false;
  EpochMillis last_start = 0, last_stop = 0, last_change = 0;

  std::string ToJson() const {
    json::Writer w;
    w.BeginObject().Field("arn", arn).Field("name", name);
    if (last_start) w.Key("lastStartTime").Double(EpochSeconds(last_start));
    if (last_stop) w.Key("lastStopTime").Double(EpochSeconds(last_stop));
    w.Field("recording", recording);
    if (!last_status.empty()) w.Field("lastStatus", last_status);
    if (last_change) w.Key("lastStatusChangeTime").Double(EpochSeconds(last_change));
    w.EndObject();
    return w.Take();
  }

  static RecorderStatus FromJson(std::string_view text) {
    RecorderStatus s;
    auto doc = json::Document::Parse(text);
    if (!doc.ok()) return s;
    const json::Value v = doc->Root();
    auto millis = [&](std::string_view key) {
      return static_cast<EpochMillis>(v.Get(key).Number().value_or(0) * 1000.0 + 0.5);
    };
    s.name = v.Get("name").AsText();
    s.arn = v.Get("arn").AsText();
    s.recording = v.Get("recording").Bool().value_or(false);
    s.last_status = v.Get("lastStatus").AsText();
    s.last_start = millis("lastStartTime");
    s.last_stop = millis("lastStopTime");
    s.last_change = millis("lastStatusChangeTime");
    return s;
  }
};

Outcome NoSuchRecorder(std::string_view name) {
  return Outcome::Fail(
      "NoSuchConfigurationRecorderException",
      "Cannot find configuration recorder with the specified name '" + std::string(name) + "'.");
}

Outcome InvalidRecordingGroup() {
  return Outcome::Fail("InvalidRecordingGroupException",
                       "The recording group provided is not valid");
}

bool IsRoleArn(std::string_view arn) {
  if (arn.substr(0, 7) != "arn:aws") return false;
  const size_t iam = arn.find(":iam::");
  if (iam == std::string_view::npos) return false;
  const size_t role = arn.find(":role/", iam + 6);
  return role != std::string_view::npos && role + 6 < arn.size();
}

// Writes the recording group with AWS's defaults filled in; false if AWS would refuse it.
bool WriteRecordingGroup(json::Value group, json::Writer& w) {
  if (!group.Missing() && group.IsObject() && group.Size() == 0) return false;
  const bool all_supported =
      group.Missing() ? true : group.Get("allSupported").Bool().value_or(false);
  const bool include_global = group.Get("includeGlobalResourceTypes").Bool().value_or(false);
  const std::vector<std::string> types = Strings(group.Get("resourceTypes"));
  const std::vector<std::string> excluded =
      Strings(group.Get("exclusionByResourceTypes").Get("resourceTypes"));
  std::string use_only = group.Get("recordingStrategy").Get("useOnly").AsText();
  if (use_only.empty()) {
    use_only = all_supported      ? "ALL_SUPPORTED_RESOURCE_TYPES"
               : excluded.empty() ? "INCLUSION_BY_RESOURCE_TYPES"
                                  : "EXCLUSION_BY_RESOURCE_TYPES";
  }
  if (all_supported) {
    if (!types.empty() || !excluded.empty() || use_only != "ALL_SUPPORTED_RESOURCE_TYPES") {
      return false;
    }
  } else {
    if (include_global) return false;
    if (use_only == "ALL_SUPPORTED_RESOURCE_TYPES") return false;
    if (use_only == "INCLUSION_BY_RESOURCE_TYPES" && (types.empty() || !excluded.empty())) {
      return false;
    }
    if (use_only == "EXCLUSION_BY_RESOURCE_TYPES" && (excluded.empty() || !types.empty())) {
      return false;
    }
  }
  w.BeginObject().Field("allSupported", all_supported);
  w.Field("includeGlobalResourceTypes", include_global);
  w.Key("resourceTypes").BeginArray();
  for (const auto& t : types) w.String(t);
  w.EndArray();
  w.Key("exclusionByResourceTypes").BeginObject().Key("resourceTypes").BeginArray();
  for (const auto& t : excluded) w.String(t);
  w.EndArray().EndObject();
  w.Key("recordingStrategy").BeginObject().Field("useOnly", use_only).EndObject();
  w.EndObject();
  return true;
}

Outcome PutConfigurationRecorder(Context& ctx, json::Value input) {
  const json::Value rec = input.Get("ConfigurationRecorder");
  const std::string name = rec.Get("name").Missing() ? "default" : rec.Get("name").AsText();
  if (name.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Outcome::Fail(
        "InvalidConfigurationRecorderNameException",
        "The configuration recorder name '" + name + "' is not valid, blank string.");
  }
  const std::string role = rec.Get("roleARN").AsText();
  if (!IsRoleArn(role)) {
    return Outcome::Fail("InvalidRoleException",
                         "The role ARN '" + role + "' is not a valid IAM role ARN.");
  }
  std::string arn;
  std::optional<std::string> existing = ctx.store->Get(ctx.tenant, kRecorder, name);
  if (existing) {
    auto doc = json::Document::Parse(*existing);
    if (doc.ok()) arn = doc->Root().Get("arn").AsText();
  } else {
    if (ctx.store->Count(ctx.tenant, kRecorder) >= 1) {
      return Outcome::Fail("MaxNumberOfConfigurationRecordersExceededException",
                           "Failed to put configuration recorder '" + name +
                               "' because the maximum number of configuration recorders: 1 is "
                               "reached.");
    }
  }
  if (arn.empty()) {
    arn = "arn:" + Partition(ctx.tenant.region) + ":config:" + ctx.tenant.region + ":" +
          ctx.tenant.account_id + ":configuration-recorder/" + name + "/" + RandomId(16);
  }
  json::Writer w;
  w.BeginObject().Field("arn", arn).Field("name", name).Field("roleARN", role);
  w.Key("recordingGroup");
  if (!WriteRecordingGroup(rec.Get("recordingGroup"), w)) return InvalidRecordingGroup();
  w.Key("recordingMode");
  const ServiceModel& model = *ctx.model;
  if (rec.Get("recordingMode").IsObject()) {
    WriteShape(model, model.FindShape("RecordingMode"), rec.Get("recordingMode"), w);
  } else {
    w.BeginObject()
        .Field("recordingFrequency", "CONTINUOUS")
        .Key("recordingModeOverrides")
        .BeginArray()
        .EndArray()
        .EndObject();
  }
  w.Field("recordingScope", "PAID");
  w.EndObject();
  ctx.store->Put(ctx.tenant, kRecorder, name, w.str());
  if (!existing) {
    RecorderStatus status;
    status.name = name;
    status.arn = arn;
    ctx.store->Put(ctx.tenant, kRecorderStatus, name, status.ToJson());
  }
  return Outcome::Ok("{}");
}

// The recorders (or their statuses) named in ConfigurationRecorderNames, or all of them.
Outcome DescribeRecorders(Context& ctx, json::Value input, std::string_view kind,
                          std::string_view key) {
  std::vector<std::string> bodies;
  const std::vector<std::string> names = Strings(input.Get("ConfigurationRecorderNames"));
  if (!names.empty()) {
    for (const std::string& n : names) {
      std::optional<std::string> body = ctx.store->Get(ctx.tenant, kind, n);
      if (!body) return NoSuchRecorder(n);
      bodies.push_back(std::move(*body));
    }
  } else {
    for (Document& d : ctx.store->List(ctx.tenant, kind)) bodies.push_back(std::move(d.body));
  }
  const std::string arn = input.Get("Arn").AsText();
  json::Writer w;
  w.BeginObject().Key(key).BeginArray();
  bool found = arn.empty();
  for (const std::string& b : bodies) {
    if (!arn.empty()) {
      auto doc = json::Document::Parse(b);
      if (!doc.ok() || doc->Root().Get("arn").AsText() != arn) continue;
      found = true;
    }
    w.Raw(b);
  }
  w.EndArray().EndObject();
  if (!found) {
    return Outcome::Fail(
        "NoSuchConfigurationRecorderException",
        "Cannot find configuration recorder with the specified arn '" + arn + "'.");
  }
  return Outcome::Ok(w.Take());
}

Outcome DescribeConfigurationRecorders(Context& ctx, json::Value input) {
  return DescribeRecorders(ctx, input, kRecorder, "ConfigurationRecorders");
}

Outcome DescribeConfigurationRecorderStatus(Context& ctx, json::Value input) {
  return DescribeRecorders(ctx, input, kRecorderStatus, "ConfigurationRecordersStatus");
}

Outcome DeleteConfigurationRecorder(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigurationRecorderName").AsText();
  if (!ctx.store->Delete(ctx.tenant, kRecorder, name)) return NoSuchRecorder(name);
  ctx.store->Delete(ctx.tenant, kRecorderStatus, name);
  return Outcome::Ok("{}");
}

Outcome StartConfigurationRecorder(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigurationRecorderName").AsText();
  const std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRecorderStatus, name);
  if (!body) return NoSuchRecorder(name);
  if (ctx.store->Count(ctx.tenant, kDeliveryChannel) == 0) {
    return Outcome::Fail("NoAvailableDeliveryChannelException",
                         "Delivery channel is not available to start configuration recorder.");
  }
  RecorderStatus status = RecorderStatus::FromJson(*body);
  if (!status.recording) {
    status.recording = true;
    status.last_start = ctx.now;
    // Real responses say "SUCCESS" (aws-cli's describe-configuration-recorder-status example),
    // not the model's "Success".
    status.last_status = "SUCCESS";
    status.last_change = ctx.now;
    ctx.store->Put(ctx.tenant, kRecorderStatus, name, status.ToJson());
  }
  return Outcome::Ok("{}");
}

Outcome StopConfigurationRecorder(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConfigurationRecorderName").AsText();
  const std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRecorderStatus, name);
  if (!body) return NoSuchRecorder(name);
  RecorderStatus status = RecorderStatus::FromJson(*body);
  if (status.recording) {
    status.recording = false;
    status.last_stop = ctx.now;
    ctx.store->Put(ctx.tenant, kRecorderStatus, name, status.ToJson());
  }
  return Outcome::Ok("{}");
}

}  // namespace

void RegisterRecorderOperations(Registry& r) {
  r.Add("PutConfigurationRecorder", &PutConfigurationRecorder);
  r.Add("DescribeConfigurationRecorders", &DescribeConfigurationRecorders);
  r.Add("DescribeConfigurationRecorderStatus", &DescribeConfigurationRecorderStatus);
  r.Add("DeleteConfigurationRecorder", &DeleteConfigurationRecorder);
  r.Add("StartConfigurationRecorder", &StartConfigurationRecorder);
  r.Add("StopConfigurationRecorder", &StopConfigurationRecorder);
}

}  // namespace vigil::api
