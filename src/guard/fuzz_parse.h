// The entry point of the fuzz_guard_parse libFuzzer target (fuzz/fuzz_guard_parse.cc), kept
// header-only here so that GuardFuzzRegressions (fuzz_regressions_test.cc) runs the saved inputs
// through exactly the code the fuzzer runs.
//
// It parses arbitrary bytes as a rules file and, on success, dumps the tree as cfn-guard's JSON
// (which must be valid JSON) and parses the same bytes again (which must give the same dump); on
// failure it formats the diagnostic. Must never crash, leak or hang. Returns a digest of what it
// saw: the dump's or the diagnostic's size, and bit 62 set on a syntax error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "guard/ast_json.h"
#include "guard/diagnostic.h"
#include "guard/parser.h"
#include "json/value.h"

namespace vigil::guard {

inline std::uint64_t FuzzParse(const std::uint8_t* data, size_t size) {
  const Source src("fuzz.guard", std::string(reinterpret_cast<const char*>(data), size));
  Diagnostic d;
  auto file = Parse(src, &d);
  if (!file) {
    const std::string text = Format(src, d);
    if (d.line == 0 || d.column == 0 || d.offset > size) __builtin_trap();
    return (std::uint64_t{1} << 62) | text.size() | (std::uint64_t{d.offset} << 24);
  }
  const std::string dump = DumpCfnGuardJson(*file, src);
  if (!json::Document::Parse(dump).ok()) __builtin_trap();  // the dump must be JSON
  auto again = Parse(src, nullptr);
  if (!again || DumpCfnGuardJson(*again, src) != dump) __builtin_trap();
  return dump.size() + (file->rules.size() << 32);
}

}  // namespace vigil::guard
