// Runs every src/rules/managed/**/<rule>_test.yaml fixture: one test per case. Also checks the
// conventions that keep rules honest: identifiers unique, known to AWS's catalogue, equal to the
// file name; parameters typed as the catalogue declares; at least one case per outcome.
//
// Fixture format (YAML):
//   rule: ENCRYPTED_VOLUMES
//   cases:
//     - name: attached, not encrypted
//       params: {kmsId: "arn:..."}        # InputParameters (optional)
//       item: {resourceType: AWS::EC2::Volume, resourceId: vol-1, configuration: {...}}
//                                         # account 123456789012, us-east-1, status OK and a
//                                         # capture time are filled in when absent; account-level
//                                         # rules omit `item`
//       facts: {iam-get-account-summary: {...}}   # account facts for the item's account/region
//       items: [...]                      # other recorded items the rule may read
//       known_types: [AWS::EC2::FlowLog]  # types recorded there even if `items` has none
//       now: "2026-01-01T00:00:00Z"       # the evaluation time (RuleContext::Now); default
//                                         # 2026-01-01T00:00:00Z
//       want: NON_COMPLIANT               # COMPLIANT, NOT_APPLICABLE, MISSING_FACT,
//       INVALID_PARAMETERS annotation: "not encrypted"       # substring of the annotation
//       (optional)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "common/time.h"
#include "json/value.h"
#include "json/writer.h"
#include "json/yaml.h"
#include "model/configuration_item.h"
#include "model/facts.h"
#include "rules/rule.h"

namespace vigil {
namespace {
namespace fs = std::filesystem;

struct FixtureCase {
  std::string file;
  std::string rule;
  std::string name;
  std::string json;  // the case, as JSON
};

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path ManagedDir() { return fs::path(VIGIL_SOURCE_DIR) / "src" / "rules" / "managed"; }

std::vector<fs::path> FixtureFiles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(ManagedDir()))
    if (e.is_regular_file() && EndsWith(e.path().filename().string(), "_test.yaml"))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// All cases, or with VIGIL_FIXTURE=<file stem> (as ctest runs one rule) only that file's: parsing
// every fixture file in every test process would cost seconds each.
std::vector<FixtureCase> LoadCases() {
  std::vector<FixtureCase> cases;
  const char* only = std::getenv("VIGIL_FIXTURE");
  for (const auto& path : FixtureFiles()) {
    if (only != nullptr && *only != '\0' &&
        path.filename().string() != std::string(only) + "_test.yaml")
      continue;
    auto json_text = json::YamlToJson(ReadAll(path));
    if (!json_text.ok()) {
      cases.push_back({path.string(), "", "YAML error: " + json_text.status().message(), ""});
      continue;
    }
    auto doc = json::Document::Parse(*json_text);
    const std::string rule(doc->Root().Get("rule").String().value_or(""));
    size_t i = 0;
    for (const json::Value c : doc->Root().Get("cases").Elements()) {
      std::string name(c.Get("name").String().value_or("case " + std::to_string(i)));
      cases.push_back({path.string(), rule, name, c.ToJson()});
      ++i;
    }
  }
  return cases;
}

// Fills the fields a fixture may omit, so cases stay short.
std::string CompleteItem(const json::Value& item, std::string_view fallback_type) {
  json::Writer w;
  w.BeginObject();
  bool has[6] = {};
  const char* defaults[][2] = {{"awsAccountId", "123456789012"},
                               {"awsRegion", "us-east-1"},
                               {"configurationItemStatus", "OK"},
                               {"configurationItemCaptureTime", "2026-01-01T00:00:00.000Z"},
                               {"resourceType", ""},
                               {"resourceId", "resource-1"}};
  for (const auto m : item.Members()) {
    for (int i = 0; i < 6; ++i)
      if (m.key == defaults[i][0] || (i == 0 && m.key == "accountId")) has[i] = true;
    w.Key(m.key).Raw(m.value.ToJson());
  }
  for (int i = 0; i < 6; ++i) {
    if (has[i]) continue;
    if (i == 4) {
      w.Field("resourceType", fallback_type);
    } else {
      w.Field(defaults[i][0], defaults[i][1]);
    }
  }
  if (item.Get("resourceName").Missing())
    w.Field("resourceName", item.Get("resourceId").String().value_or("resource-1"));
  w.EndObject();
  return w.Take();
}

class FixtureEnv : public rules::Environment {
 public:
  EpochMillis Now() const override { return now; }
  const std::any& Memo(const std::string& key,
                       const std::function<std::any()>& build) const override {
    auto it = memo.find(key);
    if (it == memo.end()) it = memo.emplace(key, build()).first;
    return it->second;
  }
  mutable std::map<std::string, std::any> memo;
  json::Value Fact(std::string_view name, std::string_view account,
                   std::string_view region) const override {
    return facts.Get(name, account, region);
  }
  std::vector<const model::ConfigurationItem*> Items(std::string_view type,
                                                     std::string_view account,
                                                     std::string_view region,
                                                     bool* known) const override {
    std::vector<const model::ConfigurationItem*> out;
    bool k = known_types.count(std::string(type)) > 0;
    for (const auto& ci : items) {
      if (ci.resource_type != type || ci.account_id != account) continue;
      if (!region.empty() && ci.region != region) continue;
      k = true;
      if (!ci.Deleted()) out.push_back(&ci);
    }
    if (known) *known = k;
    return out;
  }
  model::FactStore facts;
  EpochMillis now = 0;
  std::deque<model::ConfigurationItem> items;
  std::set<std::string> known_types;
};

// Keeps test names readable in ctest output: the case's file and name, not its JSON.
void PrintTo(const FixtureCase& c, std::ostream* os) { *os << c.rule << ": " << c.name; }

class RuleFixture : public testing::TestWithParam<FixtureCase> {};

TEST_P(RuleFixture, GivesExpectedVerdict) {
  const FixtureCase& fc = GetParam();
  ASSERT_FALSE(fc.json.empty()) << fc.file << ": " << fc.name;
  const rules::ManagedRule* rule = rules::FindRule(fc.rule);
  ASSERT_NE(rule, nullptr) << fc.file << ": rule " << fc.rule << " is not registered";
  auto doc = json::Document::Parse(fc.json);
  ASSERT_TRUE(doc.ok());
  const json::Value c = doc->Root();

  std::vector<std::pair<std::string, std::string>> params;
  for (const auto m : c.Get("params").Members())
    params.emplace_back(std::string(m.key), m.value.AsText());
  const auto problems = rules::ValidateParams(rule->identifier, rule->parameters, params);
  const bool want_invalid = c.Get("want").String() == "INVALID_PARAMETERS";
  if (want_invalid) {
    EXPECT_FALSE(problems.empty()) << "parameters should have been rejected";
    return;
  }
  ASSERT_TRUE(problems.empty()) << problems.front();

  std::deque<json::Document> docs;
  model::ItemArena arena;
  FixtureEnv env;
  const std::string default_type =
      rule->resource_types.empty() ? "AWS::::Account" : std::string(rule->resource_types.front());
  std::string item_json;
  if (c.Get("item").IsObject()) {
    item_json = CompleteItem(c.Get("item"), default_type);
  } else {
    ASSERT_TRUE(rule->resource_types.empty()) << "case needs an `item`";
    item_json =
        R"({"resourceType":"AWS::::Account","resourceId":"123456789012","awsAccountId":"123456789012","awsRegion":"us-east-1","configurationItemCaptureTime":"2026-01-01T00:00:00Z"})";
  }
  auto item_doc = json::Document::Parse(item_json);
  ASSERT_TRUE(item_doc.ok()) << item_doc.status().message();
  auto item = model::ParseItem(item_doc->Root(), arena);
  ASSERT_TRUE(item.ok()) << item.status().message();

  for (const auto m : c.Get("facts").Members()) {
    auto fact = json::Document::Parse(m.value.ToJson());
    ASSERT_TRUE(fact.ok());
    env.facts.Put(m.key, item->account_id, item->region, std::move(fact).value());
  }
  env.now = *ParseTimestamp("2026-01-01T00:00:00Z");
  if (auto now = c.Get("now").String()) {
    auto t = ParseTimestamp(*now);
    ASSERT_TRUE(t.has_value()) << "bad `now`: " << *now;
    env.now = *t;
  }
  for (const json::Value t : c.Get("known_types").Elements())
    env.known_types.emplace(t.String().value_or(""));
  for (const json::Value other : c.Get("items").Elements()) {
    auto d = json::Document::Parse(CompleteItem(other, ""));
    ASSERT_TRUE(d.ok());
    docs.push_back(std::move(d).value());
    auto ci = model::ParseItem(docs.back().Root(), arena);
    ASSERT_TRUE(ci.ok()) << ci.status().message();
    env.items.push_back(*ci);
  }

  const rules::RuleContext ctx(*rule, params, env);
  const rules::Verdict v = rule->evaluate(ctx, *item);
  const std::string want(c.Get("want").String().value_or(""));
  const std::string got = v.kind == rules::Verdict::Kind::kMissingFact
                              ? "MISSING_FACT"
                              : std::string(rules::ComplianceName(v.compliance));
  EXPECT_EQ(got, want) << fc.file << " / " << fc.name << " — annotation: " << v.annotation;
  if (auto a = c.Get("annotation").String())
    EXPECT_NE(v.annotation.find(*a), std::string::npos) << "annotation was: " << v.annotation;
  EXPECT_LE(v.annotation.size(), 256u);
}

std::string CaseName(const testing::TestParamInfo<FixtureCase>& info) {
  std::string s = info.param.rule + "_" + std::to_string(info.index);
  for (char& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Managed, RuleFixture, testing::ValuesIn(LoadCases()), CaseName);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RuleFixture);

TEST(RuleConventions, EveryRuleIsInTheCatalogueWithItsParameters) {
  for (const rules::ManagedRule* r : rules::AllRules()) {
    const auto* entry = rules::FindCatalogueEntry(r->identifier);
    ASSERT_NE(entry, nullptr) << r->identifier << " is not an AWS managed-rule identifier";
    for (const auto& p : entry->parameters) {
      const rules::ParamSpec* mine = r->FindParam(p.name);
      ASSERT_NE(mine, nullptr) << r->identifier << " lacks AWS parameter " << p.name;
      EXPECT_EQ(mine->type, p.type) << r->identifier << "." << p.name;
    }
    EXPECT_EQ(r->parameters.size(), entry->parameters.size()) << r->identifier;
    EXPECT_NE(r->evaluate, nullptr);
  }
}

TEST(RuleConventions, EveryRuleHasAFixtureNamedAfterItWithEveryOutcome) {
  std::map<std::string, std::set<std::string>> outcomes;
  std::map<std::string, std::string> files;
  for (const auto& fc : LoadCases()) {
    auto doc = json::Document::Parse(fc.json);
    if (!doc.ok()) continue;
    outcomes[fc.rule].insert(std::string(doc->Root().Get("want").String().value_or("")));
    files[fc.rule] = fc.file;
  }
  std::set<std::string_view> seen;
  for (const rules::ManagedRule* r : rules::AllRules()) {
    EXPECT_TRUE(seen.insert(r->identifier).second) << "duplicate " << r->identifier;
    const std::string id(r->identifier);
    EXPECT_TRUE(files.count(id)) << id << " has no fixture file";
    if (!files.count(id)) continue;
    EXPECT_EQ(fs::path(files[id]).filename().string(), ToLower(id) + "_test.yaml");
    EXPECT_TRUE(outcomes[id].count("COMPLIANT")) << id << ": no COMPLIANT case";
    EXPECT_TRUE(outcomes[id].count("NON_COMPLIANT")) << id << ": no NON_COMPLIANT case";
    // Every other outcome the rule's code can give needs a case too.
    const std::string source = ReadAll(fs::path(files[id]).parent_path() / (ToLower(id) + ".cc"));
    EXPECT_FALSE(source.empty()) << id << ": no " << ToLower(id) << ".cc beside its fixture";
    if (source.find("Verdict::NotApplicable") != std::string::npos)
      EXPECT_TRUE(outcomes[id].count("NOT_APPLICABLE"))
          << id << " can return NOT_APPLICABLE but has no NOT_APPLICABLE case";
    if (source.find("MissingFact") != std::string::npos)
      EXPECT_TRUE(outcomes[id].count("MISSING_FACT"))
          << id << " can return MissingFact but has no MISSING_FACT case";
  }
}

// The rules of the CIS AWS Foundations v1.4 Level 1 and 2 and PCI DSS 3.2.1 conformance packs,
// as pack-rules.json lists them: each must be implemented (so it also meets the conventions
// above). AWS_CONFIG_PROCESS_CHECK is a manual control, handled by the engine.
TEST(RuleConventions, EveryCisAndPciRuleIsImplemented) {
  const fs::path list = fs::path(VIGIL_SOURCE_DIR) / ".." / "shared" / "aws-config" /
                        "managed-rules" / "pack-rules.json";
  if (!fs::exists(list)) GTEST_SKIP() << "no ../shared beside the checkout";
  auto doc = json::Document::Parse(ReadAll(list));
  ASSERT_TRUE(doc.ok());
  size_t required = 0;
  for (const json::Value r : doc->Root().Elements()) {
    bool in_scope = false;
    for (const json::Value p : r.Get("usedInPacks").Elements()) {
      const auto name = p.String().value_or("");
      in_scope |= name == "CIS14L1" || name == "CIS14L2" || name == "PCI321";
    }
    const std::string id(r.Get("identifier").String().value_or(""));
    if (!in_scope || id == "AWS_CONFIG_PROCESS_CHECK") continue;
    ++required;
    EXPECT_NE(rules::FindRule(id), nullptr)
        << id << " (CIS 1.4 / PCI DSS 3.2.1) is not implemented";
  }
  EXPECT_EQ(required, 132u);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// Every fact kind is described, collectable and documented: scripts/collect-facts runs what
// `vigil facts list --json` says, and docs/facts.md's table is generated from it
// (scripts/facts-doc).
TEST(RuleConventions, EveryFactIsCollectableAndDocumented) {
  const std::string doc = ReadAll(fs::path(VIGIL_SOURCE_DIR) / "docs" / "facts.md");
  std::set<std::string_view> names;
  for (const model::FactKind& k : model::FactKinds()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name << " is registered twice";
    EXPECT_TRUE(k.command.starts_with("aws ")) << k.name << ": command must be an aws CLI call";
    EXPECT_FALSE(k.description.empty()) << k.name << " has no description";
    EXPECT_NE(doc.find("`" + std::string(k.name) + "`"), std::string::npos)
        << k.name << " is not in docs/facts.md: run scripts/facts-doc";
    if (!k.keys_from.empty()) {
      EXPECT_NE(k.command.find("KEY"), std::string_view::npos) << k.name << ": keyed, no KEY";
      const std::string_view source = k.keys_from.substr(0, k.keys_from.find(':'));
      EXPECT_NE(model::FindFactKind(source), nullptr)
          << k.name << ": keys come from unknown fact " << source;
    }
  }
  for (const rules::ManagedRule* r : rules::AllRules())
    for (std::string_view f : r->facts)
      EXPECT_NE(model::FindFactKind(f), nullptr) << r->identifier << " reads unknown fact " << f;
}

}  // namespace
}  // namespace vigil
