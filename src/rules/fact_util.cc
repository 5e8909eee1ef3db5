#include "rules/fact_util.h"

#include <cctype>
#include <string>
#include <vector>

#include "common/strings.h"
#include "model/facts.h"

namespace vigil::rules {

std::optional<ErrorAnswer> ErrorAnswerOf(json::Value answer) {
  const json::Value error = answer.Get("Error");
  if (error.Missing()) return std::nullopt;
  return ErrorAnswer{.code = error.Get("Code").String().value_or(""),
                     .message = error.Get("Message").String().value_or("")};
}

std::optional<FactAnswer> ReadFactAnswer(json::Value answer, std::string_view fact,
                                         std::string_view absent, Verdict* missing) {
  if (!answer.IsObject()) {
    *missing = Verdict::MissingFact(std::string(fact), TruncateUtf8(absent, 256));
    return std::nullopt;
  }
  FactAnswer out{.value = answer, .error = ErrorAnswerOf(answer)};
  if (out.error) {
    const model::FactKind* kind = model::FindFactKind(fact);
    bool is_answer = false;
    for (std::string_view code : Split(kind != nullptr ? kind->answer_errors : "", ','))
      is_answer = is_answer || (!Trim(code).empty() && Trim(code) == out.error->code);
    if (!is_answer) {
      *missing = FailedAnswer(fact, out.error->code);
      return std::nullopt;
    }
  }
  return out;
}

Verdict FailedAnswer(std::string_view fact, std::string_view code) {
  // "aws securityhub describe-hub --region REGION" -> "describe-hub".
  const model::FactKind* kind = model::FindFactKind(fact);
  const std::vector<std::string_view> words = Split(kind != nullptr ? kind->command : "", ' ');
  const std::string call(words.size() > 2 ? words[2] : fact);
  return Verdict::MissingFact(std::string(fact),
                              TruncateUtf8(call + " failed with '" + std::string(code) + "'", 256));
}

json::Value PascalOrCamel(json::Value obj, std::string_view pascal) {
  json::Value v = obj.Get(pascal);
  if (!v.Missing() || pascal.empty()) return v;
  std::string camel(pascal);
  camel[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(camel[0])));
  return obj.Get(camel);
}

}  // namespace vigil::rules
