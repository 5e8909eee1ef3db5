#include "rules/managed/secretsmanager/secretsmanager_util.h"

#include "common/strings.h"
#include "model/facts.h"

namespace vigil::rules::secretsmanager {
namespace {

const model::FactKindRegistration kListSecrets{{
    .name = kListSecretsFact,
    .command = "aws secretsmanager list-secrets --region REGION",
    .global = false,
    .description = "the secrets of the region with their last rotated, last accessed and next "
                   "rotation dates; AWS::SecretsManager::Secret does not record them",
}};

constexpr EpochMillis kDayMillis = 24LL * 60 * 60 * 1000;

std::string_view Str(const json::Value& v, std::string_view key) {
  return Trim(v.Get(key).String().value_or(""));
}

}  // namespace

SecretLookup FindSecret(const RuleContext& ctx, const model::ConfigurationItem& secret) {
  SecretLookup out;
  const json::Value fact = ctx.Fact(kListSecretsFact, secret);
  const json::Value list = fact.Get("SecretList");
  if (!list.IsArray()) {
    out.missing =
        Verdict::MissingFact(std::string(kListSecretsFact),
                             fact.Missing() ? "the secrets of the region were not collected"
                                            : "secretsmanager-list-secrets has no SecretList");
    return out;
  }
  const json::Value c = secret.Config();
  std::string_view arn = Str(c, "ARN");
  if (arn.empty()) arn = Trim(secret.arn);
  if (arn.empty() && StartsWith(secret.resource_id, "arn:")) arn = secret.resource_id;
  std::string_view name = Str(c, "Name");
  if (name.empty()) name = Trim(secret.resource_name);
  for (json::Value e : list.Elements())
    if (!arn.empty() && Str(e, "ARN") == arn) {
      out.entry = e;
      return out;
    }
  for (json::Value e : list.Elements())
    if (!name.empty() && Str(e, "Name") == name) {
      out.entry = e;
      return out;
    }
  out.missing = Verdict::MissingFact(std::string(kListSecretsFact),
                                     TruncateUtf8("secretsmanager-list-secrets does not list " +
                                                      std::string(arn.empty() ? name : arn),
                                                  256));
  return out;
}

std::optional<EpochMillis> Date(const json::Value& v) {
  if (auto s = v.String()) return ParseTimestamp(Trim(*s));
  if (auto n = v.Number()) return FromEpochSeconds(*n);
  return std::nullopt;
}

std::int64_t DaysBetween(EpochMillis from, EpochMillis to) {
  const EpochMillis d = to - from;
  return d >= 0 ? d / kDayMillis : -((-d + kDayMillis - 1) / kDayMillis);
}

Verdict EvaluateDaysSince(const RuleContext& ctx, const model::ConfigurationItem& secret,
                          std::string_view date_field, std::string_view event,
                          std::string_view days_param) {
  constexpr std::int64_t kDefaultDays = 90;
  const std::int64_t max_days = ctx.IntParam(days_param).value_or(kDefaultDays);
  const SecretLookup found = FindSecret(ctx, secret);
  if (found.missing) return *found.missing;
  const auto last = Date(found.entry.Get(date_field));
  const auto created = Date(found.entry.Get("CreatedDate"));
  if (!last && !created)
    return Verdict::MissingFact(
        std::string(kListSecretsFact),
        "the secret has neither " + std::string(date_field) + " nor CreatedDate");
  const EpochMillis since = last ? *last : *created;
  const std::string what = last ? "last " + std::string(event) + " on "
                                : "never " + std::string(event) + ", created on ";
  const std::int64_t days = DaysBetween(since, ctx.Now());
  if (ctx.Now() - since > max_days * kDayMillis)
    return Verdict::NonCompliant(what + FormatDate(since) + " (" + std::to_string(days) +
                                 " days ago, more than " + std::to_string(max_days) + ")");
  return Verdict::Compliant(what + FormatDate(since));
}

}  // namespace vigil::rules::secretsmanager
