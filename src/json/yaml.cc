#include "json/yaml.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "json/writer.h"

namespace vigil::json {
namespace {

bool LooksNumeric(const std::string& s, bool& is_int) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i >= s.size()) return false;
  bool digits = false, dot = false, exp = false;
  is_int = true;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot && !exp) {
      dot = true;
      is_int = false;
    } else if ((c == 'e' || c == 'E') && digits && !exp) {
      exp = true;
      is_int = false;
      if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
    } else {
      return false;
    }
  }
  return digits;
}

void Emit(const YAML::Node& n, Writer& w, int depth) {
  if (depth > 200) throw YAML::Exception(n.Mark(), "nesting too deep");
  const std::string& tag = n.Tag();
  const bool custom_tag = !tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org", 0) != 0;
  if (custom_tag) {
    w.BeginObject();
    w.Key(tag[0] == '!' ? std::string_view(tag).substr(1) : std::string_view(tag));
  }
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      w.Null();
      break;
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (tag == "!" || custom_tag) {  // quoted, or the argument of a short-form tag
        w.String(s);
        break;
      }
      bool is_int = false;
      if (s == "true" || s == "True" || s == "TRUE") {
        w.Bool(true);
      } else if (s == "false" || s == "False" || s == "FALSE") {
        w.Bool(false);
      } else if (s == "null" || s == "~" || s == "Null" || s == "NULL" || s.empty()) {
        w.Null();
      } else if (LooksNumeric(s, is_int) && s.size() < 19 &&
                 !(s.size() > 1 && s[0] == '0' && s[1] != '.')) {
        if (is_int) {
          w.Int(std::strtoll(s.c_str(), nullptr, 10));
        } else {
          w.Double(std::strtod(s.c_str(), nullptr));
        }
      } else {
        w.String(s);
      }
      break;
    }
    case YAML::NodeType::Sequence:
      w.BeginArray();
      for (const auto& e : n) Emit(e, w, depth + 1);
      w.EndArray();
      break;
    case YAML::NodeType::Map:
      w.BeginObject();
      for (const auto& kv : n) {
        w.Key(kv.first.Scalar());
        Emit(kv.second, w, depth + 1);
      }
      w.EndObject();
      break;
  }
  if (custom_tag) w.EndObject();
}

}  // namespace

Result<std::string> YamlToJson(std::string_view yaml) {
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    Writer w;
    Emit(root, w, 0);
    return w.Take();
  } catch (const YAML::Exception& e) {
    return Status::Error("line " + std::to_string(e.mark.line + 1) + ", column " +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace vigil::json
