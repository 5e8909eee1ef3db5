// The built-in functions of Guard as cfn-guard 3.1.1 has them (guard/src/rules/functions/ and
// eval_context.rs try_handle_function_call): count, json_parse, regex_replace, substring,
// to_lower, to_upper, join, url_decode, parse_int, parse_float, parse_string, parse_boolean,
// parse_char. (`now` and `parse_epoch` came in later releases: 3.1.1 rejects them as unknown.)
//
// A function takes, per argument, the query results that argument resolved to, and returns
// values (cfn-guard drops the inputs a function cannot convert, e.g. to_upper of a number, and
// fails the whole evaluation on others, e.g. parse_int("x")). Results keep the path of the value
// they came from. Declarations live in one table (functions.cc), one entry per function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "guard/eval.h"
#include "guard/value.h"

namespace vigil::guard {

// cfn-guard's validate_number_of_params: OK, or the error it reports for an unknown function or
// a wrong number of arguments.
Status CheckFunctionCall(std::string_view name, size_t arguments);

// Calls `name` (already checked) on `args`. Values it makes are allocated in `arena`.
Status CallFunction(std::string_view name, const std::vector<std::vector<QueryResult>>& args,
                    Arena& arena, std::vector<const Node*>& out);

}  // namespace vigil::guard
