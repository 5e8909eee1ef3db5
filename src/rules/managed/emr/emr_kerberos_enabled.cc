// EMR_KERBEROS_ENABLED (emr-kerberos-enabled): EMR clusters must have Kerberos enabled;
// NON_COMPLIANT if no security configuration is attached to the cluster, or the security
// configuration does not satisfy the rule's parameters (`TicketLifetimeInHours`, and the
// cross-realm trust's `Realm`, `Domain`, `AdminServer`, `KdcServer`).
//
// AWS Config does not record AWS::EMR::Cluster; vigil evaluates the AWS::EMR::Cluster items it is
// given (resource ID = the cluster ID j-..., or its ARN). Data:
// - "emr-describe-cluster" (keyed by cluster ID): `Cluster.SecurityConfiguration` (the name) and
//   `Cluster.Status.State`.
// - The security configuration's JSON: from the recorded AWS::EMR::SecurityConfiguration item of
//   that name (`configuration.SecurityConfiguration`, an object or JSON text), else from
//   "emr-describe-security-configuration" (keyed by name; `SecurityConfiguration`, JSON text).
// Kerberos settings are at AuthenticationConfiguration.KerberosConfiguration, with
// ClusterDedicatedKdcConfiguration.TicketLifetimeInHours and
// ClusterDedicatedKdcConfiguration.CrossRealmTrustConfiguration.{Realm,Domain,AdminServer,KdcServer}.
//
// Choices where AWS's page is silent:
// - Terminated clusters (state TERMINATED or TERMINATED_WITH_ERRORS, or absent from a collected
//   "emr-list-clusters", which lists active clusters) are NOT_APPLICABLE.
// - A security configuration without AuthenticationConfiguration.KerberosConfiguration does not
//   enable Kerberos: NON_COMPLIANT.
// - Each given parameter must equal the configuration's value exactly (TicketLifetimeInHours as a
//   number); a value the configuration lacks (e.g. an external KDC has no
//   ClusterDedicatedKdcConfiguration) does not satisfy a given parameter.
#include <optional>
#include <string>

#include "common/strings.h"
#include "rules/managed/emr/emr_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kSecurityConfigurationType = "AWS::EMR::SecurityConfiguration";

// `v` as a JSON object: itself, or parsed from JSON text into `doc`.
json::Value AsObject(const json::Value& v, std::optional<json::Document>& doc) {
  if (v.IsObject()) return v;
  if (auto text = v.String()) {
    auto parsed = json::Document::Parse(*text);
    if (parsed.ok() && parsed->Root().IsObject()) {
      doc = std::move(parsed).value();
      return doc->Root();
    }
  }
  return json::Value();
}

// The security configuration JSON named `name`, from recorded items first, then the fact.
json::Value FindSecurityConfiguration(const RuleContext& ctx,
                                      const model::ConfigurationItem& cluster,
                                      std::string_view name, std::optional<json::Document>& doc) {
  bool known = false;
  for (const model::ConfigurationItem* sc :
       ctx.env().Items(kSecurityConfigurationType, cluster.account_id, cluster.region, &known)) {
    if (sc->resource_id != name && sc->resource_name != name &&
        sc->Config().Get("Name").String() != name)
      continue;
    if (json::Value v = AsObject(sc->Config().Get("SecurityConfiguration"), doc); !v.Missing())
      return v;
  }
  return AsObject(ctx.Fact("emr-describe-security-configuration", cluster)
                      .Get(name)
                      .Get("SecurityConfiguration"),
                  doc);
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& cluster) {
  const emr::ActiveCluster active = emr::FindActiveCluster(ctx, cluster);
  const std::string id(active.entry.Get("Id").String().value_or(cluster.resource_id));
  const json::Value described = ctx.Fact("emr-describe-cluster", cluster).Get(id).Get("Cluster");
  if (described.Missing()) {
    if (active.fact_present && active.entry.Missing())
      return Verdict::NotApplicable("the cluster is not active");
    return Verdict::MissingFact("emr-describe-cluster",
                                "no emr-describe-cluster answer for cluster " + id);
  }
  const std::string_view state = described.Get("Status").Get("State").String().value_or("");
  if (StartsWith(state, "TERMINATED"))
    return Verdict::NotApplicable("the cluster is " + std::string(state));
  const std::string name(Trim(described.Get("SecurityConfiguration").String().value_or("")));
  if (name.empty()) return Verdict::NonCompliant("no security configuration is attached");

  std::optional<json::Document> doc;
  const json::Value config = FindSecurityConfiguration(ctx, cluster, name, doc);
  if (config.Missing())
    return Verdict::MissingFact("emr-describe-security-configuration",
                                "security configuration '" + name +
                                    "' is neither recorded (AWS::EMR::SecurityConfiguration) nor "
                                    "in emr-describe-security-configuration");
  const json::Value kerberos =
      config.Get("AuthenticationConfiguration").Get("KerberosConfiguration");
  if (kerberos.Empty())
    return Verdict::NonCompliant(
        TruncateUtf8("security configuration '" + name + "' does not enable Kerberos", 256));

  const json::Value kdc = kerberos.Get("ClusterDedicatedKdcConfiguration");
  std::string problems;
  auto add = [&problems](std::string_view p) {
    problems += (problems.empty() ? "" : "; ") + std::string(p);
  };
  if (auto hours = ctx.IntParam("TicketLifetimeInHours")) {
    const std::optional<std::int64_t> actual = kdc.Get("TicketLifetimeInHours").Int();
    if (actual != hours)
      add("TicketLifetimeInHours is " +
          (actual ? std::to_string(*actual) : std::string("not set")) + ", not " +
          std::to_string(*hours));
  }
  const json::Value trust = kdc.Get("CrossRealmTrustConfiguration");
  for (std::string_view field : {"Realm", "Domain", "AdminServer", "KdcServer"}) {
    const auto wanted = ctx.Param(field);
    if (!wanted || Trim(*wanted).empty()) continue;
    const std::string_view actual = trust.Get(field).String().value_or("");
    if (actual != Trim(*wanted))
      add(std::string(field) + " is '" + std::string(actual) + "', not '" +
          std::string(Trim(*wanted)) + "'");
  }
  if (problems.empty()) return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("security configuration '" + name + "': " + problems, 256));
}

const ManagedRule kRule{{
    .identifier = "EMR_KERBEROS_ENABLED",
    .resource_types = {"AWS::EMR::Cluster"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "TicketLifetimeInHours", .type = ParamType::kInt, .optional = true},
                   {.name = "Realm", .type = ParamType::kString, .optional = true},
                   {.name = "Domain", .type = ParamType::kString, .optional = true},
                   {.name = "AdminServer", .type = ParamType::kString, .optional = true},
                   {.name = "KdcServer", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"emr-describe-cluster", "emr-describe-security-configuration", "emr-list-clusters"},
    .context_types = {"AWS::EMR::SecurityConfiguration"},
    .synthesized = {{"AWS::EMR::Cluster", "emr-list-clusters", "Clusters", "Id"}},
}};

}  // namespace
}  // namespace vigil::rules
