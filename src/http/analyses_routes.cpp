// POST/GET/DELETE /api/v1/analyses[/{id}]
#include <chrono>

#include "analysis/analysis_json.h"
#include "core/error.h"
#include "http/content_types.h"
#include "http/request_params.h"
#include "http/routes.h"
#include "http/stored_json.h"

namespace soundlens::http {
namespace {

// Uploaded names are shown back to people, never used as paths: keep them short and printable.
std::string display_filename(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, 255))
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) out += c;
  return out.empty() ? "upload" : out;
}

Response create_analysis(ServiceState& state, const Request& request) {
  const auto analyzer = state.analyzer();
  state.check_model_param(request.param("model"));
  const AnalysisOptions options = analysis_options(request);
  const UploadedPart& file = uploaded_file(request);

  Analysis analysis;
  {
    auto ticket = state.gate.enter();
    const auto t0 = std::chrono::steady_clock::now();
    const Audio audio = state.decode_upload(file.content);
    const double decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    analysis = analyzer->analyze(audio, options);
    analysis.timings_ms["decode"] = decode_ms;
  }
  NewAnalysis record;
  record.filename = display_filename(file.filename);
  record.content_type = audio_content_type(analysis.audio.container);
  record.model = analysis.model;
  record.parameters_json = options_json(options).dump();
  record.result_json = analysis_to_json(analysis).dump();
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(file.content.data());
  const StoredAnalysis stored = state.store->insert(record, {bytes, file.content.size()});

  Response response = Response::json(201, stored_analysis_json(stored));
  response.headers.emplace_back("Location", "/api/v1/analyses/" + stored.id);
  response.analysis_id = stored.id;
  return response;
}

Response list_analyses(ServiceState& state, const Request& request) {
  long limit = integer_param(request, "limit", 50, 1, 500);
  long offset = integer_param(request, "offset", 0, 0, 1L << 40);
  if (request.param("page") || request.param("per_page")) {
    limit = integer_param(request, "per_page", limit, 1, 500);
    offset = (integer_param(request, "page", 1, 1, 1L << 30) - 1) * limit;
  }
  const AnalysisPage page = state.store->list(int(limit), int(offset));
  auto items = nlohmann::json::array();
  for (const auto& stored : page.items) items.push_back(stored_summary_json(stored));
  return Response::json(200, {{"items", items}, {"total", page.total}, {"limit", limit}, {"offset", offset}});
}

Response get_analysis(ServiceState& state, const Request& request) {
  return Response::json(200, stored_analysis_json(state.stored_or_404(request.path_params.at("id"))));
}

Response delete_analysis(ServiceState& state, const Request& request) {
  const std::string& id = request.path_params.at("id");
  if (!state.store->remove(id)) throw Error(ErrorCode::not_found, "no analysis with id '" + id + "'");
  return Response::json(200, {{"id", id}, {"deleted", true}});
}

}  // namespace

void add_analysis_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["createAnalysis"] = [&state](const Request& r) { return create_analysis(state, r); };
  handlers["listAnalyses"] = [&state](const Request& r) { return list_analyses(state, r); };
  handlers["getAnalysis"] = [&state](const Request& r) { return get_analysis(state, r); };
  handlers["deleteAnalysis"] = [&state](const Request& r) { return delete_analysis(state, r); };
}

}  // namespace soundlens::http
