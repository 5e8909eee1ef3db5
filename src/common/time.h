// Timestamps as AWS writes them, and as vigil compares them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Milliseconds since the Unix epoch, UTC.
using EpochMillis = std::int64_t;

// Parses the timestamp spellings found in AWS Config data: ISO 8601 with or without fractional
// seconds and with `Z`, `+00:00` or `+0000` offsets ("2016-10-28T00:41:34.826Z",
// "2014-02-27T21:43:53.0885+0000"), and epoch seconds as a decimal string ("1415333113.415").
// Returns nullopt for anything else.
std::optional<EpochMillis> ParseTimestamp(std::string_view text);

// Epoch seconds as the AWS CLI v1 prints JSON-protocol timestamps.
EpochMillis FromEpochSeconds(double seconds);

// "2026-02-23T10:15:30.123Z".
std::string FormatIso8601(EpochMillis t);

// "2026-02-23".
std::string FormatDate(EpochMillis t);

EpochMillis NowMillis();

}  // namespace vigil
