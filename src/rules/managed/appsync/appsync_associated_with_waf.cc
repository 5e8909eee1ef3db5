// APPSYNC_ASSOCIATED_WITH_WAF (appsync-associated-with-waf): AWS AppSync GraphQL APIs must be
// associated with an AWS WAFv2 web ACL, and with `wafWebAclARNs` given, with one of those web
// ACLs. AWS: NON_COMPLIANT for an API not associated with a web ACL.
//
// Data: the AWS::AppSync::GraphQLApi CI does not record the web ACL. It comes from the account
// fact appsync-list-graphql-apis (`aws appsync list-graphql-apis --region REGION`, registered
// here): graphqlApis[] with apiId, arn and wafWebAclArn (absent when no web ACL is associated).
// The API is found by ARN (the CI's configuration.Arn, ARN or resource ID), else by API ID
// (configuration.ApiId / Id, or the ARN's last segment).
//
// Choices where AWS's page is silent:
// - An API absent from a collected fact (created after the collection) gives no verdict.
// - Web ACL ARNs are compared exactly, after trimming the parameter's entries.
#include <algorithm>
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

constexpr std::string_view kFact = "appsync-list-graphql-apis";

const model::FactKindRegistration kListApis{{
    .name = kFact,
    .command = "aws appsync list-graphql-apis --region REGION",
    .global = false,
    .description = "the AppSync GraphQL APIs of the region, with their WAFv2 web ACL "
                   "(wafWebAclArn); AWS::AppSync::GraphQLApi does not record it",
}};

std::string_view Str(const json::Value& v, std::string_view key) {
  return Trim(v.Get(key).String().value_or(""));
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& api) {
  const json::Value fact = ctx.Fact(kFact, api);
  const json::Value list = fact.Get("graphqlApis");
  if (!list.IsArray())
    return Verdict::MissingFact(std::string(kFact),
                                fact.Missing() ? "the AppSync APIs of the region were not collected"
                                               : "appsync-list-graphql-apis has no graphqlApis");
  const json::Value c = api.Config();
  std::string_view arn = Str(c, "Arn");
  if (arn.empty()) arn = Trim(api.arn);
  if (arn.empty() && StartsWith(api.resource_id, "arn:")) arn = api.resource_id;
  std::string_view id = Str(c, "ApiId");
  if (id.empty()) id = Str(c, "Id");
  if (id.empty() && !arn.empty()) id = arn.substr(arn.rfind('/') + 1);
  if (id.empty()) id = api.resource_id;

  json::Value entry;
  for (json::Value e : list.Elements())
    if ((!arn.empty() && Str(e, "arn") == arn) || (!id.empty() && Str(e, "apiId") == id)) {
      entry = e;
      break;
    }
  if (entry.Missing())
    return Verdict::MissingFact(
        std::string(kFact),
        TruncateUtf8("appsync-list-graphql-apis does not list API " + std::string(id), 256));

  const std::string_view acl = Str(entry, "wafWebAclArn");
  if (acl.empty()) return Verdict::NonCompliant("the API is not associated with a web ACL");
  const auto allowed = ctx.CsvParam("wafWebAclARNs");
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), acl) != allowed.end())
    return Verdict::Compliant(TruncateUtf8("web ACL " + std::string(acl), 256));
  return Verdict::NonCompliant(
      TruncateUtf8("web ACL " + std::string(acl) + " is not in wafWebAclARNs", 256));
}

const ManagedRule kRule{{
    .identifier = "APPSYNC_ASSOCIATED_WITH_WAF",
    .resource_types = {"AWS::AppSync::GraphQLApi"},
    .trigger = Trigger::kPeriodic,
    .parameters = {{.name = "wafWebAclARNs", .type = ParamType::kCsv, .optional = true}},
    .evaluate = &Evaluate,
    .facts = {kFact},
}};

}  // namespace
}  // namespace vigil::rules
