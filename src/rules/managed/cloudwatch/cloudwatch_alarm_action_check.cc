// CLOUDWATCH_ALARM_ACTION_CHECK (cloudwatch-alarm-action-check): a CloudWatch alarm must have an
// action for each state the parameters require: ALARM (alarmActionRequired, default true),
// INSUFFICIENT_DATA (insufficientDataActionRequired, default true) and OK (okActionRequired,
// default false). Optionally (action1..action5) one of its actions must be one of the given ARNs.
// AWS: NON_COMPLIANT if there is no action for the alarm, or no action matching the optional
// parameters.
//
// Data: the AWS::CloudWatch::Alarm CI's configuration.alarmActions, insufficientDataActions and
// okactions (AWS Config's spelling; okActions is accepted too), each a list of ARNs.
//
// Choices where AWS's page is silent:
// - The three *Required parameters are strings: only "true" (any case, spaces trimmed) requires
//   the state's action; any other value does not.
// - When none of the three states is required, the alarm still needs at least one action of any
//   state (AWS: NON_COMPLIANT "if no action exists for the alarm").
// - With action1..action5, at least one action of a required state (of any state when none is
//   required) must equal one of the given ARNs exactly; it need not be so for every state.
// - actionsEnabled is not considered: the rule checks which actions are configured.
#include <string>
#include <vector>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

struct State {
  std::string_view name;       // for annotations
  std::string_view param;      // the *Required parameter
  std::string_view field;      // AWS Config's spelling
  std::string_view alt_field;  // another spelling seen in CIs
};

constexpr State kStates[] = {
    {"ALARM", "alarmActionRequired", "alarmActions", "AlarmActions"},
    {"INSUFFICIENT_DATA", "insufficientDataActionRequired", "insufficientDataActions",
     "InsufficientDataActions"},
    {"OK", "okActionRequired", "okactions", "okActions"},
};

std::vector<std::string_view> Actions(const json::Value& config, const State& s) {
  json::Value list = config.Get(s.field);
  if (list.Missing()) list = config.Get(s.alt_field);
  if (list.Missing() && s.name == "OK") list = config.Get("OKActions");
  std::vector<std::string_view> out;
  for (json::Value a : list.Elements())
    if (auto arn = a.String(); arn && !Trim(*arn).empty()) out.push_back(Trim(*arn));
  return out;
}

bool Required(const RuleContext& ctx, const State& s) {
  return ToLower(Trim(ctx.Param(s.param).value_or(""))) == "true";
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& alarm) {
  const json::Value config = alarm.Config();
  std::vector<std::string_view> wanted;
  for (std::string_view p : {"action1", "action2", "action3", "action4", "action5"})
    if (auto v = ctx.Param(p); v && !Trim(*v).empty()) wanted.push_back(Trim(*v));

  std::string missing;
  std::vector<std::string_view> considered;  // actions of the states that count
  bool any_required = false;
  for (const State& s : kStates) {
    const auto actions = Actions(config, s);
    if (!Required(ctx, s)) continue;
    any_required = true;
    if (actions.empty()) missing += (missing.empty() ? "" : ", ") + std::string(s.name);
    considered.insert(considered.end(), actions.begin(), actions.end());
  }
  if (!missing.empty()) return Verdict::NonCompliant("no action for state " + missing);
  if (!any_required) {
    for (const State& s : kStates) {
      const auto actions = Actions(config, s);
      considered.insert(considered.end(), actions.begin(), actions.end());
    }
    if (considered.empty()) return Verdict::NonCompliant("the alarm has no action");
  }
  if (wanted.empty()) return Verdict::Compliant();
  for (std::string_view a : considered)
    for (std::string_view w : wanted)
      if (a == w) return Verdict::Compliant("action " + std::string(a) + " is configured");
  return Verdict::NonCompliant(TruncateUtf8("no action of the alarm is one of action1..action5 (" +
                                                std::to_string(considered.size()) +
                                                " action(s) configured)",
                                            256));
}

const ManagedRule kRule{{
    .identifier = "CLOUDWATCH_ALARM_ACTION_CHECK",
    .resource_types = {"AWS::CloudWatch::Alarm"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "okActionRequired",
                    .type = ParamType::kString,
                    .default_value = "false",
                    .optional = false},
                   {.name = "insufficientDataActionRequired",
                    .type = ParamType::kString,
                    .default_value = "true",
                    .optional = false},
                   {.name = "alarmActionRequired",
                    .type = ParamType::kString,
                    .default_value = "true",
                    .optional = false},
                   {.name = "action1", .type = ParamType::kString, .optional = true},
                   {.name = "action2", .type = ParamType::kString, .optional = true},
                   {.name = "action3", .type = ParamType::kString, .optional = true},
                   {.name = "action4", .type = ParamType::kString, .optional = true},
                   {.name = "action5", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
