// API_GW_CACHE_ENABLED_AND_ENCRYPTED (api-gw-cache-enabled-and-encrypted): every method of an API
// Gateway REST API stage must have caching enabled and its cache encrypted. AWS: NON_COMPLIANT if
// any method in the stage is not configured to cache or the cache is not encrypted.
//
// Data: the AWS::ApiGateway::Stage CI: configuration.cacheClusterEnabled (the stage's cache
// cluster) and configuration.methodSettings, a map from "*/*" (the stage-wide setting) and
// "<resource path>/<HTTP method>" (per-method overrides) to settings with `cachingEnabled` and
// `cacheDataEncrypted`.
//
// Choices where AWS's page is silent:
// - The stage needs its cache cluster (cacheClusterEnabled true): without it no method caches.
// - The stage-wide "*/*" setting must exist with cachingEnabled and cacheDataEncrypted true: a
//   stage without it caches nothing by default. Every override must keep both true; an override
//   that does not set a field inherits the stage-wide value.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool True(const json::Value& v) {
  return v.Bool().value_or(false) || ToLower(Trim(v.String().value_or(""))) == "true";
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& stage) {
  const json::Value c = stage.Config();
  if (!True(c.Get("cacheClusterEnabled")))
    return Verdict::NonCompliant("the stage has no cache cluster (cacheClusterEnabled false)");
  const json::Value settings = c.Get("methodSettings");
  const json::Value stage_wide = settings.Get("*/*");
  std::string bad;
  auto add = [&](std::string what) { bad += (bad.empty() ? "" : "; ") + what; };
  if (!True(stage_wide.Get("cachingEnabled")))
    add("*/* caching disabled");
  else if (!True(stage_wide.Get("cacheDataEncrypted")))
    add("*/* cache not encrypted");
  for (const auto m : settings.Members()) {
    if (m.key == "*/*") continue;
    const json::Value caching = m.value.Get("cachingEnabled");
    const json::Value encrypted = m.value.Get("cacheDataEncrypted");
    if (!caching.Missing() && !caching.IsNull() && !True(caching))
      add(std::string(m.key) + " caching disabled");
    else if (!encrypted.Missing() && !encrypted.IsNull() && !True(encrypted))
      add(std::string(m.key) + " cache not encrypted");
  }
  if (bad.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(bad, 256));
}

const ManagedRule kRule{{
    .identifier = "API_GW_CACHE_ENABLED_AND_ENCRYPTED",
    .resource_types = {"AWS::ApiGateway::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
