// The AST as cfn-guard 3.1.1 prints it with `cfn-guard parse-tree -p` (serde's JSON of its
// RulesFile), so that tests can compare vigil's tree with cfn-guard's node for node.
//
// Differences that are not differences: numbers are written as vigil's json::Writer writes
// them (a float with an integral value may come out as `1` where serde writes `1.0`), so compare
// numerically. Locations are cfn-guard's: line and UTF-8 column of each clause, rule reference
// and type block; byte column for function calls (cfn-guard uses nom_locate's get_column there).
#pragma once

#include <string>

#include "guard/ast.h"
#include "guard/source.h"

namespace vigil::guard {

// `source` must be the text `file` was parsed from (for function-call byte columns).
std::string DumpCfnGuardJson(const RulesFile& file, const Source& source);

// Rust's `Display` for f64 ("2", "1.5", "100000000000000000000", "0.0000001", "inf").
std::string RustDisplay(double v);

}  // namespace vigil::guard
