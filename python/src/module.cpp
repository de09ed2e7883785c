// soundlens._engine: the C++ engine for Python. The same code as `soundlens
// analyze` (analyze_file, the one option table, the same JSON writers); this
// file only converts. Python's soundlens/__init__.py builds the friendly API
// (Analysis, Model, numpy maps) on top of it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Python.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <tuple>
#include <memory>
#include <optional>
#include <string>

#include "analysis/analysis_json.h"
#include "analysis/analysis_options.h"
#include "analysis_events/analysis_events.h"
#include "analysis_events/event_options.h"
#include "service/file_analysis/file_analysis.h"
#include "audio/wav_writer.h"
#include "core/build_info.h"
#include "core/cancel_token.h"
#include "core/error.h"
#include "model/model.h"
#include "model/model_facts.h"
#include "model/model_registry.h"
#include "render/analysis_figure.h"

namespace py = pybind11;
using namespace soundlens;

namespace {

// Every option a Python call may name (as HTTP names them: top_k, window_s, ...).
const std::vector<Parameter>& python_parameters() {
  static const std::vector<Parameter> all = [] {
    std::vector<Parameter> out;
    for (const auto* list : {&analysis_parameters(), &event_parameters(), &analysis_limit_parameters(),
                             &file_analysis_parameters()})
      out.insert(out.end(), list->begin(), list->end());
    return out;
  }();
  return all;
}

// Values given as text (the Python side turns numbers, booleans and lists into
// it); a name that is not declared is refused, naming the ones that are.
ParameterValues parse_options(const std::map<std::string, std::string>& given) {
  const auto& declared = python_parameters();
  for (const auto& [name, value] : given) {
    const bool known = std::any_of(declared.begin(), declared.end(),
                                   [&](const Parameter& p) { return p.http_name() == name; });
    if (!known) {
      std::string names;
      for (const auto& p : declared) names += (names.empty() ? "" : ", ") + p.http_name();
      throw Error(ErrorCode::bad_request, "unknown option '" + name + "' (options: " + names + ")");
    }
  }
  return parameter_values(declared, [&](const std::string& name) -> std::optional<std::string> {
    const auto it = given.find(name);
    return it == given.end() ? std::nullopt : std::optional(it->second);
  });
}

// Ctrl-C while the engine runs without the GIL: the engine checks its stop
// token now and then (per batch of windows, inside the explanation methods'
// loops); the token's poll takes the GIL for a moment and lets Python look at
// its signals (only on the main thread, where Python delivers them).
class Interrupt {
 public:
  Interrupt() : token_([this] { return poll(); }, "interrupted (Ctrl-C)") {}
  const CancelToken* token() const { return &token_; }
  bool raised() const { return raised_; }

 private:
  bool poll() {
    py::gil_scoped_acquire gil;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      raised_ = true;
    }
    return raised_.load();
  }

  std::atomic<bool> raised_ = false;
  CancelToken token_;
};

// One analysis with what later calls need: the decoded audio (empty when the
// recording was streamed; then it is decoded again on demand) and the options.
struct Result {
  std::shared_ptr<const Analyzer> analyzer;
  FileAnalysisSetup setup;
  std::string path;  // "" for an array
  FileAnalysis analysis;
  bool all_probabilities = false;

  const Audio& audio() {
    if (analysis.audio.samples.empty()) analysis.audio = decode_file(path, setup.decode);
    return analysis.audio;
  }

  std::string json() const {
    auto j = analysis_to_json(analysis.analysis, JsonOptions{all_probabilities});
    add_events_json(j, analysis.events);
    if (!path.empty()) j["file"] = path;
    return j.dump();
  }
};

template <typename F>
auto without_gil(Interrupt& interrupt, F&& work) {
  try {
    py::gil_scoped_release released;
    return work();
  } catch (const Error& e) {
    if (interrupt.raised()) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
      throw py::error_already_set();
    }
    throw;
  }
}

class Engine {
 public:
  Engine(const std::string& model, const std::string& model_dir) {
    const auto search = model_search_path(model_dir);
    // The weights first (in order, not as two arguments): without a models folder
    // the message names the file, where it was looked for and where to get it.
    auto network = load_model(model, search);
    analyzer_ = std::make_shared<Analyzer>(std::move(network), load_labels(search));
  }

  std::shared_ptr<Result> analyze_path(const std::string& path, const std::map<std::string, std::string>& options,
                                       bool all_probabilities) {
    auto result = prepare(options, all_probabilities);
    result->path = path;
    Interrupt interrupt;
    result->setup.options.stop = interrupt.token();
    result->analysis = without_gil(interrupt, [&] { return analyze_file(result->setup, path); });
    result->setup.options.stop = nullptr;  // the token dies with this call
    return result;
  }

  // Interleaved float32 frames at any rate: written as a float WAV in memory and
  // decoded like a file, so resampling, downmixing and the NaN check are the decoder's.
  std::shared_ptr<Result> analyze_samples(py::bytes interleaved, int channels, int sample_rate,
                                          const std::map<std::string, std::string>& options, bool all_probabilities) {
    auto result = prepare(options, all_probabilities);
    const std::string raw = interleaved;
    const std::span<const float> samples(reinterpret_cast<const float*>(raw.data()), raw.size() / sizeof(float));
    Interrupt interrupt;
    result->setup.options.stop = interrupt.token();
    result->analysis = without_gil(interrupt, [&] {
      const auto wav = encode_wav_float32(samples, channels, sample_rate);
      return analyze_audio(result->setup, decode_memory(wav, result->setup.decode));
    });
    result->setup.options.stop = nullptr;  // the token dies with this call
    return result;
  }

  std::string name() const { return analyzer_->model().info().name; }

  // An index or a class name, as --class takes it.
  int class_index(const std::string& index_or_name) const {
    const auto index = analyzer_->labels().find(index_or_name);
    if (!index) throw Error(ErrorCode::bad_request, "unknown class '" + index_or_name + "'");
    return *index;
  }

 private:
  std::shared_ptr<Result> prepare(const std::map<std::string, std::string>& options, bool all_probabilities) {
    const ParameterValues p = parse_options(options);
    auto result = std::make_shared<Result>();
    result->analyzer = analyzer_;
    result->all_probabilities = all_probabilities;
    FileAnalysisSetup& setup = result->setup;
    setup.analyzer = analyzer_.get();
    setup.options = analysis_options(p);
    setup.options.limits = analysis_limits(p);
    setup.events = event_options(p);
    setup.decode.max_duration_s = p.number("max-duration-s");
    ask_for_event_classes(setup.options, *analyzer_, setup.events);
    set_inference_threads(int(p.integer("threads")));
    return result;
  }

  std::shared_ptr<Analyzer> analyzer_;
};

// One class explained again with a method and checks of the caller's choosing.
std::string explain_class(Result& r, int class_index, const std::map<std::string, std::string>& options, bool listen) {
  const ParameterValues p = parse_options(options);
  AnalysisOptions o = analysis_options(p);
  o.limits = analysis_limits(p);
  Interrupt interrupt;
  o.stop = interrupt.token();
  const Audio& audio = r.audio();
  const Explanation e = without_gil(interrupt, [&] { return r.analyzer->explain(audio, class_index, o, listen); });
  return explanation_to_json(e).dump();
}

// The listening search (analysis/analysis.h, Analyzer::listen_search): the kept and removed audio and its
// result as the analysis JSON's "listen" (probabilities, keep_fraction, kept_fraction, keeps_class,
// under_half, absent_class, message), with the caller's windows and time limit.
py::tuple listen_to_class(Result& r, int class_index, const std::map<std::string, std::string>& options) {
  const ParameterValues p = parse_options(options);
  AnalysisOptions o = analysis_options(p);
  o.limits = analysis_limits(p);
  Interrupt interrupt;
  o.stop = interrupt.token();
  const Audio& audio = r.audio();
  ListenResult heard = without_gil(interrupt, [&] {
    const Explanation e = r.analyzer->explain(audio, class_index, o);
    return r.analyzer->listen_search(audio, e, o);
  });
  auto as_bytes = [](const std::vector<float>& v) {
    return py::bytes(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float));
  };
  return py::make_tuple(as_bytes(heard.audio.kept), as_bytes(heard.audio.removed), heard.audio.sample_rate,
                        listen_to_json(Analyzer::check_of(heard)).dump());
}

py::bytes figure_of_class(Result& r, std::optional<int> class_index, const std::map<std::string, std::string>& options) {
  const ParameterValues p = parse_options(options);
  AnalysisOptions o = analysis_options(p);
  Interrupt interrupt;
  o.stop = interrupt.token();
  const Audio& audio = r.audio();
  const auto png = without_gil(interrupt, [&] {
    const std::string& model = r.analyzer->model().info().name;
    if (!class_index) return spectrogram_figure_png(r.analyzer->spectrogram(audio), model);
    const Explanation e = r.analyzer->explain(audio, *class_index, o);
    return explanation_figure_png(r.analyzer->spectrogram(audio), e, model);
  });
  return py::bytes(reinterpret_cast<const char*>(png.data()), png.size());
}

std::string models(const std::string& model_dir) {
  auto list = nlohmann::json::array();
  const auto search = model_search_path(model_dir);
  for (const auto& info : known_models()) {
    const auto availability = find_model(info.name, search);
    auto facts = model_facts_json(info, availability);
    if (!availability.found) facts["looked_in"] = availability.looked_in;  // as `soundlens models` prints
    list.push_back(std::move(facts));
  }
  return list.dump();
}

std::string options_help() {
  auto list = nlohmann::json::array();
  for (const auto& p : python_parameters())
    list.push_back({{"name", p.http_name()}, {"help", p.help}, {"default", p.default_value}});
  return list.dump();
}

}  // namespace

PYBIND11_MODULE(_engine, m) {
  m.doc() = "soundlens' C++ engine (use the soundlens package, not this module)";
  static py::exception<Error> error(m, "EngineError");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      py::object args = py::make_tuple(error_code_name(e.code()), std::string(e.what()));
      PyErr_SetObject(error.ptr(), args.ptr());
    }
  });
  py::class_<Result, std::shared_ptr<Result>>(m, "Result")
      .def("json", &Result::json)
      .def("explain", &explain_class, py::arg("class_index"), py::arg("options"), py::arg("listen") = false)
      .def("listen", &listen_to_class, py::arg("class_index"), py::arg("options"))
      .def("figure", &figure_of_class, py::arg("class_index"), py::arg("options"));
  py::class_<Engine>(m, "Engine")
      .def(py::init<const std::string&, const std::string&>(), py::arg("model"), py::arg("model_dir"))
      .def_property_readonly("name", &Engine::name)
      .def("class_index", &Engine::class_index)
      .def("analyze_path", &Engine::analyze_path)
      .def("analyze_samples", &Engine::analyze_samples);
  m.def("models", &models, py::arg("model_dir"));
  m.def("options_help", &options_help);
  m.attr("version") = SOUNDLENS_VERSION;
  m.attr("commit") = build_commit();
}
