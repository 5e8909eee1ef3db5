// Data documents for the Guard evaluator: JSON and YAML files read as cfn-guard 3.1.1 reads them.
//
// cfn-guard reads every data file, JSON included, with its libyaml-based loader
// (guard/src/rules/libyaml/loader.rs) and only the first document of a stream. A plain scalar is
// an integer if it parses as an i64 (Rust's rules: optional sign, decimal digits), else a float
// if it parses as an f64 (which accepts `1e5`, `.5`, `inf`, `NaN`), else `true`/`false`, else null
// for `~`/`null` in any case, else a string — so `yes`, `True`, `0x1F` and `1_000` are strings
// and an empty value is the empty string. Quoted and block scalars are strings. Short-form
// CloudFormation tags become `Fn::` maps: `!Ref x` → {"Ref": "x"}, `!GetAtt a.b` →
// {"Fn::GetAtt": "a.b"} (the scalar is not split), `!If [c, a, b]` → {"Fn::If": [c, a, b]};
// `!!int`/`!!float`/`!!bool`/`!!null` retype a scalar; tags on mappings are ignored. Aliases,
// non-string keys and empty files are errors, with cfn-guard's messages.
//
// JSON text takes a fast path (simdjson's on-demand parser) that builds the same values with the
// same positions; anything it does not accept goes through the YAML reader.
//
// A DataDocument owns its text and nodes; it is movable (nodes do not move) and immutable after
// loading, so several threads may evaluate rules against it at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "guard/value.h"

namespace vigil::guard {

class DataDocument {
 public:
  DataDocument();
  ~DataDocument();
  DataDocument(DataDocument&&) noexcept;
  DataDocument& operator=(DataDocument&&) noexcept;

  // Loads `text` (the file's content) read from a file named `name`. The error message is the
  // text cfn-guard prints after "Error occurred " for the same file. The document keeps `text`;
  // give it a capacity of at least text.size() + 64 (simdjson's padding) or it is copied once.
  static Result<DataDocument> Load(std::string name, std::string text);
  static constexpr size_t kPadding = 64;  // simdjson::SIMDJSON_PADDING

  const Node& root() const { return *root_; }
  const std::string& name() const;
  const std::string& text() const;
  // Bytes of nodes and unescaped strings (not counting the text).
  size_t MemoryUsed() const;

  // cfn-guard's handling of -i/--input-params: `base` (the parameters, merged in order) merged
  // with `other`. Maps must have disjoint keys ("Key k, already exists in map"), lists are
  // concatenated, anything else is an error. The result refers to both documents, which must
  // outlive it.
  static Result<DataDocument> Merge(const DataDocument& base, const DataDocument& other);

 private:
  // Completes a loaded document whose tree is `root`.
  static DataDocument Finish(DataDocument& doc, Node* root);
  struct State;
  std::unique_ptr<State> state_;
  const Node* root_ = nullptr;
};

}  // namespace vigil::guard
