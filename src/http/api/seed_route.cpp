// POST /analyze_audio: the seed project's endpoint, kept for its clients.
// Same analysis as /api/v1/analyses, top 5, the top class's figure inline;
// nothing is stored.
#include <chrono>

#include "analysis/analysis_json.h"
#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "http/server/base64.h"
#include "http/api/request_params.h"
#include "http/api/routes.h"
#include "render/analysis_figure.h"

namespace soundlens::http {
namespace {

Response analyze_audio(ServiceState& state, const Request& request) {
  const auto analyzer = state.analyzer(request.param("model"));
  const auto fused_second = state.pipeline->models().second_part(request.param("model").value_or(""));
  const UploadedPart& file = uploaded_file(request);
  AnalysisOptions options;
  options.top_k = 5;
  options.figure = true;
  options.limits = state.config.limits;

  auto ticket = state.gate.enter();
  const auto t0 = std::chrono::steady_clock::now();
  const Audio audio = state.decode_upload(file.content);
  AudioCharge charge = charge_audio_s(state, request, audio.duration_s());  // before the work; back if it fails
  const Analysis analysis = fused_second ? fused_analyze({analyzer.get(), fused_second.get()}, audio, options).analysis
                                         : analyzer->analyze(audio, options);
  charge.keep(analysis.duration_s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  Response response = Response::json(200, {{"predictions", predictions_to_json(analysis.predictions)},
                                           {"cam_base64", base64_encode(analysis_figure_png(analysis))},
                                           {"prediction_time", seconds}});
  return response;
}

}  // namespace

void add_seed_route(ServiceState& state, HandlerMap& handlers) {
  handlers["analyzeAudio"] = [&state](const Request& r) { return analyze_audio(state, r); };
}

}  // namespace soundlens::http
