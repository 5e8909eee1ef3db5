// ECR_PRIVATE_IMAGE_SCANNING_ENABLED (ecr-private-image-scanning-enabled): private ECR
// repositories must have image scanning enabled. AWS: NON_COMPLIANT if the private repository's
// scan frequency is not scan on push or continuous scan.
//
// Data: a repository's effective scan frequency combines its own setting
// (configuration.ImageScanningConfiguration.ScanOnPush of the AWS::ECR::Repository CI) with the
// registry's scanning configuration, which AWS Config does not record. That comes from the
// regional fact "ecr-get-registry-scanning-configuration"
// (`aws ecr get-registry-scanning-configuration`); without it there is no verdict, since
// registry rules can turn scanning on (or, under enhanced scanning, leave it off) whatever the
// repository says.
//
// Choices where AWS's page is silent (ECR's own rules decide the effective frequency):
// - Registry rules apply to a repository when one of their repository filters matches its name:
//   a filter with '*' matches as a wildcard over the whole name, a filter without one matches
//   any name containing it (as ECR documents).
// - ENHANCED scan type: the repository is scanned when a registry rule with frequency
//   CONTINUOUS_SCAN or SCAN_ON_PUSH applies to it; the repository-level ScanOnPush is ignored,
//   since enhanced scanning is configured only at the registry.
// - BASIC scan type: the repository is scanned on push when a SCAN_ON_PUSH registry rule applies
//   to it or its own (deprecated) ScanOnPush is true.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kRegistryScanning{{
    .name = "ecr-get-registry-scanning-configuration",
    .command = "aws ecr get-registry-scanning-configuration --region REGION",
    .global = false,
    .keys_from = "",
    .answer_errors = "",
    .description = "the private registry's scan type (BASIC or ENHANCED) and scanning rules",
}};

bool FilterMatches(std::string_view filter, std::string_view name) {
  filter = Trim(filter);
  if (filter.empty()) return false;
  if (filter.find('*') != std::string_view::npos) return GlobMatch(filter, name);
  return name.find(filter) != std::string_view::npos;
}

std::string_view RepositoryName(const model::ConfigurationItem& repo) {
  for (std::string_view key : {"RepositoryName", "repositoryName"})
    if (auto n = repo.Config().Get(key).String(); n && !n->empty()) return *n;
  return repo.resource_name.empty() ? repo.resource_id : repo.resource_name;
}

bool RepositoryScanOnPush(const model::ConfigurationItem& repo) {
  json::Value cfg = repo.Config().Get("ImageScanningConfiguration");
  if (cfg.Missing()) cfg = repo.Config().Get("imageScanningConfiguration");
  json::Value on = cfg.Get("ScanOnPush");
  if (on.Missing()) on = cfg.Get("scanOnPush");
  return on.Bool().value_or(false);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& repo) {
  const json::Value fact = ctx.Fact("ecr-get-registry-scanning-configuration", repo);
  const json::Value scanning = fact.Get("scanningConfiguration");
  if (!scanning.IsObject())
    return Verdict::MissingFact("ecr-get-registry-scanning-configuration",
                                fact.Missing() ? "the registry's scanning configuration in " +
                                                     std::string(repo.account_id) + "/" +
                                                     std::string(repo.region) + " is unknown"
                                               : "the fact has no scanningConfiguration");
  const std::string_view name = RepositoryName(repo);
  const std::string scan_type = ToLower(scanning.Get("scanType").String().value_or("BASIC"));
  bool continuous = false, on_push = false;
  for (json::Value rule : scanning.Get("rules").Elements()) {
    const std::string freq = ToLower(rule.Get("scanFrequency").String().value_or(""));
    bool applies = false;
    for (json::Value f : rule.Get("repositoryFilters").Elements())
      if (FilterMatches(f.Get("filter").String().value_or(""), name)) applies = true;
    if (!applies) continue;
    if (freq == "continuous_scan") continuous = true;
    if (freq == "scan_on_push") on_push = true;
  }
  if (scan_type == "enhanced") {
    if (continuous || on_push) return Verdict::Compliant();
    return Verdict::NonCompliant(TruncateUtf8(
        "enhanced scanning is on, but no CONTINUOUS_SCAN or SCAN_ON_PUSH registry rule "
        "matches repository " +
            std::string(name),
        256));
  }
  if (on_push || continuous || RepositoryScanOnPush(repo)) return Verdict::Compliant();
  return Verdict::NonCompliant(TruncateUtf8(
      "repository " + std::string(name) +
          " is scanned manually only: ScanOnPush is off and no registry scan-on-push rule "
          "matches it",
      256));
}

const ManagedRule kRule{{
    .identifier = "ECR_PRIVATE_IMAGE_SCANNING_ENABLED",
    .resource_types = {"AWS::ECR::Repository"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"ecr-get-registry-scanning-configuration"},
}};

}  // namespace
}  // namespace vigil::rules
