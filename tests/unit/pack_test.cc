// Conformance-pack templates: every bundled template loads, intrinsic functions resolve as
// CloudFormation resolves them, and bad templates fail with file, line and construct.
#include "pack/pack.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/rule.h"

namespace vigil::pack {
namespace {

Result<Pack> Load(std::string_view yaml, std::map<std::string, std::string> overrides = {}) {
  LoadOptions o;
  o.name = "test-pack";
  o.overrides = std::move(overrides);
  return LoadPack("t.yaml", yaml, o);
}

const model::ConfigRule* Rule(const Pack& p, std::string_view name) {
  for (const auto& r : p.rules)
    if (r.rule.name == name) return &r.rule;
  return nullptr;
}

TEST(BundledPacks, EveryTemplateInSharedLoadsAndIsBundled) {
  const std::filesystem::path dir = std::filesystem::path(VIGIL_SOURCE_DIR) / ".." / "shared" /
                                    "aws-config" / "conformance-packs";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no ../shared beside the checkout";
  size_t templates = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".yaml") continue;
    ++templates;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    LoadOptions o;
    o.overrides["CustomConfigRuleLambdaArn"] =
        "arn:aws:lambda:us-east-1:123456789012:function:custom-rule";
    o.overrides["S3TargetBucketNameForEnableLogging"] = "access-logs";  // no Default
    auto p = LoadPack(e.path().filename().string(), ss.str(), o);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_FALSE(p->rules.empty()) << e.path();
    const BundledPack* b = FindBundledPack(e.path().filename().string());
    ASSERT_NE(b, nullptr) << e.path() << " is not bundled";
    EXPECT_EQ(b->text, ss.str()) << "bundled copy differs from " << e.path();
  }
  EXPECT_EQ(templates, 15u);
  EXPECT_EQ(BundledPacks().size(), 15u);
}

TEST(BundledPacks, CisAndPciRulesAreAllImplemented) {
  for (const char* name : {"cis-aws-v1.4-level1", "cis-aws-v1.4-level2", "pci-dss"}) {
    auto p = LoadPackArg(name, {});
    ASSERT_TRUE(p.ok()) << p.status().message();
    const Coverage c = PackCoverage(*p);
    EXPECT_TRUE(c.missing.empty()) << name << " misses " << c.missing.front();
  }
}

TEST(BundledPacks, CisLevel1HasItsRulesAndDefaults) {
  auto p = LoadPackArg("cis-aws-v1.4-level1", {});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->framework, "CIS AWS Foundations 1.4 Level 1");
  EXPECT_EQ(p->rules.size(), 44u);
  const auto* pw = Rule(*p, "iam-password-policy");
  ASSERT_NE(pw, nullptr);
  ASSERT_NE(pw->InputParameter("MinimumPasswordLength"), nullptr);
  EXPECT_EQ(*pw->InputParameter("MinimumPasswordLength"), "14");
  size_t manual = 0;
  for (const auto& r : p->rules) manual += r.rule.source_identifier == "AWS_CONFIG_PROCESS_CHECK";
  EXPECT_EQ(manual, 18u);
}

TEST(BundledPacks, FoundByNameAliasAndFile) {
  EXPECT_NE(FindBundledPack("CIS-AWS-v1.4-Level1"), nullptr);
  EXPECT_NE(FindBundledPack("Operational-Best-Practices-for-PCI-DSS.yaml"), nullptr);
  EXPECT_EQ(FindBundledPack("pci-dss-v3.2.1"), FindBundledPack("pci-dss"));
  EXPECT_EQ(FindBundledPack("no-such-pack"), nullptr);
  auto missing = LoadPackArg("no-such-pack", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("vigil packs list"), std::string::npos);
}

TEST(PackParams, OverrideChangesTheRuleAndEmptyDropsIt) {
  LoadOptions o;
  o.overrides["IamPasswordPolicyParamMinimumPasswordLength"] = "16";
  o.overrides["IamPasswordPolicyParamMaxPasswordAge"] = "";
  auto p = LoadPackArg("pci-dss", o);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto* pw = Rule(*p, "iam-password-policy");
  ASSERT_NE(pw, nullptr);
  EXPECT_EQ(*pw->InputParameter("MinimumPasswordLength"), "16");
  EXPECT_EQ(pw->InputParameter("MaxPasswordAge"), nullptr);  // AWS::NoValue: default applies
}

constexpr std::string_view kTemplate = R"(
Parameters:
  Age:
    Type: String
    Default: '90'
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod, dev]
Conditions:
  HasAge: !Not [!Equals ['', !Ref Age]]
  IsProd: {"Fn::Equals": [{"Ref": Env}, prod]}
  Both: !And [!Condition HasAge, !Condition IsProd]
  Either: !Or [!Condition HasAge, !Equals [a, b]]
Resources:
  Keys:
    Type: AWS::Config::ConfigRule
    Properties:
      ConfigRuleName: !Sub 'keys-${Env}'
      InputParameters:
        maxAccessKeyAge: !If [Both, !Ref Age, !Ref 'AWS::NoValue']
      Source: {Owner: AWS, SourceIdentifier: ACCESS_KEYS_ROTATED}
  Tags:
    Type: AWS::Config::ConfigRule
    Condition: IsProd
    Properties:
      ConfigRuleName: tags
      InputParameters:
        tag1Key: !Join ['-', [owner, !Select [1, !Split [',', 'a,b,c']]]]
        tag1Value: !Sub ['${AWS::AccountId}/${X}', {X: !Ref 'AWS::Region'}]
      Source: {Owner: AWS, SourceIdentifier: REQUIRED_TAGS}
  Fix:
    Type: AWS::Config::RemediationConfiguration
    Condition: IsProd
    Properties:
      ConfigRuleName: !Ref Tags
      TargetId: AWS-DisableS3BucketPublicReadWrite
      TargetType: SSM_DOCUMENT
      Automatic: True
      MaximumAutomaticAttempts: 10
)";

TEST(PackTemplate, ResolvesIntrinsicsAndShortForms) {
  auto p = Load(kTemplate);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->rules.size(), 2u);
  const auto* keys = Rule(*p, "keys-prod");
  ASSERT_NE(keys, nullptr);
  EXPECT_EQ(*keys->InputParameter("maxAccessKeyAge"), "90");
  const auto* tags = Rule(*p, "tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(*tags->InputParameter("tag1Key"), "owner-b");
  EXPECT_EQ(*tags->InputParameter("tag1Value"), "${AWS::AccountId}/${AWS::Region}");
  ASSERT_EQ(p->remediations.size(), 1u);
  EXPECT_EQ(p->remediations[0].config_rule_name, "tags");
  EXPECT_NE(p->remediations[0].json.find("\"Automatic\":true"), std::string::npos);
  EXPECT_NE(p->remediations[0].json.find("\"MaximumAutomaticAttempts\":10"), std::string::npos);
}

TEST(PackTemplate, ConditionsFollowParameters) {
  auto p = Load(kTemplate, {{"Env", "dev"}, {"Age", ""}});
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->rules.size(), 1u);  // Tags has Condition IsProd
  EXPECT_EQ(Rule(*p, "keys-dev")->InputParameter("maxAccessKeyAge"), nullptr);
  EXPECT_EQ(p->remediations.size(), 0u);
}

void ExpectError(std::string_view yaml, std::string_view line_col, std::string_view what,
                 std::map<std::string, std::string> overrides = {}) {
  auto p = Load(yaml, std::move(overrides));
  ASSERT_FALSE(p.ok()) << "should fail: " << what;
  const std::string& m = p.status().message();
  EXPECT_NE(m.find(std::string("t.yaml:") + std::string(line_col)), std::string::npos) << m;
  EXPECT_NE(m.find(what), std::string::npos) << m;
}

TEST(PackTemplate, ErrorsNameFileLineAndConstruct) {
  ExpectError("Resources:\n  A: [unclosed\n", "3:", "YAML error");
  ExpectError(
      "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R:\n"
      "    Type: AWS::Config::ConfigRule\n    Properties: {Source: {Owner: AWS, SourceIdentifier: "
      "ENCRYPTED_VOLUMES}}\n",
      "2:", "cycle in Conditions");
  ExpectError(
      "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
      "      ConfigRuleName: !Ref Missing\n      Source: {Owner: AWS, SourceIdentifier: X}\n",
      "5:", "Ref to 'Missing'");
  ExpectError(
      "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
      "      ConfigRuleName: r\n      InputParameters: {notAParam: '1'}\n"
      "      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n",
      "6:", "notAParam");
  ExpectError(
      "Resources:\n  R:\n    Type: AWS::Config::ConfigRule\n    Properties:\n"
      "      ConfigRuleName: !GetAtt X.Arn\n      Source: {Owner: AWS, SourceIdentifier: X}\n",
      "5:", "Fn::GetAtt");
  ExpectError("Resources:\n  B:\n    Type: AWS::S3::Bucket\n", "3:", "AWS::S3::Bucket");
  ExpectError(
      "Parameters:\n  P: {Type: String}\nResources:\n  R:\n    Type: AWS::Config::ConfigRule\n"
      "    Properties:\n      ConfigRuleName: !Ref P\n"
      "      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n",
      "7:", "--pack-param P=VALUE");
  ExpectError(
      "Parameters:\n  P: {Type: String, Default: a, AllowedValues: [a, b]}\nResources:\n  R:\n"
      "    Type: AWS::Config::ConfigRule\n    Properties:\n      ConfigRuleName: !Ref P\n"
      "      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n",
      "2:", "AllowedValues", {{"P", "c"}});
  ExpectError(
      "Conditions:\n  InUs: !Equals [!Ref 'AWS::Region', us-east-1]\nResources:\n  R:\n"
      "    Type: AWS::Config::ConfigRule\n    Properties:\n"
      "      Source: {Owner: AWS, SourceIdentifier: ENCRYPTED_VOLUMES}\n",
      "2:", "cannot depend on AWS::Region");
  ExpectError("Transform: AWS::Serverless-2016-10-31\nResources: {}\n", "1:", "Transform");
}

TEST(PackTemplate, JsonTemplatesLoadToo) {
  auto p = Load(R"({"Resources": {"R": {"Type": "AWS::Config::ConfigRule", "Properties": {
      "Source": {"Owner": "AWS", "SourceIdentifier": "ENCRYPTED_VOLUMES"}}}}})");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->rules.size(), 1u);
  EXPECT_EQ(p->rules[0].rule.name, "R");  // CloudFormation names it after the logical ID
}

}  // namespace
}  // namespace vigil::pack
