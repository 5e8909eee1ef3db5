// NETFW_LOGGING_ENABLED (netfw-logging-enabled): AWS Network Firewall firewalls must have logging
// enabled. AWS: NON_COMPLIANT if a logging type is not configured; `logType` ('alert', 'flow' or
// 'both') names the log type the rule checks for.
//
// The rule evaluates AWS::NetworkFirewall::LoggingConfiguration items, one per firewall, shaped
// like the resource's CloudFormation/API form: configuration.firewallArn and
// configuration.loggingConfiguration.logDestinationConfigs[] ({"logType": "ALERT" | "FLOW" |
// "TLS", "logDestinationType", "logDestination"}); PascalCase spellings are accepted too. AWS
// Config does not record this type itself (AWS's periodic rule reads the Network Firewall API).
// When an item does not carry a logging configuration, it comes from the keyed regional fact
// "network-firewall-describe-logging-configuration" (`aws network-firewall
// describe-logging-configuration --firewall-arn KEY`, keyed by firewall ARN from
// "network-firewall-list-firewalls").
//
// Choices where AWS's page is silent:
// - Without `logType`, any log destination of any type (ALERT, FLOW or TLS) means logging is
//   enabled.
// - `logType` is read ignoring case; 'both' needs an ALERT and a FLOW destination. Another value
//   is taken as the name of the log type required (so 'tls' asks for a TLS destination).
// - The item's own logging configuration wins over the fact; an item whose
//   loggingConfiguration is present but has no destinations has logging disabled.
#include <set>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kDescribeFact = "network-firewall-describe-logging-configuration";

const model::FactKindRegistration kListFirewalls{{
    .name = "network-firewall-list-firewalls",
    .command = "aws network-firewall list-firewalls --region REGION",
    .global = false,
    .description = "the Network Firewall firewalls of the region (the keys of "
                   "network-firewall-describe-logging-configuration)",
}};

const model::FactKindRegistration kDescribeLogging{{
    .name = "network-firewall-describe-logging-configuration",
    .command = "aws network-firewall describe-logging-configuration --region REGION "
               "--firewall-arn KEY",
    .global = false,
    .keys_from = "network-firewall-list-firewalls:Firewalls[].FirewallArn",
    .description = "the logging configuration (log types and destinations) of each firewall",
}};

json::Value Get2(const json::Value& v, std::string_view camel, std::string_view pascal) {
  json::Value out = v.Get(camel);
  return out.Missing() ? v.Get(pascal) : out;
}

std::string FirewallArn(const model::ConfigurationItem& item) {
  const json::Value c = item.Config();
  if (auto a = Get2(c, "firewallArn", "FirewallArn").String(); a && !a->empty())
    return std::string(*a);
  if (StartsWith(item.resource_id, "arn:")) return std::string(item.resource_id);
  return std::string(item.arn);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& item) {
  json::Value logging = Get2(item.Config(), "loggingConfiguration", "LoggingConfiguration");
  if (!logging.IsObject()) {
    const std::string arn = FirewallArn(item);
    const json::Value entry = ctx.Fact(kDescribeFact, item).Get(arn);
    if (arn.empty() || !entry.IsObject())
      return Verdict::MissingFact(
          std::string(kDescribeFact),
          TruncateUtf8("the logging configuration of firewall " +
                           (arn.empty() ? std::string(item.resource_id) : arn) +
                           " is unknown: collect " + std::string(kDescribeFact),
                       256));
    logging = Get2(entry, "loggingConfiguration", "LoggingConfiguration");
  }
  std::set<std::string> types;
  for (const json::Value d :
       Get2(logging, "logDestinationConfigs", "LogDestinationConfigs").Elements()) {
    const std::string t = ToLower(Trim(Get2(d, "logType", "LogType").String().value_or("")));
    if (!t.empty()) types.insert(t);
  }
  std::string have;
  for (const std::string& t : types) have += (have.empty() ? "" : ", ") + t;
  const std::string wanted = ToLower(Trim(ctx.Param("logType").value_or("")));
  if (wanted.empty()) {
    if (types.empty()) return Verdict::NonCompliant("logging is not configured");
    return Verdict::Compliant("logging " + have);
  }
  std::string missing;
  const auto need = [&](const std::string& t) {
    if (!types.count(t)) missing += (missing.empty() ? "" : " and ") + t;
  };
  if (wanted == "both") {
    need("alert");
    need("flow");
  } else {
    need(wanted);
  }
  if (missing.empty()) return Verdict::Compliant("logging " + have);
  return Verdict::NonCompliant(TruncateUtf8(
      missing + " logging is not configured" + (have.empty() ? "" : " (found: " + have + ")"),
      256));
}

const ManagedRule kRule{{
    .identifier = "NETFW_LOGGING_ENABLED",
    .resource_types = {"AWS::NetworkFirewall::LoggingConfiguration"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "logType", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"network-firewall-describe-logging-configuration"},
    .synthesized = {{"AWS::NetworkFirewall::LoggingConfiguration",
                     "network-firewall-list-firewalls", "Firewalls", "FirewallArn"}},
}};

}  // namespace
}  // namespace vigil::rules
