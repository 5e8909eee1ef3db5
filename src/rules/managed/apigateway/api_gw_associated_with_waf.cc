// API_GW_ASSOCIATED_WITH_WAF (api-gw-associated-with-waf): an API Gateway REST API stage must use
// an AWS WAF web ACL. AWS: NON_COMPLIANT if no web ACL is used, or if the web ACL used is not
// listed in `WebAclArns` when given.
//
// The web ACL is the stage CI's configuration.webAclArn.
//
// Choices where AWS's page is silent:
// - ARNs are compared exactly (after trimming the parameter's entries); a WAF Classic regional
//   ARN and a WAFV2 ARN are both accepted as "a web ACL".
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& stage) {
  const std::string_view acl = Trim(stage.Config().Get("webAclArn").String().value_or(""));
  if (acl.empty()) return Verdict::NonCompliant("the stage has no AWS WAF web ACL");
  const auto allowed = ctx.CsvParam("WebAclArns");
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), acl) != allowed.end())
    return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("web ACL " + std::string(acl) + " is not in WebAclArns", 256));
}

const ManagedRule kRule{{
    .identifier = "API_GW_ASSOCIATED_WITH_WAF",
    .resource_types = {"AWS::ApiGateway::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "WebAclArns", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
