#include "model/facts.h"

#include <vector>

namespace vigil::model {

namespace {
std::vector<FactKind>& Registry() {
  static std::vector<FactKind> kinds = {
      {.name = "iam-get-account-summary",
       .command = "aws iam get-account-summary",
       .global = true,
       .description = "IAM entity counts and root-user settings (root access keys, root MFA)"},
      {.name = "iam-get-account-password-policy",
       .command = "aws iam get-account-password-policy",
       .global = true,
       .answer_errors = "NoSuchEntity",
       .description = "the IAM password policy; NoSuchEntity when none is set"},
      {.name = "iam-get-credential-report",
       .command = "aws iam generate-credential-report && aws iam get-credential-report",
       .global = true,
       .description = "per-user passwords, MFA and access keys, with last-used dates"},
      {.name = "ec2-describe-flow-logs",
       .command = "aws ec2 describe-flow-logs --region REGION",
       .global = false,
       .description = "VPC, subnet and network-interface flow logs"},
      {.name = "s3control-get-public-access-block",
       .command = "aws s3control get-public-access-block --account-id ACCOUNT",
       .global = true,
       .description = "the account-level S3 Block Public Access settings (all false when none "
                      "is set)"},
  };
  return kinds;
}
}  // namespace

FactKindRegistration::FactKindRegistration(FactKind kind) { Registry().push_back(kind); }

std::span<const FactKind> FactKinds() { return Registry(); }

const FactKind* FindFactKind(std::string_view name) {
  for (const auto& k : Registry())
    if (k.name == name) return &k;
  return nullptr;
}

void FactStore::Put(std::string_view name, std::string_view account, std::string_view region,
                    json::Document doc) {
  facts_.insert_or_assign({std::string(name), std::string(account), std::string(region)},
                          std::move(doc));
}

json::Value FactStore::Get(std::string_view name, std::string_view account,
                           std::string_view region) const {
  auto it =
      facts_.find(std::make_tuple(std::string(name), std::string(account), std::string(region)));
  if (it != facts_.end()) return it->second.Root();
  const FactKind* kind = FindFactKind(name);
  if (kind == nullptr || !kind->global) return {};
  auto lo =
      facts_.lower_bound(std::make_tuple(std::string(name), std::string(account), std::string()));
  if (lo != facts_.end() && std::get<0>(lo->first) == name && std::get<1>(lo->first) == account)
    return lo->second.Root();
  return {};
}

std::vector<std::pair<std::string, std::string>> FactStore::Locations(std::string_view name) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, doc] : facts_)
    if (std::get<0>(key) == name) out.emplace_back(std::get<1>(key), std::get<2>(key));
  return out;
}

}  // namespace vigil::model
