#include "engine/guard_policy.h"

#include <utility>
#include <vector>

#include "common/strings.h"
#include "guard/data.h"
#include "guard/eval.h"
#include "guard/parser.h"
#include "json/writer.h"

namespace vigil::engine {

struct GuardPolicy::State {
  std::unique_ptr<guard::Source> source;
  guard::RulesFile file;
  guard::CompiledRules compiled;
};

GuardPolicy::GuardPolicy() : state_(std::make_unique<State>()) {}
GuardPolicy::~GuardPolicy() = default;

Result<std::shared_ptr<const GuardPolicy>> GuardPolicy::Compile(std::string_view rule_name,
                                                                std::string policy_text) {
  std::shared_ptr<GuardPolicy> p(new GuardPolicy());
  p->state_->source = std::make_unique<guard::Source>(
      "rule '" + std::string(rule_name) + "' PolicyText", std::move(policy_text));
  auto file = guard::Parse(*p->state_->source);
  if (!file.ok()) return file.status();
  p->state_->file = std::move(file).value();
  // cfn-guard names the default rule after the rules file; AWS's file is the policy.
  auto compiled = guard::CompiledRules::Compile(p->state_->file, "policy");
  if (!compiled.ok())
    return Status::Error("rule '" + std::string(rule_name) +
                         "' PolicyText: " + compiled.status().message());
  p->state_->compiled = std::move(compiled).value();
  return std::shared_ptr<const GuardPolicy>(std::move(p));
}

namespace {

// The item as AWS Config hands it to the policy: the recorded JSON, with the configuration and
// supplementary configuration as objects.
std::string ItemJson(const model::ConfigurationItem& ci) {
  json::Writer w;
  w.BeginObject();
  bool wrote_config = false, wrote_supplementary = false;
  auto supplementary = [&] {
    w.Key("supplementaryConfiguration").BeginObject();
    for (const auto& [name, value] : ci.supplementary) w.Key(name).Raw(value.ToJson());
    w.EndObject();
    wrote_supplementary = true;
  };
  for (const auto& [key, value] : ci.raw.Members()) {
    if (key == "configuration") {
      if (!ci.configuration.Missing()) w.Key(key).Raw(ci.configuration.ToJson());
      wrote_config = true;
    } else if (key == "supplementaryConfiguration") {
      supplementary();
    } else {
      w.Key(key).Raw(value.ToJson());
    }
  }
  if (!wrote_config && !ci.configuration.Missing())
    w.Key("configuration").Raw(ci.configuration.ToJson());
  if (!wrote_supplementary && !ci.supplementary.empty()) supplementary();
  w.EndObject();
  return w.Take();
}

// A custom message on one line: runs of whitespace (newlines, indentation) become one space.
std::string OneLine(std::string_view message) {
  std::string out;
  bool space = false;
  for (char c : Trim(message)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

rules::Verdict GuardPolicy::Evaluate(const model::ConfigurationItem& ci) const {
  auto data = guard::DataDocument::Load(
      std::string(ci.resource_type) + " " + std::string(ci.resource_id), ItemJson(ci));
  if (!data.ok())
    return rules::Verdict::MissingFact(
        "rule-error", "the item cannot be read by Guard: " + data.status().message());
  guard::EvalOptions options;
  options.data_file_name = data->name();
  options.record = false;  // statuses only; the records are made again for a failure's message
  auto ev = guard::Evaluate(state_->compiled, data->root(), options);
  if (!ev.ok())
    return rules::Verdict::MissingFact("rule-error",
                                       "the Guard policy stopped: " + ev.status().message());
  switch (ev->status()) {
    case guard::EvalStatus::kPass:
      return rules::Verdict::Compliant();
    case guard::EvalStatus::kSkip:
      return rules::Verdict::NotApplicable();
    case guard::EvalStatus::kFail:
      break;
  }
  options.record = true;
  auto detailed = guard::Evaluate(state_->compiled, data->root(), options);
  if (detailed.ok()) {
    for (const guard::Record& r : detailed->records()) {
      if (r.status == guard::EvalStatus::kFail && r.custom_message != nullptr &&
          !Trim(*r.custom_message).empty())
        return rules::Verdict::NonCompliant(TruncateUtf8(OneLine(*r.custom_message), 256));
    }
  }
  std::string failed;
  for (const guard::RuleStatus& r : ev->rules()) {
    if (r.status != guard::EvalStatus::kFail) continue;
    failed += failed.empty() ? "Guard rule(s) failed: " : ", ";
    failed += r.name;
  }
  return rules::Verdict::NonCompliant(TruncateUtf8(failed, 256));
}

}  // namespace vigil::engine
