// Whether a Guard regex literal compiles, as cfn-guard's parser checks with fancy-regex 0.13.
//
// fancy-regex accepts the syntax of Rust's regex crate plus look-around (`(?=`, `(?!`, `(?<=`,
// `(?<!`), atomic groups `(?>…)` and back-references (`\1`, `\k<name>`) to groups opened
// earlier. The check runs RE2's parser (whose syntax Rust's regex shares) over the pattern with
// those fancy constructs rewritten to plain groups. Known gaps: patterns RE2 and Rust's regex
// judge differently (`a{` is literal for RE2 and an error for Rust; `(?x)` verbose mode and
// `\<`/`\>` are Rust-only) may be judged as RE2 does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::guard {

// nullopt when `pattern` compiles; otherwise why not.
std::optional<std::string> CheckRegexSyntax(std::string_view pattern);

}  // namespace vigil::guard
