// S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED (s3-bucket-blacklisted-actions-prohibited): the bucket
// policy must not allow blocklisted bucket-level and object-level actions to principals from other
// AWS accounts; NON_COMPLIANT if it allows any action matching blacklistedActionPattern (e.g.
// "s3:GetBucket*, s3:DeleteObject"). AWS: "The rule will only check for entities in the Principal
// property and does not take into account any conditionals under the Condition property".
//
// Data: supplementaryConfiguration.BucketPolicy (read by s3::ParsePolicyJson in any form AWS Config
// records it; no policy, or one that cannot be parsed, allows nothing: COMPLIANT).
//
// Choices where AWS's page is silent:
// - "Principals from other AWS accounts": "*" (everyone), {"AWS": "*"}, an AWS account ID or IAM
//   ARN of an account other than the bucket's, and every principal of an Allow with NotPrincipal.
//   Service, federated and canonical-user principals, and AWS principals whose account cannot be
//   read (unique IDs), are not taken for other accounts.
// - An Allow statement allows a blocklisted pattern when one of its Action entries and the pattern
//   fit a common action (wildcards on both sides; names ignore case), or, for NotAction, when no
//   NotAction entry covers the whole pattern. Deny statements take nothing away (Conditions are
//   ignored as AWS says, so a Deny cannot be known to apply).
// - Resource is not looked at: a bucket policy can only grant on its own bucket.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// The first principal of an Allow statement outside the bucket's account, for annotations; ""
// when there is none.
std::string OtherAccountPrincipal(json::Value stmt, std::string_view owner) {
  if (json::Value np = stmt.Get("NotPrincipal"); !np.Missing())
    return "NotPrincipal " + TruncateUtf8(np.ToJson(), 60);
  for (const s3::PolicyPrincipal& p : s3::PolicyPrincipals(stmt.Get("Principal"))) {
    if (p.type == "*" || (p.type == "AWS" && p.value == "*")) return "\"*\"";
    if (p.type != "AWS") continue;
    const std::string account = s3::PrincipalAccount(p.value);
    if (!account.empty() && account != owner) return p.value;
  }
  return {};
}

bool AllowsPattern(json::Value stmt, std::string_view pattern) {
  if (json::Value a = stmt.Get("Action"); !a.Missing()) {
    for (const std::string& action : s3::PolicyStringValues(a))
      if (iam::PatternsOverlap(action, pattern, /*case_insensitive=*/true)) return true;
    return false;
  }
  if (json::Value na = stmt.Get("NotAction"); !na.Missing()) {
    for (const std::string& action : s3::PolicyStringValues(na))
      if (iam::PatternCovers(action, pattern, /*case_insensitive=*/true)) return false;
    return true;
  }
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const std::vector<std::string_view> patterns = ctx.CsvParam("blacklistedActionPattern");
  const s3::PolicyJson policy = s3::ParsePolicyJson(bucket.Supplementary("BucketPolicy"));
  if (policy.root.Missing()) return Verdict::Compliant("the bucket has no bucket policy");
  const std::vector<json::Value> statements = s3::PolicyStatements(policy.root);
  for (size_t i = 0; i < statements.size(); ++i) {
    const json::Value s = statements[i];
    if (!s3::IsAllowStatement(s)) continue;
    const std::string who = OtherAccountPrincipal(s, bucket.account_id);
    if (who.empty()) continue;
    for (std::string_view pattern : patterns) {
      if (!AllowsPattern(s, pattern)) continue;
      const std::string label = s3::PolicyStatementLabel(s, i);
      return Verdict::NonCompliant(TruncateUtf8(
          "bucket policy statement " + label + " allows " + std::string(pattern) + " to " + who,
          256));
    }
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_BLACKLISTED_ACTIONS_PROHIBITED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "blacklistedActionPattern",
                    .type = ParamType::kCsv,
                    .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
