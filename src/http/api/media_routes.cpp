// The stored audio and what is derived from it again on demand: figures,
// explanations of any class, the spectrogram. Derived results are cached.
#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "analysis/analysis_json.h"
#include "analysis_events/analysis_events.h"
#include "exports/event_window.h"
#include "exports/review.h"
#include "http/api/review_json.h"
#include "core/error.h"
#include "audio/wav_writer.h"
#include "core/parameters.h"
#include "http/api/cached_result.h"
#include "http/api/explanation_key.h"
#include "robustness/robustness.h"
#include "http/server/error_status.h"
#include "http/api/request_params.h"
#include "http/api/routes.h"
#include "service/stored_json.h"
#include "privacy/viewer_spectrogram.h"
#include "render/analysis_figure.h"

namespace soundlens::http {
namespace {

std::string as_string(const std::vector<std::uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

// ?class=47 or ?class=Cough; without it, the analysis's top class. Only a name
// needs the model's labels now; an index is checked against them before it is
// computed, so that a cached result is served while the model loads.
int requested_class(const ServiceState& state, const StoredAnalysis& stored, const Request& request) {
  const auto text = request.param("class");
  if (!text || text->empty()) {
    const int top = stored_top_class(stored);
    if (top < 0) throw Error(ErrorCode::not_found, "the analysis has no predictions to explain");
    return top;
  }
  if (const auto index = plain_index(*text)) return *index;
  const auto analyzer = state.analyzer_of(stored);
  const auto index = analyzer->labels().find(*text);
  if (!index) unknown_class(*analyzer, *text);
  return *index;
}

// ?event=N: the explanation is of that event (as reviewed: a corrected class and times win) on its
// window (exports/event_window.h); nullopt without it. With class as well: 400.
struct ExplainedEvent {
  int place = 0;
  Event event;
};

std::optional<ExplainedEvent> requested_event(ServiceState& state, const StoredAnalysis& stored,
                                              const Request& request) {
  const auto text = request.param("event");
  if (!text) return std::nullopt;
  if (request.param("class"))
    throw Error(ErrorCode::bad_request, "give class or event, not both: an event's explanation is of its own class "
                                        "(as reviewed)");
  const auto events = service::stored_events(stored);
  const int place = event_index("event", *text, events.size());
  const auto reviews = event_reviews(state.store->reviews(stored.id), events.size());
  return ExplainedEvent{place, reviewed_event(events[std::size_t(place)], reviews[std::size_t(place)])};
}

// The cache key's part naming the event as reviewed (explanation_key.h); "" without one.
std::string event_part(const std::optional<ExplainedEvent>& e) { return e ? event_key_part(e->place, e->event) : ""; }

// How much audio the model heard when it placed an event: the columns its frame evidence pools (mn04_as,
// cnn14: 10 columns of 0.32 s), else its own window (YAMNet's 0.975 s), else the analysis window. A short
// event checked on a 10 s window would be a small part of what the model scores (a 1 s cough at 0.08 in
// its pooled evidence scored 0.002 on 10 s).
double event_evidence_s(const Analyzer& analyzer, const AnalysisOptions& o) {
  const auto& info = analyzer.model().info();
  if (info.window_s > 0) return info.window_s;
  const auto& fe = analyzer.model().frontend();
  const double column_s = info.time_stride * double(fe.hop_length()) / fe.sample_rate();
  return info.event_pool_columns > 1 ? info.event_pool_columns * column_s : o.window_s;
}

// The event's window of the stored recording (exports/event_window.h), read only that far; `window` is set
// to it. nullopt without an event: the whole recording.
std::optional<ExplainedSpan> event_span(ServiceState& state, const StoredAnalysis& stored,
                                        const std::optional<ExplainedEvent>& e, const AnalysisOptions& o,
                                        EventWindow& window) {
  if (!e) return std::nullopt;
  ExplainedSpan span;
  span.seconds = std::max(o.window_s, e->event.offset_s - e->event.onset_s);
  span.read = [&state, &stored, &o, &window, e](const Analyzer& analyzer) {
    const double window_s = event_evidence_s(analyzer, o);
    if (stored.duration_s) {
      window = event_window(e->event.onset_s, e->event.offset_s, window_s, *stored.duration_s);
      return state.pipeline->decode_stored_span(stored, window.start_s, window.end_s);
    }
    Audio whole = state.decode_stored(stored);  // a record without its duration: read whole, then cut
    window = event_window(e->event.onset_s, e->event.offset_s, window_s, whole.duration_s());
    const auto at = [&](double s) {
      return std::min(whole.samples.size(), std::size_t(std::max(0.0, std::floor(s * whole.sample_rate))));
    };
    whole.samples = std::vector<float>(whole.samples.begin() + long(at(window.start_s)),
                                       whole.samples.begin() + long(at(window.end_s)));
    return whole;
  };
  return span;
}

Response get_audio(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  require_stored_audio(stored);
  const auto path = state.store->audio_path(stored.id);
  if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
  Response response;
  response.content_type = stored.content_type;
  response.file_path = *path;
  response.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return response;
}

Response get_figure(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const bool overlay = integer_param(request, "overlay") == 1;
  const int target = overlay ? requested_class(state, stored, request) : -1;
  const std::string key = overlay ? "figure-" + std::to_string(target) + ".png" : "spectrogram.png";
  std::string png;
  if (overlay) {
    const ExplainCompute draw = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& o) {
      const Explanation explanation = analyzer.explain(audio, target, o);
      return as_string(explanation_figure_png(analyzer.spectrogram(audio), explanation, analyzer.model().info().name));
    };
    png = explained_or_computed(state, stored, request, key, draw, target, stored_options(stored, state.config.limits));
  } else {
    const Compute draw = [&](const Analyzer& analyzer, const Audio& audio) {
      return as_string(spectrogram_figure_png(analyzer.spectrogram(audio), analyzer.model().info().name));
    };
    png = cached_or_computed(state, stored, request, key, draw);
  }
  Response response = Response::bytes("image/png", std::move(png));
  response.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return response;
}

// The stored analysis' options with the request's method, contrast,
// faithfulness and sanity (declared once in analysis_options.h).
AnalysisOptions explanation_options(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                                    bool faithfulness_by_default) {
  std::vector<Parameter> wanted;
  for (const auto& p : analysis_parameters())
    if (p.name == "method" || p.name == "contrast" || p.name == "faithfulness" || p.name == "sanity")
      wanted.push_back(p);
  const auto values = parameter_values(wanted, [&](const std::string& name) { return request.param(name); });
  AnalysisOptions o = stored_options(stored, state.config.limits);
  o.method = values.text("method");
  o.contrast = values.text("contrast");
  o.faithfulness = values.was_set("faithfulness") ? values.flag("faithfulness") : faithfulness_by_default;
  o.sanity = values.flag("sanity");
  return o;
}

Response get_explanation(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const auto event = requested_event(state, stored, request);
  const int target = event ? event->event.index : requested_class(state, stored, request);
  const AnalysisOptions options = explanation_options(state, stored, request, true);
  const bool listen = integer_param(request, "listen") == 1;
  // A fused analysis' map is one model's (model=, its first by default), keyed and tagged with it.
  const std::string model = state.map_model(stored, request.param("model"));
  const std::string key = explanation_key("explanation", target, options) + event_part(event) +
                          (model.empty() ? "" : "-" + model) + (listen ? "-l" : "") + ".json";
  EventWindow window;
  const auto span = event_span(state, stored, event, options, window);
  const ExplainCompute explain = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& o) {
    Explanation e = analyzer.explain(audio, target, o, listen);
    e.model = model;
    auto json = explanation_to_json(e);
    if (event) {
      json["event"] = {{"index", event->place},        {"class_index", event->event.index},
                       {"label", event->event.label},  {"onset_s", event->event.onset_s},
                       {"offset_s", event->event.offset_s}};
      json["window"] = {{"start_s", window.start_s}, {"end_s", window.end_s}};
    }
    return json.dump();
  };
  return Response::bytes("application/json",
                         explained_or_computed(state, stored, request, key, explain, target, options, listen, model,
                                               span ? &*span : nullptr));
}

// How the class's probability holds up under noise, channels, gain and delays (robustness/): one class per request.
Response get_robustness(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  require_stored_audio(stored);
  const int target = requested_class(state, stored, request);
  if (stored.duration_s && *stored.duration_s > kServedRobustnessMaxS)
    throw Error(ErrorCode::too_long, "robustness runs the recording once for each of its 21 changes, so the service measures "
                                     "recordings of up to " + std::to_string(int(kServedRobustnessMaxS)) +
                                     " s; this one lasts " + std::to_string(int(*stored.duration_s)) +
                                     " s (soundlens robustness on the command line takes any length)");
  const std::string key = "robustness-" + std::to_string(target) + ".json";
  const ExplainCompute measure = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& o) {
    RobustnessOptions options;
    options.classes = {target};
    options.windows = o;
    return robustness_to_json(robustness(analyzer, audio, options)).dump();
  };
  return Response::bytes("application/json", explained_or_computed(state, stored, request, key, measure, target,
                                                                   stored_options(stored, state.config.limits)));
}

// What the model used (part=kept) or ignored (part=removed), as 16-bit 32 kHz WAV.
Response get_explanation_audio(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  const std::string part = text_param(request, "part");
  const auto event = requested_event(state, stored, request);
  const int target = event ? event->event.index : requested_class(state, stored, request);
  const AnalysisOptions options = explanation_options(state, stored, request, false);
  const std::string model = state.map_model(stored, request.param("model"));
  const std::string key = explanation_key("listen", target, options) + event_part(event) +
                          (model.empty() ? "" : "-" + model) + "-" + part + ".wav";
  EventWindow window;
  const auto span = event_span(state, stored, event, options, window);
  const ExplainCompute hear = [&](const Analyzer& analyzer, const Audio& audio, const AnalysisOptions& o) {
    // The stored analysis' windows and the time limit, as explanation?listen=1 runs the same search.
    const auto parts = analyzer.listen_search(audio, analyzer.explain(audio, target, o), o).audio;
    return as_string(encode_wav_pcm16(part == "kept" ? parts.kept : parts.removed, parts.sample_rate));
  };
  Response response = Response::bytes("audio/wav", explained_or_computed(state, stored, request, key, hear, target,
                                                                         options, false, model, span ? &*span : nullptr));
  response.headers.emplace_back("Cache-Control", "private, max-age=3600");
  return response;
}

// ?start_s=&end_s=&width=: a span at full resolution (one column per frame
// when the span has fewer frames than width). Not cached: spans are many.
Response get_spectrogram_span(ServiceState& state, const StoredAnalysis& stored, const Request& request) {
  const double start_s = number_param(request, "start_s");
  const double end_s = given_number(request, "end_s").value_or(1e6);  // clamped to the recording's end
  if (end_s <= start_s) throw Error(ErrorCode::bad_request, "end_s must be greater than start_s");
  const int width = int(integer_param(request, "width"));
  const auto analyzer = state.analyzer_of(stored);
  auto ticket = state.gate.enter();
  const auto path = state.store->audio_path(stored.id);
  if (!path) throw Error(ErrorCode::not_found, "no analysis with id '" + stored.id + "'");
  double first_s = 0;
  MelSpectrogram mel;
  try {
    // Read as a stream up to the span's end, holding only the span (an overnight recording is never decoded whole).
    // It was accepted under the limit in force then; do not reject it now.
    mel = analyzer->spectrogram(file_reader(*path, DecodeOptions{.max_duration_s = 1e9}), start_s, end_s, &first_s);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::unsupported_format && e.code() != ErrorCode::bad_request) throw;
    state.decode_stored(stored);  // its errors: not_found when deleted meanwhile, else internal, no server path
    throw Error(ErrorCode::internal, "the stored audio of analysis '" + stored.id + "' cannot be decoded");
  }
  return Response::bytes("application/json", spectrogram_to_json(mel, width, first_s).dump());
}

Response get_spectrogram(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);
  if (request.param("start_s") || request.param("end_s") || request.param("width"))
    return get_spectrogram_span(state, stored, request);
  const int columns = int(integer_param(request, "max_columns"));
  std::string key = "spectrogram-" + std::to_string(columns) + ".json";
  // Without the audio only the one made at upload exists (1000 columns at most, coarse): a page asking for
  // fewer columns draws it scaled rather than being told 410.
  if (!state.config.store_audio && !state.store->read_cache(stored.id, key)) key = "spectrogram-1000.json";
  // Under either privacy option the cache is no finer than the page draws (privacy/viewer_spectrogram.h),
  // and is made from the stored audio, which is the redacted audio.
  const bool coarse = state.config.coarse_viewer();
  const Compute draw = [&](const Analyzer& analyzer, const Audio& audio) {
    const MelSpectrogram mel = analyzer.spectrogram(audio);
    return spectrogram_to_json(coarse ? coarse_spectrogram(mel) : mel, columns).dump();
  };
  return Response::bytes("application/json", cached_or_computed(state, stored, request, key, draw));
}

// A full explanation queue is worth retrying later than a full upload queue:
// an explanation holds its slot for seconds to minutes.
Handler explanation_route(ServiceState& state, Response (*route)(ServiceState&, const Request&)) {
  return [&state, route](const Request& r) {
    try {
      return route(state, r);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::busy) throw;
      Response busy = error_response(e.code(), e.what());
      for (auto& [name, value] : busy.headers)
        if (name == "Retry-After") value = "10";
      return busy;
    }
  };
}

}  // namespace

void add_media_routes(ServiceState& state, HandlerMap& handlers) {
  handlers["getAnalysisAudio"] = [&state](const Request& r) { return get_audio(state, r); };
  handlers["getAnalysisFigure"] = explanation_route(state, get_figure);
  handlers["getAnalysisExplanation"] = explanation_route(state, get_explanation);
  handlers["getAnalysisRobustness"] = explanation_route(state, get_robustness);
  handlers["getAnalysisExplanationAudio"] = explanation_route(state, get_explanation_audio);
  handlers["getAnalysisSpectrogram"] = [&state](const Request& r) { return get_spectrogram(state, r); };
}

}  // namespace soundlens::http
