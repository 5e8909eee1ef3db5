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

// `pattern` (RE2 syntax) with every counted repetition above RE2's limit of 1000 rewritten as
// nested repetitions that match the same counts: `a{2500}` → `(?:(?:a){1000}){2}(?:a){500}`,
// `a{0,2500}` → `(?:(?:a){0,1000}){2}(?:a){0,500}`, `a{1500,}` →
// `(?:(?:a){1000}){1}(?:a){500}(?:a)*`. Whether the text matches is unchanged (which substring a
// greedy match picks may differ).
std::string ExpandLargeRepeats(std::string_view pattern);

}  // namespace vigil::guard
