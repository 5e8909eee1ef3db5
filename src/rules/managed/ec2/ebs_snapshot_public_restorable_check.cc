// EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK (ebs-snapshot-public-restorable-check): the account's EBS
// snapshots must not be publicly restorable: NON_COMPLIANT if one or more snapshots it owns are
// restorable by "all". Account-level (per region): evaluated against an AWS::::Account item.
//
// Data: the fact ec2-describe-snapshots-public (`aws ec2 describe-snapshots --region REGION
// --owner-ids self --restorable-by-user-ids all`), the same query AWS's original implementation
// makes: it lists exactly the public snapshots the account owns. AWS Config records no snapshot
// permissions.
//
// Choices where AWS's page is silent:
// - A listed snapshot owned by another account (the fact was collected without --owner-ids self)
//   is ignored; one without an OwnerId is taken to be the account's.
// - The annotation names the public snapshots, shortened to AWS's 256-byte limit.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "ec2-describe-snapshots-public";

const model::FactKindRegistration kPublicSnapshots{{
    .name = kFact,
    .command = "aws ec2 describe-snapshots --region REGION --owner-ids self "
               "--restorable-by-user-ids all",
    .global = false,
    .description = "the account's EBS snapshots that anyone can restore (public)",
}};

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value fact = ctx.Fact(kFact, account);
  const json::Value snapshots = fact.Get("Snapshots");
  if (!snapshots.IsArray())
    return Verdict::MissingFact(std::string(kFact),
                                fact.Missing() ? "the public snapshots of the region were not "
                                                 "collected"
                                               : "the fact has no Snapshots list");
  std::string ids;
  size_t count = 0;
  for (json::Value s : snapshots.Elements()) {
    const std::string_view owner = s.Get("OwnerId").String().value_or("");
    if (!owner.empty() && owner != account.account_id) continue;
    ++count;
    ids += (ids.empty() ? "" : ",") + std::string(s.Get("SnapshotId").String().value_or("?"));
  }
  if (count == 0) return Verdict::Compliant("no public EBS snapshot");
  return Verdict::NonCompliant(
      TruncateUtf8(std::to_string(count) + " public EBS snapshot(s): " + ids, 256));
}

const ManagedRule kRule{{
    .identifier = "EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
