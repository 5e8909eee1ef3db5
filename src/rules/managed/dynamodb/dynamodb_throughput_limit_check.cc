// DYNAMODB_THROUGHPUT_LIMIT_CHECK (dynamodb-throughput-limit-check): the provisioned DynamoDB
// throughput of the account must not approach the account's maximum: NON_COMPLIANT when the read
// capacity units provisioned in the region reach accountRCUThresholdPercentage (default 80) percent
// of the account's read limit, or the write capacity units reach accountWCUThresholdPercentage
// (default 80) percent of its write limit. Account-level: evaluated once per account and region
// holding the fact dynamodb-describe-limits, against an AWS::::Account item.
//
// Data: the account's limits from the fact dynamodb-describe-limits (`aws dynamodb
// describe-limits`: AccountMaxReadCapacityUnits, AccountMaxWriteCapacityUnits); the provisioned
// throughput from the recorded AWS::DynamoDB::Table items of the account and region
// (provisionedThroughput.readCapacityUnits / writeCapacityUnits of each table and of its global
// secondary indexes).
//
// Choices where AWS's page is silent:
// - "Reached" includes equality: provisioned * 100 >= threshold * limit is NON_COMPLIANT.
// - On-demand tables provision nothing (DynamoDB reports 0 for them). Replicas of global tables in
//   other regions count in their own region.
// - No tables recorded, with the table type known to be recorded, provisions 0: COMPLIANT. When
//   AWS::DynamoDB::Table is not recorded at all there is no verdict (MissingFact), as there is
//   without the limits fact.
#include <cstdint>
#include <string>

#include "model/facts.h"
#include "rules/managed/dynamodb/dynamodb_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kLimitsFact = "dynamodb-describe-limits";

const model::FactKindRegistration kLimits{{
    .name = kLimitsFact,
    .command = "aws dynamodb describe-limits --region REGION",
    .global = false,
    .description = "the account's DynamoDB capacity limits in the region",
}};

using dynamodb::Field;

std::int64_t Units(json::Value throughput, std::string_view key) {
  return static_cast<std::int64_t>(Field(throughput, key).Number().value_or(0));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& account) {
  const json::Value limits = ctx.Fact(kLimitsFact, account);
  const std::optional<double> max_read = limits.Get("AccountMaxReadCapacityUnits").Number();
  const std::optional<double> max_write = limits.Get("AccountMaxWriteCapacityUnits").Number();
  if (!max_read || !max_write)
    return Verdict::MissingFact(std::string(kLimitsFact),
                                "the account's DynamoDB capacity limits are unknown");
  bool known = false;
  const auto tables =
      ctx.env().Items(dynamodb::kTableType, account.account_id, account.region, &known);
  if (tables.empty() && !known)
    return Verdict::MissingFact(std::string(dynamodb::kTableType),
                                "the tables' provisioned throughput is unknown");
  std::int64_t read = 0, write = 0;
  for (const model::ConfigurationItem* t : tables) {
    const json::Value cfg = t->Config();
    read += Units(Field(cfg, "provisionedThroughput"), "readCapacityUnits");
    write += Units(Field(cfg, "provisionedThroughput"), "writeCapacityUnits");
    for (json::Value gsi : Field(cfg, "globalSecondaryIndexes").Elements()) {
      read += Units(Field(gsi, "provisionedThroughput"), "readCapacityUnits");
      write += Units(Field(gsi, "provisionedThroughput"), "writeCapacityUnits");
    }
  }
  const std::int64_t read_pct = ctx.IntParam("accountRCUThresholdPercentage").value_or(80);
  const std::int64_t write_pct = ctx.IntParam("accountWCUThresholdPercentage").value_or(80);
  std::string why;
  if (static_cast<double>(read) * 100 >= static_cast<double>(read_pct) * *max_read)
    why = std::to_string(read) + " read capacity units provisioned, at least " +
          std::to_string(read_pct) + "% of the account limit " +
          std::to_string(static_cast<std::int64_t>(*max_read));
  if (static_cast<double>(write) * 100 >= static_cast<double>(write_pct) * *max_write)
    why += (why.empty() ? "" : "; ") + std::to_string(write) +
           " write capacity units provisioned, at least " + std::to_string(write_pct) +
           "% of the account limit " + std::to_string(static_cast<std::int64_t>(*max_write));
  if (!why.empty()) return Verdict::NonCompliant(why);
  return Verdict::Compliant(std::to_string(read) + " RCU and " + std::to_string(write) +
                            " WCU provisioned");
}

const ManagedRule kRule{{
    .identifier = "DYNAMODB_THROUGHPUT_LIMIT_CHECK",
    .resource_types = {},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "accountRCUThresholdPercentage",
                    .type = ParamType::kInt,
                    .default_value = "80",
                    .optional = true},
                   {.name = "accountWCUThresholdPercentage",
                    .type = ParamType::kInt,
                    .default_value = "80",
                    .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kLimitsFact},
    .context_types = {dynamodb::kTableType},
}};

}  // namespace
}  // namespace vigil::rules
