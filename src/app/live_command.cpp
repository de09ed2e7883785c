// soundlens live: listen to standard input, a paced file or a device, and
// report windows and events as they happen (src/live/). This file parses the
// options, loads the model and wires the session; SIGINT and SIGTERM end it
// cleanly (what was heard analysed, the files closed valid, the totals printed).
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <optional>

#include "analysis/analysis.h"
#include "audio/capture.h"
#include "app/commands.h"
#include "core/error.h"
#include "live/live_options.h"
#include "live/live_run.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_stop_signal(int signal) {
  g_signal.store(signal);
  g_stop.store(true);
}

void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

}  // namespace

int run_live(const std::vector<std::string>& args) {
  const auto& declared = live_parameters();
  const auto cmd = parse_parameters(declared, args);
  const auto& p = cmd.parameters;
  if (p.flag("help")) {
    std::cout << "usage: soundlens live [--input -|FILE|alsa:NAME|pulse:NAME] [--format s16le|f32le --rate HZ --channels N] "
                 "[--pace X] [--class NAME]... [--record OUT.wav] [--events-csv OUT.csv] [--json]\n\noptions:\n"
              << parameters_help(declared);
    return 0;
  }
  LiveCommandOptions o = live_options(p);
  // A positional argument is the input, as `soundlens live -` or `soundlens live FILE`.
  if (cmd.positional.size() > 1) throw Error(ErrorCode::bad_request, "live takes one input (--input or one argument)");
  if (cmd.positional.size() == 1) {
    if (p.was_set("input")) throw Error(ErrorCode::bad_request, "give the input once: --input or an argument");
    o.source.input = cmd.positional.front();
  }
  // Options that cannot apply are refused rather than ignored.
  for (const char* name : {"format", "rate", "channels"})
    if (o.source.input != "-" && p.was_set(name))
      throw Error(ErrorCode::bad_request, std::string("--") + name + " describes raw PCM on standard input (- as the "
                                                                     "input); a file says its own format");
  if (o.source.input == "-" && p.was_set("pace"))
    throw Error(ErrorCode::bad_request, "--pace applies to a file; standard input arrives at its own pace");
  if (names_capture_device(o.source.input) && p.was_set("pace"))
    throw Error(ErrorCode::bad_request, "--pace applies to a file; a capture device delivers at its own pace");
  if (o.source.input == "-" && ::isatty(STDIN_FILENO) == 1)
    throw Error(ErrorCode::bad_request, "standard input is a terminal: pipe raw PCM in (e.g. arecord -q -t raw -f "
                                        "S16_LE -r 32000 -c 1 | soundlens live -) or give --input FILE");
  const LiveSource source = open_source(o.source);  // bad options and missing files before the model loads
  std::unique_ptr<Recorder> record;
  std::optional<EventsCsvFile> csv;
  set_inference_threads(int(o.threads));
  const auto search = model_search_path(o.model_dir);
  const Analyzer analyzer(load_model(o.model, search), load_labels(search));
  for (const auto& name : o.classes) {
    const auto index = analyzer.labels().find(name);
    if (!index) throw Error(ErrorCode::bad_request, "--class: unknown class " + quoted_value(name));
    o.settings.watched.push_back(*index);
  }
  LiveEngine engine(analyzer, o.settings);
  if (!o.record.empty()) record = open_recorder(o.record);
  if (!o.events_csv.empty()) csv.emplace(o.events_csv);
  LiveReportOptions view;
  view.json = o.json;
  view.terminal = ::isatty(STDOUT_FILENO) == 1;
  view.model = analyzer.model().info().name;
  view.window_s = o.settings.window_s;
  view.hop_s = o.settings.hop_s;
  LiveReport report(std::cout, std::cerr, view, csv ? &*csv : nullptr);
  LiveRunSettings run;
  run.real_time = source_is_real_time(o.source);
  run.max_lag_s = o.max_lag_s;
  run.hop_s = o.settings.hop_s;
  catch_stop_signals();
  const LiveRunResult result = run_live(engine, source, run, record.get(), report, g_stop);
  if (csv) csv->close();
  return result.stopped ? 128 + g_signal.load() : 0;
}

}  // namespace soundlens
