// SERVICE_CATALOG_SHARED_WITHIN_ORGANIZATION (service-catalog-shared-within-organization): when
// AWS Service Catalog's integration with AWS Organizations is enabled, portfolios must be shared
// through the organization. AWS: NON_COMPLIANT if the Type value of a share is ACCOUNT.
//
// Data: the AWS::ServiceCatalog::Portfolio CI does not record share types. They come from facts
// registered here (regional):
// - servicecatalog-list-portfolios: `aws servicecatalog list-portfolios --region REGION` (the
//   keys of the next fact);
// - servicecatalog-describe-portfolio-shares: `aws servicecatalog describe-portfolio-shares
//   --region REGION --portfolio-id KEY --type ACCOUNT`, keyed by portfolio ID:
//   {"<port-id>": {"PortfolioShareDetails": [{"PrincipalId": ..., "Type": "ACCOUNT", ...}]}};
// - servicecatalog-get-aws-organizations-access-status: `aws servicecatalog
//   get-aws-organizations-access-status --region REGION` ({"AccessStatus": "ENABLED" |
//   "UNDER_CHANGE" | "DISABLED"}). Only the management account (or a delegated administrator)
//   may ask; others get AccessDeniedException or OperationNotSupportedException, recorded as
//   answers.
// The portfolio ID is the CI's configuration.Id, else the resource ID, else its ARN's last part.
//
// Choices where AWS's page is silent:
// - Integration DISABLED: NOT_APPLICABLE. ENABLED or UNDER_CHANGE: judged. An account that may
//   not ask (the error answers above) cannot share through the organization itself: judged too.
//   Any other error answer, or no fact, gives no verdict.
// - Any share of Type ACCOUNT, accepted or not, is NON_COMPLIANT; a portfolio without such
//   shares is COMPLIANT. A portfolio absent from a collected shares fact gives no verdict.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kPortfolios = "servicecatalog-list-portfolios";
constexpr std::string_view kShares = "servicecatalog-describe-portfolio-shares";
constexpr std::string_view kAccessStatus = "servicecatalog-get-aws-organizations-access-status";

const model::FactKindRegistration kPortfoliosFact{{
    .name = kPortfolios,
    .command = "aws servicecatalog list-portfolios --region REGION",
    .global = false,
    .description = "the Service Catalog portfolios of the region (the keys of "
                   "servicecatalog-describe-portfolio-shares)",
}};

const model::FactKindRegistration kSharesFact{{
    .name = kShares,
    .command = "aws servicecatalog describe-portfolio-shares --region REGION --portfolio-id KEY "
               "--type ACCOUNT",
    .global = false,
    .keys_from = "servicecatalog-list-portfolios:PortfolioDetails[].Id",
    .description = "the account-to-account (Type ACCOUNT) shares of each portfolio",
}};

const model::FactKindRegistration kAccessStatusFact{{
    .name = kAccessStatus,
    .command = "aws servicecatalog get-aws-organizations-access-status --region REGION",
    .global = false,
    .answer_errors = "AccessDeniedException,OperationNotSupportedException",
    .description = "whether Service Catalog's integration with AWS Organizations is enabled; an "
                   "error answer for accounts that may not ask (not the management account)",
}};

std::string_view PortfolioId(const model::ConfigurationItem& p) {
  for (std::string_view key : {"Id", "id"})
    if (auto v = p.Config().Get(key).String(); v && !Trim(*v).empty()) return Trim(*v);
  std::string_view id = p.resource_id;
  if (StartsWith(id, "arn:")) id = id.substr(id.rfind('/') + 1);
  return id;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& portfolio) {
  Verdict missing;
  const auto access =
      ReadFactAnswer(ctx.Fact(kAccessStatus, portfolio), kAccessStatus,
                     "the AWS Organizations integration status was not collected", &missing);
  if (!access) return missing;
  if (!access->error) {
    const std::string_view status = Trim(access->value.Get("AccessStatus").String().value_or(""));
    if (status.empty())
      return Verdict::MissingFact(std::string(kAccessStatus), "the fact has no AccessStatus");
    if (status == "DISABLED")
      return Verdict::NotApplicable(
          "Service Catalog's integration with AWS Organizations is "
          "disabled");
  }

  const json::Value shares_fact = ctx.Fact(kShares, portfolio);
  const std::string id(PortfolioId(portfolio));
  if (shares_fact.Missing())
    return Verdict::MissingFact(std::string(kShares), "the portfolio shares were not collected");
  const std::string absent = "the shares of portfolio " + id + " were not collected";
  const auto shares = ReadFactAnswer(shares_fact.Get(id), kShares, absent, &missing);
  if (!shares) return missing;
  std::string accounts;
  size_t n = 0;
  for (json::Value s : shares->value.Get("PortfolioShareDetails").Elements()) {
    if (Trim(s.Get("Type").String().value_or("ACCOUNT")) != "ACCOUNT") continue;
    ++n;
    accounts +=
        (accounts.empty() ? "" : ", ") + std::string(s.Get("PrincipalId").String().value_or("?"));
  }
  if (n == 0) return Verdict::Compliant("the portfolio has no account (Type ACCOUNT) share");
  return Verdict::NonCompliant(TruncateUtf8(
      "the portfolio is shared with " + std::to_string(n) + " account(s) directly: " + accounts,
      256));
}

const ManagedRule kRule{{
    .identifier = "SERVICE_CATALOG_SHARED_WITHIN_ORGANIZATION",
    .resource_types = {"AWS::ServiceCatalog::Portfolio"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kAccessStatus, kShares},
}};

}  // namespace
}  // namespace vigil::rules
