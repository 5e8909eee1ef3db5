// Small string helpers used across modules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

std::vector<std::string_view> Split(std::string_view s, char sep);
std::string_view Trim(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string ToLower(std::string_view s);
// Truncates to at most `max` bytes without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string_view s, size_t max);
// Appends the code point `c` encoded as UTF-8.
void AppendUtf8(std::string& out, char32_t c);
// Decodes standard base64 (whitespace ignored). Returns false on malformed input.
bool Base64Decode(std::string_view in, std::string& out);
// Matches `text` against a glob where `*` is any run and `?` is one character, as IAM does
// for ARNs and actions. `case_insensitive` is for actions ("S3:getobject" == "s3:GetObject").
bool GlobMatch(std::string_view pattern, std::string_view text, bool case_insensitive = false);

}  // namespace vigil
