// Conformance packs: PutConformancePack, DescribeConformancePacks, DescribeConformancePackStatus,
// DescribeConformancePackCompliance, GetConformancePackComplianceDetails,
// GetConformancePackComplianceSummary, ListConformancePackComplianceScores,
// DeleteConformancePack.
//
// A pack's template (TemplateBody) is resolved by pack::LoadPack, exactly as `vigil evaluate
// --pack` resolves it, with ConformancePackInputParameters overriding the template's Parameters.
// Its AWS::Config::ConfigRule resources become real config rules (the "config-rule" documents
// PutConfigRule writes, through the same StoreConfigRule), named as AWS names them:
// `<ConfigRuleName>-conformance-pack-<8 characters>` (one suffix per pack, kept across updates),
// with `CreatedBy: config-conforms.amazonaws.com`; ${AWS::AccountId} and ${AWS::Region} are
// replaced by the tenant's account and region. Its AWS::Config::RemediationConfiguration
// resources are stored (kind "remediation-configuration", name = the pack rule's name) for the
// remediation work (#7); nothing executes them yet.
//
// AWS deploys a pack asynchronously through CloudFormation (CREATE_IN_PROGRESS, then
// CREATE_COMPLETE or CREATE_FAILED). vigil deploys it inside the request: a pack that is stored is
// CREATE_COMPLETE, and a template or rule that AWS would fail the deployment for is refused by
// PutConformancePack itself (ConformancePackTemplateValidationException), so there is never a
// CREATE_FAILED pack. Re-putting a pack updates it: rules added, changed (ARN and id kept) and
// removed (with their results), as a CloudFormation stack update does.
//
// Compliance comes from the rules' stored evaluation results (records.h), as AWS documents it: a
// rule is NON_COMPLIANT if any resource is, COMPLIANT if any is, else INSUFFICIENT_DATA; a pack
// is NON_COMPLIANT if any rule is, COMPLIANT if any rule is (rules without data beside compliant
// ones leave it COMPLIANT), INSUFFICIENT_DATA if no rule has a verdict. The compliance score is
// compliant / (compliant + non-compliant) rule-resource pairs x 100.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/evaluator.h"
#include "api/operation.h"
#include "api/records.h"
#include "json/writer.h"
#include "pack/pack.h"

namespace vigil::api {

namespace {

constexpr std::string_view kPack = "conformance-pack";
constexpr std::string_view kRule = "config-rule";
constexpr std::string_view kTags = "tags";
constexpr std::string_view kRemediation = "remediation-configuration";
constexpr std::string_view kCreatedBy = "config-conforms.amazonaws.com";
// AWS's service limits (developer guide, "Service Limits"): per account and region, and per pack.
constexpr std::int64_t kMaxPacks = 50;
constexpr size_t kMaxRulesPerPack = 130;

Outcome Invalid(std::string message) {
  return Outcome::Fail("InvalidParameterValueException", std::move(message));
}

// AWS's wording for a template its deployment refuses.
Outcome TemplateError(const std::string& errors) {
  return Outcome::Fail("ConformancePackTemplateValidationException",
                       "Invalid conformance pack template provided. Errors found: [" + errors +
                           "]. Fix your template and try again.");
}

Outcome NoSuchPack(std::string_view name) {
  return Outcome::Fail("NoSuchConformancePackException",
                       "Conformance pack " + std::string(name) + " does not exist.");
}

Outcome BadNextToken() {
  return Outcome::Fail("InvalidNextTokenException", "The nextToken provided is invalid");
}

std::optional<std::string> Position(json::Value token) {
  if (!token.IsString() || token.AsText().empty()) return std::string();
  return ReadNextToken(token.AsText());
}

size_t PageSize(json::Value limit, size_t fallback) {
  const std::int64_t n = limit.Int().value_or(0);
  return n <= 0 ? fallback : static_cast<size_t>(n);
}

void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = 0; (at = s.find(from, at)) != std::string::npos; at += to.size()) {
    s.replace(at, from.size(), to);
  }
}

// A stored pack: the API's ConformancePackDetail members plus vigil's own ("vigil*").
struct StoredPack {
  json::Document doc;
  json::Value Root() const { return doc.Root(); }
  std::string Name() const { return Root().Get("ConformancePackName").AsText(); }
  // The names of the pack's config rules, sorted.
  std::vector<std::string> Rules() const {
    std::vector<std::string> out = Strings(Root().Get("vigilRules"));
    std::sort(out.begin(), out.end());
    return out;
  }
};

std::optional<StoredPack> LoadPackDoc(Context& ctx, std::string_view name) {
  std::optional<std::string> body = ctx.store->Get(ctx.tenant, kPack, name);
  if (!body) return std::nullopt;
  auto doc = json::Document::Parse(*body);
  if (!doc.ok()) return std::nullopt;
  return StoredPack{std::move(*doc)};
}

// Removes a pack's rule with everything hanging off it.
void DeletePackRule(Context& ctx, const std::string& rule) {
  if (std::optional<std::string> body = ctx.store->Get(ctx.tenant, kRule, rule)) {
    if (auto doc = json::Document::Parse(*body); doc.ok()) {
      ctx.store->Delete(ctx.tenant, kTags, doc->Root().Get("ConfigRuleArn").AsText());
    }
  }
  ctx.store->Delete(ctx.tenant, kRule, rule);
  ctx.store->Delete(ctx.tenant, kRemediation, rule);
  ctx.store->Delete(ctx.tenant, kRuleStatusKind, rule);
  DeleteRuleEvaluations(*ctx.store, ctx.tenant, rule);
  RulesChanged(ctx);  // the engine drops the rule
}

// ---- compliance -------------------------------------------------------------------------------

struct RuleTally {
  std::int64_t compliant = 0, non_compliant = 0;
  EpochMillis last_recorded = 0;
  std::string_view Compliance() const {
    if (non_compliant > 0) return "NON_COMPLIANT";
    if (compliant > 0) return "COMPLIANT";
    return "INSUFFICIENT_DATA";
  }
};

RuleTally TallyRule(Context& ctx, std::string_view rule) {
  RuleTally t;
  for (const Document& d : ctx.store->ListPrefix(ctx.tenant, kEvaluationKind, Key({rule}, true))) {
    const std::optional<EvaluationRecord> r = EvaluationRecord::FromJson(d.body);
    if (!r) continue;
    if (r->compliance == "COMPLIANT") ++t.compliant;
    if (r->compliance == "NON_COMPLIANT") ++t.non_compliant;
    t.last_recorded = std::max(t.last_recorded, r->recorded_time);
  }
  return t;
}

struct PackTally {
  std::int64_t compliant_rules = 0, non_compliant_rules = 0;
  std::int64_t compliant_pairs = 0, non_compliant_pairs = 0;
  EpochMillis last_recorded = 0;
  std::string_view Compliance() const {
    if (non_compliant_rules > 0) return "NON_COMPLIANT";
    if (compliant_rules > 0) return "COMPLIANT";
    return "INSUFFICIENT_DATA";
  }
  // The score as a percentage with two decimals ("66.67", "100.00"); AWS documents the value as a
  // string without publishing its format, so this one is vigil's.
  std::optional<double> Score() const {
    const std::int64_t scored = compliant_pairs + non_compliant_pairs;
    if (scored == 0) return std::nullopt;
    return 100.0 * static_cast<double>(compliant_pairs) / static_cast<double>(scored);
  }
};

PackTally TallyPack(Context& ctx, const StoredPack& pack) {
  PackTally p;
  for (const std::string& rule : pack.Rules()) {
    const RuleTally t = TallyRule(ctx, rule);
    if (t.Compliance() == "COMPLIANT") ++p.compliant_rules;
    if (t.Compliance() == "NON_COMPLIANT") ++p.non_compliant_rules;
    p.compliant_pairs += t.compliant;
    p.non_compliant_pairs += t.non_compliant;
    p.last_recorded = std::max(p.last_recorded, t.last_recorded);
  }
  return p;
}

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", score);
  return buf;
}

// ---- PutConformancePack -----------------------------------------------------------------------

// Reads the template's text into `text`, or returns the error for a source vigil cannot read.
std::optional<Outcome> TemplateText(json::Value input, std::string& text) {
  const bool body = !input.Get("TemplateBody").Missing();
  const bool s3 = !input.Get("TemplateS3Uri").Missing();
  const bool ssm = !input.Get("TemplateSSMDocumentDetails").Missing();
  if (int(body) + int(s3) + int(ssm) != 1) {
    return Invalid(
        "You must specify exactly one of the following parameters: TemplateS3Uri, TemplateBody "
        "or TemplateSSMDocumentDetails.");
  }
  if (ssm) {
    return Invalid(
        "vigil serve does not support TemplateSSMDocumentDetails (it has no Systems Manager): "
        "pass the template as TemplateBody.");
  }
  if (s3) {
    // vigil has no S3; AWS answers a template it cannot fetch as an invalid template.
    return TemplateError("The template at " + input.Get("TemplateS3Uri").AsText() +
                         " could not be read: vigil serve has no S3; pass the template as "
                         "TemplateBody");
  }
  text = input.Get("TemplateBody").AsText();
  return std::nullopt;
}

struct Identity {
  std::string arn, id, suffix, stack_arn;
  EpochMillis created = 0;
};

Outcome PutConformancePack(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConformancePackName").AsText();
  std::string text;
  if (auto err = TemplateText(input, text)) return *err;

  pack::LoadOptions options;
  options.name = name;
  std::vector<std::string> unknown;
  for (const json::Value p : input.Get("ConformancePackInputParameters").Elements()) {
    options.overrides[p.Get("ParameterName").AsText()] = p.Get("ParameterValue").AsText();
  }
  Result<pack::Pack> loaded = pack::LoadPack("TemplateBody", text, options);
  if (!loaded.ok()) {
    // The resolver's advice is for `vigil evaluate`; say it in this API's terms.
    std::string message(loaded.status().message());
    ReplaceAll(message, "pass --pack-param ", "pass in ConformancePackInputParameters: ");
    return TemplateError(message);
  }
  const pack::Pack& p = *loaded;
  // CloudFormation refuses parameters a template does not declare, with this wording.
  for (const auto& kv : options.overrides) {
    if (std::find(p.parameters.begin(), p.parameters.end(), kv.first) == p.parameters.end()) {
      unknown.push_back(kv.first);
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return TemplateError("Parameters: [" + list + "] do not exist in the template");
  }
  if (p.rules.empty()) {
    return TemplateError("The template must contain at least one AWS::Config::ConfigRule resource");
  }
  if (p.rules.size() > kMaxRulesPerPack) {
    return TemplateError("Number of resources provided in the template exceeds the allowed limit");
  }

  // The pack's identity: kept on update, made on creation.
  std::optional<StoredPack> existing = LoadPackDoc(ctx, name);
  Identity id;
  if (existing) {
    const json::Value r = existing->Root();
    id = {r.Get("ConformancePackArn").AsText(), r.Get("ConformancePackId").AsText(),
          r.Get("vigilSuffix").AsText(), r.Get("vigilStackArn").AsText(),
          r.Get("vigilCreatedMillis").Int().value_or(ctx.now)};
  } else {
    if (ctx.store->Count(ctx.tenant, kPack) >= kMaxPacks) {
      return Outcome::Fail("MaxNumberOfConformancePacksExceededException",
                           "You have reached the limit (" + std::to_string(kMaxPacks) +
                               ") for the number of conformance packs in the account.");
    }
    const std::string region = ctx.tenant.region, account = ctx.tenant.account_id;
    const std::string partition = Partition(region);
    id.id = "conformance-pack-" + RandomId(9);
    id.arn = "arn:" + partition + ":config:" + region + ":" + account + ":conformance-pack/" +
             name + "/" + id.id;
    id.suffix = RandomId(8);
    id.stack_arn = "arn:" + partition + ":cloudformation:" + region + ":" + account +
                   ":stack/awsconfigconforms-" + name + "-" + RandomId(8) + "/" + RandomId(8) +
                   "-" + RandomId(4) + "-" + RandomId(4) + "-" + RandomId(4) + "-" + RandomId(12);
    id.created = ctx.now;
  }

  // The rules, under AWS's names.
  std::map<std::string, std::string> names;  // template ConfigRuleName -> stored name
  std::vector<std::string> rule_names;
  for (const pack::PackRule& pr : p.rules) {
    model::ConfigRule rule = pr.rule;
    const std::string stored = rule.name + "-conformance-pack-" + id.suffix;
    const std::string where = pr.logical_id + " (TemplateBody:" + std::to_string(pr.line) + ")";
    if (names.count(rule.name) > 0) {
      return TemplateError(where + ": the ConfigRuleName " + rule.name + " is used twice");
    }
    if (stored.size() > 128) {
      return TemplateError(where + ": the ConfigRuleName " + rule.name +
                           " is too long for a conformance pack rule (at most 102 characters)");
    }
    names[rule.name] = stored;
    rule_names.push_back(stored);
    rule.name = stored;
    rule.arn.clear();
    rule.id.clear();
    std::string json = rule.ToJson();
    ReplaceAll(json, "${AWS::AccountId}", ctx.tenant.account_id);
    ReplaceAll(json, "${AWS::Region}", ctx.tenant.region);
    auto doc = json::Document::Parse(json);
    if (!doc.ok()) return TemplateError(where + ": " + std::string(doc.status().message()));
    Outcome out = StoreConfigRule(ctx, doc->Root(), json::Value(), kCreatedBy);
    if (out.error) {
      if (out.error->code == "InvalidParameterValueException" ||
          out.error->code == "ValidationException") {
        return TemplateError(where + ": " + out.error->message);
      }
      return out;
    }
  }

  // Rules the new template no longer has go, with their results (a stack update deletes them).
  if (existing) {
    for (const std::string& old : existing->Rules()) {
      if (std::find(rule_names.begin(), rule_names.end(), old) == rule_names.end()) {
        DeletePackRule(ctx, old);
      }
    }
    for (const std::string& old : Strings(existing->Root().Get("vigilRemediations"))) {
      ctx.store->Delete(ctx.tenant, kRemediation, old);
    }
  }

  // Remediation configurations: stored for #7, under the pack rule's name.
  std::vector<std::string> remediations;
  for (const pack::PackRemediation& r : p.remediations) {
    const auto target = names.find(r.config_rule_name);
    const std::string where = r.logical_id + " (TemplateBody:" + std::to_string(r.line) + ")";
    if (target == names.end()) {
      return TemplateError(where + ": ConfigRuleName " + r.config_rule_name +
                           " is not a ConfigRule of this template");
    }
    std::string json = r.json;
    ReplaceAll(json, "${AWS::AccountId}", ctx.tenant.account_id);
    ReplaceAll(json, "${AWS::Region}", ctx.tenant.region);
    auto doc = json::Document::Parse(json);
    if (!doc.ok() || !doc->Root().IsObject()) {
      return TemplateError(where + ": the remediation's Properties are not an object");
    }
    json::Writer w;
    w.BeginObject().Field("ConfigRuleName", target->second);
    for (const json::Member m : doc->Root().Members()) {
      if (m.key == "ConfigRuleName" || m.key == "CreatedByService" || m.key == "Arn") continue;
      w.Key(m.key).Raw(m.value.ToJson());
    }
    w.Field("Arn", "arn:" + Partition(ctx.tenant.region) + ":config:" + ctx.tenant.region + ":" +
                       ctx.tenant.account_id + ":remediation-configuration/" + target->second +
                       "/" + RandomId(8) + "-" + RandomId(4) + "-" + RandomId(4) + "-" +
                       RandomId(4) + "-" + RandomId(12))
        .Field("CreatedByService", kCreatedBy)
        .EndObject();
    ctx.store->Put(ctx.tenant, kRemediation, target->second, w.str());
    remediations.push_back(target->second);
  }

  json::Writer w;
  w.BeginObject()
      .Field("ConformancePackName", name)
      .Field("ConformancePackArn", id.arn)
      .Field("ConformancePackId", id.id);
  if (input.Get("DeliveryS3Bucket").IsString()) {
    w.Field("DeliveryS3Bucket", input.Get("DeliveryS3Bucket").AsText());
  }
  if (input.Get("DeliveryS3KeyPrefix").IsString()) {
    w.Field("DeliveryS3KeyPrefix", input.Get("DeliveryS3KeyPrefix").AsText());
  }
  w.Key("ConformancePackInputParameters").BeginArray();
  for (const json::Value v : input.Get("ConformancePackInputParameters").Elements()) {
    w.BeginObject()
        .Field("ParameterName", v.Get("ParameterName").AsText())
        .Field("ParameterValue", v.Get("ParameterValue").AsText())
        .EndObject();
  }
  w.EndArray();
  w.Key("LastUpdateRequestedTime").Double(EpochSeconds(ctx.now));
  w.Key("LastUpdateCompletedTime").Double(EpochSeconds(ctx.now));
  w.Field("vigilSuffix", id.suffix).Field("vigilStackArn", id.stack_arn);
  w.Field("vigilCreatedMillis", static_cast<std::int64_t>(id.created));
  w.Key("vigilRules").BeginArray();
  for (const std::string& r : rule_names) w.String(r);
  w.EndArray();
  w.Key("vigilRemediations").BeginArray();
  for (const std::string& r : remediations) w.String(r);
  w.EndArray();
  w.EndObject();
  ctx.store->Put(ctx.tenant, kPack, name, w.str());

  // Tags are taken at creation only ("Tags are added at creation and cannot be updated with this
  // operation").
  if (!existing && input.Get("Tags").Size() > 0) {
    json::Writer tags;
    WriteShape(*ctx.model, ctx.model->FindShape("TagsList"), input.Get("Tags"), tags);
    ctx.store->Put(ctx.tenant, kTags, id.arn, tags.str());
  }
  json::Writer out;
  out.BeginObject().Field("ConformancePackArn", id.arn).EndObject();
  return Outcome::Ok(out.Take());
}

// ---- Describe ---------------------------------------------------------------------------------

// The packs a Describe call lists: those named (sorted, unknown ones reported through
// `missing`), or all, after `after`, at most `page` + 1 (to know whether there are more).
std::vector<Document> SelectPacks(Context& ctx, const std::vector<std::string>& names,
                                  const std::string& after, size_t page,
                                  std::optional<std::string>* missing) {
  std::vector<Document> out;
  if (names.empty()) return ctx.store->List(ctx.tenant, kPack, after, page + 1);
  std::set<std::string> sorted(names.begin(), names.end());
  for (const std::string& n : sorted) {
    std::optional<std::string> body = ctx.store->Get(ctx.tenant, kPack, n);
    if (!body) {
      if (missing != nullptr && !*missing) *missing = n;
      continue;
    }
    if (n > after && out.size() <= page) out.push_back({n, std::move(*body)});
  }
  return out;
}

Outcome DescribeConformancePacks(Context& ctx, json::Value input) {
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  const size_t page = PageSize(input.Get("Limit"), 20);
  std::optional<std::string> missing;
  std::vector<Document> docs =
      SelectPacks(ctx, Strings(input.Get("ConformancePackNames")), *after, page, &missing);
  if (missing) return NoSuchPack(*missing);
  json::Writer w;
  w.BeginObject().Key("ConformancePackDetails").BeginArray();
  for (size_t i = 0; i < docs.size() && i < page; ++i) {
    auto doc = json::Document::Parse(docs[i].body);
    if (!doc.ok()) continue;
    const json::Value r = doc->Root();
    w.BeginObject()
        .Field("ConformancePackName", r.Get("ConformancePackName").AsText())
        .Field("ConformancePackArn", r.Get("ConformancePackArn").AsText())
        .Field("ConformancePackId", r.Get("ConformancePackId").AsText());
    for (const char* k : {"DeliveryS3Bucket", "DeliveryS3KeyPrefix"}) {
      if (r.Get(k).IsString()) w.Field(k, r.Get(k).AsText());
    }
    w.Key("ConformancePackInputParameters").Raw(r.Get("ConformancePackInputParameters").ToJson());
    w.Key("LastUpdateRequestedTime").Raw(r.Get("LastUpdateRequestedTime").ToJson());
    w.EndObject();
  }
  w.EndArray();
  if (docs.size() > page) w.Field("NextToken", MakeNextToken(docs[page - 1].name));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// Unknown names are left out (the operation models no NoSuchConformancePackException).
Outcome DescribeConformancePackStatus(Context& ctx, json::Value input) {
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  const size_t page = PageSize(input.Get("Limit"), 20);
  std::vector<Document> docs =
      SelectPacks(ctx, Strings(input.Get("ConformancePackNames")), *after, page, nullptr);
  json::Writer w;
  w.BeginObject().Key("ConformancePackStatusDetails").BeginArray();
  for (size_t i = 0; i < docs.size() && i < page; ++i) {
    auto doc = json::Document::Parse(docs[i].body);
    if (!doc.ok()) continue;
    const json::Value r = doc->Root();
    w.BeginObject()
        .Field("ConformancePackName", r.Get("ConformancePackName").AsText())
        .Field("ConformancePackId", r.Get("ConformancePackId").AsText())
        .Field("ConformancePackArn", r.Get("ConformancePackArn").AsText())
        .Field("ConformancePackState", "CREATE_COMPLETE")
        .Field("StackArn", r.Get("vigilStackArn").AsText());
    w.Key("LastUpdateRequestedTime").Raw(r.Get("LastUpdateRequestedTime").ToJson());
    w.Key("LastUpdateCompletedTime").Raw(r.Get("LastUpdateCompletedTime").ToJson());
    w.EndObject();
  }
  w.EndArray();
  if (docs.size() > page) w.Field("NextToken", MakeNextToken(docs[page - 1].name));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// ---- compliance queries -----------------------------------------------------------------------

// The pack's rules a filter names (all if none); an unknown one is AWS's
// NoSuchConfigRuleInConformancePackException.
std::optional<Outcome> FilterRules(const StoredPack& pack, json::Value names,
                                   std::vector<std::string>& out) {
  out = pack.Rules();
  const std::vector<std::string> wanted = Strings(names);
  if (wanted.empty()) return std::nullopt;
  for (const std::string& n : wanted) {
    if (!std::binary_search(out.begin(), out.end(), n)) {
      return Outcome::Fail(
          "NoSuchConfigRuleInConformancePackException",
          "The ConfigRule '" + n + "' is not in the conformance pack " + pack.Name() + ".");
    }
  }
  std::set<std::string> set(wanted.begin(), wanted.end());
  out.assign(set.begin(), set.end());
  return std::nullopt;
}

Outcome DescribeConformancePackCompliance(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConformancePackName").AsText();
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  const std::optional<StoredPack> pack = LoadPackDoc(ctx, name);
  if (!pack) return NoSuchPack(name);
  std::vector<std::string> rules;
  if (auto err = FilterRules(*pack, input.Get("Filters").Get("ConfigRuleNames"), rules)) {
    return *err;
  }
  const std::string type = input.Get("Filters").Get("ComplianceType").AsText();
  const size_t page = PageSize(input.Get("Limit"), 1000);
  json::Writer w;
  w.BeginObject()
      .Field("ConformancePackName", name)
      .Key("ConformancePackRuleComplianceList")
      .BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const std::string& rule : rules) {
    if (rule <= *after) continue;
    const std::string_view c = TallyRule(ctx, rule).Compliance();
    if (!type.empty() && c != type) continue;
    if (n == page) {
      more = true;
      break;
    }
    w.BeginObject()
        .Field("ConfigRuleName", rule)
        .Field("ComplianceType", c)
        .Key("Controls")
        .BeginArray()
        .EndArray()
        .EndObject();
    last = rule;
    ++n;
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// Results in (rule, resource type, resource id) order. NOT_APPLICABLE results are not a
// conformance-pack compliance type, so they are left out, as AWS's enum implies.
Outcome GetConformancePackComplianceDetails(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConformancePackName").AsText();
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  const std::optional<StoredPack> pack = LoadPackDoc(ctx, name);
  if (!pack) return NoSuchPack(name);
  const json::Value filters = input.Get("Filters");
  std::vector<std::string> rules;
  if (auto err = FilterRules(*pack, filters.Get("ConfigRuleNames"), rules)) return *err;
  const std::string type = filters.Get("ComplianceType").AsText();
  const std::string resource_type = filters.Get("ResourceType").AsText();
  const std::vector<std::string> ids = Strings(filters.Get("ResourceIds"));
  if (!ids.empty() && resource_type.empty()) {
    return Invalid("ResourceIds can be specified only together with ResourceType.");
  }
  const size_t page = PageSize(input.Get("Limit"), 100);
  json::Writer w;
  w.BeginObject()
      .Field("ConformancePackName", name)
      .Key("ConformancePackRuleEvaluationResults")
      .BeginArray();
  size_t n = 0;
  std::string last;
  bool more = false;
  for (const std::string& rule : rules) {
    if (more) break;
    const std::string prefix =
        resource_type.empty() ? Key({rule}, true) : Key({rule, resource_type}, true);
    std::string start;
    if (!after->empty()) {
      if (after->rfind(prefix, 0) == 0) {
        start = *after;
      } else if (*after > prefix) {
        continue;  // this rule's results were on earlier pages
      }
    }
    for (const Document& d : ctx.store->ListPrefix(ctx.tenant, kEvaluationKind, prefix, start)) {
      const std::optional<EvaluationRecord> r = EvaluationRecord::FromJson(d.body);
      if (!r || r->compliance == "NOT_APPLICABLE") continue;
      if (!type.empty() && r->compliance != type) continue;
      if (!ids.empty() && std::find(ids.begin(), ids.end(), r->resource_id) == ids.end()) continue;
      if (n == page) {
        more = true;
        break;
      }
      w.BeginObject().Field("ComplianceType", r->compliance);
      w.Key("EvaluationResultIdentifier").BeginObject();
      w.Key("EvaluationResultQualifier")
          .BeginObject()
          .Field("ConfigRuleName", r->rule_name)
          .Field("ResourceType", r->resource_type)
          .Field("ResourceId", r->resource_id)
          .Field("EvaluationMode", r->evaluation_mode)
          .EndObject();
      w.Key("OrderingTimestamp").Double(EpochSeconds(r->ordering_time)).EndObject();
      w.Key("ConfigRuleInvokedTime").Double(EpochSeconds(r->invoked_time));
      w.Key("ResultRecordedTime").Double(EpochSeconds(r->recorded_time));
      if (!r->annotation.empty()) w.Field("Annotation", r->annotation);
      w.EndObject();
      last = d.name;
      ++n;
    }
  }
  w.EndArray();
  if (more) w.Field("NextToken", MakeNextToken(last));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

Outcome GetConformancePackComplianceSummary(Context& ctx, json::Value input) {
  const auto after = Position(input.Get("NextToken"));
  if (!after) return BadNextToken();
  const size_t page = PageSize(input.Get("Limit"), 20);
  std::optional<std::string> missing;
  std::vector<Document> docs =
      SelectPacks(ctx, Strings(input.Get("ConformancePackNames")), *after, page, &missing);
  if (missing) return NoSuchPack(*missing);
  json::Writer w;
  w.BeginObject().Key("ConformancePackComplianceSummaryList").BeginArray();
  for (size_t i = 0; i < docs.size() && i < page; ++i) {
    auto doc = json::Document::Parse(docs[i].body);
    if (!doc.ok()) continue;
    const StoredPack pack{std::move(*doc)};
    w.BeginObject()
        .Field("ConformancePackName", pack.Name())
        .Field("ConformancePackComplianceStatus", TallyPack(ctx, pack).Compliance())
        .EndObject();
  }
  w.EndArray();
  if (docs.size() > page) w.Field("NextToken", MakeNextToken(docs[page - 1].name));
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// By name (ascending unless SortOrder DESCENDING), or with SortBy SCORE by score, packs without a
// score (INSUFFICIENT_DATA) last in ascending and first in descending order, as AWS documents.
// Unknown names in the filter are left out. Pages hold `Limit` (default 20) packs; the token
// carries the offset into the sorted list.
Outcome ListConformancePackComplianceScores(Context& ctx, json::Value input) {
  const auto position = Position(input.Get("NextToken"));
  if (!position) return BadNextToken();
  size_t offset = 0;
  if (!position->empty()) {
    if (position->rfind("scores:", 0) != 0) return BadNextToken();
    offset = static_cast<size_t>(std::strtoull(position->c_str() + 7, nullptr, 10));
  }
  const size_t page = PageSize(input.Get("Limit"), 20);
  const bool descending = input.Get("SortOrder").AsText() == "DESCENDING";
  const bool by_score = input.Get("SortBy").AsText() == "SCORE";
  struct Entry {
    std::string name;
    std::optional<double> score;
    EpochMillis updated = 0;
  };
  std::vector<Entry> entries;
  const std::vector<Document> docs = SelectPacks(
      ctx, Strings(input.Get("Filters").Get("ConformancePackNames")), {}, SIZE_MAX - 1, nullptr);
  for (const Document& d : docs) {
    auto doc = json::Document::Parse(d.body);
    if (!doc.ok()) continue;
    const StoredPack pack{std::move(*doc)};
    const PackTally t = TallyPack(ctx, pack);
    const EpochMillis updated = std::max<EpochMillis>(
        t.last_recorded, TimestampMillis(pack.Root().Get("LastUpdateCompletedTime")).value_or(0));
    entries.push_back({pack.Name(), t.Score(), updated});
  }
  std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
    if (by_score) {
      if (a.score.has_value() != b.score.has_value()) {
        return descending ? !a.score.has_value() : a.score.has_value();
      }
      if (a.score && *a.score != *b.score) {
        return descending ? *a.score > *b.score : *a.score < *b.score;
      }
      return a.name < b.name;
    }
    return descending ? a.name > b.name : a.name < b.name;
  });
  json::Writer w;
  w.BeginObject().Key("ConformancePackComplianceScores").BeginArray();
  for (size_t i = offset; i < entries.size() && i < offset + page; ++i) {
    const Entry& e = entries[i];
    w.BeginObject()
        .Field("Score", e.score ? FormatScore(*e.score) : std::string("INSUFFICIENT_DATA"))
        .Field("ConformancePackName", e.name)
        .Key("LastUpdatedTime")
        .Double(EpochSeconds(e.updated))
        .EndObject();
  }
  w.EndArray();
  if (offset + page < entries.size()) {
    w.Field("NextToken", MakeNextToken("scores:" + std::to_string(offset + page)));
  }
  w.EndObject();
  return Outcome::Ok(w.Take());
}

// ---- DeleteConformancePack --------------------------------------------------------------------

// Removes the pack, its rules, their results and remediation configurations, and the tags, at
// once (AWS shows DELETE_IN_PROGRESS for a while).
Outcome DeleteConformancePack(Context& ctx, json::Value input) {
  const std::string name = input.Get("ConformancePackName").AsText();
  const std::optional<StoredPack> pack = LoadPackDoc(ctx, name);
  if (!pack) return NoSuchPack(name);
  for (const std::string& rule : pack->Rules()) DeletePackRule(ctx, rule);
  for (const std::string& r : Strings(pack->Root().Get("vigilRemediations"))) {
    ctx.store->Delete(ctx.tenant, kRemediation, r);
  }
  ctx.store->Delete(ctx.tenant, kTags, pack->Root().Get("ConformancePackArn").AsText());
  ctx.store->Delete(ctx.tenant, kPack, name);
  return Outcome::Ok("{}");
}

}  // namespace

void RegisterConformancePackOperations(Registry& r) {
  r.Add("PutConformancePack", &PutConformancePack);
  r.Add("DescribeConformancePacks", &DescribeConformancePacks);
  r.Add("DescribeConformancePackStatus", &DescribeConformancePackStatus);
  r.Add("DescribeConformancePackCompliance", &DescribeConformancePackCompliance);
  r.Add("GetConformancePackComplianceDetails", &GetConformancePackComplianceDetails);
  r.Add("GetConformancePackComplianceSummary", &GetConformancePackComplianceSummary);
  r.Add("ListConformancePackComplianceScores", &ListConformancePackComplianceScores);
  r.Add("DeleteConformancePack", &DeleteConformancePack);
}

}  // namespace vigil::api
