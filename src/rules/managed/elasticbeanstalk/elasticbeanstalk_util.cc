#include "rules/managed/elasticbeanstalk/elasticbeanstalk_util.h"

#include "common/strings.h"

namespace vigil::rules::elasticbeanstalk {

json::Value OptionSettings(const model::ConfigurationItem& environment) {
  json::Value settings = environment.Config().Get("optionSettings");
  if (settings.Missing()) settings = environment.Config().Get("OptionSettings");
  return settings;
}

std::optional<std::string> Option(json::Value settings, std::string_view ns,
                                  std::string_view name) {
  if (settings.IsObject()) {
    const json::Value v = settings.Get(ns).Get(name);
    if (v.Missing()) return std::nullopt;
    json::Value value = v.Get("value");
    if (value.Missing()) value = v.Get("Value");
    if (value.Missing() && !v.IsObject()) value = v;
    return std::string(Trim(value.AsText()));
  }
  for (json::Value o : settings.Elements()) {
    auto field = [&](std::string_view camel, std::string_view pascal) {
      json::Value f = o.Get(camel);
      return f.Missing() ? o.Get(pascal) : f;
    };
    if (field("namespace", "Namespace").String() == ns &&
        field("optionName", "OptionName").String() == name)
      return std::string(Trim(field("value", "Value").AsText()));
  }
  return std::nullopt;
}

}  // namespace vigil::rules::elasticbeanstalk
