// Conformance packs: AWS's CloudFormation templates (`aws configservice put-conformance-pack
// --template-body`), read unmodified and resolved the way CloudFormation would deploy them.
//
// Supported: Parameters (Default, AllowedValues, overrides), Conditions (Fn::Equals, Fn::Not,
// Fn::And, Fn::Or, Condition), Mappings with Fn::FindInMap, Ref (parameters, resources and the
// pseudo parameters), Fn::If, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, AWS::NoValue, the
// short-form tags (!Ref, !If, ...), resource-level Condition, and the two resource types a
// conformance pack may hold: AWS::Config::ConfigRule and AWS::Config::RemediationConfiguration.
// Anything else is an error naming the file, line and construct.
//
// AWS::AccountId and AWS::Region differ per account and region the pack is deployed to. They are
// kept as the tokens ${AWS::AccountId} / ${AWS::Region} in the rules' InputParameters and
// replaced per evaluated item by the engine; a Condition cannot depend on them (an error).
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/config_rule.h"

namespace vigil::pack {

struct PackRule {
  model::ConfigRule rule;
  std::string logical_id;
  int line = 0;
};

struct PackRemediation {
  std::string logical_id;
  std::string config_rule_name;
  std::string json;  // the resolved Properties: AWS's RemediationConfiguration shape
  int line = 0;
};

struct Pack {
  std::string name;       // bundled name, or the file name without extension
  std::string origin;     // where it was read from (for messages)
  std::string framework;  // e.g. "CIS AWS Foundations 1.4 Level 1"
  std::string description;
  std::vector<PackRule> rules;
  std::vector<PackRemediation> remediations;
  std::vector<std::string> parameters;  // declared parameter names, in template order
  std::vector<std::string> warnings;
};

struct LoadOptions {
  std::string name;       // defaults to the origin's file stem
  std::string framework;  // defaults to the template's header comment or Description
  // --pack-param values; names the template does not declare are ignored here (the caller
  // reports overrides that no pack used).
  std::map<std::string, std::string> overrides;
  // For listing: a parameter without Default or override resolves to "" with a warning, instead
  // of an error.
  bool lenient = false;
};

// Resolves a template (YAML or JSON). On failure the message holds one line per problem, each
// "<origin>:<line>:<column>: <what>", and nothing of the pack is returned.
Result<Pack> LoadPack(std::string_view origin, std::string_view text, const LoadOptions& options);

// The templates shipped with vigil (from awslabs/aws-config-rules, CC0).
struct BundledPack {
  std::string_view name;       // "cis-aws-v1.4-level1"
  std::string_view file;       // "Operational-Best-Practices-for-CIS-AWS-v1.4-Level1.yaml"
  std::string_view framework;  // "CIS AWS Foundations 1.4 Level 1"
  std::string_view text;
};
std::span<const BundledPack> BundledPacks();
// By name, alias (e.g. "pci-dss-v3.2.1") or file name, case-insensitively.
const BundledPack* FindBundledPack(std::string_view name);

// `--pack-param NAME=VALUE` arguments into `overrides`; an argument without `=` or a name is an
// error naming it.
Status ParseOverrides(std::span<const std::string> args,
                      std::map<std::string, std::string>& overrides);

// `--pack ARG`: a bundled pack's name, or a template file.
Result<Pack> LoadPackArg(std::string_view arg, LoadOptions options);

// The identifiers a pack references and how many vigil evaluates (managed rules it implements,
// and AWS_CONFIG_PROCESS_CHECK, which vigil handles as manual controls).
struct Coverage {
  std::vector<std::string> referenced;  // distinct managed-rule identifiers, sorted
  std::vector<std::string> missing;     // those vigil does not implement
  size_t rules = 0;                     // ConfigRule resources
  size_t implemented_rules = 0;         // of them, those vigil evaluates
  size_t custom = 0;                    // CUSTOM_LAMBDA / CUSTOM_POLICY rules
};
Coverage PackCoverage(const Pack& pack);

}  // namespace vigil::pack
