// CLOUDFRONT_ASSOCIATED_WITH_WAF (cloudfront-associated-with-waf): CloudFront distributions must
// be associated with a WAF Classic or WAFv2 web ACL. AWS: NON_COMPLIANT if a distribution is not
// associated with a web ACL; `wafWebAclIds` lists the web ACL IDs (WAF Classic) or ARNs (WAFv2)
// the distribution may use.
//
// The association is the CI's configuration.distributionConfig.webACLId: a WAF Classic web ACL
// ID, or a WAFv2 web ACL ARN; "" when none.
//
// Choices where AWS's page is silent:
// - With `wafWebAclIds`, the distribution's webACLId must equal one of its entries exactly (IDs
//   and ARNs are case-sensitive); a distribution associated with another web ACL is
//   NON_COMPLIANT.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "rules/managed/cloudfront/cloudfront_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  const json::Value dc = cloudfront::DistributionConfig(item);
  if (dc.Missing()) return cloudfront::ConfigMissing(item);
  const std::string_view acl = Trim(cloudfront::Str(dc, "webACLId"));
  if (acl.empty()) return Verdict::NonCompliant("not associated with a WAF web ACL");
  const auto allowed = ctx.CsvParam("wafWebAclIds");
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), acl) != allowed.end())
    return Verdict::Compliant(TruncateUtf8("associated with web ACL " + std::string(acl), 256));
  return Verdict::NonCompliant(
      TruncateUtf8("web ACL " + std::string(acl) + " is not listed in wafWebAclIds", 256));
}

const ManagedRule kRule{cloudfront::DistributionRule(
    "CLOUDFRONT_ASSOCIATED_WITH_WAF", &Evaluate,
    {{.name = "wafWebAclIds", .type = ParamType::kCsv, .optional = true}})};

}  // namespace
}  // namespace vigil::rules
