// Elastic Beanstalk helpers for the managed rules: reading environment option settings as AWS
// Config records them in AWS::ElasticBeanstalk::Environment CIs,
//
//     "optionSettings": {"<namespace>": {"<option>": {"value": "..."}}}
//
// and as the Elastic Beanstalk API lists them ([{"Namespace", "OptionName", "Value"}]).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "json/value.h"
#include "model/configuration_item.h"

namespace vigil::rules::elasticbeanstalk {

// configuration.optionSettings (or OptionSettings); Missing when the CI has neither.
json::Value OptionSettings(const model::ConfigurationItem& environment);

// The value of option `name` of namespace `ns`, trimmed; nullopt when it is not set.
std::optional<std::string> Option(json::Value settings, std::string_view ns, std::string_view name);

}  // namespace vigil::rules::elasticbeanstalk
