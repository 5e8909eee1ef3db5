// S3 helpers shared by the S3 managed rules: a bucket-policy analyser, bucket-ACL analysis, and
// the S3 Block Public Access (BPA) combination of bucket- and account-level settings.
//
// Every function here is pure and thread-safe. Functions taking a policy accept it in any form
// AWS Config records it: the policy document as an object, its JSON text as a string (possibly
// encoded twice), or AWS Config's `{"policyText": ...}` wrapper around either; a missing, null or
// unparsable policy counts as "no policy". Likewise an ACL may be an object or its JSON text.
//
// How a policy is judged "public" follows S3's "The meaning of public" (S3 User Guide, Block
// Public Access): an Allow statement is public when its principal is a wildcard (`"*"`,
// `{"AWS":"*"}`, a list containing `"*"`, any principal value containing `*`, or any NotPrincipal)
// unless one of its conditions pins the request to fixed values (no `*`, `?` or `${...}` policy
// variable) of aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
// aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:userid,
// s3:x-amz-server-side-encryption-aws-kms-key-id, s3:DataAccessPointArn or
// s3:DataAccessPointAccount (with StringEquals[IgnoreCase], StringLike, ArnEquals or ArnLike,
// optionally ForAnyValue:), or to non-public CIDRs of aws:SourceIp (IpAddress). Negated
// operators, `...IfExists` and `ForAllValues:` never pin, because they hold when the key is absent.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::s3 {

// The kind of public access a rule looks for.
//
// AWS does not publish the action list behind "public read" / "public write". vigil's choice,
// matching what the ACL permissions READ and WRITE/WRITE_ACP grant on a bucket:
//   kRead:  s3:GetObject, s3:GetObjectVersion, s3:GetObjectTorrent, s3:GetObjectVersionTorrent,
//           s3:ListMultipartUploadParts (objects); s3:ListBucket, s3:ListBucketVersions,
//           s3:ListBucketMultipartUploads (bucket). Reading ACLs or bucket configuration
//           (s3:GetObjectAcl, s3:GetBucketPolicy, ...) is not "read" of the data.
//   kWrite: s3:PutObject, s3:PutObjectAcl, s3:PutObjectVersionAcl, s3:DeleteObject,
//           s3:DeleteObjectVersion, s3:AbortMultipartUpload, s3:RestoreObject,
//           s3:ReplicateObject, s3:ReplicateDelete (objects); s3:PutBucketAcl,
//           s3:PutBucketPolicy, s3:DeleteBucketPolicy, s3:DeleteBucket (bucket).
enum class AccessKind { kRead, kWrite };

// One concrete S3 action a kind stands for, and whether it acts on objects or on the bucket.
struct S3Action {
  std::string_view name;
  bool object_level;
};
std::span<const S3Action> ActionsFor(AccessKind kind);

// What makes a bucket public, for annotations.
struct PublicGrant {
  std::string source;     // "bucket policy" or "bucket ACL"
  std::string what;       // the action ("s3:GetObject") or ACL permission ("Read")
  std::string grantee;    // `Principal "*"`, `NotPrincipal {...}`, "AllUsers", ...
  std::string statement;  // the statement's Sid, or "statement N" (1-based); "" for ACLs
  // "bucket policy grants s3:GetObject to Principal \"*\" (statement \"Sid1\")".
  std::string Describe() const;
};

// The first action of `kind` that the policy grants to the public and that no unconditional
// Deny for everyone takes back, or nullopt. `bucket` (the bucket's name) lets the analyser
// ignore statements about other resources and check that a Deny covers the Allow's resources;
// when empty, every statement is taken to be about this bucket.
std::optional<PublicGrant> FindPublicPolicyGrant(json::Value policy, AccessKind kind,
                                                 std::string_view bucket = {});
bool PolicyAllowsPublic(json::Value policy, AccessKind kind, std::string_view bucket = {});

// The first grant of the ACL to the AllUsers or AuthenticatedUsers group (as AWS Config spells
// them: "AllUsers", a group URI, or an object carrying one) with a permission of `kind`: READ or
// FULL_CONTROL for kRead; WRITE, WRITE_ACP or FULL_CONTROL for kWrite (WRITE_ACP lets anyone
// grant themselves WRITE). Reads both `grantList` and `grantSet`, and the S3 API's `Grants`.
std::optional<PublicGrant> FindPublicAclGrant(json::Value acl, AccessKind kind);
bool AclAllowsPublic(json::Value acl, AccessKind kind);

// Whether one aws:SourceIp value leaves the request open to the public: any IPv4 CIDR wider
// than /8 or IPv6 CIDR wider than /32 (vigil's threshold; AWS names none, but 0.0.0.0/0 and
// 0.0.0.0/1 are public and 10.0.0.0/8 is not), and anything that is not a CIDR.
bool IsPublicCidr(std::string_view cidr);

// The four Block Public Access flags. Only IgnorePublicAcls and RestrictPublicBuckets change who
// can reach an existing bucket: BlockPublicAcls and BlockPublicPolicy make S3 reject *new* public
// ACLs and policies and, as AWS documents, "doesn't affect existing policies or ACLs". So a
// public ACL is neutralised by IgnorePublicAcls and a public policy by RestrictPublicBuckets, at
// bucket or account level (S3 applies the most restrictive combination).
struct BlockPublicAccess {
  bool block_public_acls = false;
  bool ignore_public_acls = false;
  bool block_public_policy = false;
  bool restrict_public_buckets = false;
};
// Reads the flags from an object spelled as AWS Config does (`ignorePublicAcls`) or as the S3
// API does (`IgnorePublicAcls`), or from `{"PublicAccessBlockConfiguration": {...}}`. A flag that
// is absent is false. nullopt if `v` is not an object.
std::optional<BlockPublicAccess> ParseBlockPublicAccess(json::Value v);
// The bucket's own settings (supplementaryConfiguration.PublicAccessBlockConfiguration); all
// false when AWS Config recorded none.
BlockPublicAccess BucketBlockPublicAccess(const model::ConfigurationItem& bucket);
// The account's settings, from the fact "s3control-get-public-access-block" (the live API read
// AWS's rule makes), else from the latest AWS::S3::AccountPublicAccessBlock item of the account
// (recorded in any region); all false when the item type is recorded but no item exists (AWS
// Config records none when nothing is set). nullopt when neither source is available.
std::optional<BlockPublicAccess> AccountBlockPublicAccess(const RuleContext& ctx,
                                                          const model::ConfigurationItem& bucket);

// The whole of S3_BUCKET_PUBLIC_READ_PROHIBITED / S3_BUCKET_PUBLIC_WRITE_PROHIBITED: NON_COMPLIANT
// when the policy or ACL grants public `kind` access that Block Public Access does not
// neutralise; MissingFact("s3control-get-public-access-block") only when the bucket is public by
// its own settings and the account's settings are unknown.
Verdict EvaluatePublicAccess(const RuleContext& ctx, const model::ConfigurationItem& bucket,
                             AccessKind kind);

// Whether the policy has a Deny statement for everyone (`"*"` or `{"AWS":"*"}`), on all S3
// actions (`s3:*` or `*`), on the bucket and/or its objects, whose only condition is
// {"Bool"|"BoolIfExists": {"aws:SecureTransport": false}} (string or boolean). Any further
// condition would narrow the Deny and let some plain-HTTP requests through.
bool PolicyDeniesInsecureTransport(json::Value policy, std::string_view bucket);

// Whether the policy has a Deny for everyone of s3:PutObject on all the bucket's objects whose
// only condition denies uploads without server-side encryption: Null
// {"s3:x-amz-server-side-encryption": true}, or StringNotEquals[IfExists] on that key with values
// among AES256, aws:kms and aws:kms:dsse.
bool PolicyRequiresEncryptedPuts(json::Value policy, std::string_view bucket);

// The largest number of IAM policy variables (`${...}`) in one string value of the policy; AWS
// documents that S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED cannot evaluate a policy with more
// than five in one value. 0 for no policy.
int MaxPolicyVariablesInOneValue(json::Value policy);

// The bucket's name: configuration.name, else resourceName, else resourceId.
std::string_view BucketName(const model::ConfigurationItem& bucket);

// ---- ACL ownership ------------------------------------------------------------------------

// The bucket's Object Ownership setting ("BucketOwnerEnforced", "BucketOwnerPreferred" or
// "ObjectWriter") from supplementaryConfiguration.BucketOwnershipControls, in whichever of the
// shapes AWS Config or the S3 API uses (`{"rules":[{"ownership":...}]}`,
// `{"ownershipControls":{"rules":[...]}}`, `{"Rules":[{"ObjectOwnership":...}]}`); nullopt when
// none is recorded.
std::optional<std::string> ObjectOwnership(const model::ConfigurationItem& bucket);

// The grants of a bucket ACL (an object or its JSON text; `grantList`, `grantSet` or the S3 API's
// `Grants`) to anyone other than the bucket owner, each described as "<permission> to
// <grantee>". The owner is the ACL's own owner ID, else `fallback_owner_id` (the bucket's
// configuration.owner.id). nullopt when `acl` is not an ACL object, or when it grants to a
// canonical user and no owner ID is known to tell the owner apart.
std::optional<std::vector<std::string>> AclGrantsToOthers(json::Value acl,
                                                          std::string_view fallback_owner_id);

// ---- Statement-level policy access (for rules that inspect statements one by one) ----------

// A bucket policy as a JSON object, read from whichever form AWS Config records it in (see the
// top of this file). `root` points into `doc` (or into the CI when it was already an object) and
// is valid while both live; it is Missing when there is no policy or it cannot be parsed.
struct PolicyJson {
  std::shared_ptr<const json::Document> doc;
  json::Value root;
};
PolicyJson ParsePolicyJson(json::Value policy);

// The statements of a policy object, whether Statement is one object or an array.
std::vector<json::Value> PolicyStatements(json::Value policy_root);

// One principal a Principal / NotPrincipal element names: `"*"` gives {"*", "*"}; {"AWS": [...],
// "Service": "...", "Federated": ..., "CanonicalUser": ...} gives one entry per value, typed by
// its key as written.
struct PolicyPrincipal {
  std::string type;
  std::string value;
};
std::vector<PolicyPrincipal> PolicyPrincipals(json::Value element);

// The AWS account an AWS principal belongs to: "123456789012" for "123456789012" or an IAM ARN
// "arn:<partition>:iam::123456789012:..." (root, user, role, assumed role); "" for "*", unique IDs
// and anything else.
std::string PrincipalAccount(std::string_view aws_principal);

// A policy element that is a string or an array (Action, Resource, condition values) as its
// string values; other values are skipped.
std::vector<std::string> PolicyStringValues(json::Value element);

// Whether a statement's Effect is Allow (compared ignoring case).
bool IsAllowStatement(json::Value statement);

// How annotations name a statement: its Sid in quotes (`"Sid1"`), else its 1-based position in
// the policy ("3"); `index` is 0-based.
std::string PolicyStatementLabel(json::Value statement, size_t index);

// ---- Reading CIs -------------------------------------------------------------------------

// Member `name` of `obj`, else the member whose name equals it ignoring case (AWS Config's and
// the S3 API's spellings differ in case only). Missing if none.
json::Value Field(json::Value obj, std::string_view name);

// The bucket's supplementaryConfiguration.BucketVersioningConfiguration ({"status",
// "isMfaDeleteEnabled"}); Missing when the CI does not record it as an object.
json::Value VersioningConfiguration(const model::ConfigurationItem& bucket);

// The verdict for a bucket CI without BucketVersioningConfiguration: no verdict
// (MissingFact "AWS::S3::Bucket").
Verdict VersioningNotRecorded();

// ---- Account-level Block Public Access parameters ------------------------------------------

// What S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS[_PERIODIC] find wrong: each of the parameters
// BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets is read ignoring
// case and surrounding blanks as true (true, yes, y, t, 1, or empty: the default) or false
// (false, no, n, f, 0); the setting of the same name in `actual` must equal it. Returns the
// problems joined with "; " ("" when every setting matches): "<name> is true, required false", or
// "<name> parameter '<value>' is not True or False" for a value that is neither. With `actual`
// unknown (nullopt) only the parameters' values are checked.
std::string AccountBlockPublicAccessMismatches(const RuleContext& ctx,
                                               const std::optional<BlockPublicAccess>& actual);

}  // namespace vigil::rules::s3
