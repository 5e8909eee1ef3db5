// Shared Systems Manager logic for managed rules: reading the compliance items that AWS Config
// records as AWS::SSM::AssociationCompliance and AWS::SSM::PatchCompliance.
//
// Both types record the managed instance's compliance inventory, resource ID
// "AWS::SSM::ManagedInstanceInventory/<instance-id>", as
//
//     "configuration": {"AWS:ComplianceItem": {"SchemaVersion": "1.0", "Content": {
//         "Association": {"<association-id>": {"Status": "COMPLIANT", "Title": ..., ...}, ...}}}}
//
// with "Patch" instead of "Association" for patches, where the map also holds a
// "ComplianceSummary" entry with the overall Status. Status is "COMPLIANT" or "NON_COMPLIANT".
#pragma once

#include <string_view>

#include "model/configuration_item.h"
#include "rules/rule.h"

namespace vigil::rules::ssm {

// The verdict of a compliance CI for `compliance_type` ("Association" or "Patch"): NON_COMPLIANT
// if any entry of that type (a summary included) has a Status other than COMPLIANT (compared
// ignoring case), naming up to the first entries; COMPLIANT if every entry with a Status is
// COMPLIANT; NOT_APPLICABLE if no entry records a Status. `noun` names the entries in annotations
// ("association", "patch"). Entries with an empty Status are ignored.
Verdict ComplianceItemVerdict(const model::ConfigurationItem& item,
                              std::string_view compliance_type, std::string_view noun);

}  // namespace vigil::rules::ssm
