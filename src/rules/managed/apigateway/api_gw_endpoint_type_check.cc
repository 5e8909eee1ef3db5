// API_GW_ENDPOINT_TYPE_CHECK (api-gw-endpoint-type-check): an API Gateway REST API must be of one
// of the endpoint types in `endpointConfigurationTypes` (REGIONAL, PRIVATE, EDGE). AWS:
// NON_COMPLIANT if the REST API does not match the endpoint types of the parameter.
//
// Data: the AWS::ApiGateway::RestApi CI's configuration.endpointConfiguration.types (a list,
// in practice of one type); EndpointConfiguration.Types (CloudFormation's spelling) is accepted
// too.
//
// Choices where AWS's page is silent:
// - Types are compared ignoring case and surrounding spaces; every type of the API must be
//   allowed.
// - A CI without endpoint types gives no verdict (MISSING_FACT naming the item's type) rather
//   than assuming API Gateway's default (EDGE).
#include <cctype>
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& api) {
  const json::Value c = api.Config();
  json::Value types = c.Get("endpointConfiguration").Get("types");
  if (types.Missing()) types = c.Get("EndpointConfiguration").Get("Types");
  std::vector<std::string> actual;
  for (json::Value t : types.Elements())
    if (auto s = t.String(); s && !Trim(*s).empty()) actual.push_back(ToLower(Trim(*s)));
  if (actual.empty())
    return Verdict::MissingFact(std::string(api.resource_type),
                                "the configuration item has no endpointConfiguration.types");

  std::vector<std::string> allowed;
  for (std::string_view a : ctx.CsvParam("endpointConfigurationTypes"))
    allowed.push_back(ToLower(a));
  std::string bad;
  for (const std::string& t : actual) {
    bool ok = false;
    for (const std::string& a : allowed) ok |= a == t;
    if (!ok) bad += (bad.empty() ? "" : ", ") + t;
  }
  if (bad.empty()) return Verdict::Compliant();
  for (char& ch : bad) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return Verdict::NonCompliant(
      TruncateUtf8("endpoint type " + bad + " is not in " +
                       std::string(Trim(ctx.Param("endpointConfigurationTypes").value_or(""))),
                   256));
}

const ManagedRule kRule{{
    .identifier = "API_GW_ENDPOINT_TYPE_CHECK",
    .resource_types = {"AWS::ApiGateway::RestApi"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "endpointConfigurationTypes",
                    .type = ParamType::kCsv,
                    .optional = false}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
