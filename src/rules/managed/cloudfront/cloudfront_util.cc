#include "rules/managed/cloudfront/cloudfront_util.h"

#include <cctype>
#include <utility>

#include "common/strings.h"

namespace vigil::rules::cloudfront {

json::Value Field(const json::Value& v, std::string_view camel_name) {
  json::Value out = v.Get(camel_name);
  if (!out.Missing() || camel_name.empty()) return out;
  std::string pascal(camel_name);
  pascal[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(pascal[0])));
  return v.Get(pascal);
}

std::string_view Str(const json::Value& v, std::string_view camel_name) {
  return Field(v, camel_name).String().value_or("");
}

std::vector<json::Value> ListItems(const json::Value& list) {
  std::vector<json::Value> out;
  const json::Value items = list.IsArray() ? list : Field(list, "items");
  for (const json::Value e : items.Elements()) out.push_back(e);
  return out;
}

json::Value DistributionConfig(const model::ConfigurationItem& item) {
  const json::Value dc = Field(item.Config(), "distributionConfig");
  return dc.IsObject() ? dc : json::Value();
}

Verdict ConfigMissing(const model::ConfigurationItem& item) {
  return Verdict::MissingFact(
      std::string(item.resource_type),
      "the configuration item of " + std::string(item.resource_id) +
          " does not record distributionConfig: record the distribution again");
}

ManagedRuleDef DistributionRule(std::string_view identifier, EvaluateFn evaluate,
                                std::vector<ParamSpec> parameters) {
  return {
      .identifier = identifier,
      .resource_types = {"AWS::CloudFront::Distribution"},
      .trigger = Trigger::kConfigurationChange,
      .parameters = std::move(parameters),
      .evaluate = evaluate,
  };
}

std::vector<Origin> Origins(const json::Value& dc) {
  std::vector<Origin> out;
  for (const json::Value o : ListItems(Field(dc, "origins"))) {
    out.push_back({Str(o, "id"), Str(o, "domainName"), Field(o, "s3OriginConfig"),
                   Field(o, "customOriginConfig"), o});
  }
  return out;
}

Verdict RequireOnS3Origins(const json::Value& dc, std::string_view (*setting)(const Origin&),
                           std::string_view what, Verdict if_no_s3_origin) {
  std::vector<std::string> without;
  size_t s3 = 0;
  for (const Origin& o : Origins(dc)) {
    if (!o.IsS3()) continue;
    ++s3;
    if (Trim(setting(o)).empty()) without.emplace_back(o.id);
  }
  if (s3 == 0) return if_no_s3_origin;
  if (!without.empty())
    return Verdict::NonCompliant(
        TruncateUtf8("S3 origin(s) without " + std::string(what) + ": " + JoinNames(without), 256));
  return Verdict::Compliant(std::to_string(s3) + " S3 origin(s) with " + std::string(what));
}

std::vector<CacheBehavior> CacheBehaviors(const json::Value& dc) {
  std::vector<CacheBehavior> out;
  if (const json::Value d = Field(dc, "defaultCacheBehavior"); d.IsObject())
    out.push_back({"", Str(d, "targetOriginId"), Str(d, "viewerProtocolPolicy")});
  for (const json::Value b : ListItems(Field(dc, "cacheBehaviors")))
    out.push_back(
        {Str(b, "pathPattern"), Str(b, "targetOriginId"), Str(b, "viewerProtocolPolicy")});
  return out;
}

std::vector<std::string_view> TargetOrigins(const json::Value& dc, std::string_view target_id) {
  std::vector<std::string_view> out{target_id};
  for (const json::Value g : ListItems(Field(dc, "originGroups"))) {
    if (Str(g, "id") != target_id) continue;
    for (const json::Value m : ListItems(Field(g, "members"))) out.push_back(Str(m, "originId"));
  }
  return out;
}

std::string BehaviorName(const CacheBehavior& b) {
  if (b.path_pattern.empty()) return "default cache behavior";
  return "cache behavior " + std::string(b.path_pattern);
}

bool MultiTenant(const json::Value& dc) {
  return EqualsIgnoreCase(Str(dc, "connectionMode"), "tenant-only") ||
         Field(dc, "tenantConfig").IsObject();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::string JoinNames(const std::vector<std::string>& names, size_t max) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > max) out += ", ...";
  return out;
}

}  // namespace vigil::rules::cloudfront
