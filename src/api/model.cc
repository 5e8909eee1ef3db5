#include "api/model.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace vigil::api {

extern const char kConfigServiceModelJson[];

namespace {

std::optional<ShapeType> ParseShapeType(std::string_view t) {
  if (t == "structure") return ShapeType::kStructure;
  if (t == "list") return ShapeType::kList;
  if (t == "map") return ShapeType::kMap;
  if (t == "string") return ShapeType::kString;
  if (t == "integer") return ShapeType::kInteger;
  if (t == "long") return ShapeType::kLong;
  if (t == "boolean") return ShapeType::kBoolean;
  if (t == "timestamp") return ShapeType::kTimestamp;
  if (t == "double" || t == "float") return ShapeType::kDouble;
  if (t == "blob") return ShapeType::kBlob;
  return std::nullopt;
}

// AWS names members in validation messages as the request's field, first letter lower-cased
// ("ConfigRule" -> "configRule").
std::string FieldName(std::string_view member) {
  std::string s(member);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// How AWS quotes an offending value in a validation message: strings as they are, lists as
// Java prints them ("[a, b]"), anything else as JSON.
std::string Quote(json::Value v) {
  if (auto s = v.String()) return "'" + std::string(*s) + "'";
  if (v.IsArray()) {
    std::vector<std::string> parts;
    for (const json::Value e : v.Elements()) {
      auto s = e.String();
      parts.push_back(s ? std::string(*s) : e.ToJson());
    }
    return "'[" + Join(parts, ", ") + "]'";
  }
  return "'" + v.ToJson() + "'";
}

// The name Jackson gives a JSON token, which AWS's SerializationException messages use.
std::string TokenName(json::Value v) {
  switch (v.type()) {
    case json::Type::kString:
      return "STRING_VALUE";
    case json::Type::kNumber:
      return "NUMBER_VALUE";
    case json::Type::kBool:
      return "BOOLEAN_VALUE";
    default:
      return "VALUE";
  }
}

class Validator {
 public:
  explicit Validator(const ServiceModel& model) : model_(model) {}

  // Returns false on a serialization error (the message is then in serialization_).
  bool Check(int index, json::Value v, const std::string& path) {
    const Shape& s = model_.shape(index);
    switch (s.type) {
      case ShapeType::kStructure:
        if (!v.IsObject()) return WrongType(v, "Structure");
        for (const std::string& r : s.required) {
          const json::Value m = v.Get(r);
          if (m.Missing() || m.IsNull()) {
            failures_.push_back("Value null at '" + Path(path, FieldName(r)) +
                                "' failed to satisfy constraint: Member must not be null");
          }
        }
        for (const ShapeMember& m : s.members) {
          const json::Value mv = v.Get(m.name);
          if (mv.Missing() || mv.IsNull()) continue;
          if (!Check(m.shape, mv, Path(path, FieldName(m.name)))) return false;
        }
        return true;
      case ShapeType::kList: {
        if (!v.IsArray()) return WrongType(v, "List");
        CheckLength(s, v, v.Size(), path);
        size_t i = 0;
        for (const json::Value e : v.Elements()) {
          ++i;
          if (e.IsNull()) continue;
          if (!Check(s.member, e, Path(path, std::to_string(i) + ".member"))) return false;
        }
        return true;
      }
      case ShapeType::kMap:
        if (!v.IsObject()) return WrongType(v, "Map");
        CheckLength(s, v, v.Size(), path);
        for (const json::Member m : v.Members()) {
          if (m.value.IsNull()) continue;
          if (!Check(s.value, m.value, Path(path, std::string(m.key)))) return false;
        }
        return true;
      case ShapeType::kString: {
        const auto str = v.String();
        if (!str) return WrongType(v, "String");
        CheckLength(s, v, Utf8Length(*str), path);
        // AWS takes any type named in the CloudFormation registry where the model's
        // ResourceType enum lists AWS's own (third-party types recorded by PutResourceConfig).
        if (!s.enum_values.empty() && s.name != "ResourceType" &&
            std::find(s.enum_values.begin(), s.enum_values.end(), *str) == s.enum_values.end()) {
          Fail(v, path, "Member must satisfy enum value set: [" + Join(s.enum_values, ", ") + "]");
        }
        if (s.regex && !RE2::FullMatch(re2::StringPiece(str->data(), str->size()), *s.regex)) {
          Fail(v, path, "Member must satisfy regular expression pattern: " + s.pattern);
        }
        return true;
      }
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const auto n = v.Int();
        if (!n) return WrongType(v, s.type == ShapeType::kInteger ? "Integer" : "Long");
        if (s.type == ShapeType::kInteger && (*n > INT32_MAX || *n < INT32_MIN)) {
          serialization_ = "NUMBER_VALUE can not be converted to an Integer";
          return false;
        }
        if (s.min && *n < *s.min) {
          Fail(v, path,
               "Member must have value greater than or equal to " + std::to_string(*s.min));
        }
        if (s.max && *n > *s.max) {
          Fail(v, path, "Member must have value less than or equal to " + std::to_string(*s.max));
        }
        return true;
      }
      case ShapeType::kDouble:
        if (!v.IsNumber()) return WrongType(v, "Double");
        return true;
      case ShapeType::kBoolean:
        if (!v.IsBool()) return WrongType(v, "Boolean");
        return true;
      case ShapeType::kTimestamp:
        // botocore sends epoch seconds; AWS also accepts an ISO 8601 string.
        if (!v.IsNumber() && !v.IsString()) return WrongType(v, "Date");
        return true;
      case ShapeType::kBlob:
        if (!v.IsString()) return WrongType(v, "ByteBuffer");
        return true;
    }
    return true;
  }

  std::optional<aws::Error> Result() const {
    if (!serialization_.empty()) return aws::Error{"SerializationException", serialization_};
    if (failures_.empty()) return std::nullopt;
    const size_t n = failures_.size();
    return aws::Error{"ValidationException",
                      std::to_string(n) + (n == 1 ? " validation error" : " validation errors") +
                          " detected: " + Join(failures_, "; ")};
  }

 private:
  static std::string Path(const std::string& parent, const std::string& child) {
    return parent.empty() ? child : parent + "." + child;
  }

  // Jackson's wording, which AWS's SerializationException messages carry.
  bool WrongType(json::Value v, std::string_view expected) {
    if (v.IsObject()) {
      serialization_ = "Start of structure or map found where not expected.";
    } else if (v.IsArray()) {
      serialization_ = "Start of list found where not expected";
    } else {
      serialization_ = TokenName(v) + " can not be converted to " +
                       (expected == "Integer" ? "an " : "a ") + std::string(expected);
    }
    return false;
  }

  void CheckLength(const Shape& s, json::Value v, size_t len, const std::string& path) {
    if (s.min && static_cast<std::int64_t>(len) < *s.min) {
      Fail(v, path, "Member must have length greater than or equal to " + std::to_string(*s.min));
    }
    if (s.max && static_cast<std::int64_t>(len) > *s.max) {
      Fail(v, path, "Member must have length less than or equal to " + std::to_string(*s.max));
    }
  }

  void Fail(json::Value v, const std::string& path, const std::string& constraint) {
    failures_.push_back("Value " + Quote(v) + " at '" + path +
                        "' failed to satisfy constraint: " + constraint);
  }

  const ServiceModel& model_;
  std::vector<std::string> failures_;
  std::string serialization_;
};

}  // namespace

const ShapeMember* Shape::FindMember(std::string_view name) const {
  for (const ShapeMember& m : members) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

Result<ServiceModel> ServiceModel::Parse(std::string_view text) {
  auto doc = json::Document::Parse(text);
  if (!doc.ok()) return Status::Error("API model: " + doc.status().message());
  const json::Value root = doc->Root();
  ServiceModel m;
  m.target_prefix_ = root.Get("metadata").Get("targetPrefix").AsText();
  m.endpoint_prefix_ = root.Get("metadata").Get("endpointPrefix").AsText();
  std::map<std::string, int, std::less<>> index;
  for (const json::Member s : root.Get("shapes").Members()) {
    index.emplace(std::string(s.key), static_cast<int>(index.size()));
  }
  auto ref = [&](json::Value v) -> int {
    const auto name = v.Get("shape").String();
    if (!name) return -1;
    const auto it = index.find(*name);
    return it == index.end() ? -1 : it->second;
  };
  m.shapes_.resize(index.size());
  for (const json::Member s : root.Get("shapes").Members()) {
    Shape& shape = m.shapes_[static_cast<size_t>(index.at(std::string(s.key)))];
    shape.name = std::string(s.key);
    const auto type = ParseShapeType(s.value.Get("type").AsText());
    if (!type) {
      return Status::Error("API model: shape " + shape.name + " has unknown type '" +
                           s.value.Get("type").AsText() + "'");
    }
    shape.type = *type;
    for (const json::Member mem : s.value.Get("members").Members()) {
      shape.members.push_back({std::string(mem.key), ref(mem.value)});
      if (shape.members.back().shape < 0) {
        return Status::Error("API model: member " + shape.name + "." + std::string(mem.key) +
                             " names an unknown shape");
      }
    }
    for (const json::Value r : s.value.Get("required").Elements()) {
      shape.required.push_back(r.AsText());
    }
    shape.member = ref(s.value.Get("member"));
    shape.key = ref(s.value.Get("key"));
    shape.value = ref(s.value.Get("value"));
    if ((shape.type == ShapeType::kList && shape.member < 0) ||
        (shape.type == ShapeType::kMap && (shape.key < 0 || shape.value < 0))) {
      return Status::Error("API model: shape " + shape.name + " lacks its element shape");
    }
    if (auto v = s.value.Get("min").Int()) shape.min = *v;
    if (auto v = s.value.Get("max").Int()) shape.max = *v;
    for (const json::Value e : s.value.Get("enum").Elements()) {
      shape.enum_values.push_back(e.AsText());
    }
    shape.pattern = s.value.Get("pattern").AsText();
    if (!shape.pattern.empty()) {
      RE2::Options options;
      options.set_log_errors(false);
      auto re = std::make_shared<RE2>(shape.pattern, options);
      if (re->ok()) shape.regex = std::move(re);
    }
    shape.exception = s.value.Get("exception").Bool().value_or(false);
  }
  for (const json::Member o : root.Get("operations").Members()) {
    Operation op;
    op.name = std::string(o.key);
    op.input = ref(o.value.Get("input"));
    op.output = ref(o.value.Get("output"));
    for (const json::Value e : o.value.Get("errors").Elements()) {
      op.errors.push_back(e.Get("shape").AsText());
    }
    m.operations_.push_back(std::move(op));
  }
  std::sort(m.operations_.begin(), m.operations_.end(),
            [](const Operation& a, const Operation& b) { return a.name < b.name; });
  return m;
}

const ServiceModel& ServiceModel::Config() {
  static const ServiceModel* model = [] {
    auto parsed = Parse(kConfigServiceModelJson);
    if (!parsed.ok()) {
      std::fprintf(stderr, "vigil: embedded API model: %s\n", parsed.status().message().c_str());
      std::abort();
    }
    return new ServiceModel(std::move(*parsed));
  }();
  return *model;
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  const auto it =
      std::lower_bound(operations_.begin(), operations_.end(), name,
                       [](const Operation& op, std::string_view n) { return op.name < n; });
  return it != operations_.end() && it->name == name ? &*it : nullptr;
}

int ServiceModel::FindShape(std::string_view name) const {
  for (size_t i = 0; i < shapes_.size(); ++i) {
    if (shapes_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::optional<aws::Error> ValidateInput(const ServiceModel& model, int shape, json::Value input) {
  Validator v(model);
  v.Check(shape, input, "");
  return v.Result();
}

void WriteShape(const ServiceModel& model, int index, json::Value value, json::Writer& out) {
  const Shape& s = model.shape(index);
  switch (s.type) {
    case ShapeType::kStructure:
      out.BeginObject();
      for (const ShapeMember& m : s.members) {
        const json::Value mv = value.Get(m.name);
        if (mv.Missing() || mv.IsNull()) continue;
        out.Key(m.name);
        WriteShape(model, m.shape, mv, out);
      }
      out.EndObject();
      return;
    case ShapeType::kList:
      out.BeginArray();
      for (const json::Value e : value.Elements()) {
        if (!e.IsNull()) WriteShape(model, s.member, e, out);
      }
      out.EndArray();
      return;
    case ShapeType::kMap:
      out.BeginObject();
      for (const json::Member m : value.Members()) {
        if (m.value.IsNull()) continue;
        out.Key(m.key);
        WriteShape(model, s.value, m.value, out);
      }
      out.EndObject();
      return;
    default:
      out.Raw(value.ToJson());
  }
}

}  // namespace vigil::api
