#include "rules/managed/backup/backup_util.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"

namespace vigil::rules::backup {
namespace {

const model::FactKindRegistration kListVaults{{
    .name = kListVaultsFact,
    .command = "aws backup list-backup-vaults --region REGION",
    .global = false,
    .description = "the AWS Backup vaults of the region, with their Vault Lock state "
                   "(Locked, MinRetentionDays, MaxRetentionDays)",
}};

std::string_view TagKey(std::string_view key) {
  constexpr std::string_view kPrefix = "aws:ResourceTag/";
  if (key.size() >= kPrefix.size() && ToLower(key.substr(0, kPrefix.size())) == ToLower(kPrefix))
    return key.substr(kPrefix.size());
  return key;
}

struct TagCondition {
  std::string key;
  std::string value;
};

std::vector<TagCondition> TagConditions(json::Value list) {
  std::vector<TagCondition> out;
  for (json::Value c : list.Elements()) {
    const std::string_view key = Field(c, "ConditionKey").String().value_or("");
    if (key.empty()) continue;
    out.push_back(
        {std::string(TagKey(key)), std::string(Field(c, "ConditionValue").String().value_or(""))});
  }
  return out;
}

// Whether every clause of a Conditions object holds for the resource's tags.
bool ConditionsHold(json::Value conditions, const model::ConfigurationItem& resource) {
  for (const auto& [op_name, clauses] : conditions.Members()) {
    const std::string op = ToLower(op_name);
    for (const TagCondition& c : TagConditions(clauses)) {
      const std::string_view* actual = resource.Tag(c.key);
      bool holds = false;
      if (op == "stringequals") {
        holds = actual && *actual == c.value;
      } else if (op == "stringnotequals") {
        holds = !actual || *actual != c.value;
      } else if (op == "stringlike") {
        holds = actual && GlobMatch(c.value, *actual);
      } else if (op == "stringnotlike") {
        holds = !actual || !GlobMatch(c.value, *actual);
      } else {
        continue;  // an operator AWS Backup does not have
      }
      if (!holds) return false;
    }
  }
  return true;
}

// The region or account field of an ARN ("arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME").
std::string_view ArnField(std::string_view arn, int index) {
  for (int i = 0; i < index; ++i) {
    const size_t colon = arn.find(':');
    if (colon == std::string_view::npos) return {};
    arn.remove_prefix(colon + 1);
  }
  return arn.substr(0, arn.find(':'));
}

std::vector<std::string> CsvList(std::optional<std::string_view> text) {
  std::vector<std::string> out;
  if (!text) return out;
  for (std::string_view part : Split(*text, ','))
    if (std::string_view t = Trim(part); !t.empty()) out.emplace_back(t);
  return out;
}

bool Contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep = ", ") {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::optional<std::int64_t> Days(json::Value v) {
  if (auto n = v.Number()) return static_cast<std::int64_t>(*n);
  return std::nullopt;
}

struct VaultLock {
  bool locked = false;
  std::optional<std::int64_t> min_days, max_days;
};

// The Vault Lock of vault `name` in the resource's account and region: from the recorded
// AWS::Backup::BackupVault item when it carries its lock (CloudFormation's LockConfiguration, or
// the API's Locked), else from the fact backup-list-backup-vaults (a vault not listed there does
// not exist, so is not locked). nullopt when neither source knows.
std::optional<VaultLock> LockOf(const RuleContext& ctx, const model::ConfigurationItem& resource,
                                std::string_view name) {
  bool known = false;
  for (const model::ConfigurationItem* v :
       ctx.env().Items(kVaultType, resource.account_id, resource.region, &known)) {
    const json::Value cfg = v->Config();
    const std::string_view vault_name =
        Field(cfg, "BackupVaultName").String().value_or(v->resource_name);
    if (vault_name != name && v->resource_id != name) continue;
    if (json::Value lock = Field(cfg, "LockConfiguration"); lock.IsObject())
      return VaultLock{true, Days(Field(lock, "MinRetentionDays")),
                       Days(Field(lock, "MaxRetentionDays"))};
    if (auto locked = Field(cfg, "Locked").Bool())
      return VaultLock{*locked, Days(Field(cfg, "MinRetentionDays")),
                       Days(Field(cfg, "MaxRetentionDays"))};
  }
  const json::Value fact = ctx.Fact(kListVaultsFact, resource);
  if (!fact.IsObject()) return std::nullopt;
  for (json::Value v : fact.Get("BackupVaultList").Elements()) {
    if (v.Get("BackupVaultName").String() != name) continue;
    return VaultLock{v.Get("Locked").Bool().value_or(false), Days(v.Get("MinRetentionDays")),
                     Days(v.Get("MaxRetentionDays"))};
  }
  return VaultLock{};
}

// The rules of a recorded backup plan: AWS Config's BackupPlan.BackupPlanRule, or the API's
// BackupPlan.Rules.
std::vector<json::Value> PlanRules(json::Value plan_config) {
  const json::Value plan = Field(plan_config, "BackupPlan");
  json::Value rules = Field(plan, "BackupPlanRule");
  if (rules.Missing()) rules = Field(plan, "Rules");
  std::vector<json::Value> out;
  if (rules.IsObject()) {
    out.push_back(rules);
  } else {
    for (json::Value r : rules.Elements()) out.push_back(r);
  }
  return out;
}

// The latest recorded AWS::Backup::BackupPlan with this ID; `*known` tells whether the type is
// recorded in the account and region.
const model::ConfigurationItem* FindPlan(const RuleContext& ctx,
                                         const model::ConfigurationItem& resource,
                                         std::string_view plan_id, bool* known) {
  const model::ConfigurationItem* found = nullptr;
  for (const model::ConfigurationItem* p :
       ctx.env().Items(kPlanType, resource.account_id, resource.region, known)) {
    const std::string_view id = Field(p->Config(), "BackupPlanId").String().value_or("");
    if (id != plan_id && p->resource_id != plan_id) continue;
    if (!found || p->capture_time > found->capture_time) found = p;
  }
  return found;
}

// MissingFact when the coverage is unknown: selections not recorded, or no selection covering the
// resource but opaque ones that might.
std::optional<Verdict> UnknownCoverage(const std::optional<Coverage>& coverage,
                                       const model::ConfigurationItem& resource);

std::string NotRecordedWhy(const model::ConfigurationItem& resource) {
  return "AWS::Backup::BackupSelection is not recorded in " + std::string(resource.account_id) +
         "/" + std::string(resource.region) +
         ": the backup plans' resource assignments are unknown";
}

std::optional<Verdict> UnknownCoverage(const std::optional<Coverage>& coverage,
                                       const model::ConfigurationItem& resource) {
  if (!coverage) return Verdict::MissingFact(std::string(kSelectionType), NotRecordedWhy(resource));
  if (coverage->covering.empty() && !coverage->opaque.empty())
    return Verdict::MissingFact(
        std::string(kSelectionType),
        TruncateUtf8("resource assignment " + coverage->opaque.front() +
                         " records no Resources, ListOfTags or Conditions: what it assigns is "
                         "unknown",
                     256));
  return std::nullopt;
}

}  // namespace

json::Value Field(json::Value obj, std::string_view name) {
  if (json::Value v = obj.Get(name); !v.Missing()) return v;
  const std::string want = ToLower(name);
  for (const auto& m : obj.Members())
    if (m.key.size() == want.size() && ToLower(m.key) == want) return m.value;
  return {};
}

std::vector<std::string> StringList(json::Value v) {
  std::vector<std::string> out;
  if (auto s = v.String()) {
    out.emplace_back(*s);
    return out;
  }
  for (json::Value e : v.Elements())
    if (auto s = e.String()) out.emplace_back(*s);
  return out;
}

std::string ResourceArn(const model::ConfigurationItem& r) {
  if (!r.arn.empty()) return std::string(r.arn);
  const std::string region(r.region), account(r.account_id);
  const std::string name(r.resource_name.empty() ? r.resource_id : r.resource_name);
  const std::string id(r.resource_id);
  const json::Value cfg = r.Config();
  const std::string_view type = r.resource_type;
  if (type == "AWS::EC2::Volume") return "arn:aws:ec2:" + region + ":" + account + ":volume/" + id;
  if (type == "AWS::EC2::Instance")
    return "arn:aws:ec2:" + region + ":" + account + ":instance/" + id;
  if (type == "AWS::DynamoDB::Table")
    return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
  if (type == "AWS::EFS::FileSystem")
    return "arn:aws:elasticfilesystem:" + region + ":" + account + ":file-system/" + id;
  if (type == "AWS::FSx::FileSystem")
    return "arn:aws:fsx:" + region + ":" + account + ":file-system/" + id;
  if (type == "AWS::RDS::DBInstance") {
    const std::string_view db = Field(cfg, "dBInstanceIdentifier").String().value_or(name);
    return "arn:aws:rds:" + region + ":" + account + ":db:" + std::string(db);
  }
  if (type == "AWS::RDS::DBCluster") {
    const std::string_view c = Field(cfg, "dBClusterIdentifier").String().value_or(name);
    return "arn:aws:rds:" + region + ":" + account + ":cluster:" + std::string(c);
  }
  if (type == "AWS::S3::Bucket") {
    const std::string_view b = Field(cfg, "name").String().value_or(name);
    return "arn:aws:s3:::" + std::string(b);
  }
  return {};
}

bool SelectionAssigns(json::Value selection, std::string_view arn,
                      const model::ConfigurationItem& resource) {
  const std::vector<std::string> resources = StringList(Field(selection, "Resources"));
  const std::vector<TagCondition> tags = TagConditions(Field(selection, "ListOfTags"));
  bool included = resources.empty() && tags.empty();
  for (const std::string& pattern : resources)
    if (GlobMatch(pattern, arn)) included = true;
  for (const TagCondition& t : tags)
    if (const std::string_view* actual = resource.Tag(t.key); actual && *actual == t.value)
      included = true;
  if (!included) return false;
  for (const std::string& pattern : StringList(Field(selection, "NotResources")))
    if (GlobMatch(pattern, arn)) return false;
  return ConditionsHold(Field(selection, "Conditions"), resource);
}

std::optional<Coverage> CoveringSelections(const RuleContext& ctx,
                                           const model::ConfigurationItem& resource) {
  bool known = false;
  const auto selections =
      ctx.env().Items(kSelectionType, resource.account_id, resource.region, &known);
  if (selections.empty() && !known) return std::nullopt;
  const std::string arn = ResourceArn(resource);
  Coverage out;
  for (const model::ConfigurationItem* s : selections) {
    const json::Value cfg = s->Config();
    const json::Value selection = Field(cfg, "BackupSelection");
    if (!selection.IsObject()) continue;
    std::string name(Field(selection, "SelectionName").String().value_or(s->resource_name));
    if (Field(selection, "Resources").Missing() && Field(selection, "ListOfTags").Missing() &&
        Field(selection, "Conditions").Missing()) {
      out.opaque.push_back(std::move(name));
      continue;
    }
    if (!SelectionAssigns(selection, arn, resource)) continue;
    out.covering.push_back(
        {std::string(Field(cfg, "BackupPlanId").String().value_or("")), std::move(name)});
  }
  return out;
}

Verdict EvaluateInBackupPlan(const RuleContext& ctx, const model::ConfigurationItem& resource) {
  const std::optional<Coverage> coverage = CoveringSelections(ctx, resource);
  if (auto unknown = UnknownCoverage(coverage, resource)) return *unknown;
  const std::vector<CoveringSelection>* covering = &coverage->covering;
  if (covering->empty())
    return Verdict::NonCompliant("no resource assignment of a backup plan in " +
                                 std::string(resource.region) + " covers the resource");
  const CoveringSelection& first = covering->front();
  return Verdict::Compliant(TruncateUtf8(
      "in backup plan " + first.plan_id + " (resource assignment " + first.name + ")", 256));
}

ManagedRuleDef InBackupPlanRule(std::string_view identifier, std::string_view resource_type) {
  return {
      .identifier = identifier,
      .resource_types = {resource_type},
      .trigger = Trigger::kPeriodic,
      .parameters = {},
      .evaluate = &EvaluateInBackupPlan,
      .context_types = {kSelectionType},
  };
}

std::vector<ParamSpec> ProtectedByBackupPlanParams() {
  return {{.name = "resourceTags", .type = ParamType::kString, .optional = true},
          {.name = "resourceId", .type = ParamType::kString, .optional = true},
          {.name = "crossRegionList", .type = ParamType::kString, .optional = true},
          {.name = "crossAccountList", .type = ParamType::kString, .optional = true},
          {.name = "maxRetentionDays", .type = ParamType::kInt, .optional = true},
          {.name = "minRetentionDays", .type = ParamType::kInt, .optional = true},
          {.name = "backupVaultLockCheck", .type = ParamType::kString, .optional = true}};
}

Verdict EvaluateProtectedByBackupPlan(const RuleContext& ctx,
                                      const model::ConfigurationItem& resource) {
  // Scope: resourceId and resourceTags.
  if (const std::string_view id = Trim(ctx.Param("resourceId").value_or("")); !id.empty()) {
    if (id != resource.resource_id && id != resource.resource_name && id != resource.arn)
      return Verdict::NotApplicable(
          TruncateUtf8("not the resource resourceId names (" + std::string(id) + ")", 256));
  }
  if (const std::string_view tags = Trim(ctx.Param("resourceTags").value_or("")); !tags.empty()) {
    auto doc = json::Document::Parse(tags);
    bool valid = doc.ok() && doc->Root().IsObject();
    if (valid)
      for (const auto& m : doc->Root().Members()) valid = valid && m.value.IsString();
    if (!valid)
      return Verdict::NotApplicable(TruncateUtf8(
          "resourceTags '" + std::string(tags) + "' is not a JSON object of tag values", 256));
    for (const auto& m : doc->Root().Members()) {
      const std::string_view* actual = resource.Tag(m.key);
      if (!actual || *actual != *m.value.String())
        return Verdict::NotApplicable(
            TruncateUtf8("the resource is not tagged " + std::string(m.key) + "=" +
                             std::string(*m.value.String()) + " (resourceTags)",
                         256));
    }
  }

  const std::optional<Coverage> coverage = CoveringSelections(ctx, resource);
  if (auto unknown = UnknownCoverage(coverage, resource)) return *unknown;
  const std::vector<CoveringSelection>* covering = &coverage->covering;
  if (covering->empty())
    return Verdict::NonCompliant("no backup plan in " + std::string(resource.region) +
                                 " covers the resource (no resource assignment selects it)");

  const std::vector<std::string> regions = CsvList(ctx.Param("crossRegionList"));
  const std::vector<std::string> accounts = CsvList(ctx.Param("crossAccountList"));
  const bool lock_check = ToLower(Trim(ctx.Param("backupVaultLockCheck").value_or(""))) == "true";
  const std::optional<std::int64_t> min_days = ctx.IntParam("minRetentionDays");
  const std::optional<std::int64_t> max_days = ctx.IntParam("maxRetentionDays");
  if (regions.empty() && accounts.empty() && !lock_check) {
    const CoveringSelection& first = covering->front();
    return Verdict::Compliant(TruncateUtf8(
        "covered by backup plan " + first.plan_id + " (resource assignment " + first.name + ")",
        256));
  }

  std::vector<std::string> plan_ids;
  for (const CoveringSelection& s : *covering)
    if (!Contains(plan_ids, s.plan_id)) plan_ids.push_back(s.plan_id);

  std::optional<Verdict> missing;
  std::string first_failure;
  for (const std::string& plan_id : plan_ids) {
    bool known = false;
    const model::ConfigurationItem* plan = FindPlan(ctx, resource, plan_id, &known);
    if (!plan) {
      if (!known) {
        if (!missing)
          missing =
              Verdict::MissingFact(std::string(kPlanType),
                                   "backup plan " + plan_id +
                                       " is not recorded: its copy actions and vaults are unknown");
      } else if (first_failure.empty()) {
        first_failure = "backup plan " + plan_id + " no longer exists";
      }
      continue;
    }
    const std::vector<json::Value> rules = PlanRules(plan->Config());
    std::vector<std::string> failures;
    bool unknown = false;
    if (!regions.empty() || !accounts.empty()) {
      bool region_ok = regions.empty(), account_ok = accounts.empty();
      for (json::Value rule : rules) {
        for (json::Value copy : Field(rule, "CopyActions").Elements()) {
          const std::string_view dest =
              Field(copy, "DestinationBackupVaultArn").String().value_or("");
          if (Contains(regions, ArnField(dest, 3))) region_ok = true;
          if (Contains(accounts, ArnField(dest, 4))) account_ok = true;
        }
      }
      if (!region_ok)
        failures.push_back("no copy to a vault in " + Join(regions, " or ") + " (crossRegionList)");
      if (!account_ok)
        failures.push_back("no copy to a vault of account " + Join(accounts, " or ") +
                           " (crossAccountList)");
    }
    if (lock_check) {
      bool lock_ok = false;
      for (json::Value rule : rules) {
        json::Value target = Field(rule, "TargetBackupVault");
        if (target.Missing()) target = Field(rule, "TargetBackupVaultName");
        const std::string_view vault = target.String().value_or("");
        if (vault.empty()) continue;
        const std::optional<VaultLock> lock = LockOf(ctx, resource, vault);
        if (!lock) {
          unknown = true;
          continue;
        }
        if (!lock->locked) continue;
        if (min_days && (!lock->min_days || *lock->min_days < *min_days)) continue;
        if (max_days && (!lock->max_days || *lock->max_days > *max_days)) continue;
        lock_ok = true;
      }
      if (!lock_ok && !unknown) {
        std::string why = "no rule backs up to a locked vault";
        if (min_days || max_days) {
          why += " with";
          if (min_days) why += " MinRetentionDays >= " + std::to_string(*min_days);
          if (min_days && max_days) why += " and";
          if (max_days) why += " MaxRetentionDays <= " + std::to_string(*max_days);
        }
        failures.push_back(why);
      }
      if (!lock_ok && unknown && failures.empty()) {
        if (!missing)
          missing = Verdict::MissingFact(
              std::string(kListVaultsFact),
              "the Vault Lock of backup plan " + plan_id + "'s target vaults is unknown");
        continue;
      }
    }
    if (failures.empty())
      return Verdict::Compliant(TruncateUtf8(
          "covered by backup plan " + plan_id + ", which meets the requested checks", 256));
    if (first_failure.empty())
      first_failure =
          "backup plan " + plan_id + " covers the resource, but: " + Join(failures, "; ");
  }
  if (missing) return *missing;
  return Verdict::NonCompliant(TruncateUtf8(first_failure, 256));
}

ManagedRuleDef ProtectedByBackupPlanRule(std::string_view identifier,
                                         std::string_view resource_type, EvaluateFn evaluate) {
  return {
      .identifier = identifier,
      .resource_types = {resource_type},
      .trigger = Trigger::kPeriodic,
      .parameters = ProtectedByBackupPlanParams(),
      .evaluate = evaluate,
      .facts = {kListVaultsFact},
      .context_types = {kSelectionType, kPlanType, kVaultType},
  };
}

}  // namespace vigil::rules::backup
