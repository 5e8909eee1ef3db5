// The entry point of the fuzz_guard_eval libFuzzer target (fuzz/fuzz_guard_eval.cc), header-only
// like fuzz_parse.h so that regression inputs can run through exactly the code the fuzzer runs.
//
// The input is a rules file and a data document separated by the first NUL byte (no NUL: the
// bytes are the rules, evaluated over a small CloudFormation-like template). The data is loaded
// as cfn-guard would (JSON or YAML), the rules parsed, compiled and evaluated with and without
// the record tree, and the tree printed. Must never crash, leak or hang; statuses must not depend
// on recording, and the structured report (cfn-guard's `--structured -o json`) must be the same
// from the whole tree and from the tree of failures only (EvalOptions::failures_only). Returns a
// digest: bit 62 set when the rules do not parse, bit 61 when the data does not load, bit 60 on an
// evaluation error, else the file status and the tree's size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "guard/data.h"
#include "guard/eval.h"
#include "guard/parser.h"
#include "guard/report.h"

namespace vigil::guard {

inline std::uint64_t FuzzEval(const std::uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nul = in.find('\0');
  const std::string rules(in.substr(0, nul));
  const std::string doc_text =
      nul == std::string_view::npos
          ? std::string(R"({"Resources": {"b": {"Type": "AWS::S3::Bucket", "Properties": )"
                        R"({"BucketName": "x", "Tags": [{"Key": "k", "Value": 1}]}}}, "n": null})")
          : std::string(in.substr(nul + 1));
  const Source src("fuzz.guard", rules);
  auto file = Parse(src, nullptr);
  if (!file) return std::uint64_t{1} << 62;
  auto compiled = CompiledRules::Compile(*file, "fuzz.guard");
  if (!compiled.ok()) __builtin_trap();
  auto doc = DataDocument::Load("fuzz.json", doc_text);
  if (!doc.ok()) return (std::uint64_t{1} << 61) | doc.status().message().size();
  EvalOptions options;
  options.data_file_name = "fuzz.json";
  auto full = Evaluate(*compiled, doc->root(), options);
  options.record = false;
  auto quiet = Evaluate(*compiled, doc->root(), options);
  if (full.ok() != quiet.ok()) __builtin_trap();
  if (!full.ok()) return (std::uint64_t{1} << 60) | full.status().message().size();
  if (full->status() != quiet->status() || full->rules().size() != quiet->rules().size())
    __builtin_trap();
  for (size_t i = 0; i < full->rules().size(); ++i)
    if (full->rules()[i].status != quiet->rules()[i].status) __builtin_trap();
  options.record = true;
  options.failures_only = true;
  auto failures = Evaluate(*compiled, doc->root(), options);
  if (!failures.ok() || failures->status() != full->status()) __builtin_trap();
  if (report::ToJsonPretty(report::BuildFileReport(*full, "fuzz.json").TakeOut()) !=
      report::ToJsonPretty(report::BuildFileReport(*failures, "fuzz.json").TakeOut()))
    __builtin_trap();
  const std::string tree = full->RecordTreeJson();
  return static_cast<std::uint64_t>(full->status()) | (tree.size() << 8);
}

}  // namespace vigil::guard
