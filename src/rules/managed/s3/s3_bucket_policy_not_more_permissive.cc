// S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE (s3-bucket-policy-not-more-permissive): the bucket policy
// must not allow inter-account permissions beyond those of the control bucket policy given in
// controlPolicy (an upper bound); NON_COMPLIANT when it does. AWS: an invalid controlPolicy is
// refused ("Value for controlPolicy parameter must be an Amazon S3 bucket policy").
//
// Data: supplementaryConfiguration.BucketPolicy (read by s3::ParsePolicyJson in any form AWS Config
// records it; no policy grants nothing: COMPLIANT).
//
// Choices where AWS's page is silent:
// - Inter-account permissions are the Allow statements' grants to principals outside the bucket's
//   account: "*", {"AWS": "*"}, AWS account IDs and IAM ARNs of other accounts, service, federated
//   and canonical-user principals; NotPrincipal counts as "*". Grants to the bucket's own account
//   are not bounded.
// - Each such grant (one principal, one Action entry, one Resource entry) must be covered by one
//   Allow statement of controlPolicy: its principal covers the principal ("*" covers all; an
//   account ID or account root ARN covers every principal of that account; otherwise the same
//   type and a value that equals or, with wildcards, matches it), one of its actions covers the
//   action (NotAction in the bucket policy is only covered by "*" or "s3:*"), and one of its
//   resources covers the resource (NotResource only by "*" or "arn:aws:s3:::*"). A control
//   statement with a Condition covers only statements with the identical Condition; the bucket
//   statement's own Condition only narrows it. Deny statements are not looked at.
// - A controlPolicy that is not a policy with at least one statement is refused as AWS refuses
//   it: every bucket is NOT_APPLICABLE, with the annotation AWS gives.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool IsEveryone(const s3::PolicyPrincipal& p) {
  return p.type == "*" || (ToLower(p.type) == "aws" && p.value == "*");
}

bool IsAccountLevel(std::string_view aws_principal) {
  return !s3::PrincipalAccount(aws_principal).empty() &&
         (aws_principal.find(':') == std::string_view::npos || EndsWith(aws_principal, ":root"));
}

bool PrincipalCovers(const s3::PolicyPrincipal& control, const s3::PolicyPrincipal& p) {
  if (IsEveryone(control)) return true;
  if (IsEveryone(p)) return false;
  if (ToLower(control.type) != ToLower(p.type)) return false;
  if (ToLower(p.type) == "aws") {
    if (IsAccountLevel(control.value) &&
        s3::PrincipalAccount(control.value) == s3::PrincipalAccount(p.value))
      return true;
  }
  return control.value == p.value || iam::PatternCovers(control.value, p.value, false);
}

struct Grant {
  s3::PolicyPrincipal principal;
  std::string action;  // "s3:*" for a NotAction statement
  std::string resource;
};

bool ControlCovers(json::Value control, const Grant& g, json::Value condition) {
  if (!s3::IsAllowStatement(control)) return false;
  if (json::Value c = control.Get("Condition"); !c.Missing() && !c.IsNull() && !c.Empty())
    if (condition.Missing() || c.ToJson() != condition.ToJson()) return false;
  bool principal = false;
  if (control.Get("NotPrincipal").Missing())
    for (const s3::PolicyPrincipal& cp : s3::PolicyPrincipals(control.Get("Principal")))
      principal = principal || PrincipalCovers(cp, g.principal);
  if (!principal) return false;
  bool action = false;
  for (const std::string& a : s3::PolicyStringValues(control.Get("Action")))
    action = action || iam::PatternCovers(a, g.action, /*case_insensitive=*/true);
  if (!action) return false;
  for (const std::string& r : s3::PolicyStringValues(control.Get("Resource")))
    if (iam::PatternCovers(r, g.resource, /*case_insensitive=*/false)) return true;
  return false;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& bucket) {
  const std::string_view control_text = Trim(ctx.Param("controlPolicy").value_or(""));
  auto control_doc = json::Document::Parse(control_text);
  std::vector<json::Value> controls;
  if (control_doc.ok() && control_doc->Root().IsObject())
    controls = s3::PolicyStatements(control_doc->Root());
  if (controls.empty())
    return Verdict::NotApplicable(
        "Value for controlPolicy parameter must be an Amazon S3 bucket "
        "policy");

  const s3::PolicyJson policy = s3::ParsePolicyJson(bucket.Supplementary("BucketPolicy"));
  if (policy.root.Missing()) return Verdict::Compliant("the bucket has no bucket policy");
  const std::vector<json::Value> statements = s3::PolicyStatements(policy.root);
  for (size_t i = 0; i < statements.size(); ++i) {
    const json::Value s = statements[i];
    if (!s3::IsAllowStatement(s)) continue;
    std::vector<s3::PolicyPrincipal> principals;
    if (!s.Get("NotPrincipal").Missing()) {
      principals.push_back({"*", "*"});
    } else {
      for (const s3::PolicyPrincipal& p : s3::PolicyPrincipals(s.Get("Principal"))) {
        if (ToLower(p.type) == "aws" && !IsEveryone(p) &&
            s3::PrincipalAccount(p.value) == bucket.account_id)
          continue;  // the bucket's own account
        principals.push_back(p);
      }
    }
    std::vector<std::string> actions = s3::PolicyStringValues(s.Get("Action"));
    if (s.Get("Action").Missing()) actions = {"s3:*"};  // NotAction
    std::vector<std::string> resources = s3::PolicyStringValues(s.Get("Resource"));
    if (s.Get("Resource").Missing()) resources = {"arn:aws:s3:::*"};  // NotResource
    for (const s3::PolicyPrincipal& p : principals) {
      for (const std::string& a : actions) {
        for (const std::string& r : resources) {
          const Grant g{p, a, r};
          bool covered = false;
          for (json::Value c : controls)
            covered = covered || ControlCovers(c, g, s.Get("Condition"));
          if (covered) continue;
          const std::string label = s3::PolicyStatementLabel(s, i);
          return Verdict::NonCompliant(TruncateUtf8(
              "bucket policy statement " + label + " allows " + a + " on " + r + " to " +
                  (p.type == "*" ? std::string("\"*\"") : p.type + " " + p.value) +
                  ", beyond controlPolicy",
              256));
        }
      }
    }
  }
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_POLICY_NOT_MORE_PERMISSIVE",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "controlPolicy", .type = ParamType::kString, .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
