// The stored audio and what is derived from it again on demand: figures,
// explanations of any class, the spectrogram. Derived results are cached.
#include "analysis/analysis_json.h"
#include "core/error.h"
#include "http/request_params.h"
#include "http/routes.h"
#include "http/stored_json.h"

namespace soundlens::http {
namespace {

std::string as_string(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }
std::span<const std::uint8_t> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// ?class=47 or ?class=Cough; without it, the analysis's top class.
int requested_class(const Analyzer& analyzer, const StoredAnalysis& stored,
                    const Request& request) {
  const auto text = request.param("class");
  if (!text || text->empty()) {
    const int top = stored_top_class(stored);
    if (top < 0) throw Error(ErrorCode::not_found, "the analysis has no predictions to explain");
    return top;
  }
  const auto index = analyzer.labels().find(*text);
  if (!index) throw Error(ErrorCode::not_found, "unknown class '" + *text + "' (give an index 0-" +
                                                    std::to_string(analyzer.labels().size() - 1) +
                                                    " or a display name)");
  return *index;
}

Response get_audio(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request.path_params.at("id"));
  const auto path = state.store->audio_path(stored.id);
  if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
  Response response;
  response.content_type = stored.content_type;
  response.file_path = *path;
  response.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return response;
}

Response get_figure(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request.path_params.at("id"));
  const auto analyzer = state.analyzer();
  const bool overlay = integer_param(request, "overlay", 1, 0, 1) == 1;
  const int target = overlay ? requested_class(*analyzer, stored, request) : -1;
  const std::string key = overlay ? "figure-" + std::to_string(target) + ".png" : "spectrogram.png";

  std::vector<std::uint8_t> png;
  if (auto cached = state.store->read_cache(stored.id, key)) {
    png = std::move(*cached);
  } else {
    auto ticket = state.gate.enter();
    const Audio audio = state.decode_stored(stored);
    if (overlay) {
      const Explanation explanation = analyzer->explain(audio, target, stored_options(stored));
      png = analyzer->figure_png(audio, &explanation);
    } else {
      png = analyzer->figure_png(audio, nullptr);
    }
    state.store->write_cache(stored.id, key, png);
  }
  Response response = Response::bytes("image/png", as_string(png));
  response.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return response;
}

Response get_explanation(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request.path_params.at("id"));
  const auto analyzer = state.analyzer();
  const int target = requested_class(*analyzer, stored, request);
  const std::string key = "explanation-" + std::to_string(target) + ".json";
  if (auto cached = state.store->read_cache(stored.id, key)) return Response::bytes("application/json", as_string(*cached));
  std::string body;
  {
    auto ticket = state.gate.enter();
    const Audio audio = state.decode_stored(stored);
    body = explanation_to_json(analyzer->explain(audio, target, stored_options(stored))).dump();
  }
  state.store->write_cache(stored.id, key, as_bytes(body));
  return Response::bytes("application/json", body);
}

Response get_spectrogram(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request.path_params.at("id"));
  const auto analyzer = state.analyzer();
  const int columns = int(integer_param(request, "max_columns", 1000, 10, 10000));
  const std::string key = "spectrogram-" + std::to_string(columns) + ".json";
  if (auto cached = state.store->read_cache(stored.id, key)) return Response::bytes("application/json", as_string(*cached));
  std::string body;
  {
    auto ticket = state.gate.enter();
    const Audio audio = state.decode_stored(stored);
    body = spectrogram_to_json(analyzer->spectrogram(audio), columns).dump();
  }
  state.store->write_cache(stored.id, key, as_bytes(body));
  return Response::bytes("application/json", body);
}

}  // namespace

void add_media_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getAnalysisAudio"] = [&state](const Request& r) { return get_audio(state, r); };
  handlers["getAnalysisFigure"] = [&state](const Request& r) { return get_figure(state, r); };
  handlers["getAnalysisExplanation"] = [&state](const Request& r) { return get_explanation(state, r); };
  handlers["getAnalysisSpectrogram"] = [&state](const Request& r) { return get_spectrogram(state, r); };
}

}  // namespace soundlens::http
