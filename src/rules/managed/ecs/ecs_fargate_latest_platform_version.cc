// ECS_FARGATE_LATEST_PLATFORM_VERSION (ecs-fargate-latest-platform-version): ECS services on
// Fargate must run the latest platform version. AWS: NON_COMPLIANT if PlatformVersion for the
// Fargate launch type is not set to LATEST, or if neither latestLinuxVersion nor
// latestWindowsVersion are provided as parameters; the parameters give the latest version
// (SemVer) for services whose PlatformVersion was pinned explicitly.
//
// Data: configuration.LaunchType, CapacityProviderStrategy, PlatformVersion, DeploymentController
// and TaskDefinition of the AWS::ECS::Service CI. Whether a pinned service runs Linux or Windows
// comes from its task definition's RuntimePlatform.OperatingSystemFamily, read from the recorded
// AWS::ECS::TaskDefinition items.
//
// Choices where AWS's page is silent:
// - A service is on Fargate when its LaunchType is FARGATE or its capacity provider strategy
//   uses FARGATE or FARGATE_SPOT; other services are NOT_APPLICABLE.
// - A service without PlatformVersion, deployed by ECS (the default controller), runs LATEST,
//   which is ECS's default, and is COMPLIANT. With the CODE_DEPLOY or EXTERNAL controller the
//   version lives on the task sets, which AWS Config does not record: no verdict (missing data).
// - A pinned version is compared with the parameter for the service's OS family, as text after
//   trimming ("1.4.0" matches only "1.4.0"). A task definition without RuntimePlatform is Linux,
//   ECS's default. When the task definition is not recorded the OS family is unknown: the
//   verdict is still given when it does not depend on it (the version matches no given
//   parameter, or matches both), otherwise there is no verdict.
#include <string>

#include "common/strings.h"
#include "rules/managed/ecs/ecs_util.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

bool OnFargate(json::Value config) {
  if (ToLower(PascalOrCamel(config, "LaunchType").String().value_or("")) == "fargate") return true;
  for (json::Value s : PascalOrCamel(config, "CapacityProviderStrategy").Elements()) {
    const std::string p = ToLower(PascalOrCamel(s, "CapacityProvider").String().value_or(""));
    if (p == "fargate" || p == "fargate_spot") return true;
  }
  return false;
}

enum class Os { kUnknown, kLinux, kWindows };

// The OS family of the service's task definition, when that task definition is recorded.
Os ServiceOs(const RuleContext& ctx, const model::ConfigurationItem& service) {
  const std::string_view wanted =
      Trim(PascalOrCamel(service.Config(), "TaskDefinition").String().value_or(""));
  if (wanted.empty()) return Os::kUnknown;
  const std::optional<ecs::Revision> wanted_rev = [&]() -> std::optional<ecs::Revision> {
    model::ConfigurationItem probe;
    probe.resource_name = wanted;
    return ecs::RevisionOf(probe);
  }();
  bool known = false;
  for (const model::ConfigurationItem* td :
       ctx.env().Items(ecs::kTaskDefinitionType, service.account_id, service.region, &known)) {
    const std::string_view arn =
        PascalOrCamel(td->Config(), "TaskDefinitionArn").String().value_or(td->arn);
    bool same = arn == wanted || td->arn == wanted;
    if (!same && wanted_rev) {
      const std::optional<ecs::Revision> r = ecs::RevisionOf(*td);
      same = r && r->family == wanted_rev->family && r->number == wanted_rev->number;
    }
    if (!same) continue;
    const std::string family = ToLower(
        PascalOrCamel(PascalOrCamel(td->Config(), "RuntimePlatform"), "OperatingSystemFamily")
            .String()
            .value_or(""));
    return family.find("windows") != std::string::npos ? Os::kWindows : Os::kLinux;
  }
  return Os::kUnknown;
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& service) {
  const json::Value config = service.Config();
  if (!OnFargate(config)) return Verdict::NotApplicable("the service does not run on Fargate");
  const std::string_view version =
      Trim(PascalOrCamel(config, "PlatformVersion").String().value_or(""));
  if (version.empty()) {
    const std::string_view controller =
        Trim(PascalOrCamel(PascalOrCamel(config, "DeploymentController"), "Type")
                 .String()
                 .value_or("ECS"));
    if (ToLower(controller) == "ecs" || controller.empty()) return Verdict::Compliant();
    return Verdict::MissingFact(
        "AWS::ECS::Service",
        "the service uses the " + std::string(controller) +
            " deployment controller; its platform version is set on task sets, which AWS "
            "Config does not record");
  }
  if (ToLower(version) == "latest") return Verdict::Compliant();

  const std::string_view linux_v = Trim(ctx.Param("latestLinuxVersion").value_or(""));
  const std::string_view windows_v = Trim(ctx.Param("latestWindowsVersion").value_or(""));
  const std::string pinned = "platform version is pinned to " + std::string(version);
  if (linux_v.empty() && windows_v.empty())
    return Verdict::NonCompliant(TruncateUtf8(
        pinned + ", not LATEST, and neither latestLinuxVersion nor latestWindowsVersion is given",
        256));

  const bool linux_ok = !linux_v.empty() && version == linux_v;
  const bool windows_ok = !windows_v.empty() && version == windows_v;
  switch (ServiceOs(ctx, service)) {
    case Os::kLinux:
      if (linux_ok) return Verdict::Compliant();
      return Verdict::NonCompliant(TruncateUtf8(
          pinned + (linux_v.empty() ? ", not LATEST, and no latestLinuxVersion is given"
                                    : ", not the latest Linux version " + std::string(linux_v)),
          256));
    case Os::kWindows:
      if (windows_ok) return Verdict::Compliant();
      return Verdict::NonCompliant(TruncateUtf8(
          pinned + (windows_v.empty()
                        ? ", not LATEST, and no latestWindowsVersion is given"
                        : ", not the latest Windows version " + std::string(windows_v)),
          256));
    case Os::kUnknown:
      break;
  }
  if (!linux_ok && !windows_ok)
    return Verdict::NonCompliant(
        TruncateUtf8(pinned + ", which is not the latest version given", 256));
  if (linux_ok && windows_ok) return Verdict::Compliant();
  return Verdict::MissingFact(
      std::string(ecs::kTaskDefinitionType),
      TruncateUtf8(pinned +
                       "; whether that is the latest depends on the OS family of task "
                       "definition " +
                       std::string(PascalOrCamel(config, "TaskDefinition").String().value_or("")) +
                       ", which is not recorded",
                   256));
}

const ManagedRule kRule{{
    .identifier = "ECS_FARGATE_LATEST_PLATFORM_VERSION",
    .resource_types = {"AWS::ECS::Service"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {{.name = "latestLinuxVersion", .type = ParamType::kString, .optional = true},
                   {.name = "latestWindowsVersion", .type = ParamType::kString, .optional = true}},
    .evaluate = &Evaluate,
    .context_types = {"AWS::ECS::TaskDefinition"},
}};

}  // namespace
}  // namespace vigil::rules
