#include "model/facts.h"

namespace vigil::model {

namespace {
constexpr FactKind kKinds[] = {
    {"iam-get-account-summary", "aws iam get-account-summary", true},
    {"iam-get-account-password-policy", "aws iam get-account-password-policy", true},
    {"iam-get-credential-report",
     "aws iam generate-credential-report && aws iam get-credential-report", true},
    {"ec2-describe-flow-logs", "aws ec2 describe-flow-logs --region REGION", false},
    {"s3control-get-public-access-block",
     "aws s3control get-public-access-block --account-id ACCOUNT", true},
};
}  // namespace

std::span<const FactKind> FactKinds() { return kKinds; }

const FactKind* FindFactKind(std::string_view name) {
  for (const auto& k : kKinds)
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
