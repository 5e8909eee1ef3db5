// Tags: TagResource, UntagResource, ListTagsForResource.
//
// Tags live in the store as kind "tags", named by the resource's ARN, a TagsList
// (`[{"Key": ..., "Value": ...}]`), as PutConfigRule and PutConformancePack write them at
// creation. The ARN must be that of a config rule or a conformance pack of the caller's account
// and region (the ARN kinds vigil stores; aggregators come with #8); anything else is
// ResourceNotFoundException. AWS's limits: at most 50 tags per resource (TooManyTagsException),
// keys of 1-128 and values of 0-256 characters (the model's ValidationException), and keys
// starting with `aws:` are reserved (ValidationException). Tagging a key again replaces its value;
// untagging a key the resource does not have is not an error. ListTagsForResource returns the
// tags in key order, `Limit` per page (default and at most 100).
#include <map>
#include <string>

#include "api/operation.h"
#include "common/strings.h"
#include "json/writer.h"

namespace vigil::api {

namespace {

constexpr std::string_view kTags = "tags";
constexpr size_t kMaxTags = 50;

using TagMap = std::map<std::string, std::string>;

// Whether `arn` names a config rule or conformance pack of this tenant.
bool ResourceExists(Context& ctx, std::string_view arn) {
  const std::string own = "arn:" + Partition(ctx.tenant.region) + ":config:" + ctx.tenant.region +
                          ":" + ctx.tenant.account_id + ":";
  if (!StartsWith(arn, own)) return false;
  std::string_view rest = arn.substr(own.size());
  std::string_view kind;
  if (StartsWith(rest, "config-rule/")) {
    kind = "config-rule";
  } else if (StartsWith(rest, "conformance-pack/")) {
    kind = "conformance-pack";
  } else {
    return false;
  }
  const std::string member = kind == "config-rule" ? "ConfigRuleArn" : "ConformancePackArn";
  for (const Document& d : ctx.store->List(ctx.tenant, kind)) {
    auto doc = json::Document::Parse(d.body);
    if (doc.ok() && doc->Root().Get(member).AsText() == arn) return true;
  }
  return false;
}

Outcome NotFound(std::string_view arn) {
  return Outcome::Fail("ResourceNotFoundException",
                       "The resource " + std::string(arn) + " does not exist.");
}

TagMap Load(Context& ctx, std::string_view arn) {
  TagMap out;
  if (std::optional<std::string> body = ctx.store->Get(ctx.tenant, kTags, arn)) {
    if (auto doc = json::Document::Parse(*body); doc.ok()) {
      for (const json::Value t : doc->Root().Elements()) {
        out[t.Get("Key").AsText()] = t.Get("Value").AsText();
      }
    }
  }
  return out;
}

void Save(Context& ctx, std::string_view arn, const TagMap& tags) {
  if (tags.empty()) {
    ctx.store->Delete(ctx.tenant, kTags, arn);
    return;
  }
  json::Writer w;
  w.BeginArray();
  for (const auto& kv : tags) {
    w.BeginObject().Field("Key", kv.first).Field("Value", kv.second).EndObject();
  }
  w.EndArray();
  ctx.store->Put(ctx.tenant, kTags, arn, w.str());
}

Outcome TagResource(Context& ctx, json::Value input) {
  const std::string arn = input.Get("ResourceArn").AsText();
  for (const json::Value t : input.Get("Tags").Elements()) {
    const std::string key = t.Get("Key").AsText();
    if (t.Get("Key").Missing()) {
      return Outcome::Fail("ValidationException", "Tag keys must not be empty.");
    }
    if (StartsWith(ToLower(key), "aws:")) {
      return Outcome::Fail("ValidationException",
                           "Tag keys starting with 'aws:' are reserved for system use: " + key);
    }
  }
  if (!ResourceExists(ctx, arn)) return NotFound(arn);
  TagMap tags = Load(ctx, arn);
  for (const json::Value t : input.Get("Tags").Elements()) {
    tags[t.Get("Key").AsText()] = t.Get("Value").AsText();
  }
  if (tags.size() > kMaxTags) {
    return Outcome::Fail("TooManyTagsException",
                         "The resource would have " + std::to_string(tags.size()) +
                             " tags; at most " + std::to_string(kMaxTags) + " are allowed.");
  }
  Save(ctx, arn, tags);
  return Outcome::Ok("{}");
}

Outcome UntagResource(Context& ctx, json::Value input) {
  const std::string arn = input.Get("ResourceArn").AsText();
  for (const std::string& key : Strings(input.Get("TagKeys"))) {
    if (StartsWith(ToLower(key), "aws:")) {
      return Outcome::Fail("ValidationException",
                           "Tag keys starting with 'aws:' are reserved for system use: " + key);
    }
  }
  if (!ResourceExists(ctx, arn)) return NotFound(arn);
  TagMap tags = Load(ctx, arn);
  for (const std::string& key : Strings(input.Get("TagKeys"))) tags.erase(key);
  Save(ctx, arn, tags);
  return Outcome::Ok("{}");
}

Outcome ListTagsForResource(Context& ctx, json::Value input) {
  const std::string arn = input.Get("ResourceArn").AsText();
  std::string after;
  if (const json::Value t = input.Get("NextToken"); t.IsString() && !t.AsText().empty()) {
    std::optional<std::string> position = ReadNextToken(t.AsText());
    const std::string prefix = arn + '\x01';
    if (!position || position->rfind(prefix, 0) != 0) {
      return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
    }
    after = position->substr(prefix.size());
  }
  if (!ResourceExists(ctx, arn)) return NotFound(arn);
  const std::int64_t limit = input.Get("Limit").Int().value_or(0);
  const size_t page = limit <= 0 ? 100 : static_cast<size_t>(limit);
  const TagMap tags = Load(ctx, arn);
  json::Writer w;
  w.BeginObject().Key("Tags").BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (auto it = after.empty() ? tags.begin() : tags.upper_bound(after); it != tags.end(); ++it) {
    if (n == page) {
      more = true;
      break;
    }
    w.BeginObject().Field("Key", it->first).Field("Value", it->second).EndObject();
    last = it->first;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(arn + '\x01' + last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

}  // namespace

void RegisterTagOperations(Registry& r) {
  r.Add("TagResource", &TagResource);
  r.Add("UntagResource", &UntagResource);
  r.Add("ListTagsForResource", &ListTagsForResource);
}

}  // namespace vigil::api
