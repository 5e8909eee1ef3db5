// `vigil guard validate|test|parse-tree` against the real cfn-guard 3.1.1 binary. (The whole
// differential corpus runs in tests/unit/guard_corpus_test.cc, through the library.)
//
// The differential tests run both binaries with the same arguments and compare stdout bytes and
// exit codes (JUnit `time` attributes, which hold wall-clock milliseconds, are zeroed; text
// reports whose line order cfn-guard takes from a hash map are compared as sorted lines). They
// skip when cfn-guard is not installed (scripts/install-cfn-guard).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "guard/data.h"
#include "guard/eval.h"
#include "guard/parser.h"
#include "guard/report.h"
#include "guard/source.h"
#include "json/value.h"
#include "test_util.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using testing_util::Output;
using testing_util::ReadFile;
using testing_util::Sh;

const std::string kVigil = std::string(VIGIL_BINARY_DIR) + "/vigil";
const fs::path kCorpus = fs::path(VIGIL_SOURCE_DIR) / "tests" / "guard-corpus";

fs::path ToolsDir() {
  const char* env = std::getenv("VIGIL_CFN_GUARD_DIR");
  return env ? fs::path(env) : fs::path(VIGIL_SOURCE_DIR) / "build" / "tools";
}

std::string CfnGuard() {
  const fs::path bin = ToolsDir() / "cfn-guard";
  return access(bin.c_str(), X_OK) == 0 ? bin.string() : std::string();
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs `<binary> <args>` in the corpus folder; stderr goes to `err_file` when given.
Output RunIn(const fs::path& dir, const std::string& binary, const std::string& args,
             const std::string& err_file = "/dev/null", const std::string& stdin_file = "") {
  std::string cmd = "cd " + Quote(dir.string()) + " && " + binary + " " + args + " 2>" + err_file;
  if (!stdin_file.empty()) cmd += " <" + Quote(stdin_file);
  return Sh(cmd);
}

struct Pair {
  Output vigil, cfn;
  std::string vigil_err, cfn_err;
};

Pair RunBoth(const std::string& args, const fs::path& dir = kCorpus,
             const std::string& stdin_file = "") {
  const std::string tmp =
      (fs::temp_directory_path() / ("vigil-guard-" + std::to_string(getpid()))).string();
  Pair p;
  p.vigil = RunIn(dir, Quote(kVigil) + " guard validate", args, tmp + ".v", stdin_file);
  p.cfn = RunIn(dir, Quote(CfnGuard()) + " validate", args, tmp + ".g", stdin_file);
  p.vigil_err = ReadFile(tmp + ".v");
  p.cfn_err = ReadFile(tmp + ".g");
  fs::remove(tmp + ".v");
  fs::remove(tmp + ".g");
  return p;
}

std::string ZeroTimes(const std::string& s) {
  static const std::regex kTime("time=\"[0-9]+\"");
  return std::regex_replace(s, kTime, "time=\"0\"");
}

std::vector<std::string> SortedLines(const std::string& s) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t nl = s.find('\n', pos);
    lines.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

#define REQUIRE_CFN_GUARD()                     \
  if (CfnGuard().empty())                       \
  GTEST_SKIP() << "cfn-guard is not installed " \
                  "(scripts/install-cfn-guard)"

// Every data file of some corpus groups, as -d arguments.
std::string DataArgs(const std::vector<std::string>& groups) {
  std::string s;
  for (const auto& g : groups) s += " -d data/" + g;
  return s;
}

struct FormatCase {
  std::string name;
  std::string flags;
};

class GuardValidateFormats : public ::testing::TestWithParam<FormatCase> {};

// Byte-for-byte: the structured outputs and the non-structured JSON/YAML (per-file reports after
// the summary table), over rules that cover every clause kind and message.
TEST_P(GuardValidateFormats, SameBytesAndExitCodeAsCfnGuard) {
  REQUIRE_CFN_GUARD();
  const std::vector<std::pair<std::string, std::vector<std::string>>> runs = {
      {"rules/lang-tags.guard", {"cfn"}},
      {"rules/lang-messages.guard", {"cfn"}},
      {"rules/lang-named-rules.guard", {"cfn"}},
      {"rules/lang-when.guard", {"cfn"}},
      {"rules/lang-block-clauses.guard", {"cfn"}},
      {"rules/op-in.guard", {"values"}},
      {"rules/op-unary.guard", {"values"}},
      {"rules/op-or.guard", {"values"}},
      {"rules/config-s3.guard", {"config-ci"}},  // stops with an evaluation error (255)
      {"rules/config-sg.guard", {"config-ci"}},
      {"rules/config-kms.guard", {"config-ci", "k8s"}},
      {"rules/k8s-pod.guard", {"k8s"}},
  };
  for (const auto& [rules, groups] : runs) {
    const std::string args = "-r " + rules + DataArgs(groups) + " " + GetParam().flags;
    const Pair p = RunBoth(args);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args << "\n" << p.vigil_err;
    EXPECT_TRUE(ZeroTimes(p.vigil.out) == ZeroTimes(p.cfn.out))
        << args << ": outputs differ (" << p.vigil.out.size() << " vs " << p.cfn.out.size()
        << " bytes)";
    // Evaluation errors are worded by vigil's evaluator (json_parse's YAML reader names its
    // errors differently); both stop the run the same way.
    EXPECT_EQ(p.vigil_err.empty(), p.cfn_err.empty()) << args;
    EXPECT_EQ(p.vigil_err.substr(0, 15), p.cfn_err.substr(0, 15)) << args;
  }
}

INSTANTIATE_TEST_SUITE_P(Formats, GuardValidateFormats,
                         ::testing::Values(FormatCase{"StructuredJson", "-o json -z -S none"},
                                           FormatCase{"StructuredYaml", "-o yaml -z -S none"},
                                           FormatCase{"Junit", "-o junit -z -S none"},
                                           FormatCase{"Sarif", "-o sarif -z -S none"},
                                           FormatCase{"JsonWithSummary", "-o json -S all"},
                                           FormatCase{"JsonFailSummary", "-o json"},
                                           FormatCase{"YamlPassSkipSummary",
                                                      "-o yaml -S pass,skip"},
                                           FormatCase{"JsonNoSummary", "-o json -S none"},
                                           FormatCase{"PrintJson", "-o json -S none -p"}),
                         [](const auto& info) { return info.param.name; });

// The default output over non-template data: the summary table and the generic single-line
// report. cfn-guard prints the failed/passed rules from hash maps (an order that changes from run
// to run), so the lines are compared as multisets.
TEST(GuardValidate, SingleLineSummaryOverGenericData) {
  REQUIRE_CFN_GUARD();
  for (const std::string rules : {"rules/config-ec2.guard", "rules/config-iam.guard",
                                  "rules/config-dynamodb-pitr.guard", "rules/k8s-pod.guard"}) {
    for (const std::string summary : {"", " -S all", " -S pass", " -S skip,fail", " -S none"}) {
      const std::string args = "-r " + rules + DataArgs({"config-ci", "k8s"}) + summary;
      const Pair p = RunBoth(args);
      EXPECT_EQ(p.vigil.status, p.cfn.status) << args;
      EXPECT_EQ(SortedLines(p.vigil.out), SortedLines(p.cfn.out)) << args;
    }
  }
}

// Flags and error paths: exit codes and the stderr messages cfn-guard prints.
TEST(GuardValidate, FlagsAndErrorsMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  const std::vector<std::string> cases = {
      // several rules files, a rules folder (.guard files, walked in name order), -a, -m
      "-r rules/config-kms.guard -r rules/config-rds.guard -d data/config-ci -o json -z -S none",
      "-r rules/config-kms.guard -r rules/config-rds.guard -d data/config-ci -o json -S all",
      "-r unit -d data/cfn/s3-mixed.yaml -o json -z -S none",
      "-r unit -d data/cfn -o json -S fail -a",
      "-r rules/lang-tags.guard -d data/cfn -o json -z -S none -m",
      // input parameters, one and two files, and a key clash
      "-r rules/params-network.guard -d data/params -i params/network.yaml -o json -z -S none",
      "-r rules/params-network.guard -d data/params -i params/network.yaml -i params/limits.json "
      "-o yaml -z -S none",
      "-r rules/params-network.guard -d data/params -i params -o json -S all",
      // errors: a missing path, a data file cfn-guard cannot read, an evaluation error, a rules
      // file that does not parse (exit 5, the others still run)
      "-r rules/nope.guard -d data/cfn -o json -z -S none",
      "-r rules/lang-tags.guard -d data/nope -o json -z -S none",
      "-r rules/lang-tags.guard -d data/errors/y-anchor.yaml -o json -z -S none",
      "-r rules/op-empty.guard -d data/values -o json -z -S none",
      "-r rules/err-syntax-unclosed.guard -r rules/lang-tags.guard -d data/cfn -o json -S none",
      // conflicting flags
      "-r rules/lang-tags.guard -d data/cfn -o json -z",
      "-r rules/lang-tags.guard -d data/cfn -z -S none",
      "-r rules/lang-tags.guard -d data/cfn -o junit -S none",
      "-r rules/lang-tags.guard -d data/cfn -o sarif -S none",
      // -t is accepted and ignored
      "-r rules/lang-tags.guard -d data/cfn -t CFNTemplate -o json -z -S none",
  };
  for (const auto& args : cases) {
    const Pair p = RunBoth(args);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args << "\n" << p.vigil_err;
    EXPECT_TRUE(p.vigil.out == p.cfn.out) << args << ": outputs differ (" << p.vigil.out.size()
                                          << " vs " << p.cfn.out.size() << " bytes)";
    // Parse errors are worded by vigil's parser (file:line:col and a caret); the rest match.
    if (p.cfn_err.starts_with("Parsing error handling rule file")) {
      EXPECT_TRUE(p.vigil_err.starts_with("Parsing error handling rule file = err-syntax"))
          << p.vigil_err;
    } else {
      EXPECT_EQ(p.vigil_err, p.cfn_err) << args;
    }
  }
}

TEST(GuardValidate, PayloadAndStdinMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  const fs::path dir = fs::temp_directory_path() / ("vigil-guard-in-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string rules = ReadFile((kCorpus / "rules/config-kms.guard").string());
  const std::string d1 = ReadFile((kCorpus / "data/config-ci/kms-not-rotated.yaml").string());
  const std::string d2 = ReadFile((kCorpus / "data/config-ci/kms-rotated.json").string());
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') q += '\\';
      if (c == '\n') {
        q += "\\n";
        continue;
      }
      q += c;
    }
    return q + "\"";
  };
  {
    std::ofstream f(dir / "payload.json");
    f << "{\"rules\":[" << quoted(rules) << "],\"data\":[" << quoted(d1) << "," << quoted(d2)
      << "]}";
  }
  for (const std::string flags : {"-P -o json -z -S none", "-P -S all", "-P -o yaml -S none"}) {
    const Pair p = RunBoth(flags, kCorpus, (dir / "payload.json").string());
    EXPECT_EQ(p.vigil.status, p.cfn.status) << flags;
    EXPECT_EQ(SortedLines(p.vigil.out), SortedLines(p.cfn.out)) << flags;
  }
  const Pair p = RunBoth("-r rules/config-kms.guard -o json -z -S none", kCorpus,
                         (kCorpus / "data/config-ci/kms-not-rotated.yaml").string());
  EXPECT_EQ(p.vigil.status, p.cfn.status);
  EXPECT_EQ(p.vigil.out, p.cfn.out);
  fs::remove_all(dir);
}

TEST(GuardValidate, LastModifiedOrdersFilesByTime) {
  REQUIRE_CFN_GUARD();
  const fs::path dir = fs::temp_directory_path() / ("vigil-guard-m-" + std::to_string(getpid()));
  fs::create_directories(dir);
  // Names in one order, modification times in the other.
  const std::vector<std::string> names = {"a.json", "b.json", "c.json"};
  for (size_t i = 0; i < names.size(); ++i) {
    fs::copy_file(kCorpus / "data/config-ci/kms-rotated.json", dir / names[i],
                  fs::copy_options::overwrite_existing);
    fs::last_write_time(dir / names[i], fs::file_time_type::clock::now() -
                                            std::chrono::hours(static_cast<int>(i) + 1));
  }
  for (const std::string flag : {"-m", "-a", ""}) {
    const Pair p = RunBoth("-r rules/config-kms.guard -d " + dir.string() + " " + flag +
                           " -o json -z -S none");
    EXPECT_EQ(p.vigil.status, p.cfn.status) << flag;
    EXPECT_EQ(p.vigil.out, p.cfn.out) << flag;
  }
  fs::remove_all(dir);
}

TEST(GuardTest, UnitTestFilesMatchCfnGuard) {
  REQUIRE_CFN_GUARD();
  for (const auto& e : fs::directory_iterator(kCorpus / "unit")) {
    if (e.path().extension() != ".guard") continue;
    const std::string stem = e.path().stem().string();
    const std::string args = "test -r unit/" + stem + ".guard -t unit/" + stem + "_tests.yaml";
    const Output v = RunIn(kCorpus, Quote(kVigil) + " guard", args);
    const Output g = RunIn(kCorpus, Quote(CfnGuard()), args);
    EXPECT_EQ(v.status, g.status) << args;
    // cfn-guard lists the rules of a test case in hash order.
    EXPECT_EQ(SortedLines(v.out), SortedLines(g.out)) << args;
    for (const std::string fmt : {" -o json", " -o yaml"}) {
      const Output vj = RunIn(kCorpus, Quote(kVigil) + " guard", args + fmt);
      const Output gj = RunIn(kCorpus, Quote(CfnGuard()), args + fmt);
      EXPECT_EQ(vj.status, gj.status) << args << fmt;
      EXPECT_EQ(SortedLines(vj.out), SortedLines(gj.out)) << args << fmt;
    }
  }
}

// --- Template text reports and `test -o junit` --------------------------------------------------

// cfn-guard's single-line report of a template lists the non-compliant resources in hash-map order
// (a new order each run), and its code snippets number lines from where its line cursor was left
// by the resources before (utils::ReadCursor), so with several resources both the order and the
// snippet lines change from run to run. The CLI comparison sorts each run of two or more
// "Resource = " blocks and drops their snippet lines; TemplateSingleLineReproducesOneCfnGuardRun
// checks the snippets exactly, in cfn-guard's order of one run.
std::string NormaliseTemplateText(const std::string& s) {
  std::vector<std::string> lines;
  for (size_t pos = 0; pos <= s.size();) {
    const size_t nl = s.find('\n', pos);
    lines.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  static const std::regex kCodeLine("^ +[0-9]+\\..*");
  std::string out;
  for (size_t i = 0; i < lines.size();) {
    if (!lines[i].starts_with("Resource = ")) {
      out += lines[i++] + "\n";
      continue;
    }
    std::vector<std::vector<std::string>> run;
    while (i < lines.size() && lines[i].starts_with("Resource = ")) {
      std::vector<std::string> block;
      while (i < lines.size() && lines[i] != "}") block.push_back(lines[i++]);
      if (i < lines.size()) block.push_back(lines[i++]);
      run.push_back(std::move(block));
    }
    std::vector<std::string> texts;
    for (const auto& block : run) {
      std::string t;
      for (const auto& l : block)
        if (run.size() == 1 || !std::regex_match(l, kCodeLine)) t += l + "\n";
      texts.push_back(std::move(t));
    }
    std::sort(texts.begin(), texts.end());
    for (const auto& t : texts) out += t;
  }
  return out;
}

fs::path ControlTowerRules() {
  return ToolsDir() / "cdk-validator-cfnguard" / "rules" / "control-tower" / "cfn-guard";
}

// Rules and templates written for the text reports: passing, failing and skipped rules, missing
// properties, nested blocks, `or`, `in`, `some`, unary checks, custom messages over several
// lines, several resources failing, a CDK path, and an SSM parameter whose Properties hold a
// `Type` (cfn-guard reports its properties as a resource of type String).
constexpr const char* kTextRules = R"(let buckets = Resources.*[ Type == 'AWS::S3::Bucket' ]

rule s3_encrypted when %buckets !empty {
  %buckets.Properties.BucketEncryption exists
  %buckets.Properties.BucketEncryption.ServerSideEncryptionConfiguration[*].ServerSideEncryptionByDefault.SSEAlgorithm in ["aws:kms", "AES256"]
    << [S3.1]: buckets must be encrypted; use KMS where possible >>
}

rule s3_versioned when %buckets !empty {
  %buckets.Properties.VersioningConfiguration.Status == "Enabled" <<
    Versioning must be enabled
    Suspended versioning counts as disabled
  >>
}

rule s3_public when %buckets !empty {
  %buckets.Properties.PublicAccessBlockConfiguration {
    BlockPublicAcls == true
    BlockPublicPolicy == true or RestrictPublicBuckets == true
  }
}

rule volumes {
  Resources.*[ Type == 'AWS::EC2::Volume' ] {
    Properties.Encrypted == true << volumes must be encrypted >>
    Properties.Size <= 100
    Properties.Tags[*].Key !empty
  }
}

rule ssm_params {
  Resources.*[ Type == 'AWS::SSM::Parameter' ].Properties.Value is_string << SSM values are strings >>
}

rule all_tagged when s3_encrypted {
  Resources.*.Properties.Tags exists
}

rule never_applies when Resources.*[ Type == 'AWS::Nope' ] !empty {
  Resources.*.Type == 'x'
}

rule no_wildcards {
  Resources.*[ Type == 'AWS::IAM::Policy' ] {
    some Properties.PolicyDocument.Statement[*] {
      Action != '*'
    }
  }
}
)";

constexpr const char* kManyTemplate = R"(AWSTemplateFormatVersion: "2010-09-09"
Description: several resources failing
Resources:
  GoodBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
      VersioningConfiguration:
        Status: Enabled
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        RestrictPublicBuckets: true
      Tags:
        - Key: team
          Value: a
  LogBucket:
    Type: AWS::S3::Bucket
    Metadata:
      aws:cdk:path: Stack/LogBucket/Resource
    Properties:
      VersioningConfiguration:
        Status: Suspended
      PublicAccessBlockConfiguration:
        BlockPublicAcls: false
        BlockPublicPolicy: false
  DataBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: DES
  Volume:
    Type: AWS::EC2::Volume
    Properties:
      Encrypted: false
      Size: 200
      Tags:
        - Key: ""
          Value: x
  Param:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: 123
  Policy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyDocument:
        Statement:
          - Action: '*'
            Effect: Allow
          - Action: '*'
            Effect: Deny
)";

// The same template as JSON: indented with CRLF line ends, and minified on one line (cfn-guard's
// snippets of line 0 print nothing).
constexpr const char* kMinTemplate =
    R"({"Resources":{"LogBucket":{"Type":"AWS::S3::Bucket","Metadata":{"aws:cdk:path":"Stack/LogBucket/Resource"},)"
    R"("Properties":{"VersioningConfiguration":{"Status":"Suspended"}}},"Volume":{"Type":"AWS::EC2::Volume",)"
    R"("Properties":{"Encrypted":false,"Size":200,"Tags":[{"Key":"","Value":"x"}]}}}})";

constexpr const char* kCompliantTemplate = R"(Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}
      VersioningConfiguration: {Status: Enabled}
      PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true}
      Tags: [{Key: a, Value: b}]
)";

constexpr const char* kSkippedTemplate =
    R"({"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {}}}})";

// A rule whose failure is at /Resources itself: cfn-guard's template reporter gives up and the
// generic report is printed.
constexpr const char* kFallbackRules = "rule named_resource { Resources.Missing exists }\n";

// A Terraform plan and rules with the checks tf.rs can print (it panics on `in` and on values
// missing directly under change.after).
constexpr const char* kPlan = R"({
  "format_version": "1.1",
  "resource_changes": [
    {
      "address": "aws_s3_bucket.logs",
      "type": "aws_s3_bucket",
      "change": {
        "after": {
          "acl": "public-read",
          "versioning": [{"enabled": false}],
          "tags": {"env": "dev"}
        }
      }
    },
    {
      "address": "aws_s3_bucket.data",
      "type": "aws_s3_bucket",
      "change": {
        "after": {
          "acl": "private",
          "versioning": []
        }
      }
    }
  ]
}
)";
constexpr const char* kPlanRules = R"(let buckets = resource_changes[ type == "aws_s3_bucket" ]
rule acl when %buckets !empty {
  %buckets.change.after.acl == "private" << no public acl >>
  %buckets.change.after.acl is_string
  %buckets.change.after.versioning empty
}
rule ver when %buckets !empty {
  %buckets.change.after.versioning[*].enabled == true
}
)";

void WriteFile(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary);
  f << text;
}

// The fixtures above, in a fresh folder (removed by the destructor).
struct TextFixtures {
  fs::path dir;
  TextFixtures() {
    dir = fs::temp_directory_path() / ("vigil-guard-text-" + std::to_string(getpid()));
    fs::create_directories(dir / "templates");
    WriteFile(dir / "text.guard", kTextRules);
    WriteFile(dir / "fallback.guard", kFallbackRules);
    WriteFile(dir / "plan.guard", kPlanRules);
    WriteFile(dir / "templates" / "many.yaml", kManyTemplate);
    WriteFile(dir / "templates" / "min.json", kMinTemplate);
    WriteFile(dir / "templates" / "ok.yaml", kCompliantTemplate);
    WriteFile(dir / "templates" / "skip.json", kSkippedTemplate);
    WriteFile(dir / "plan.json", kPlan);
    // many.yaml as JSON with CRLF line ends.
    WriteFile(dir / "templates" / "crlf.json", std::regex_replace(std::string(R"({
  "Resources": {
    "LogBucket": {
      "Type": "AWS::S3::Bucket",
      "Metadata": {"aws:cdk:path": "Stack/LogBucket/Resource"},
      "Properties": {
        "VersioningConfiguration": {"Status": "Suspended"},
        "PublicAccessBlockConfiguration": {"BlockPublicAcls": false}
      }
    },
    "Volume": {
      "Type": "AWS::EC2::Volume",
      "Properties": {
        "Encrypted": false,
        "Size": 200,
        "Tags": [{"Key": "", "Value": "x"}]
      }
    },
    "Param": {
      "Type": "AWS::SSM::Parameter",
      "Properties": {"Type": "String", "Value": 123}
    }
  }
}
)"),
                                                                  std::regex("\n"), "\r\n"));
  }
  ~TextFixtures() { fs::remove_all(dir); }
};

// The default single-line-summary (and -S variants) over CloudFormation templates and Terraform
// plans: the per-resource report, same bytes as cfn-guard up to its hash-map order.
TEST(GuardValidateTemplates, TextReportMatchesCfnGuard) {
  REQUIRE_CFN_GUARD();
  const TextFixtures fx;
  std::vector<std::pair<std::string, fs::path>> runs = {
      {"-r text.guard -d templates", fx.dir},
      {"-r text.guard -d templates -S all", fx.dir},
      {"-r text.guard -d templates/many.yaml -S fail,skip", fx.dir},
      {"-r text.guard -r fallback.guard -d templates/many.yaml -d templates/ok.yaml", fx.dir},
      {"-r plan.guard -d plan.json", fx.dir},
      {"-r plan.guard -d plan.json -S all", fx.dir},
      // Rules from the corpus (nested named rules, type blocks, when, messages).
      {"-r rules/lang-messages.guard -d data/cfn/s3-many.json -d data/cfn/s3-tags-prod-mixed.yaml "
       "-d data/cfn/ec2-volumes-bad.json",
       kCorpus},
      {"-r rules/lang-named-rules.guard -d data/cfn/mixed-everything.yaml -d data/cfn/s3-many.json "
       "-S all",
       kCorpus},
      {"-r rules/lang-block-clauses.guard -r rules/lang-when.guard -r rules/lang-type-block.guard "
       "-d data/cfn/mixed-everything.yaml -d data/cfn/sg-open-ssh.json -d "
       "data/cfn/iam-policy-wildcards.yaml",
       kCorpus},
  };
  const fs::path ct = ControlTowerRules();
  if (fs::exists(ct)) {
    const std::string c = Quote(ct.string()) + "/";
    runs.push_back({"-r " + c + "s3 -r " + c +
                        "ec2 -d data/ct/s3-wrong.json -d "
                        "data/ct/s3-bare.yaml -d data/ct/ec2-wrong.json -d data/ct/ec2-secure.yaml",
                    kCorpus});
    runs.push_back({"-r " + c + "identityandaccessmanagement -r " + c + "rds -r " + c +
                        "lambda -r " + c +
                        "cloudfront -d data/ct/iam-wrong.json -d "
                        "data/ct/rds-wrong.json -d data/ct/lambda-bare.yaml -d "
                        "data/ct/cloudfront-wrong.json -S all",
                    kCorpus});
    // One template, many resources, the rules of several services (the whole folder takes
    // cfn-guard half a minute).
    runs.push_back({"-r " + c + "opensearchservice -r " + c + "elasticloadbalancing -r " + c +
                        "ecs -d data/ct/mixed-all-wrong.json",
                    kCorpus});
  }
  for (const auto& [args, dir] : runs) {
    const Pair p = RunBoth(args, dir);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args << "\n" << p.vigil_err;
    EXPECT_TRUE(p.cfn.out.find("Evaluating data ") != std::string::npos) << args;
    const std::string v = NormaliseTemplateText(p.vigil.out);
    const std::string g = NormaliseTemplateText(p.cfn.out);
    EXPECT_TRUE(v == g) << args << ": outputs differ (" << v.size() << " vs " << g.size()
                        << " bytes)\n--- vigil\n"
                        << v.substr(0, 4000) << "\n--- cfn-guard\n"
                        << g.substr(0, 4000);
    EXPECT_EQ(p.vigil_err, p.cfn_err) << args;
  }
}

// cfn-guard prints the template report whatever -S says (the summary table is what -S selects).
// Needs `vigil guard validate` to record the failures of every single-line-summary evaluation
// (src/cli/guard_cmd.cc, `shows_failures`).
TEST(GuardValidateTemplates, TextReportIgnoresShowSummary) {
  REQUIRE_CFN_GUARD();
  const TextFixtures fx;
  for (const std::string flags : {"-S none", "-S pass", "-S skip", "-S pass,skip"}) {
    const std::string args = "-r text.guard -d templates " + flags;
    const Pair p = RunBoth(args, fx.dir);
    EXPECT_EQ(p.vigil.status, p.cfn.status) << args;
    EXPECT_EQ(NormaliseTemplateText(p.vigil.out), NormaliseTemplateText(p.cfn.out)) << args;
  }
}

std::vector<std::string> ResourceOrder(const std::string& text) {
  static const std::regex kResource("^Resource = (.*) \\{$");
  std::vector<std::string> order;
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? nl : nl - pos);
    std::smatch m;
    if (std::regex_match(line, m, kResource)) order.push_back(m[1].str());
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return order;
}

// Byte for byte, code snippets included: one cfn-guard run (`-S none` prints the template report
// alone) against TemplateSingleLine given that run's resource order.
TEST(GuardValidateTemplates, TemplateSingleLineReproducesOneCfnGuardRun) {
  REQUIRE_CFN_GUARD();
  const TextFixtures fx;
  std::vector<std::pair<fs::path, fs::path>> pairs = {
      {fx.dir / "text.guard", fx.dir / "templates" / "many.yaml"},
      {fx.dir / "text.guard", fx.dir / "templates" / "crlf.json"},
      {fx.dir / "text.guard", fx.dir / "templates" / "min.json"},
      {fx.dir / "plan.guard", fx.dir / "plan.json"},
      {kCorpus / "rules" / "lang-messages.guard", kCorpus / "data" / "cfn" / "s3-many.json"},
      {kCorpus / "rules" / "lang-named-rules.guard",
       kCorpus / "data" / "cfn" / "mixed-everything.yaml"},
  };
  const fs::path ct = ControlTowerRules();
  if (fs::exists(ct)) {
    pairs.push_back({ct / "ec2" / "ct-ec2-pr-4.guard", kCorpus / "data/ct/ec2-wrong.json"});
    pairs.push_back({ct / "s3" / "ct-s3-pr-1.guard", kCorpus / "data/ct/mixed-all-wrong.json"});
  }
  for (const auto& [rules_path, data_path] : pairs) {
    const Output g =
        RunIn(kCorpus, Quote(CfnGuard()) + " validate",
              "-S none -r " + Quote(rules_path.string()) + " -d " + Quote(data_path.string()));
    ASSERT_EQ(g.status, 19) << rules_path << " " << data_path;
    const std::string rules_name = rules_path.filename().string();
    const guard::Source source(rules_name, ReadFile(rules_path.string()));
    auto file = guard::Parse(source);
    ASSERT_TRUE(file.ok()) << rules_path;
    auto compiled = guard::CompiledRules::Compile(*file, rules_name);
    ASSERT_TRUE(compiled.ok()) << rules_path;
    const std::string data_name = fs::canonical(data_path).string();
    const std::string text = ReadFile(data_path.string());
    auto doc = guard::DataDocument::Load(data_name, text);
    ASSERT_TRUE(doc.ok()) << data_path;
    guard::EvalOptions o;
    o.data_file_name = data_name;
    auto ev = guard::Evaluate(*compiled, doc->root(), o);
    ASSERT_TRUE(ev.ok()) << ev.status().message();
    const std::vector<std::string> order = ResourceOrder(g.out);
    const auto report =
        guard::report::TemplateSingleLine(*ev, doc->root(), text, rules_name, data_name, &order);
    ASSERT_TRUE(report.has_value()) << data_path;
    EXPECT_EQ(*report, g.out) << rules_path << " " << data_path;
  }
}

// `test -o junit`: cfn-guard lists the rules of a test case in hash-map order, so each run of
// <testcase> elements with the same id is sorted; times (wall-clock milliseconds) are zeroed.
std::string NormaliseJunit(const std::string& s) {
  std::vector<std::string> elements;  // one per line, a <testcase> element with its children
  size_t pos = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    std::string line = s.substr(pos, nl == std::string::npos ? nl : nl - pos + 1);
    pos = nl == std::string::npos ? s.size() : nl + 1;
    if (line.find("<testcase ") != std::string::npos && line.find("/>") == std::string::npos) {
      while (pos < s.size() && line.find("</testcase>") == std::string::npos) {
        nl = s.find('\n', pos);
        line += s.substr(pos, nl == std::string::npos ? nl : nl - pos + 1);
        pos = nl == std::string::npos ? s.size() : nl + 1;
      }
    }
    elements.push_back(ZeroTimes(line));
  }
  static const std::regex kId("<testcase id=\"([^\"]*)\"");
  auto id_of = [](const std::string& e) {
    std::smatch m;
    return std::regex_search(e, m, kId) ? std::optional<std::string>(m[1].str()) : std::nullopt;
  };
  std::string out;
  for (size_t i = 0; i < elements.size();) {
    const auto id = id_of(elements[i]);
    size_t j = i + 1;
    while (id && j < elements.size() && id_of(elements[j]) == id) ++j;
    std::vector<std::string> run(elements.begin() + static_cast<std::ptrdiff_t>(i),
                                 elements.begin() + static_cast<std::ptrdiff_t>(j));
    std::sort(run.begin(), run.end());
    for (const auto& e : run) out += e;
    i = j;
  }
  return out;
}

TEST(GuardTest, JunitMatchesCfnGuard) {
  REQUIRE_CFN_GUARD();
  const fs::path dir =
      fs::temp_directory_path() / ("vigil-guard-junit-" + std::to_string(getpid()));
  fs::create_directories(dir / "rules" / "tests");
  fs::create_directories(dir / "empty");
  std::vector<std::string> cases;
  for (const auto& e : fs::directory_iterator(kCorpus / "unit")) {
    if (e.path().extension() != ".guard") continue;
    const std::string stem = e.path().stem().string();
    cases.push_back("test -r unit/" + stem + ".guard -t unit/" + stem + "_tests.yaml -o junit");
    fs::copy_file(e.path(), dir / "rules" / e.path().filename());
    fs::copy_file(kCorpus / "unit" / (stem + "_tests.yaml"),
                  dir / "rules" / "tests" / (stem + "_tests.yaml"));
  }
  // Unnamed test cases, names to escape, a rule without expectation, an empty test file.
  WriteFile(dir / "rules" / "esc.guard",
            "rule x { Resources exists }\nrule y { Outputs exists }\n");
  WriteFile(dir / "rules" / "tests" / "esc_tests.yaml", R"(- input: {Resources: {}}
  expectations:
    rules:
      x: FAIL
      y: SKIP
- name: "<b>&\"q'"
  input: {}
  expectations:
    rules:
      x: SKIP
)");
  WriteFile(dir / "rules" / "none.guard", "rule z { Resources exists }\n");
  WriteFile(dir / "rules" / "tests" / "none_tests.yaml", "[]\n");
  cases.push_back("test -r " + (dir / "rules" / "esc.guard").string() + " -t " +
                  (dir / "rules" / "tests" / "esc_tests.yaml").string() + " -o junit");
  cases.push_back("test -d " + (dir / "rules").string() + " -o junit");
  cases.push_back("test -d " + (dir / "empty").string() + " -o junit");
  for (const auto& args : cases) {
    const Output v = RunIn(kCorpus, Quote(kVigil) + " guard", args);
    const Output g = RunIn(kCorpus, Quote(CfnGuard()), args);
    EXPECT_EQ(v.status, g.status) << args;
    EXPECT_TRUE(g.out.starts_with("<?xml")) << args;
    EXPECT_EQ(NormaliseJunit(v.out), NormaliseJunit(g.out)) << args;
  }
  fs::remove_all(dir);
}

TEST(GuardParseTree, JsonMatchesCfnGuardStructurally) {
  REQUIRE_CFN_GUARD();
  for (const std::string rules : {"rules/lang-tags.guard", "rules/fn-strings.guard"}) {
    const Output v = RunIn(kCorpus, Quote(kVigil) + " guard", "parse-tree -p -r " + rules);
    const Output g = RunIn(kCorpus, Quote(CfnGuard()), "parse-tree -p -r " + rules);
    EXPECT_EQ(v.status, 0);
    EXPECT_EQ(v.status, g.status);
    auto vd = json::Document::Parse(v.out);
    auto gd = json::Document::Parse(g.out);
    ASSERT_TRUE(vd.ok() && gd.ok()) << rules;
    // Numbers may be spelled differently (1 vs 1.0); compare the key structure.
    EXPECT_EQ(vd->Root().Get("guard_rules").Size(), gd->Root().Get("guard_rules").Size());
    EXPECT_EQ(vd->Root().Get("assignments").Size(), gd->Root().Get("assignments").Size());
  }
}

}  // namespace
}  // namespace vigil
