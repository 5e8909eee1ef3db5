// Micro-benchmarks behind docs/PERFORMANCE.md, on an in-memory snapshot of ~10,000 CIs:
//   BM_SimdjsonParseSnapshot      simdjson alone (the baseline, as bench/parse_only measures it)
//   BM_DocumentParseSnapshot      vigil's json::Document::Parse (adds the padded copy)
//   BM_ReadItemsSnapshot          + ingest::ReadItems / model::ParseItem for every CI
//   BM_IngestAndEvaluateSnapshot  + the engine with the twelve rules of examples/org/rules.json,
//                                 Finish() and the report model
//   BM_EvaluateOneRule/<i>        the same with rule i alone (per-rule cost = this - ReadItems)
//
// The snapshot is built from the CIs of the synthetic organisation in examples/org (or the
// folder named by VIGIL_BENCH_DATA): they are replicated, with distinct resource IDs, until
// VIGIL_BENCH_ITEMS (default 10000) items are held in one {"configurationItems": [...]} text.
// Account facts are read from the same folder.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "ingest/input.h"
#include "json/value.h"
#include "json/writer.h"
#include "model/config_rule.h"
#include "model/facts.h"
#include "report/report.h"

namespace vigil {
namespace {

std::string DataDir() {
  if (const char* d = std::getenv("VIGIL_BENCH_DATA")) return d;
  return std::string(VIGIL_SOURCE_DIR) + "/examples/org";
}

struct Fixture {
  std::string snapshot;
  size_t items = 0;
  std::vector<model::ConfigRule> rules;
  model::FactStore facts;
  std::string error;

  Fixture() {
    const size_t want = std::getenv("VIGIL_BENCH_ITEMS")
                            ? std::strtoul(std::getenv("VIGIL_BENCH_ITEMS"), nullptr, 10)
                            : 10000;
    std::vector<std::string> errors;
    const std::vector<std::string> paths{DataDir()};
    std::vector<std::string> templates;
    for (const auto& f : ingest::CollectInputs(paths, errors)) {
      auto text = ingest::ReadInput(f.path);
      if (!text.ok()) continue;
      if (f.kind == ingest::InputFile::Kind::kFact) {
        (void)ingest::LoadFact(f, *text, facts);
        continue;
      }
      if (f.path.find("ConfigSnapshot") == std::string::npos) continue;  // latest captures only
      (void)ingest::ReadItems(
          *text, [&](const model::ConfigurationItem& ci) { templates.push_back(ci.raw.ToJson()); },
          [](const std::string&) {});
    }
    if (templates.empty()) {
      error = "no configuration items under " + DataDir() + " (set VIGIL_BENCH_DATA)";
      return;
    }
    json::Writer w;
    w.BeginObject().Field("fileVersion", "1.0").Key("configurationItems").BeginArray();
    for (size_t copy = 0; items < want; ++copy) {
      for (const auto& t : templates) {
        if (items == want) break;
        auto doc = json::Document::Parse(t);
        w.BeginObject();
        for (const auto m : doc->Root().Members()) {
          w.Key(m.key);
          if (m.key == "resourceId" && copy > 0)
            w.String(std::string(m.value.String().value_or("")) + "-copy" + std::to_string(copy));
          else
            w.Raw(m.value.ToJson());
        }
        w.EndObject();
        ++items;
      }
    }
    w.EndArray().EndObject();
    snapshot = w.Take();

    auto rules_text = ingest::ReadInput(DataDir() + "/rules.json");
    if (!rules_text.ok())
      rules_text = ingest::ReadInput(std::string(VIGIL_SOURCE_DIR) + "/examples/org/rules.json");
    if (rules_text.ok()) {
      auto doc = json::Document::Parse(*rules_text);
      if (doc.ok()) rules = model::ParseConfigRules(doc->Root(), "rules.json", errors);
    }
    if (rules.empty()) error = "no rules (examples/org/rules.json)";
  }
};

const Fixture& Data() {
  static const Fixture f;
  return f;
}

bool Ready(benchmark::State& state) {
  if (!Data().error.empty()) {
    state.SkipWithError(Data().error.c_str());
    return false;
  }
  return true;
}

void Report(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * Data().snapshot.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * Data().items));
  state.counters["snapshot_MB"] = static_cast<double>(Data().snapshot.size()) / 1e6;
}

void BM_SimdjsonParseSnapshot(benchmark::State& state) {
  if (!Ready(state)) return;
  simdjson::dom::parser parser;
  for (auto _ : state) {
    // As bench/parse_only: the file's bytes into a padded_string, then parse.
    const simdjson::padded_string padded(Data().snapshot);
    simdjson::dom::element root;
    if (parser.parse(padded).get(root) != simdjson::SUCCESS) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(root);
  }
  Report(state);
}
BENCHMARK(BM_SimdjsonParseSnapshot)->Unit(benchmark::kMillisecond);

void BM_DocumentParseSnapshot(benchmark::State& state) {
  if (!Ready(state)) return;
  for (auto _ : state) {
    auto doc = json::Document::Parse(Data().snapshot);
    benchmark::DoNotOptimize(doc);
  }
  Report(state);
}
BENCHMARK(BM_DocumentParseSnapshot)->Unit(benchmark::kMillisecond);

void BM_ReadItemsSnapshot(benchmark::State& state) {
  if (!Ready(state)) return;
  for (auto _ : state) {
    size_t n = 0;
    const Status st = ingest::ReadItems(
        Data().snapshot, [&](const model::ConfigurationItem&) { ++n; }, [](const std::string&) {});
    if (!st.ok() || n != Data().items) state.SkipWithError("ReadItems failed");
  }
  Report(state);
}
BENCHMARK(BM_ReadItemsSnapshot)->Unit(benchmark::kMillisecond);

void IngestAndEvaluate(benchmark::State& state, const std::vector<model::ConfigRule>& configs) {
  for (auto _ : state) {
    std::vector<std::string> errors;
    engine::EngineOptions eo;
    eo.run_time = 1771826400000;
    engine::Engine eng(engine::ResolveRules(configs, errors), Data().facts, eo);
    engine::Batch batch(eng, 0);
    const Status st = ingest::ReadItems(
        Data().snapshot, [&](const model::ConfigurationItem& ci) { batch.Add(ci); },
        [](const std::string&) {});
    if (!st.ok()) state.SkipWithError("ReadItems failed");
    eng.Merge(std::move(batch));
    eng.Finish();
    const report::ReportData report = report::FromEngine(eng);
    benchmark::DoNotOptimize(report.rows.size());
  }
  Report(state);
}

void BM_IngestAndEvaluateSnapshot(benchmark::State& state) {
  if (!Ready(state)) return;
  IngestAndEvaluate(state, Data().rules);
}
BENCHMARK(BM_IngestAndEvaluateSnapshot)->Unit(benchmark::kMillisecond);

void BM_EvaluateOneRule(benchmark::State& state) {
  if (!Ready(state)) return;
  const size_t i = static_cast<size_t>(state.range(0));
  if (i >= Data().rules.size()) {
    state.SkipWithError("no such rule");
    return;
  }
  state.SetLabel(Data().rules[i].source_identifier);
  IngestAndEvaluate(state, {Data().rules[i]});
}
BENCHMARK(BM_EvaluateOneRule)->DenseRange(0, 11)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace vigil

BENCHMARK_MAIN();
