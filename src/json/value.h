// A read-only view over parsed JSON, and the documents that own it.
//
// Value is a cheap, copyable handle onto one node of a Document. It never throws and never
// fails: asking a missing key of a non-object, or an index past the end, gives a Missing value,
// so rule code can chain lookups (`item.Config().Get("a").Get("b").String()`) and test once.
// A Value is valid only while the Document that produced it is alive and unmoved-from.
//
// Nothing outside src/json touches the JSON library directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace simdjson::dom {
class element;
class document;
}  // namespace simdjson::dom

namespace vigil::json {

enum class Type { kMissing, kNull, kBool, kNumber, kString, kArray, kObject };

struct ArrayRange;
struct ObjectRange;

class Value {
 public:
  Value() = default;

  Type type() const;
  bool Missing() const { return !valid_; }
  bool IsNull() const { return type() == Type::kNull; }
  bool IsObject() const { return type() == Type::kObject; }
  bool IsArray() const { return type() == Type::kArray; }
  bool IsString() const { return type() == Type::kString; }
  bool IsBool() const { return type() == Type::kBool; }
  bool IsNumber() const { return type() == Type::kNumber; }
  // True for missing, null, "", [] and {}.
  bool Empty() const;

  // Object member; Missing if this is not an object or has no such key.
  Value Get(std::string_view key) const;
  // Array element; Missing if this is not an array or i is out of range.
  Value At(size_t i) const;
  // Number of array elements or object members; 0 otherwise.
  size_t Size() const;

  std::optional<std::string_view> String() const;
  std::optional<bool> Bool() const;
  std::optional<double> Number() const;
  // Integral numbers only (a double with a fractional part gives nullopt).
  std::optional<std::int64_t> Int() const;
  // String contents, or the number/bool spelled as JSON; "" for anything else.
  std::string AsText() const;

  // Minified JSON text of this node ("" if missing).
  std::string ToJson() const;

  // Iteration. Both ranges are empty unless the value has the right type.
  ArrayRange Elements() const;
  ObjectRange Members() const;

  // For src/json only.
  explicit Value(const simdjson::dom::element& e);
  simdjson::dom::element Element() const;

 private:
  // A simdjson::dom::element (a document pointer and a tape index), held opaquely so that
  // this header does not pull in simdjson.
  alignas(void*) std::byte storage_[16] = {};
  bool valid_ = false;
};

struct Member {
  std::string_view key;
  Value value;
};

class ArrayIter {
 public:
  Value operator*() const;
  ArrayIter& operator++();
  bool operator!=(const ArrayIter& o) const;

 private:
  friend struct ArrayRange;
  alignas(void*) std::byte storage_[16] = {};
};

class ObjectIter {
 public:
  Member operator*() const;
  ObjectIter& operator++();
  bool operator!=(const ObjectIter& o) const;

 private:
  friend struct ObjectRange;
  alignas(void*) std::byte storage_[16] = {};
};

struct ArrayRange {
  Value self;
  ArrayIter begin() const;
  ArrayIter end() const;
};

struct ObjectRange {
  Value self;
  ObjectIter begin() const;
  ObjectIter end() const;
};

inline ArrayRange Value::Elements() const { return {*this}; }
inline ObjectRange Value::Members() const { return {*this}; }

// Owns one parsed JSON text. Movable; Values into it stay valid across moves of the
// unique_ptr-held state (the Document itself may be moved freely).
class Document {
 public:
  Document();
  ~Document();
  Document(Document&&) noexcept;
  Document& operator=(Document&&) noexcept;

  // Parses `text`. On failure the message says what is wrong and where ("line 3, column 14").
  static Result<Document> Parse(std::string_view text);
  // Like Parse, without copying: at least kPadding readable bytes must follow `text`.
  static Result<Document> ParsePadded(std::string_view text);
  static constexpr size_t kPadding = 64;
  Value Root() const { return root_; }

 private:
  static Result<Document> ParseRaw(std::string_view text, const void* padded);
  struct State;
  std::unique_ptr<State> state_;
  Value root_;
};

// Describes where `text` stops being valid JSON: "line L, column C (byte B): <reason>".
std::string LocateSyntaxError(std::string_view text);

}  // namespace vigil::json
