#include <random>

#include "api/operation.h"
#include "aws/sigv4.h"
#include "common/strings.h"

namespace vigil::api {

const Registry& Registry::Default() {
  static const Registry* registry = [] {
    auto* r = new Registry;
    RegisterRecorderOperations(*r);
    RegisterDeliveryChannelOperations(*r);
    RegisterConfigRuleOperations(*r);
    RegisterEvaluationOperations(*r);
    RegisterResourceOperations(*r);
    RegisterDeliveryOperations(*r);
    RegisterRuleEvaluationOperations(*r);
    RegisterConformancePackOperations(*r);
    RegisterTagOperations(*r);
    RegisterRetentionOperations(*r);
    return r;
  }();
  return *registry;
}

std::string Partition(std::string_view region) {
  if (StartsWith(region, "cn-")) return "aws-cn";
  if (StartsWith(region, "us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string RandomId(size_t n) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<size_t> pick(0, sizeof kAlphabet - 2);
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(kAlphabet[pick(rng)]);
  return out;
}

double EpochSeconds(EpochMillis t) { return static_cast<double>(t) / 1000.0; }

std::string MakeNextToken(std::string_view position) {
  return "vigil1-" + aws::HexEncode(position);
}

std::optional<std::string> ReadNextToken(std::string_view token) {
  if (!StartsWith(token, "vigil1-") || token.size() % 2 != 1) return std::nullopt;
  token.remove_prefix(7);
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i + 1 < token.size(); i += 2) {
    const int hi = nibble(token[i]), lo = nibble(token[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::vector<std::string> Strings(json::Value list) {
  std::vector<std::string> out;
  for (const json::Value v : list.Elements()) {
    if (auto s = v.String()) out.emplace_back(*s);
  }
  return out;
}

Outcome NoSuchConfigRule(std::string_view name) {
  return Outcome::Fail("NoSuchConfigRuleException",
                       "The ConfigRule '" + std::string(name) +
                           "' provided in the request is invalid. Please check the configRule "
                           "name");
}

}  // namespace vigil::api
