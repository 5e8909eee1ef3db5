// YAML to JSON, for fixtures, rule files and conformance-pack templates written in YAML.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace vigil::json {

// Converts one YAML document to minified JSON. Plain scalars are typed as YAML 1.2's core schema
// does (true/false, null/~, integers, floats); quoted scalars stay strings. Tagged nodes
// (`!Ref x`) become `{"<tag without !>": value}`. Errors name line and column.
Result<std::string> YamlToJson(std::string_view yaml);

}  // namespace vigil::json
