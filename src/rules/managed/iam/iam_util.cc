#include "rules/managed/iam/iam_util.h"

#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

#include "common/strings.h"

namespace vigil::rules::iam {

namespace {

// Splits RFC 4180 CSV into records of cells. Tolerates CRLF and a missing final newline; blank
// lines are skipped.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string cell;
  bool quoted = false;
  bool cell_started = false;
  auto end_cell = [&] {
    record.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
  };
  auto end_record = [&] {
    end_cell();
    if (!(record.size() == 1 && record[0].empty())) records.push_back(std::move(record));
    record.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && !cell_started) {
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      end_cell();
    } else if (c == '\n') {
      end_record();
    } else if (c == '\r') {
      // CR of CRLF; a bare CR inside a record is dropped as well.
    } else {
      cell.push_back(c);
      cell_started = true;
    }
  }
  if (cell_started || !cell.empty() || !record.empty()) end_record();
  return records;
}

void SetError(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

}  // namespace

std::string_view CredentialReport::Row::Get(std::string_view column) const {
  if (report_ == nullptr) return {};
  auto it = report_->columns_.find(column);
  if (it == report_->columns_.end() || it->second >= cells_.size()) return {};
  return cells_[it->second];
}

CredentialReport::CredentialReport(CredentialReport&& other) noexcept
    : columns_(std::move(other.columns_)),
      rows_(std::move(other.rows_)),
      by_user_(std::move(other.by_user_)),
      by_arn_(std::move(other.by_arn_)),
      generated_time_(std::move(other.generated_time_)) {
  Relink();
}

CredentialReport& CredentialReport::operator=(CredentialReport&& other) noexcept {
  columns_ = std::move(other.columns_);
  rows_ = std::move(other.rows_);
  by_user_ = std::move(other.by_user_);
  by_arn_ = std::move(other.by_arn_);
  generated_time_ = std::move(other.generated_time_);
  Relink();
  return *this;
}

void CredentialReport::Relink() {
  for (Row& row : rows_) row.report_ = this;
}

std::optional<CredentialReport> CredentialReport::FromCsv(std::string_view csv,
                                                          std::string* error) {
  auto records = ParseCsv(csv);
  if (records.empty()) {
    SetError(error, "credential report is empty");
    return std::nullopt;
  }
  CredentialReport report;
  for (size_t i = 0; i < records[0].size(); ++i)
    report.columns_.emplace(std::string(Trim(records[0][i])), i);
  if (!report.HasColumn("user")) {
    SetError(error, "credential report has no 'user' column");
    return std::nullopt;
  }
  report.rows_.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    Row row;
    row.cells_ = std::move(records[r]);
    report.rows_.push_back(std::move(row));
  }
  report.Relink();
  for (size_t i = 0; i < report.rows_.size(); ++i) {
    report.by_user_.try_emplace(std::string(report.rows_[i].user()), i);
    if (!report.rows_[i].arn().empty())
      report.by_arn_.try_emplace(std::string(report.rows_[i].arn()), i);
  }
  return report;
}

std::optional<CredentialReport> CredentialReport::FromFact(json::Value fact, std::string* error) {
  const auto content = fact.Get("Content").String();
  if (!content) {
    SetError(error, "credential report fact has no 'Content'");
    return std::nullopt;
  }
  if (auto format = fact.Get("ReportFormat").String(); format && *format != "text/csv") {
    SetError(error, "credential report format is '" + std::string(*format) + "', not text/csv");
    return std::nullopt;
  }
  std::string csv;
  if (!Base64Decode(*content, csv)) {
    SetError(error, "credential report 'Content' is not valid base64");
    return std::nullopt;
  }
  auto report = FromCsv(csv, error);
  if (report) report->generated_time_ = std::string(fact.Get("GeneratedTime").AsText());
  return report;
}

const CredentialReport* CredentialReport::Cached(const RuleContext& ctx, json::Value fact,
                                                 std::string* error) {
  struct Entry {
    std::optional<CredentialReport> report;
    std::string error;
  };
  const auto content = fact.Get("Content").String();
  if (!content) {
    FromFact(fact, error);
    return nullptr;
  }
  // The fact store does not move or change during a run: its text's address names the report.
  char key[80];
  std::snprintf(key, sizeof key, "iam-credential-report@%p+%zu",
                static_cast<const void*>(content->data()), content->size());
  const auto& entry = ctx.Memo<std::shared_ptr<const Entry>>(key, [&] {
    auto e = std::make_shared<Entry>();
    e->report = FromFact(fact, &e->error);
    return std::shared_ptr<const Entry>(std::move(e));
  });
  if (!entry->report) {
    SetError(error, entry->error);
    return nullptr;
  }
  return &*entry->report;
}

const CredentialReport::Row* CredentialReport::FindUser(std::string_view user) const {
  const auto it = by_user_.find(std::string(user));
  return it == by_user_.end() ? nullptr : &rows_[it->second];
}

const CredentialReport::Row* CredentialReport::FindArn(std::string_view arn) const {
  if (arn.empty()) return nullptr;
  const auto it = by_arn_.find(std::string(arn));
  return it == by_arn_.end() ? nullptr : &rows_[it->second];
}

bool CredentialReport::HasColumn(std::string_view column) const {
  return columns_.find(column) != columns_.end();
}

bool ReportTrue(std::string_view cell) { return ToLower(Trim(cell)) == "true"; }

}  // namespace vigil::rules::iam

// ---- Credential-report helpers for rules ----

namespace vigil::rules::iam {

const CredentialReport* ReportFor(const RuleContext& ctx, const model::ConfigurationItem& item,
                                  Verdict* missing) {
  constexpr std::string_view kFact = "iam-get-credential-report";
  const json::Value fact = ctx.Fact(kFact, item);
  if (fact.Missing()) {
    *missing =
        Verdict::MissingFact(std::string(kFact), "the IAM credential report was not collected");
    return nullptr;
  }
  std::string error;
  const CredentialReport* report = CredentialReport::Cached(ctx, fact, &error);
  if (report == nullptr) *missing = Verdict::MissingFact(std::string(kFact), error);
  return report;
}

const CredentialReport::Row* UserRow(const CredentialReport& report,
                                     const model::ConfigurationItem& user, Verdict* missing) {
  std::string_view name = user.Config().Get("userName").String().value_or("");
  if (name.empty()) name = user.resource_name;
  const CredentialReport::Row* row = name.empty() ? nullptr : report.FindUser(name);
  if (row == nullptr) row = report.FindArn(user.arn);
  if (row == nullptr) row = report.FindArn(user.Config().Get("arn").String().value_or(""));
  if (row == nullptr)
    *missing = Verdict::MissingFact(
        "iam-get-credential-report",
        TruncateUtf8("user '" + std::string(name) +
                         "' is not in the credential report (generated " +
                         (report.generated_time().empty() ? std::string("earlier")
                                                          : report.generated_time()) +
                         "); collect it again",
                     256));
  return row;
}

const CredentialReport::Row* UserReportRow(const RuleContext& ctx,
                                           const model::ConfigurationItem& user, Verdict* missing) {
  const CredentialReport* report = ReportFor(ctx, user, missing);
  return report == nullptr ? nullptr : UserRow(*report, user, missing);
}

std::optional<DatedUserRow> DatedUserReportRow(const RuleContext& ctx,
                                               const model::ConfigurationItem& user,
                                               Verdict* missing) {
  const CredentialReport* report = ReportFor(ctx, user, missing);
  if (report == nullptr) return std::nullopt;
  const CredentialReport::Row* row = UserRow(*report, user, missing);
  if (row == nullptr) return std::nullopt;
  const std::optional<EpochMillis> generated = ReportTime(*report);
  if (!generated) {
    *missing = Verdict::MissingFact("iam-get-credential-report",
                                    "the credential report has no readable GeneratedTime");
    return std::nullopt;
  }
  return DatedUserRow{.row = row, .generated = *generated};
}

std::vector<ActiveAccessKey> ActiveAccessKeys(const CredentialReport::Row& row) {
  std::vector<ActiveAccessKey> keys;
  for (int n = 1; n <= 2; ++n) {
    const std::string prefix = "access_key_" + std::to_string(n);
    if (!ReportTrue(row.Get(prefix + "_active"))) continue;
    keys.push_back({.number = n,
                    .last_rotated = ReportDate(row.Get(prefix + "_last_rotated")),
                    .last_used = ReportDate(row.Get(prefix + "_last_used_date"))});
  }
  return keys;
}

json::Value AccountSummaryMap(const RuleContext& ctx, const model::ConfigurationItem& account) {
  return ctx.Fact("iam-get-account-summary", account).Get("SummaryMap");
}

bool RootHasNoCredentials(json::Value summary_map) {
  const auto password = summary_map.Get("AccountPasswordPresent").Int();
  const auto keys = summary_map.Get("AccountAccessKeysPresent").Int().value_or(0);
  const auto certs = summary_map.Get("AccountSigningCertificatesPresent").Int().value_or(0);
  return password && *password == 0 && keys == 0 && certs == 0;
}

const CredentialReport::Row* RootReportRow(const RuleContext& ctx,
                                           const model::ConfigurationItem& account,
                                           std::string_view summary_field, Verdict* missing) {
  constexpr std::string_view kSummary = "iam-get-account-summary";
  const json::Value report_fact = ctx.Fact("iam-get-credential-report", account);
  if (report_fact.Missing()) {
    *missing = Verdict::MissingFact(
        std::string(kSummary),
        ctx.Fact(kSummary, account).Missing()
            ? "neither iam-get-account-summary nor iam-get-credential-report was collected"
            : "iam-get-account-summary has no SummaryMap." + std::string(summary_field));
    return nullptr;
  }
  std::string error;
  if (const CredentialReport* report = CredentialReport::Cached(ctx, report_fact, &error)) {
    if (const CredentialReport::Row* root = report->Root()) return root;
    error = "the credential report has no <root_account> row";
  }
  *missing = Verdict::MissingFact(std::string(kSummary), error);
  return nullptr;
}

std::optional<EpochMillis> ReportDate(std::string_view cell) {
  cell = Trim(cell);
  if (cell.empty() || cell == "N/A" || cell == "no_information" || cell == "not_supported")
    return std::nullopt;
  return ParseTimestamp(cell);
}

std::optional<EpochMillis> ReportTime(const CredentialReport& report) {
  return ReportDate(report.generated_time());
}

std::int64_t WholeDays(EpochMillis then, EpochMillis now) {
  if (now <= then) return 0;
  return (now - then) / (24LL * 60 * 60 * 1000);
}

// ---- Policy documents ----

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char Fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

// Reads a string-or-array-of-strings element into `out`. Non-string entries are kept as their
// JSON text so that they never silently disappear.
void ReadList(json::Value v, std::vector<std::string>& out) {
  if (auto s = v.String()) {
    out.emplace_back(*s);
    return;
  }
  for (const json::Value e : v.Elements()) {
    if (auto s = e.String()) {
      out.emplace_back(*s);
    } else {
      out.push_back(e.ToJson());
    }
  }
}

void ReadPrincipal(json::Value p, PolicyStatement& st) {
  if (p.Missing() || p.IsNull()) return;
  st.has_principal = true;
  if (auto s = p.String()) {
    st.aws_principals.emplace_back(*s);  // "Principal": "*"
    return;
  }
  for (const auto m : p.Members()) {
    if (m.key == "AWS") {
      ReadList(m.value, st.aws_principals);
    } else {
      st.other_principals = true;
    }
  }
}

bool AddStatement(json::Value s, PolicyDocument& doc, std::string* error) {
  if (!s.IsObject()) {
    SetError(error, "a policy statement is not an object");
    return false;
  }
  PolicyStatement st;
  st.sid = std::string(s.Get("Sid").String().value_or(""));
  st.label = st.sid.empty() ? "#" + std::to_string(doc.statements.size() + 1) : st.sid;
  st.effect = std::string(s.Get("Effect").String().value_or(""));
  if (const json::Value v = s.Get("Action"); !v.Missing()) {
    st.has_action = true;
    ReadList(v, st.actions);
  }
  if (const json::Value v = s.Get("NotAction"); !v.Missing()) {
    st.has_not_action = true;
    ReadList(v, st.not_actions);
  }
  if (const json::Value v = s.Get("Resource"); !v.Missing()) {
    st.has_resource = true;
    ReadList(v, st.resources);
  }
  if (const json::Value v = s.Get("NotResource"); !v.Missing()) {
    st.has_not_resource = true;
    ReadList(v, st.not_resources);
  }
  st.has_condition = !s.Get("Condition").Empty();
  ReadPrincipal(s.Get("Principal"), st);
  ReadPrincipal(s.Get("NotPrincipal"), st);
  doc.statements.push_back(std::move(st));
  return true;
}

bool AddDocument(json::Value v, PolicyDocument& doc, std::string* error, int depth) {
  if (depth > 4) {
    SetError(error, "the policy document is nested too deeply");
    return false;
  }
  if (auto text = v.String()) {
    std::string decoded(Trim(*text));
    // URL-encoded text starts with an escape ("%7B"); decode until it is JSON (some sources
    // encode twice).
    for (int i = 0; i < 3 && !decoded.empty() && decoded[0] == '%'; ++i)
      decoded = std::string(Trim(UrlDecode(decoded)));
    auto parsed = json::Document::Parse(decoded);
    if (!parsed.ok()) {
      SetError(error, "the policy document is not JSON: " + parsed.status().message());
      return false;
    }
    return AddDocument(parsed->Root(), doc, error, depth + 1);
  }
  if (v.IsArray()) {
    for (const json::Value e : v.Elements())
      if (!AddDocument(e, doc, error, depth + 1)) return false;
    return true;
  }
  if (!v.IsObject()) {
    SetError(error, "the policy document is missing");
    return false;
  }
  const json::Value statements = v.Get("Statement");
  if (statements.IsArray()) {
    for (const json::Value s : statements.Elements())
      if (!AddStatement(s, doc, error)) return false;
    return true;
  }
  if (statements.IsObject()) return AddStatement(statements, doc, error);
  SetError(error, "the policy document has no Statement");
  return false;
}

}  // namespace

std::string UrlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::optional<PolicyDocument> ParsePolicyDocument(json::Value v, std::string* error) {
  PolicyDocument doc;
  if (!AddDocument(v, doc, error, 0)) return std::nullopt;
  return doc;
}

bool PatternsOverlap(std::string_view a, std::string_view b, bool ci) {
  const size_t n = a.size(), m = b.size();
  // memo[i * (m + 1) + j]: -1 unknown, 0 no, 1 yes. Every transition advances i or j, so the
  // recursion depth is at most n + m.
  std::vector<signed char> memo((n + 1) * (m + 1), -1);
  auto eq = [ci](char x, char y) { return ci ? Fold(x) == Fold(y) : x == y; };
  auto rec = [&](auto&& self, size_t i, size_t j) -> bool {
    if (i == n && j == m) return true;
    signed char& slot = memo[i * (m + 1) + j];
    if (slot >= 0) return slot == 1;
    bool r = false;
    if (i < n && a[i] == '*') r = self(self, i + 1, j);
    if (!r && j < m && b[j] == '*') r = self(self, i, j + 1);
    if (!r && i < n && j < m) {
      const bool astar = a[i] == '*', bstar = b[j] == '*';
      // Both at '*': covered by the two skips above (a common string then exists iff one exists
      // with either star ending here).
      if (!(astar && bstar)) {
        const bool fits = astar || bstar || a[i] == '?' || b[j] == '?' || eq(a[i], b[j]);
        if (fits) r = self(self, astar ? i : i + 1, bstar ? j : j + 1);
      }
    }
    slot = r ? 1 : 0;
    return r;
  };
  return rec(rec, 0, 0);
}

bool PatternCovers(std::string_view g, std::string_view s, bool ci) {
  const size_t n = g.size(), m = s.size();
  std::vector<signed char> memo((n + 1) * (m + 1), -1);
  auto eq = [ci](char x, char y) { return ci ? Fold(x) == Fold(y) : x == y; };
  auto rec = [&](auto&& self, size_t i, size_t j) -> bool {
    if (i == n) return j == m;
    signed char& slot = memo[i * (m + 1) + j];
    if (slot >= 0) return slot == 1;
    bool r = false;
    if (g[i] == '*') {
      r = self(self, i + 1, j) || (j < m && self(self, i, j + 1));
    } else if (j < m) {
      if (g[i] == '?') {
        r = s[j] != '*' && self(self, i + 1, j + 1);
      } else {
        r = s[j] != '*' && s[j] != '?' && eq(g[i], s[j]) && self(self, i + 1, j + 1);
      }
    }
    slot = r ? 1 : 0;
    return r;
  };
  return rec(rec, 0, 0);
}

bool StatementAllowsActionPattern(const PolicyStatement& s, std::string_view pattern) {
  if (!s.Allow()) return false;
  if (s.has_action) {
    for (const auto& a : s.actions)
      if (PatternsOverlap(Trim(a), pattern, true)) return true;
    return false;
  }
  if (s.has_not_action) {
    for (const auto& a : s.not_actions)
      if (PatternCovers(Trim(a), pattern, true)) return false;
    return true;
  }
  return false;
}

bool StatementCoversResources(const PolicyStatement& s, std::string_view pattern) {
  if (s.has_resource) {
    for (const auto& r : s.resources)
      if (PatternCovers(Trim(r), pattern, false)) return true;
    return false;
  }
  if (s.has_not_resource) {
    for (const auto& r : s.not_resources)
      if (PatternsOverlap(Trim(r), pattern, false)) return false;
    return true;
  }
  return false;
}

std::string BlockedKmsActionAllowed(const PolicyDocument& doc,
                                    const std::vector<std::string_view>& blocked,
                                    std::string_view partition) {
  const std::string all_keys = "arn:" + std::string(partition) + ":kms:*:*:key/*";
  for (const PolicyStatement& s : doc.statements) {
    if (!s.Allow() || !StatementCoversResources(s, all_keys)) continue;
    for (std::string_view pattern : blocked) {
      pattern = Trim(pattern);
      if (pattern.empty()) continue;
      if (StatementAllowsActionPattern(s, pattern))
        return "statement " + s.label + " allows " + std::string(pattern) + " on all KMS keys";
    }
  }
  return {};
}

std::string_view ArnPartition(std::string_view arn) {
  const auto parts = Split(arn, ':');
  if (parts.size() >= 2 && parts[0] == "arn" && !parts[1].empty()) return parts[1];
  return "aws";
}

std::string_view ArnAccount(std::string_view arn) {
  const auto parts = Split(arn, ':');
  if (parts.size() >= 5 && parts[0] == "arn") return parts[4];
  return {};
}

bool IsAwsManagedPolicyArn(std::string_view arn) {
  const auto parts = Split(arn, ':');
  return parts.size() >= 6 && parts[0] == "arn" && parts[2] == "iam" && parts[4] == "aws" &&
         StartsWith(parts[5], "policy/");
}

std::optional<PolicyDocument> DefaultPolicyDocument(const model::ConfigurationItem& policy,
                                                    std::string* error) {
  const json::Value c = policy.Config();
  const json::Value versions = c.Get("policyVersionList");
  const std::string_view default_id = c.Get("defaultVersionId").String().value_or("");
  json::Value chosen;
  bool found = false;
  for (const json::Value v : versions.Elements()) {
    const json::Value flag = v.Get("isDefaultVersion");
    if (flag.Bool() == true || flag.String() == "true") {
      chosen = v;
      found = true;
      break;
    }
  }
  if (!found && !default_id.empty()) {
    for (const json::Value v : versions.Elements()) {
      if (v.Get("versionId").String() == default_id) {
        chosen = v;
        found = true;
        break;
      }
    }
  }
  if (!found) {
    SetError(error, versions.Size() == 0 ? "the policy CI has no policyVersionList"
                                         : "the policy CI has no default version");
    return std::nullopt;
  }
  std::string why;
  auto doc = ParsePolicyDocument(chosen.Get("document"), &why);
  if (!doc) {
    SetError(error, "default version " +
                        std::string(chosen.Get("versionId").String().value_or("?")) + ": " + why);
    return std::nullopt;
  }
  return doc;
}

std::optional<CustomerPolicy> CustomerPolicyInScope(const RuleContext& ctx,
                                                    const model::ConfigurationItem& policy,
                                                    Verdict* verdict) {
  const std::string_view arn =
      !policy.arn.empty() ? policy.arn : policy.Config().Get("arn").String().value_or("");
  if (IsAwsManagedPolicyArn(arn)) {
    *verdict =
        Verdict::NotApplicable("AWS managed policy; only customer managed policies are checked");
    return std::nullopt;
  }
  if (auto excluded = PermissionBoundaryExclusion(ctx, policy)) {
    *verdict = *excluded;
    return std::nullopt;
  }
  std::string error;
  std::optional<PolicyDocument> document = DefaultPolicyDocument(policy, &error);
  if (!document) {
    *verdict = Verdict::MissingFact("AWS::IAM::Policy", error);
    return std::nullopt;
  }
  return CustomerPolicy{.arn = arn, .document = std::move(*document)};
}

std::optional<Verdict> PermissionBoundaryExclusion(const RuleContext& ctx,
                                                   const model::ConfigurationItem& policy) {
  if (ctx.BoolParam("excludePermissionBoundaryPolicy") != true) return std::nullopt;
  const json::Value c = policy.Config();
  const auto attached = c.Get("attachmentCount").Int();
  if (attached && *attached > 0) return std::nullopt;  // grants permissions to someone
  const auto boundary = c.Get("permissionsBoundaryUsageCount").Int();
  if (!attached || !boundary)
    return Verdict::MissingFact(std::string(policy.resource_type),
                                "excludePermissionBoundaryPolicy is true and the policy CI lacks "
                                "attachmentCount or permissionsBoundaryUsageCount");
  if (*boundary > 0)
    return Verdict::NotApplicable("the policy is used only as a permissions boundary");
  return std::nullopt;
}

std::string_view InlinePolicyListKey(std::string_view type) {
  if (type == "AWS::IAM::User") return "userPolicyList";
  if (type == "AWS::IAM::Role") return "rolePolicyList";
  if (type == "AWS::IAM::Group") return "groupPolicyList";
  return {};
}

std::vector<InlinePolicy> InlinePolicies(const model::ConfigurationItem& item) {
  std::vector<InlinePolicy> out;
  const std::string_view key = InlinePolicyListKey(item.resource_type);
  if (key.empty()) return out;
  for (const json::Value p : item.Config().Get(key).Elements()) {
    InlinePolicy ip;
    ip.name = std::string(p.Get("policyName").String().value_or(""));
    ip.document = ParsePolicyDocument(p.Get("policyDocument"), &ip.error);
    out.push_back(std::move(ip));
  }
  return out;
}

bool HasConfiguration(const model::ConfigurationItem& item) {
  return item.Config().IsObject() && item.Config().Size() > 0;
}

}  // namespace vigil::rules::iam
