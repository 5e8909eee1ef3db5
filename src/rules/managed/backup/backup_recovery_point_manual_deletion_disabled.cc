// BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED (backup-recovery-point-manual-deletion-disabled):
// a backup vault must have a resource-based (access) policy that prevents the deletion of recovery
// points. NON_COMPLIANT if the vault has no access policy, or none of its statements is a suitable
// Deny: a statement denying backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle and
// backup:PutBackupVaultAccessPolicy. AWS: "The rule requires that the Resource and Principal of the
// Deny statement must have a wildcard in the vault access policy. Otherwise, the rule returns
// NON_COMPLIANT." principalArnList lists IAM ARNs "for the rule to NOT check": principals the Deny
// may exempt.
//
// Data: the vault's access policy from the CI when it records one (configuration.AccessPolicy, the
// CloudFormation spelling; an object or its JSON text; null = no policy), else the keyed fact
// backup-get-backup-vault-access-policy (`aws backup get-backup-vault-access-policy`, keyed by
// vault name; ResourceNotFoundException = the vault has no policy).
//
// Choices where AWS's page is silent:
// - One and the same Deny statement must cover all three actions (through Action entries such as
//   "backup:*" or the exact names, compared ignoring case); NotAction and NotPrincipal statements
//   do not qualify.
// - "Wildcard Principal": "*" or {"AWS": "*"}. "Wildcard Resource": a Resource entry containing
//   "*".
// - A Deny without Condition qualifies. A Deny with a Condition qualifies only when each clause
//   exempts principals by aws:PrincipalArn with ArnNotEquals, ArnNotLike, StringNotEquals or
//   StringNotLike (IfExists allowed), and every exempted ARN is listed in principalArnList.
// - A policy that cannot be parsed is NON_COMPLIANT. A vault whose policy is neither in the CI nor
//   in the fact gives no verdict (MissingFact).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/managed/backup/backup_util.h"
#include "rules/managed/iam/iam_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kVaultPolicy{{
    .name = backup::kVaultPolicyFact,
    .command = "aws backup get-backup-vault-access-policy --region REGION --backup-vault-name KEY",
    .global = false,
    .keys_from = "backup-list-backup-vaults:BackupVaultList[].BackupVaultName",
    .answer_errors = "ResourceNotFoundException",
    .description = "the access policy of each AWS Backup vault (ResourceNotFoundException when "
                   "the vault has none)",
}};

constexpr std::string_view kActions[] = {"backup:DeleteRecoveryPoint",
                                         "backup:UpdateRecoveryPointLifecycle",
                                         "backup:PutBackupVaultAccessPolicy"};

bool WildcardPrincipal(json::Value p) {
  if (auto s = p.String()) return *s == "*";
  const std::vector<std::string> aws = backup::StringList(backup::Field(p, "AWS"));
  return std::find(aws.begin(), aws.end(), "*") != aws.end();
}

bool ConditionOnlyExempts(json::Value condition, const std::vector<std::string_view>& allowed) {
  for (const auto& [op_name, block] : condition.Members()) {
    std::string op = ToLower(op_name);
    if (EndsWith(op, "ifexists")) op.resize(op.size() - 8);
    if (op != "arnnotequals" && op != "arnnotlike" && op != "stringnotequals" &&
        op != "stringnotlike")
      return false;
    for (const auto& [key, values] : block.Members()) {
      if (ToLower(key) != "aws:principalarn") return false;
      for (const std::string& arn : backup::StringList(values))
        if (std::find(allowed.begin(), allowed.end(), arn) == allowed.end()) return false;
    }
  }
  return true;
}

// Whether one statement is the Deny the rule looks for.
bool SuitableDeny(json::Value s, const std::vector<std::string_view>& allowed) {
  const std::optional<std::string_view> effect = s.Get("Effect").String();
  if (!effect || ToLower(*effect) != "deny") return false;
  if (!s.Get("NotPrincipal").Missing() || !WildcardPrincipal(s.Get("Principal"))) return false;
  const std::vector<std::string> resources = backup::StringList(s.Get("Resource"));
  if (std::none_of(resources.begin(), resources.end(),
                   [](const std::string& r) { return r.find('*') != std::string::npos; }))
    return false;
  const std::vector<std::string> actions = backup::StringList(s.Get("Action"));
  for (std::string_view needed : kActions) {
    if (std::none_of(actions.begin(), actions.end(), [&](const std::string& a) {
          return iam::PatternCovers(a, needed, /*case_insensitive=*/true);
        }))
      return false;
  }
  const json::Value condition = s.Get("Condition");
  return condition.Missing() || condition.IsNull() || ConditionOnlyExempts(condition, allowed);
}

Verdict Judge(json::Value policy, const std::vector<std::string_view>& allowed) {
  std::optional<json::Document> parsed;
  if (auto text = policy.String()) {
    auto doc = json::Document::Parse(*text);
    if (!doc.ok()) return Verdict::NonCompliant("the vault's access policy cannot be parsed");
    parsed = std::move(doc).value();
    policy = parsed->Root();
  }
  if (!policy.IsObject())
    return Verdict::NonCompliant("the vault's access policy cannot be parsed");
  const json::Value statements = policy.Get("Statement");
  std::vector<json::Value> list;
  if (statements.IsObject()) {
    list.push_back(statements);
  } else {
    for (json::Value s : statements.Elements()) list.push_back(s);
  }
  for (json::Value s : list)
    if (SuitableDeny(s, allowed)) return Verdict::Compliant();
  return Verdict::NonCompliant(
      "no Deny statement with wildcard Principal and Resource denies backup:DeleteRecoveryPoint, "
      "backup:UpdateRecoveryPointLifecycle and backup:PutBackupVaultAccessPolicy");
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& vault) {
  const std::vector<std::string_view> allowed = ctx.CsvParam("principalArnList");
  const json::Value cfg = vault.Config();
  if (json::Value policy = backup::Field(cfg, "AccessPolicy"); !policy.Missing()) {
    if (policy.IsNull()) return Verdict::NonCompliant("the vault has no access policy");
    return Judge(policy, allowed);
  }
  const std::string_view name =
      backup::Field(cfg, "BackupVaultName")
          .String()
          .value_or(vault.resource_name.empty() ? vault.resource_id : vault.resource_name);
  const json::Value answer = ctx.Fact(backup::kVaultPolicyFact, vault).Get(name);
  if (answer.Missing())
    return Verdict::MissingFact(std::string(backup::kVaultPolicyFact),
                                "the access policy of vault " + std::string(name) + " is unknown");
  if (answer.Get("Error").Get("Code").String() == "ResourceNotFoundException")
    return Verdict::NonCompliant("the vault has no access policy");
  const json::Value policy = answer.Get("Policy");
  if (policy.Missing() || policy.IsNull())
    return Verdict::NonCompliant("the vault has no access policy");
  return Judge(policy, allowed);
}

const ManagedRule kRule{{
    .identifier = "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
    .resource_types = {"AWS::Backup::BackupVault"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "principalArnList", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {backup::kVaultPolicyFact},
}};

}  // namespace
}  // namespace vigil::rules
