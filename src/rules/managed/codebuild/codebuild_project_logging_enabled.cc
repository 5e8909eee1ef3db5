// CODEBUILD_PROJECT_LOGGING_ENABLED (codebuild-project-logging-enabled): a CodeBuild project must
// have at least one log option enabled. AWS: NON_COMPLIANT if 'logsConfig' is not present or the
// status of all present log configurations is 'DISABLED'. `s3BucketNames` and
// `cloudWatchGroupNames` (comma-separated) list the buckets and log groups logs should be sent to
// if S3 or CloudWatch logs are configured.
//
// Data: configuration.logsConfig (cloudWatchLogs.status/groupName, s3Logs.status/location) and
// configuration.name of the AWS::CodeBuild::Project CI.
//
// Choices where AWS's page is silent:
// - A log configuration counts as enabled when its status is ENABLED (ignoring case).
// - Each enabled destination must be in its list when that list is given: the CloudWatch log
//   group (CodeBuild's default "/aws/codebuild/<project>" when groupName is absent) must be in
//   `cloudWatchGroupNames`, and the bucket of s3Logs.location ("bucket/prefix" or an S3 ARN) in
//   `s3BucketNames`. A disabled destination is not checked against its list. Names compare
//   exactly, after trimming spaces around list entries.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::vector<std::string_view> List(const RuleContext& ctx, std::string_view param) {
  std::vector<std::string_view> out;
  for (std::string_view part : Split(ctx.Param(param).value_or(""), ','))
    if (!Trim(part).empty()) out.push_back(Trim(part));
  return out;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view s) {
  for (std::string_view e : list)
    if (e == s) return true;
  return false;
}

bool Enabled(json::Value log) {
  return ToLower(log.Get("status").String().value_or("")) == "enabled";
}

std::string_view BucketOf(std::string_view location) {
  location = Trim(location);
  if (StartsWith(location, "arn:")) {
    const size_t c = location.find(":::");
    if (c != std::string_view::npos) location = location.substr(c + 3);
  }
  return location.substr(0, location.find('/'));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& project) {
  const json::Value logs = project.Config().Get("logsConfig");
  if (!logs.IsObject()) return Verdict::NonCompliant("the project has no logsConfig");
  const json::Value cw = logs.Get("cloudWatchLogs");
  const json::Value s3 = logs.Get("s3Logs");
  const bool cw_on = Enabled(cw);
  const bool s3_on = Enabled(s3);
  if (!cw_on && !s3_on)
    return Verdict::NonCompliant("neither CloudWatch Logs nor S3 logs are enabled");

  if (const auto groups = List(ctx, "cloudWatchGroupNames"); cw_on && !groups.empty()) {
    std::string group(Trim(cw.Get("groupName").String().value_or("")));
    if (group.empty()) {
      std::string_view name = project.Config().Get("name").String().value_or("");
      if (name.empty()) name = project.resource_name;
      group = "/aws/codebuild/" + std::string(name);
    }
    if (!Contains(groups, group))
      return Verdict::NonCompliant(TruncateUtf8(
          "logs go to CloudWatch log group " + group + ", which is not in cloudWatchGroupNames",
          256));
  }
  if (const auto buckets = List(ctx, "s3BucketNames"); s3_on && !buckets.empty()) {
    const std::string_view bucket = BucketOf(s3.Get("location").String().value_or(""));
    if (!Contains(buckets, bucket))
      return Verdict::NonCompliant(TruncateUtf8(
          "logs go to S3 bucket '" + std::string(bucket) + "', which is not in s3BucketNames",
          256));
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "CODEBUILD_PROJECT_LOGGING_ENABLED",
    .resource_types = {"AWS::CodeBuild::Project"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "s3BucketNames", .type = ParamType::kString, .optional = true},
                   {.name = "cloudWatchGroupNames", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
