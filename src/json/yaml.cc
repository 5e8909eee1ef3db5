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

// True if `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF),
// as JSON requires: yaml-cpp passes invalid bytes through, and the JSON written from them would
// not parse.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return false;
    }
    i += n + 1;
  }
  return true;
}

const std::string& Checked(const std::string& s, const YAML::Mark& mark) {
  if (!ValidUtf8(s)) throw YAML::Exception(mark, "invalid UTF-8 (save the file as UTF-8)");
  return s;
}

// `budget` counts the nodes still allowed: aliases share nodes, so a small document can expand
// exponentially (`a: &a [x,x,x]`, `b: &b [*a,*a,*a]`, ...) into billions of nodes.
void Emit(const YAML::Node& n, Writer& w, int depth, size_t& budget) {
  if (depth > 200) throw YAML::Exception(n.Mark(), "nesting too deep");
  if (budget == 0)
    throw YAML::Exception(n.Mark(), "document too large once its aliases are expanded");
  --budget;
  const std::string& tag = Checked(n.Tag(), n.Mark());
  const bool custom_tag =
      !tag.empty() && tag != "?" && tag != "!" && tag.rfind("tag:yaml.org", 0) != 0;
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
      const std::string& s = Checked(n.Scalar(), n.Mark());
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
      for (const auto& e : n) Emit(e, w, depth + 1, budget);
      w.EndArray();
      break;
    case YAML::NodeType::Map:
      w.BeginObject();
      for (const auto& kv : n) {
        w.Key(Checked(kv.first.Scalar(), kv.first.Mark()));
        Emit(kv.second, w, depth + 1, budget);
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
    // A document without aliases has fewer nodes than bytes; with them, allow a generous margin.
    size_t budget = 1'000'000 + 16 * yaml.size();
    Emit(root, w, 0, budget);
    return w.Take();
  } catch (const YAML::Exception& e) {
    return Status::Error("line " + std::to_string(e.mark.line + 1) + ", column " +
                         std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace vigil::json
