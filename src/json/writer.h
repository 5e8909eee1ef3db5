// A streaming JSON writer for vigil's outputs. It appends to a std::string and keeps commas
// right; callers are trusted to balance Begin/End calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::json {

class Writer {
 public:
  // `indent` > 0 pretty-prints with that many spaces per level, as `aws` does with 4.
  explicit Writer(int indent = 0) : indent_(indent) {}

  Writer& BeginObject();
  Writer& EndObject();
  Writer& BeginArray();
  Writer& EndArray();
  Writer& Key(std::string_view k);
  Writer& String(std::string_view s);
  Writer& Int(std::int64_t v);
  Writer& Double(double v);
  Writer& Bool(bool v);
  Writer& Null();
  // Inserts already-serialised JSON as one value.
  Writer& Raw(std::string_view json);

  // Shorthands for Key(k).X(v).
  Writer& Field(std::string_view k, std::string_view v) { return Key(k).String(v); }
  Writer& Field(std::string_view k, const char* v) { return Key(k).String(v); }
  Writer& Field(std::string_view k, std::int64_t v) { return Key(k).Int(v); }
  Writer& Field(std::string_view k, int v) { return Key(k).Int(v); }
  Writer& Field(std::string_view k, bool v) { return Key(k).Bool(v); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void Newline();
  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
  int indent_;
};

// Appends `s` to `out` as a JSON string literal, quotes included.
void AppendQuoted(std::string& out, std::string_view s);

}  // namespace vigil::json
