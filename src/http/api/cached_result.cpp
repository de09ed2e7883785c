#include "http/api/cached_result.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/error.h"
#include "http/api/explain_budget.h"

namespace soundlens::http {

void unknown_class(const Analyzer& analyzer, const std::string& text) {
  throw Error(ErrorCode::not_found, "unknown class " + quoted_value(text) + " (give an index 0-" +
                                        std::to_string(analyzer.labels().size() - 1) + " or a display name)");
}

std::string cached_or_computed(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                               const std::string& key, const Compute& compute, int target_class) {
  if (auto cached = state.store->read_cache(stored.id, key)) return {cached->begin(), cached->end()};
  std::string result;
  {
    const auto analyzer = state.analyzer_of(stored);
    if (target_class >= analyzer->labels().size()) unknown_class(*analyzer, request.param("class").value_or(""));
    auto ticket = state.gate.enter();
    const Audio audio = state.decode_stored(stored);
    result = compute(*analyzer, audio);
  }
  state.store->write_cache(stored.id, key, {reinterpret_cast<const std::uint8_t*>(result.data()), result.size()});
  return result;
}

std::string explained_or_computed(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                                  const std::string& key, const ExplainCompute& compute, int target_class,
                                  const AnalysisOptions& options, bool listen_check, const std::string& model,
                                  const ExplainedSpan* span) {
  const auto as_text = [](const std::vector<std::uint8_t>& bytes) { return std::string(bytes.begin(), bytes.end()); };
  if (auto cached = state.store->read_cache(stored.id, key)) return as_text(*cached);
  // A part of a fused analysis ran uncalibrated, whatever the server's calibration.
  const auto analyzer = model.empty() ? state.analyzer_of(stored) : state.pipeline->models().as_stored(model, nullptr);
  if (target_class >= analyzer->labels().size()) unknown_class(*analyzer, request.param("class").value_or(""));
  const auto explained = [&](double recording_s) { return span ? std::min(span->seconds, recording_s) : recording_s; };
  if (stored.duration_s) check_explain_budget(state, *analyzer, explained(*stored.duration_s), options, listen_check);
  // The cache key names the class, method and options; the analysis fixes the model and recording.
  return state.shared_work.run(stored.id + "/" + key, request.connection_fd, [&](CancelToken& stop) {
    // A request that missed the cache just before an identical one wrote it.
    if (auto cached = state.store->read_cache(stored.id, key)) return as_text(*cached);
    std::string result;
    {
      auto ticket = state.explain_gate.enter(&stop);
      const double limit_s = options.limits.timeout_s;
      const auto timer = state.client_watch.watch(
          -1, std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                      std::chrono::duration<double>(limit_s)),
          [&stop, limit_s] {
            char text[160];
            std::snprintf(text, sizeof text,
                          "the explanation took longer than its limit of %g s (--analysis-timeout-s)", limit_s);
            stop.cancel(ErrorCode::timeout, text);
          });
      const Audio audio = span ? span->read(*analyzer) : state.decode_stored(stored);
      if (!stored.duration_s) check_explain_budget(state, *analyzer, explained(audio.duration_s()), options, listen_check);
      AnalysisOptions stoppable = options;
      stoppable.stop = &stop;
      result = compute(*analyzer, audio, stoppable);
    }
    state.store->write_cache(stored.id, key, {reinterpret_cast<const std::uint8_t*>(result.data()), result.size()});
    return result;
  });
}

}  // namespace soundlens::http
