#include "rules/managed/macie/macie_util.h"

#include <string>

#include "common/strings.h"

namespace vigil::rules::macie {

std::optional<FactAnswer> ReadMacieFact(json::Value answer, std::string_view fact,
                                        std::string_view absent, Verdict* missing) {
  std::optional<FactAnswer> read = ReadFactAnswer(answer, fact, absent, missing);
  if (read && read->error &&
      ToLower(read->error->message).find("not authorized") != std::string::npos) {
    *missing = FailedAnswer(fact, read->error->code);
    return std::nullopt;
  }
  return read;
}

}  // namespace vigil::rules::macie
