// TRANSFER_FAMILY_SERVER_NO_FTP (transfer-family-server-no-ftp): AWS Transfer Family servers must
// not accept FTP connections. AWS: NON_COMPLIANT if the server protocol for endpoint connection
// is FTP-enabled.
//
// Data: configuration.Protocols of the AWS::Transfer::Server CI (["SFTP", "FTPS", "FTP", "AS2"];
// the Transfer API's camelCase `protocols` is read too).
//
// Choices where AWS's page is silent:
// - Only plain FTP counts (FTPS is encrypted); protocols compare ignoring case, and entries that
//   are objects are read from their Value/Protocol member.
// - A CI without Protocols has no verdict (the API always returns them).
#include <string>

#include "common/strings.h"
#include "rules/rule.h"

namespace vigil::rules {
namespace {

std::string_view ProtocolName(json::Value p) {
  if (auto s = p.String()) return Trim(*s);
  for (std::string_view key : {"Value", "value", "Protocol", "protocol"})
    if (auto s = p.Get(key).String()) return Trim(*s);
  return {};
}

Verdict Evaluate(const RuleContext& ctx, const model::ConfigurationItem& server) {
  (void)ctx;
  json::Value protocols = server.Config().Get("Protocols");
  if (protocols.Missing()) protocols = server.Config().Get("protocols");
  if (!protocols.IsArray())
    return Verdict::MissingFact("AWS::Transfer::Server", "the configuration item has no Protocols");
  for (json::Value p : protocols.Elements())
    if (ToLower(ProtocolName(p)) == "ftp")
      return Verdict::NonCompliant("the server accepts FTP connections");
  return Verdict::Compliant();
}

const ManagedRule kRule{{
    .identifier = "TRANSFER_FAMILY_SERVER_NO_FTP",
    .resource_types = {"AWS::Transfer::Server"},
    .trigger = Trigger::kPeriodic,
    .parameters = {},
    .evaluate = &Evaluate,
}};

}  // namespace
}  // namespace vigil::rules
