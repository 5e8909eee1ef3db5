#include "rules/managed/iam/iam_util.h"

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
  auto it = report_->columns_.find(std::string(column));
  if (it == report_->columns_.end() || it->second >= cells_.size()) return {};
  return cells_[it->second];
}

CredentialReport::CredentialReport(CredentialReport&& other) noexcept
    : columns_(std::move(other.columns_)),
      rows_(std::move(other.rows_)),
      generated_time_(std::move(other.generated_time_)) {
  Relink();
}

CredentialReport& CredentialReport::operator=(CredentialReport&& other) noexcept {
  columns_ = std::move(other.columns_);
  rows_ = std::move(other.rows_);
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

const CredentialReport* CredentialReport::Cached(json::Value fact, std::string* error) {
  struct Entry {
    std::string content;  // compared on every hit: an address may be reused by a later fact
    std::optional<CredentialReport> report;
    std::string error;
  };
  // Keyed by the address of the fact's Content, which is stable while the fact store lives.
  thread_local std::unordered_map<const char*, Entry> cache;
  const auto content = fact.Get("Content").String();
  const char* key = content ? content->data() : nullptr;
  auto it = cache.find(key);
  if (it != cache.end() && it->second.content != *content) {
    cache.erase(it);
    it = cache.end();
  }
  if (it == cache.end() || key == nullptr) {
    if (cache.size() > 4096) cache.clear();
    Entry e;
    if (content) e.content = std::string(*content);
    e.report = FromFact(fact, &e.error);
    if (key == nullptr) {
      SetError(error, e.error);
      return nullptr;
    }
    it = cache.emplace(key, std::move(e)).first;
  }
  if (!it->second.report) {
    SetError(error, it->second.error);
    return nullptr;
  }
  return &*it->second.report;
}

const CredentialReport::Row* CredentialReport::FindUser(std::string_view user) const {
  for (const Row& row : rows_)
    if (row.user() == user) return &row;
  return nullptr;
}

const CredentialReport::Row* CredentialReport::FindArn(std::string_view arn) const {
  if (arn.empty()) return nullptr;
  for (const Row& row : rows_)
    if (row.arn() == arn) return &row;
  return nullptr;
}

bool CredentialReport::HasColumn(std::string_view column) const {
  return columns_.contains(std::string(column));
}

bool ReportTrue(std::string_view cell) { return ToLower(Trim(cell)) == "true"; }

}  // namespace vigil::rules::iam
