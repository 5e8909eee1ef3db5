// KINESIS_STREAM_ENCRYPTED (kinesis-stream-encrypted): Kinesis data streams must be encrypted at
// rest with server-side encryption. AWS: "The rule is NON_COMPLIANT for a Kinesis stream if
// 'StreamEncryption' is not present."
//
// Data: configuration.StreamEncryption ({"EncryptionType": "KMS", "KeyId": ...}) of the
// AWS::Kinesis::Stream CI (CloudFormation's spelling; the API's EncryptionType at the top level of
// a DescribeStream description is read too).
//
// Choices where AWS's page is silent:
// - StreamEncryption null, or with EncryptionType "NONE" (any case), is not present encryption:
//   NON_COMPLIANT.
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

// Member `name` of `obj`, else the member whose name equals it ignoring case. Missing if none.
json::Value Field(json::Value obj, std::string_view name) {
  if (json::Value v = obj.Get(name); !v.Missing()) return v;
  const std::string want = ToLower(name);
  for (const auto& m : obj.Members())
    if (m.key.size() == want.size() && ToLower(m.key) == want) return m.value;
  return {};
}

Verdict Evaluate(const RuleContext&, const model::ConfigurationItem& stream) {
  const json::Value cfg = stream.Config();
  json::Value type;
  if (json::Value enc = Field(cfg, "StreamEncryption"); enc.IsObject()) {
    type = Field(enc, "EncryptionType");
    if (type.Missing()) return Verdict::Compliant();
  } else {
    type = Field(cfg, "EncryptionType");
    if (type.Missing() || type.IsNull())
      return Verdict::NonCompliant("the stream has no StreamEncryption");
  }
  const std::string t(type.String().value_or(""));
  if (t.empty() || ToLower(t) == "none")
    return Verdict::NonCompliant("the stream's encryption type is " +
                                 (t.empty() ? std::string("not set") : t));
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "KINESIS_STREAM_ENCRYPTED",
    .resource_types = {"AWS::Kinesis::Stream"},
    .trigger = Trigger::kConfigurationChange,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
