// S3_BUCKET_ACL_PROHIBITED (s3-bucket-acl-prohibited): the bucket must not grant user permissions
// through its access control list. COMPLIANT when ACLs are disabled (Object Ownership
// "BucketOwnerEnforced"), or when the bucket ACL grants nothing to anyone but the bucket owner;
// NON_COMPLIANT when it grants any permission to another canonical user, an e-mail grantee or a
// group.
//
// Data: supplementaryConfiguration.BucketOwnershipControls (s3::ObjectOwnership) and
// supplementaryConfiguration.AccessControlList, whose owner is the bucket owner (else
// configuration.owner.id).
//
// Choices where AWS's page is silent:
// - Every grantee other than the owner counts as "user access", groups included (LogDelivery,
//   AllUsers, AuthenticatedUsers): the grant is made through the ACL either way.
// - Object Ownership other than BucketOwnerEnforced, or none recorded, leaves the decision to the
//   ACL itself (with BucketOwnerEnforced S3 keeps the ACL owner-only anyway).
// - No AccessControlList recorded (AWS Config always records it), or a canonical-user grant with
//   no owner ID to compare it with, gives no verdict: MissingFact.
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/managed/s3/s3_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& bucket) {
  if (s3::ObjectOwnership(bucket).value_or("") == "BucketOwnerEnforced")
    return Verdict::Compliant("ACLs are disabled (BucketOwnerEnforced)");
  const json::Value acl = bucket.Supplementary("AccessControlList");
  const std::string_view owner = bucket.Config().Get("owner").Get("id").String().value_or("");
  const std::optional<std::vector<std::string>> others = s3::AclGrantsToOthers(acl, owner);
  if (!others)
    return Verdict::MissingFact("AWS::S3::Bucket",
                                acl.Missing() || acl.IsNull()
                                    ? "the configuration item has no AccessControlList"
                                    : "the bucket ACL cannot be read or its owner is unknown");
  if (others->empty()) return Verdict::Compliant("the bucket ACL grants access only to the owner");
  std::string why = "bucket ACL grants ";
  for (size_t i = 0; i < others->size(); ++i) why += (i ? ", " : "") + (*others)[i];
  return Verdict::NonCompliant(TruncateUtf8(why, 256));
}

const ManagedRule kRule{{
    .identifier = "S3_BUCKET_ACL_PROHIBITED",
    .resource_types = {"AWS::S3::Bucket"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
