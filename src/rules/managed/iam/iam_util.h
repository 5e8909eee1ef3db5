// Shared IAM logic for managed rules: the IAM credential report, and IAM policy documents as
// AWS Config records them.
//
// The fact "iam-get-credential-report" is the unmodified output of
// `aws iam get-credential-report`:
//
//     {"Content": "<base64 of the CSV report>", "ReportFormat": "text/csv",
//      "GeneratedTime": "2024-05-01T10:00:00+00:00"}
//
// The CSV has a header row naming its columns (user, arn, user_creation_time, password_enabled,
// mfa_active, access_key_1_active, access_key_1_last_rotated, …) and one row per IAM user, plus a
// row for the root user named "<root_account>". Columns are looked up by name, so reports with
// added or reordered columns read the same.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/time.h"
#include "json/value.h"
#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::iam {

inline constexpr std::string_view kRootAccountUser = "<root_account>";

// A parsed credential report. Owns its text; rows stay valid while the report lives. Immutable
// after parsing, so safe to read from many threads.
class CredentialReport {
 public:
  class Row {
   public:
    // The cell of `column`, or "" if the report has no such column.
    std::string_view Get(std::string_view column) const;
    std::string_view user() const { return Get("user"); }
    std::string_view arn() const { return Get("arn"); }

   private:
    friend class CredentialReport;
    const CredentialReport* report_ = nullptr;
    std::vector<std::string> cells_;
  };

  // Decodes and parses the fact. Returns nullopt and sets `*error` (if given) when the fact is
  // not an object with a base64 `Content`, or the CSV has no header with a `user` column.
  static std::optional<CredentialReport> FromFact(json::Value fact, std::string* error = nullptr);
  // Like FromFact, but decodes each fact once per run (RuleContext::Memo): facts are immutable
  // for a run, and rules consult the same report for every IAM user of the account. The pointer
  // stays valid for the run; null on error.
  static const CredentialReport* Cached(const RuleContext& ctx, json::Value fact,
                                        std::string* error = nullptr);
  // Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and newlines).
  static std::optional<CredentialReport> FromCsv(std::string_view csv,
                                                 std::string* error = nullptr);

  CredentialReport(const CredentialReport&) = delete;
  CredentialReport& operator=(const CredentialReport&) = delete;
  CredentialReport(CredentialReport&& other) noexcept;
  CredentialReport& operator=(CredentialReport&& other) noexcept;
  ~CredentialReport() = default;

  // The row of the IAM user named `user` (compared exactly, as the report spells names as
  // created), or of the root user for kRootAccountUser. Null if absent.
  const Row* FindUser(std::string_view user) const;
  const Row* FindArn(std::string_view arn) const;
  const Row* Root() const { return FindUser(kRootAccountUser); }
  const std::vector<Row>& rows() const { return rows_; }
  bool HasColumn(std::string_view column) const;
  // `GeneratedTime` of the fact, "" when parsed from bare CSV.
  const std::string& generated_time() const { return generated_time_; }

 private:
  CredentialReport() = default;
  void Relink();

  std::map<std::string, size_t, std::less<>> columns_;
  std::vector<Row> rows_;
  // Row indexes by user name and ARN (the first row wins, as a scan would find it).
  std::unordered_map<std::string, size_t> by_user_, by_arn_;
  std::string generated_time_;
};

// True for the credential report's spelling of true ("true", any case).
bool ReportTrue(std::string_view cell);

// The credential report of the item's account ("iam-get-credential-report"). Null, with
// `*missing` set to a MissingFact verdict, when the fact is absent or cannot be decoded.
const CredentialReport* ReportFor(const RuleContext& ctx, const model::ConfigurationItem& item,
                                  Verdict* missing);
// The row of the IAM user of an AWS::IAM::User CI, found by configuration.userName, the CI's
// resourceName, then its ARN. Null, with `*missing` set to a MissingFact verdict, when the user is
// not in the report (the report predates the user).
const CredentialReport::Row* UserRow(const CredentialReport& report,
                                     const model::ConfigurationItem& user, Verdict* missing);
// The credential-report row of the AWS::IAM::User CI `user`: ReportFor, then UserRow. Null, with
// `*missing` set, when the report is absent or unreadable or the user is not in it.
const CredentialReport::Row* UserReportRow(const RuleContext& ctx,
                                           const model::ConfigurationItem& user, Verdict* missing);

// For the rules that age a user's credentials (ACCESS_KEYS_ROTATED,
// IAM_USER_UNUSED_CREDENTIALS_CHECK): the user's row, and the time ages are measured at, the
// report's GeneratedTime (the report is the snapshot the verdict describes).
struct DatedUserRow {
  const CredentialReport::Row* row = nullptr;
  EpochMillis generated = 0;
};
// nullopt, with `*missing` set, when UserReportRow finds no row or the report has no readable
// GeneratedTime.
std::optional<DatedUserRow> DatedUserReportRow(const RuleContext& ctx,
                                               const model::ConfigurationItem& user,
                                               Verdict* missing);

// An active access key of a credential-report row: access_key_N_active is true (N = 1 or 2).
struct ActiveAccessKey {
  int number = 1;
  std::optional<EpochMillis> last_rotated;  // access_key_N_last_rotated: created or rotated
  std::optional<EpochMillis> last_used;     // access_key_N_last_used_date
};
// The row's active access keys, key 1 first; dates are read with ReportDate.
std::vector<ActiveAccessKey> ActiveAccessKeys(const CredentialReport::Row& row);

// ---- The root user ----
//
// ROOT_ACCOUNT_MFA_ENABLED, ROOT_ACCOUNT_HARDWARE_MFA_ENABLED and IAM_ROOT_ACCESS_KEY_CHECK read
// `aws iam get-account-summary` (fact "iam-get-account-summary": {"SummaryMap": {...}}) and, when
// the summary lacks the value they need, the credential report's <root_account> row.

// The SummaryMap of the account's "iam-get-account-summary" fact; Missing when not collected.
json::Value AccountSummaryMap(const RuleContext& ctx, const model::ConfigurationItem& account);
// Whether the summary says the root user has no credentials at all (centralized root access):
// AccountPasswordPresent, AccountAccessKeysPresent and AccountSigningCertificatesPresent all 0.
// A summary without AccountPasswordPresent (older output) is read as a root user with a
// password, as every account had before centralized root access.
bool RootHasNoCredentials(json::Value summary_map);
// The credential report's <root_account> row, read when the summary has no
// SummaryMap.<summary_field>. Null, with `*missing` set to a MissingFact verdict naming
// "iam-get-account-summary" (the fact to collect), when the report is not collected, cannot be
// decoded or has no root row.
const CredentialReport::Row* RootReportRow(const RuleContext& ctx,
                                           const model::ConfigurationItem& account,
                                           std::string_view summary_field, Verdict* missing);

// A date cell of the report ("2024-05-01T10:00:00+00:00"); nullopt for "N/A", "no_information",
// "not_supported" and anything else that is not a timestamp.
std::optional<EpochMillis> ReportDate(std::string_view cell);
// The report's GeneratedTime, the rules' "now" (RuleContext has no clock); nullopt if absent.
std::optional<EpochMillis> ReportTime(const CredentialReport& report);
// Whole days elapsed from `then` to `now` (rounded down; negative spans give 0).
std::int64_t WholeDays(EpochMillis then, EpochMillis now);

// ---- Policy documents ----
//
// AWS Config records IAM policy documents URL-encoded ("%7B%22Version%22%3A..."):
// AWS::IAM::Policy configuration.policyVersionList[].document, AWS::IAM::User
// configuration.userPolicyList[].policyDocument, AWS::IAM::Role rolePolicyList[].policyDocument
// and assumeRolePolicyDocument, AWS::IAM::Group groupPolicyList[].policyDocument. Some sources
// (the RDK's example items) hold them decoded, as an object or an array of objects.
// ParsePolicyDocument accepts all of these.

// One statement, with every string-or-list element read as a list.
struct PolicyStatement {
  std::string sid;
  // "Sid" when present, else "#<n>" (1-based position in the document), for annotations.
  std::string label;
  std::string effect;  // as written: "Allow" or "Deny"
  std::vector<std::string> actions, not_actions, resources, not_resources;
  bool has_action = false, has_not_action = false;
  bool has_resource = false, has_not_resource = false;
  bool has_condition = false;
  // Principal / NotPrincipal (trust and resource policies): whether one is present, the AWS
  // principals named ("123456789012", "arn:aws:iam::123456789012:root", ...; "*" for
  // "Principal": "*"), and whether any other kind (Service, Federated, CanonicalUser) is named.
  bool has_principal = false;
  std::vector<std::string> aws_principals;
  bool other_principals = false;

  bool Allow() const { return effect == "Allow"; }
};

struct PolicyDocument {
  std::vector<PolicyStatement> statements;
};

// Decodes %XX escapes ('+' is kept: IAM encodes spaces as %20). Malformed escapes are kept as
// written.
std::string UrlDecode(std::string_view s);
// Parses a policy document: URL-encoded or plain JSON text, an object, or an array of documents
// (their statements concatenated). Statement may be an object or an array; Action, NotAction,
// Resource, NotResource and principal lists may be a string or an array of strings. Returns
// nullopt and sets `*error` when the value is none of these.
std::optional<PolicyDocument> ParsePolicyDocument(json::Value v, std::string* error = nullptr);

// IAM wildcard patterns ('*' any run, '?' one character). Action patterns compare ignoring case.
// True if some string matches both patterns.
bool PatternsOverlap(std::string_view a, std::string_view b, bool case_insensitive);
// True if every string `specific` matches is matched by `general` (a sufficient test: it treats
// the wildcards of `specific` as unknown text that only a '*' of `general` can absorb).
bool PatternCovers(std::string_view general, std::string_view specific, bool case_insensitive);

// Whether an Allow statement allows some action matching `pattern` (e.g. "kms:Decrypt*"): an
// Action entry overlaps it, or (NotAction) no NotAction entry covers all of it. False for Deny.
bool StatementAllowsActionPattern(const PolicyStatement& s, std::string_view pattern);
// Whether the statement's resources include every resource matched by `pattern` (e.g.
// "arn:aws:kms:*:*:key/*"): a Resource entry covers it, or no NotResource entry overlaps it.
bool StatementCoversResources(const PolicyStatement& s, std::string_view pattern);

// For the *_BLOCKED_KMS_ACTIONS rules: the first Allow statement of `doc` that allows an action
// matching one of `blocked` (patterns such as "kms:Decrypt*") on all KMS keys, described for an
// annotation ("statement S allows kms:Decrypt on all KMS keys"); "" if none. "All KMS keys" is a
// Resource entry covering arn:<partition>:kms:*:*:key/* (any region, account and key), or a
// NotResource list that excludes no KMS key. Condition is not evaluated, and Deny statements do
// not take permissions away (AWS: "This rule does not evaluate the conditions").
std::string BlockedKmsActionAllowed(const PolicyDocument& doc,
                                    const std::vector<std::string_view>& blocked,
                                    std::string_view partition);

// The partition of an ARN ("aws", "aws-cn", "aws-us-gov"); "aws" when unreadable.
std::string_view ArnPartition(std::string_view arn);
// The account of an ARN ("arn:aws:iam::123456789012:root" -> "123456789012"); "" if none.
std::string_view ArnAccount(std::string_view arn);
// True for AWS managed policies (arn:<partition>:iam::aws:policy/...).
bool IsAwsManagedPolicyArn(std::string_view arn);

// The document of the default version of an AWS::IAM::Policy CI: the policyVersionList entry
// with isDefaultVersion true, else the one whose versionId is configuration.defaultVersionId.
// nullopt with `*error` set when there is none or it cannot be parsed.
std::optional<PolicyDocument> DefaultPolicyDocument(const model::ConfigurationItem& policy,
                                                    std::string* error = nullptr);

// A customer managed policy in scope of the AWS::IAM::Policy rules
// (IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS, IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS,
// IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS): its ARN (the CI's, else configuration.arn) and the
// document of its default version.
struct CustomerPolicy {
  std::string_view arn;
  PolicyDocument document;
};
// nullopt, with `*verdict` set, when the policy is not evaluated: NOT_APPLICABLE for an AWS
// managed policy (AWS evaluates only customer managed policies) or under
// PermissionBoundaryExclusion, MissingFact("AWS::IAM::Policy") when the default version's
// document cannot be read (DefaultPolicyDocument).
std::optional<CustomerPolicy> CustomerPolicyInScope(const RuleContext& ctx,
                                                    const model::ConfigurationItem& policy,
                                                    Verdict* verdict);

// The parameter excludePermissionBoundaryPolicy of the AWS::IAM::Policy rules, as they declare it.
inline constexpr ParamSpec kExcludePermissionBoundaryPolicy{
    .name = "excludePermissionBoundaryPolicy", .type = ParamType::kBoolean, .optional = true};

// For the excludePermissionBoundaryPolicy parameter of the AWS::IAM::Policy rules: NOT_APPLICABLE
// when the parameter is true and the policy is used only as a permissions boundary
// (permissionsBoundaryUsageCount > 0 and attachmentCount 0); MissingFact when the parameter is
// true and the CI lacks those counts; nullopt when the policy is to be evaluated.
std::optional<Verdict> PermissionBoundaryExclusion(const RuleContext& ctx,
                                                   const model::ConfigurationItem& policy);

// An inline policy of a user, role or group CI.
struct InlinePolicy {
  std::string name;
  std::optional<PolicyDocument> document;  // nullopt when it could not be parsed
  std::string error;
};
// The name of the inline-policy list of the CI's type: userPolicyList, rolePolicyList or
// groupPolicyList ("" for other types).
std::string_view InlinePolicyListKey(std::string_view resource_type);
// The inline policies of an AWS::IAM::User, Role or Group CI, parsed.
std::vector<InlinePolicy> InlinePolicies(const model::ConfigurationItem& item);
// True when the CI carries a configuration object (AWS Config recorded the resource's
// properties); rules give MissingFact otherwise rather than read absent lists as empty.
bool HasConfiguration(const model::ConfigurationItem& item);

}  // namespace vigil::rules::iam
