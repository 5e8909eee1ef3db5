// The entry points of vigil's libFuzzer targets, header-only so that the regression test
// (tests/unit/fuzz_regressions_test.cc) feeds saved inputs through exactly the code the fuzzers
// run. Each function takes arbitrary bytes, must never crash, leak or hang, and returns a small
// digest of what it saw (so that tests can check the result is deterministic).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "engine/engine.h"
#include "ingest/input.h"
#include "json/value.h"
#include "json/yaml.h"
#include "model/config_rule.h"
#include "model/configuration_item.h"
#include "model/external_evaluation.h"
#include "model/facts.h"
#include "pack/pack.h"
#include "report/report.h"
#include "rules/rule.h"

namespace vigil::fuzz {

inline std::string_view AsText(const std::uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reads every field of an item, so that ASan sees any view that outlived its storage.
inline std::uint64_t TouchItem(const model::ConfigurationItem& ci) {
  std::uint64_t h = ci.resource_type.size() + ci.resource_id.size() + ci.account_id.size() +
                    ci.region.size() + ci.arn.size() + ci.resource_name.size() +
                    ci.state_id.size() + static_cast<std::uint64_t>(ci.capture_time);
  h += ci.configuration.ToJson().size();
  h += ci.relationships.Size() + ci.related_events.Size();
  for (const auto& [k, v] : ci.tags) h += k.size() + v.size();
  for (const auto& [k, v] : ci.supplementary) h += k.size() + v.ToJson().size();
  return h;
}

// One ConfigRule per implemented managed rule, with the documented defaults: every rule sees
// every fuzzed item of its types.
inline std::vector<model::ConfigRule> AllManagedRules() {
  std::vector<model::ConfigRule> out;
  for (const rules::ManagedRule* r : rules::AllRules()) {
    model::ConfigRule c;
    c.name = std::string(r->identifier);
    c.owner = "AWS";
    c.source_identifier = std::string(r->identifier);
    for (const auto& p : r->parameters) {
      if (!p.default_value.empty())
        c.input_parameters.emplace_back(std::string(p.name), std::string(p.default_value));
      else if (!p.optional)
        c.input_parameters.emplace_back(std::string(p.name),
                                        p.type == rules::ParamType::kInt ? "1" : "x");
    }
    out.push_back(std::move(c));
  }
  return out;
}

// fuzz_ingest: ingest::ReadItems on arbitrary text, then the items through every managed rule,
// Finish() and the report model. Returns IngestDigest::Pack of what happened.
struct IngestDigest {
  std::uint64_t items = 0, errors = 0, rows = 0;
  bool failed = false;  // ReadItems returned an error for the text as a whole
  static std::uint64_t Cap(std::uint64_t v) { return v > 0xffff ? 0xffff : v; }
  std::uint64_t Pack() const {
    return Cap(items) | Cap(errors) << 16 | Cap(rows) << 32 | std::uint64_t{failed} << 62;
  }
  static IngestDigest Unpack(std::uint64_t v) {
    return {v & 0xffff, (v >> 16) & 0xffff, (v >> 32) & 0xffff, ((v >> 62) & 1) != 0};
  }
};

inline std::uint64_t Ingest(const std::uint8_t* data, size_t size) {
  std::vector<std::string> errors;
  auto rules = engine::ResolveRules(AllManagedRules(), errors);
  model::FactStore facts;
  engine::EngineOptions eo;
  eo.run_time = 1767225600000;  // fixed, for determinism
  engine::Engine eng(std::move(rules), facts, eo);
  engine::Batch batch(eng, 0);
  IngestDigest d;
  std::uint64_t touched = 0;
  const Status st = ingest::ReadItems(
      AsText(data, size),
      [&](const model::ConfigurationItem& ci) {
        ++d.items;
        touched += TouchItem(ci);
        batch.Add(ci);
      },
      [&](const std::string&) { ++d.errors; });
  eng.Merge(std::move(batch));
  eng.Finish();
  const report::ReportData report = report::FromEngine(eng);
  d.rows = report.rows.size();
  d.failed = !st.ok();
  static volatile std::uint64_t sink;
  sink = touched;
  return d.Pack();
}

// fuzz_gunzip: ingest::ReadInput on a file holding the bytes, with a gzip magic prepended when
// the input lacks one (so that every input takes the gzip path). The file is a memfd: no disk.
// Returns the decompressed size, or 1 << 62 on error.
inline std::uint64_t Gunzip(const std::uint8_t* data, size_t size) {
  static const int fd = memfd_create("vigil-fuzz-gunzip", 0);
  if (fd < 0) return 0;
  std::string bytes;
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b) bytes = "\x1f\x8b";
  bytes.append(reinterpret_cast<const char*>(data), size);
  if (ftruncate(fd, 0) != 0 ||
      pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size()))
    return 0;
  auto out = ingest::ReadInput("/proc/self/fd/" + std::to_string(fd));
  return out.ok() ? out->size() : std::uint64_t{1} << 62;
}

// fuzz_config_rule: JSON -> ParseConfigRules -> ResolveRules (parameter validation).
// Returns rules resolved + 1000 * errors, or 1 << 40 if the text is not JSON.
inline std::uint64_t ConfigRules(const std::uint8_t* data, size_t size) {
  auto doc = json::Document::Parse(AsText(data, size));
  if (!doc.ok()) return std::uint64_t{1} << 40;
  std::vector<std::string> errors;
  auto configs = model::ParseConfigRules(doc->Root(), "fuzz.json", errors);
  std::uint64_t serialised = 0;
  for (const auto& c : configs) serialised += c.ToJson().size();
  auto rules = engine::ResolveRules(std::move(configs), errors);
  return rules.size() + 1000 * errors.size() + (serialised << 24);
}

// fuzz_yaml: YamlToJson; whatever it produces must be JSON that vigil can parse.
// Returns the JSON size, or 1 << 40 on a YAML error.
inline std::uint64_t Yaml(const std::uint8_t* data, size_t size) {
  auto json_text = json::YamlToJson(AsText(data, size));
  if (!json_text.ok()) return std::uint64_t{1} << 40;
  auto doc = json::Document::Parse(*json_text);
  if (!doc.ok()) __builtin_trap();  // YamlToJson wrote invalid JSON
  return json_text->size();
}

// fuzz_timestamp: ParseTimestamp, and FormatIso8601 of what it returns.
inline std::uint64_t Timestamp(const std::uint8_t* data, size_t size) {
  auto t = ParseTimestamp(AsText(data, size));
  if (!t) return std::uint64_t{1} << 62;
  // Round trip for the years FormatIso8601 spells with four digits.
  if (*t >= -62135596800000 && *t < 253402300800000) {
    const std::string s = FormatIso8601(*t);
    auto back = ParseTimestamp(s);
    if (!back || *back != *t) __builtin_trap();
  }
  return static_cast<std::uint64_t>(*t);
}

// fuzz_fact: ingest::LoadFact for every fact kind, then a lookup of each fact.
// Returns a bit per fact kind that loaded.
inline std::uint64_t Fact(const std::uint8_t* data, size_t size) {
  model::FactStore facts;
  std::uint64_t loaded = 0;
  int bit = 0;
  for (const auto& kind : model::FactKinds()) {
    ingest::InputFile f;
    f.kind = ingest::InputFile::Kind::kFact;
    f.path = "123456789012/us-east-1/" + std::string(kind.name) + ".json";
    f.fact_name = std::string(kind.name);
    f.account = "123456789012";
    f.region = "us-east-1";
    if (ingest::LoadFact(f, AsText(data, size), facts).ok())
      loaded |= std::uint64_t{1} << (bit % 64);
    ++bit;
  }
  for (const auto& kind : model::FactKinds()) {
    const json::Value v = facts.Get(kind.name, "123456789012", "us-east-1");
    loaded += v.ToJson().size() << 8;
  }
  return loaded;
}

// fuzz_pack: a conformance-pack template (YAML or JSON), resolved strictly and leniently, with a
// parameter override. Returns rules and remediations found, and whether each mode failed.
inline std::uint64_t Pack(const std::uint8_t* data, size_t size) {
  std::uint64_t digest = 0;
  for (bool lenient : {false, true}) {
    pack::LoadOptions o;
    o.name = "fuzz";
    o.lenient = lenient;
    o.overrides["Param"] = "value";
    auto p = pack::LoadPack("fuzz.yaml", AsText(data, size), o);
    digest = digest * 1000003 + (p.ok() ? 1 + p->rules.size() * 7 + p->remediations.size()
                                        : p.status().message().size() << 20);
    if (p.ok()) {
      for (const auto& r : p->rules) digest += r.rule.ToJson().size();
      digest += pack::PackCoverage(*p).referenced.size();
    }
  }
  return digest;
}

// fuzz_external_evaluations: model::ParseExternalEvaluations over any JSON. Returns evaluations
// and errors.
inline std::uint64_t ExternalEvaluations(const std::uint8_t* data, size_t size) {
  auto doc = json::Document::Parse(AsText(data, size));
  if (!doc.ok()) return 0;
  std::vector<std::string> errors;
  const auto evals = model::ParseExternalEvaluations(doc->Root(), "fuzz.json", errors);
  std::uint64_t digest = evals.size() * 1000 + errors.size();
  for (const auto& e : evals)
    digest += e.rule.size() + e.account.size() + e.resource_id.size() +
              static_cast<std::uint64_t>(e.ordering % 1000);
  return digest;
}

}  // namespace vigil::fuzz
