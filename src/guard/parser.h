// The Guard parser: rules-file text to the AST of ast.h.
//
// A hand-written recursive-descent parser with backtracking that follows, production by
// production, the nom grammar of cfn-guard 3.1.1 (guard/src/rules/parser.rs), so that it accepts
// exactly the files cfn-guard accepts and builds the same tree. Where nom commits (`cut`), so does
// this parser; where nom backtracks, so does this one — including cfn-guard's surprises, e.g.
// keywords need no word boundary (`a.b existsX` is `a.b exists` then a clause `X`), a rule
// reference followed on the same line by `}` is an error, `not` must be followed by a space or
// tab (or be `!` with nothing after it), `[ 1]` is an error where `[1]` is an index.
//
// On a syntax error the diagnostic points at the farthest position any alternative reached and
// lists what would have been accepted there; hard errors (an unterminated string or message, a
// range whose bounds differ in type, a `{` without its `}`) carry their own message.
//
// The input must be valid UTF-8 (as cfn-guard requires); nesting is limited to kMaxDepth levels
// (cfn-guard has no limit and overflows its stack instead). Parsing is linear in practice: query
// parses are memoised, the one place where cfn-guard's alternatives re-read the same text.
// Thread-safe: no shared state.
#pragma once

#include <optional>

#include "common/status.h"
#include "guard/ast.h"
#include "guard/diagnostic.h"
#include "guard/source.h"

namespace vigil::guard {

inline constexpr int kMaxDepth = 200;

// Parses a rules file. On a syntax error returns nullopt and, when `error` is not null, fills it.
std::optional<RulesFile> Parse(const Source& source, Diagnostic* error);

// The same, with the error rendered by Format() as the Status message.
Result<RulesFile> Parse(const Source& source);

}  // namespace vigil::guard
