// The AWS Config API model (botocore's service-2.json for config 2014-11-12), loaded from the copy
// compiled into vigil (data/api/config-service-2.json), and what vigil does with it: validating
// requests as AWS does (types, required members, enums, lengths, list sizes, ranges, patterns)
// and writing stored objects back in the shape an operation's output declares.
//
// The model is immutable once loaded; ServiceModel::Config() is safe to call from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/sigv4.h"
#include "common/status.h"
#include "json/value.h"
#include "json/writer.h"

namespace re2 {
class RE2;
}

namespace vigil::api {

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kDouble,
  kBlob,
};

struct ShapeMember {
  std::string name;
  int shape = -1;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  std::vector<ShapeMember> members;  // structures, in the model's order
  std::vector<std::string> required;
  int member = -1;  // lists
  int key = -1;     // maps
  int value = -1;
  std::optional<std::int64_t> min, max;
  std::vector<std::string> enum_values;
  std::string pattern;
  std::shared_ptr<const re2::RE2> regex;  // null when there is no pattern (or RE2 rejects it)
  bool exception = false;

  const ShapeMember* FindMember(std::string_view name) const;
};

struct Operation {
  std::string name;
  int input = -1;   // -1: the operation takes no input
  int output = -1;  // -1: the operation returns `{}`
  std::vector<std::string> errors;
};

class ServiceModel {
 public:
  // Parses a botocore service-2.json.
  static Result<ServiceModel> Parse(std::string_view json);
  // The AWS Config model compiled into vigil. Aborts if the embedded copy does not parse.
  static const ServiceModel& Config();

  const std::string& target_prefix() const { return target_prefix_; }       // StarlingDoveService
  const std::string& endpoint_prefix() const { return endpoint_prefix_; }   // config
  const std::vector<Operation>& operations() const { return operations_; }  // sorted by name
  const Operation* FindOperation(std::string_view name) const;
  const Shape& shape(int index) const { return shapes_[static_cast<size_t>(index)]; }
  int FindShape(std::string_view name) const;  // -1 if absent

 private:
  std::string target_prefix_, endpoint_prefix_;
  std::vector<Shape> shapes_;
  std::vector<Operation> operations_;
};

// Checks `input` (the parsed request body) against shape `shape` as AWS's JSON protocol does.
// JSON of the wrong type gives SerializationException; constraint failures give one
// ValidationException that lists every failure in AWS's words ("2 validation errors detected:
// Value null at 'configRule.source' failed to satisfy constraint: Member must not be null; ...").
// JSON null counts as absent; members the model does not know are ignored.
std::optional<aws::Error> ValidateInput(const ServiceModel& model, int shape, json::Value input);

// Writes `value` as shape `shape`: only members the model declares, nulls dropped, numbers and
// booleans kept as they are. Used to echo user-supplied structures (a rule's Scope, a recorder's
// recordingGroup) back in the output shape.
void WriteShape(const ServiceModel& model, int shape, json::Value value, json::Writer& out);

}  // namespace vigil::api
