// Shared IAM logic for managed rules: the IAM credential report.
//
// The fact "iam-get-credential-report" is the unmodified output of
// `aws iam get-credential-report`:
//
//     {"Content": "<base64 of the CSV report>", "ReportFormat": "text/csv",
//      "GeneratedTime": "2024-05-01T10:00:00+00:00"}
//
// The CSV has a header row naming its columns (user, arn, user_creation_time, password_enabled,
// mfa_active, access_key_1_active, access_key_1_last_rotated, …) and one row per IAM user, plus a
// row for the root user named "<root_account>". Columns are looked up by name, so reports with
// added or reordered columns read the same.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "json/value.h"

namespace vigil::rules::iam {

inline constexpr std::string_view kRootAccountUser = "<root_account>";

// A parsed credential report. Owns its text; rows stay valid while the report lives. Immutable
// after parsing, so safe to read from many threads.
class CredentialReport {
 public:
  class Row {
   public:
    // The cell of `column`, or "" if the report has no such column.
    std::string_view Get(std::string_view column) const;
    std::string_view user() const { return Get("user"); }
    std::string_view arn() const { return Get("arn"); }

   private:
    friend class CredentialReport;
    const CredentialReport* report_ = nullptr;
    std::vector<std::string> cells_;
  };

  // Decodes and parses the fact. Returns nullopt and sets `*error` (if given) when the fact is
  // not an object with a base64 `Content`, or the CSV has no header with a `user` column.
  static std::optional<CredentialReport> FromFact(json::Value fact, std::string* error = nullptr);
  // Like FromFact, but decodes each fact once per thread: facts are immutable for a run, and
  // rules consult the same report for every IAM user of the account. The pointer stays valid for
  // the thread's life; null on error.
  static const CredentialReport* Cached(json::Value fact, std::string* error = nullptr);
  // Parses CSV text (RFC 4180: quoted cells may hold commas, quotes and newlines).
  static std::optional<CredentialReport> FromCsv(std::string_view csv,
                                                 std::string* error = nullptr);

  CredentialReport(const CredentialReport&) = delete;
  CredentialReport& operator=(const CredentialReport&) = delete;
  CredentialReport(CredentialReport&& other) noexcept;
  CredentialReport& operator=(CredentialReport&& other) noexcept;
  ~CredentialReport() = default;

  // The row of the IAM user named `user` (compared exactly, as the report spells names as
  // created), or of the root user for kRootAccountUser. Null if absent.
  const Row* FindUser(std::string_view user) const;
  const Row* FindArn(std::string_view arn) const;
  const Row* Root() const { return FindUser(kRootAccountUser); }
  const std::vector<Row>& rows() const { return rows_; }
  bool HasColumn(std::string_view column) const;
  // `GeneratedTime` of the fact, "" when parsed from bare CSV.
  const std::string& generated_time() const { return generated_time_; }

 private:
  CredentialReport() = default;
  void Relink();

  std::unordered_map<std::string, size_t> columns_;
  std::vector<Row> rows_;
  std::string generated_time_;
};

// True for the credential report's spelling of true ("true", any case).
bool ReportTrue(std::string_view cell);

}  // namespace vigil::rules::iam
