// Configuration items from outside the API: files in the S3 delivery layout (the watched
// folder of a started recorder) and `vigil import`. Each item is stored in the shape the
// resource operations keep (records.h "resource" / "resource-history"), so every read operation
// and every rule sees it, and a new version of an item triggers the rules in scope
// (evaluator.h).
//
// Versions: an item newer than the resource's current one (by capture time, then
// configurationStateId) becomes current and is evaluated; an older one only joins the history
// (history files arrive out of order); one already stored changes nothing, so re-reading a file
// is harmless.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/operation.h"
#include "model/configuration_item.h"

namespace vigil::api {

// Stores an account fact (model/facts.h kind `name`, the AWS CLI output) for the tenant. A fact
// of a global kind (IAM, Organizations) is also kept for the whole account (tenant region ""),
// where rules of every region find it.
// The rules that may read it are queued for a run: the tenant's, and for a global fact those of
// every region of the account.
void StoreFact(Context& ctx, std::string_view name, std::string_view json);
inline constexpr std::string_view kFactKind = "fact";

enum class IngestOutcome { kRecorded, kHistory, kUnchanged };

// Stores `ci` for ctx's tenant (the caller has checked that the item belongs to it). Runs inside
// the caller's transaction.
IngestOutcome IngestItem(Context& ctx, const model::ConfigurationItem& ci);

// The tally of a batch, as the ImportConfigurationItems operation answers it.
struct IngestTally {
  size_t recorded = 0, history = 0, unchanged = 0;
  std::vector<std::string> refused;  // one message per item refused, naming it
};

// The vigil-only operation behind `vigil import` (X-Amz-Target
// `VigilService.ImportConfigurationItems`, SigV4 like every request). Body:
//   {"ConfigurationItems": [CI, ...], "Facts": [{"Name": fact kind, "Region": r, "Document":
//   {...}}],
//    "RecordingRegion": r}
// with CIs in any of AWS's spellings. Items of another account than the caller's are refused;
// an item's region picks the tenant (awsRegion "global", IAM: RecordingRegion, else the region
// the request was signed for).
Outcome ImportConfigurationItems(Context& ctx, json::Value input);

}  // namespace vigil::api
