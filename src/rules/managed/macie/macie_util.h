// Macie helpers shared by the Macie managed rules: reading the Macie account facts.
//
// When Macie is not enabled in a region, every macie2 call there answers AccessDeniedException
// ("Macie is not enabled"); the Macie facts list that code in `answer_errors`, so collect-facts
// records {"Error": {"Code": "AccessDeniedException", "Message": ...}}. The same code also answers
// a caller that is not authorized, which the message tells ("... is not authorized to perform
// ...").
#pragma once

#include <optional>
#include <string_view>

#include "json/value.h"
#include "rules/fact_util.h"
#include "rules/rule.h"

namespace vigil::rules::macie {

// Reads a Macie fact as ReadFactAnswer does: an answer with `error` set means Macie is not
// enabled in the region. An AccessDeniedException whose message says the caller is not
// authorized is no answer (MissingFact), as are other error codes.
std::optional<FactAnswer> ReadMacieFact(json::Value answer, std::string_view fact,
                                        std::string_view absent, Verdict* missing);

}  // namespace vigil::rules::macie
