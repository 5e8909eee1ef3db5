// SSM_DOCUMENT_NOT_PUBLIC (ssm-document-not-public): Systems Manager documents owned by the
// account must not be public. NON_COMPLIANT if a document with owner "Self" is shared publicly.
//
// Data: AWS Config's AWS::SSM::Document CI does not record sharing. The keyed fact
// "ssm-describe-document-permission" holds, per document name, the output of
// `aws ssm describe-document-permission --name NAME --permission-type Share`
// ({"AccountIds": ["all"], "AccountSharingInfoList": [{"AccountId": "all", ...}]} for a public
// document); its keys come from "ssm-list-documents-self", the account's own documents
// (`aws ssm list-documents --filters Key=Owner,Values=Self`).
//
// Choices where AWS's page is silent:
// - A document is public when the permission answer lists the account ID "all" (in AccountIds or
//   AccountSharingInfoList[].AccountId, ignoring case); sharing with specific accounts is not
//   public.
// - A document absent from a collected ssm-list-documents-self (not owned by the account) is
//   NOT_APPLICABLE. A document of the list whose permission answer was not collected, or any
//   document when neither fact was collected, has no verdict.
// - The document is named by `configuration.Name`, else the CI's resource name, else its
//   resource ID.
#include <string>

#include "common/strings.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

const model::FactKindRegistration kListDocuments{{
    .name = "ssm-list-documents-self",
    .command = "aws ssm list-documents --region REGION --filters Key=Owner,Values=Self",
    .global = false,
    .description = "the Systems Manager documents the account owns",
}};

const model::FactKindRegistration kDocumentPermission{{
    .name = "ssm-describe-document-permission",
    .command =
        "aws ssm describe-document-permission --region REGION --name KEY --permission-type Share",
    .global = false,
    .keys_from = "ssm-list-documents-self:DocumentIdentifiers[].Name",
    .description = "with which accounts each owned Systems Manager document is shared (\"all\" = "
                   "public)",
}};

bool IsAll(json::Value v) { return ToLower(Trim(v.String().value_or(""))) == "all"; }

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& doc) {
  std::string_view name = doc.Config().Get("Name").String().value_or("");
  if (name.empty()) name = doc.resource_name;
  if (name.empty()) name = doc.resource_id;

  const json::Value permission = ctx.Fact("ssm-describe-document-permission", doc).Get(name);
  if (permission.IsObject() && permission.Get("Error").Missing()) {
    bool is_public = false;
    for (json::Value id : permission.Get("AccountIds").Elements()) is_public |= IsAll(id);
    for (json::Value info : permission.Get("AccountSharingInfoList").Elements())
      is_public |= IsAll(info.Get("AccountId"));
    if (is_public) return Verdict::NonCompliant("document is shared publicly");
    return Verdict::Compliant();
  }

  const json::Value owned = ctx.Fact("ssm-list-documents-self", doc).Get("DocumentIdentifiers");
  if (owned.IsArray()) {
    bool listed = false;
    for (json::Value d : owned.Elements()) listed |= d.Get("Name").String() == name;
    if (!listed) return Verdict::NotApplicable("document is not owned by the account");
  }
  return Verdict::MissingFact(
      "ssm-describe-document-permission",
      TruncateUtf8("sharing permissions of document " + std::string(name) + " were not collected",
                   256));
}

const ManagedRule kRule{{
    .identifier = "SSM_DOCUMENT_NOT_PUBLIC",
    .resource_types = {"AWS::SSM::Document"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
    .facts = {"ssm-describe-document-permission", "ssm-list-documents-self"},
}};

}  // namespace
}  // namespace vigil::rules
