// API_GW_SSL_ENABLED (api-gw-ssl-enabled): a REST API stage must use an SSL client certificate
// (the certificate API Gateway presents to HTTP back ends). AWS: NON_COMPLIANT if the stage has no
// associated SSL certificate, or, with `CertificateIDs`, one not listed; NOT_APPLICABLE if
// GetIntegration returns an integration type other than HTTP.
//
// The certificate is the stage CI's configuration.clientCertificateId. Integrations are not in
// any CI: they come from the keyed fact "apigateway-get-resources" (`aws apigateway get-resources
// --rest-api-id KEY --embed methods`, keyed by REST API ID), whose
// items[].resourceMethods.<METHOD>.methodIntegration.type is the integration type. The stage's
// REST API ID is read from its ARN (arn:aws:apigateway:<region>::/restapis/<id>/stages/<name>).
//
// Choices where AWS's page is silent:
// - The stage is in scope when at least one method of its REST API has an HTTP or HTTP_PROXY
//   integration (both call an HTTP back end, the only kind a client certificate applies to);
//   otherwise (only AWS, AWS_PROXY or MOCK integrations, or none) it is NOT_APPLICABLE. The
//   API's current resources are read, not the deployment the stage serves (AWS: "not the actual
//   deployed state").
// - A REST API that get-resources answers NotFoundException for is NOT_APPLICABLE (it no longer
//   exists).
// - Certificate IDs are compared exactly, after trimming the parameter's entries.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "apigateway-get-resources";

const model::FactKindRegistration kRestApis{{
    .name = "apigateway-get-rest-apis",
    .command = "aws apigateway get-rest-apis --region REGION",
    .global = false,
    .description = "the REST APIs of the region (the keys of apigateway-get-resources)",
}};

const model::FactKindRegistration kResources{{
    .name = "apigateway-get-resources",
    .command = "aws apigateway get-resources --region REGION --rest-api-id KEY --embed methods",
    .global = false,
    .keys_from = "apigateway-get-rest-apis:items[].id",
    .answer_errors = "NotFoundException",
    .description = "the resources and methods of each REST API, with their integration types",
}};

// The REST API ID in ".../restapis/<id>/stages/<name>", or "".
std::string_view RestApiId(std::string_view arn) {
  constexpr std::string_view kMarker = "/restapis/";
  const size_t p = arn.find(kMarker);
  if (p == std::string_view::npos) return {};
  std::string_view rest = arn.substr(p + kMarker.size());
  return rest.substr(0, rest.find('/'));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& stage) {
  std::string_view api = RestApiId(stage.arn);
  if (api.empty()) api = RestApiId(stage.resource_id);
  if (api.empty())
    for (const json::Value r : stage.relationships.Elements())
      if (r.Get("resourceType").String() == "AWS::ApiGateway::RestApi")
        api = RestApiId(r.Get("resourceId").String().value_or(""));
  if (api.empty())
    return Verdict::MissingFact(std::string(kFact),
                                "the stage's REST API ID cannot be read from its ARN");

  const json::Value resources = ctx.Fact(kFact, stage).Get(api);
  if (resources.Missing())
    return Verdict::MissingFact(std::string(kFact),
                                TruncateUtf8("the integrations of REST API " + std::string(api) +
                                                 " are unknown: collect apigateway-get-resources",
                                             256));
  if (auto code = resources.Get("Error").Get("Code").String())
    return Verdict::NotApplicable(
        TruncateUtf8("REST API " + std::string(api) + ": " + std::string(*code), 256));

  bool http = false;
  for (const json::Value r : resources.Get("items").Elements())
    for (const auto m : r.Get("resourceMethods").Members()) {
      const std::string type =
          ToLower(m.value.Get("methodIntegration").Get("type").String().value_or(""));
      if (type == "http" || type == "http_proxy") http = true;
    }
  if (!http) return Verdict::NotApplicable("no method of the REST API has an HTTP integration");

  const std::string_view cert =
      Trim(stage.Config().Get("clientCertificateId").String().value_or(""));
  if (cert.empty()) return Verdict::NonCompliant("the stage has no client certificate");
  const auto allowed = ctx.CsvParam("CertificateIDs");
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), cert) != allowed.end())
    return Verdict::Compliant();
  return Verdict::NonCompliant(
      TruncateUtf8("client certificate " + std::string(cert) + " is not in CertificateIDs", 256));
}

const ManagedRule kRule{{
    .identifier = "API_GW_SSL_ENABLED",
    .resource_types = {"AWS::ApiGateway::Stage"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "CertificateIDs", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {"apigateway-get-resources"},
}};

}  // namespace
}  // namespace vigil::rules
