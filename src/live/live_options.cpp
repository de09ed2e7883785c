#include "live/live_options.h"

#include "analysis_events/event_options.h"
#include "core/error.h"
#include "model/model_registry.h"

namespace soundlens {
namespace {

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& m : known_models()) names.push_back(m.name);
  return names;
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace

const std::vector<Parameter>& live_parameters() {
  using K = Parameter::Kind;
  static const std::vector<Parameter> list = [] {
    // The stream's own options (shared with the service's sessions) among the command's.
    const auto stream = [](const std::string& name) {
      for (const auto& p : live_stream_parameters())
        if (p.name == name) return p;
      throw Error(ErrorCode::internal, "no live stream parameter " + name);
    };
    std::vector<Parameter> all{
        {"input", "what to listen to: - (raw PCM on standard input), a file (decoded, paced by --pace), or a "
                  "capture device alsa:NAME / pulse:NAME", "-", K::text, 0, 0, {}},
        stream("format"),
        stream("rate"),
        {"channels", "standard input's channels (averaged to mono)", "1", K::integer, 1, 64, {}},
        {"pace", "a file is read at this many times real time; 0: as fast as the analysis goes (no window dropped)",
         "1", K::number, 0, 1000, {}},
        {"model", "model to use (see: soundlens models)", default_model_name(), K::text, 0, 0, model_names()},
        {"model-dir", "directory searched first for model files", "", K::text, 0, 0, {}},
        stream("class"),
        stream("window-s"),
        stream("hop-s"),
        stream("settle-s"),
        stream("top-k"),
        {"record", "write what is heard to this .wav or .flac file (16-bit, 32 kHz mono) as it goes", "", K::text, 0, 0, {}},
        {"events-csv", "write the events to this CSV file as they end", "", K::text, 0, 0, {}},
        {"json", "one JSON object per line (hop, event_start, event, warning, summary)", "", K::flag, 0, 0, {}},
        {"threads", "inference threads", "1", K::integer, 1, 256, {}},
        stream("max-lag-s"),
        {"help", "show this help", "", K::flag, 0, 0, {}},
    };
    for (const auto& p : event_parameters())
      if (p.name != "event-window-s" && p.name != "event-hop-s") all.push_back(p);
    return all;
  }();
  return list;
}

LiveCommandOptions live_options(const ParameterValues& v) {
  LiveCommandOptions o;
  o.source.input = v.text("input");
  o.source.format = v.text("format");
  o.source.rate = v.integer("rate");
  o.source.channels = v.integer("channels");
  o.source.pace = v.number("pace");
  o.model = v.text("model");
  o.model_dir = v.text("model-dir");
  o.classes = list_items(v.text("class"));
  o.settings.window_s = v.number("window-s");
  o.settings.hop_s = v.number("hop-s");
  if (o.settings.hop_s > o.settings.window_s)
    throw Error(ErrorCode::bad_request, "--hop-s (" + number_text(o.settings.hop_s) + ") must not exceed --window-s (" +
                                            number_text(o.settings.window_s) + ")");
  o.settings.top_k = int(v.integer("top-k"));
  o.settings.settle_s = v.number("settle-s");
  if (o.settings.settle_s > o.settings.window_s)
    throw Error(ErrorCode::bad_request, "--settle-s (" + number_text(o.settings.settle_s) + ") must not exceed --window-s (" +
                                            number_text(o.settings.window_s) + ")");
  o.settings.events.detect.window_high = v.number("event-threshold");
  o.settings.events.detect.window_low = v.number("event-threshold-low");
  o.settings.events.detect.min_duration_s = v.number("event-min-duration-s");
  o.settings.events.detect.merge_gap_s = v.number("event-merge-gap-s");
  o.settings.events.window_s = o.settings.window_s;
  o.settings.events.hop_s = o.settings.hop_s;
  validate_event_options(o.settings.events);
  o.record = v.text("record");
  o.events_csv = v.text("events-csv");
  o.json = v.flag("json");
  o.threads = v.integer("threads");
  o.max_lag_s = v.number("max-lag-s");
  return o;
}

}  // namespace soundlens
