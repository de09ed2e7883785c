// Each explanation method's own checks on real clips, through the analyzer as
// the service runs them (mn04_as, the clip's top class):
//   faithful   the map's deletion score beats its same-cells random map's
//   kept>rem.  the listening search's kept audio scores above the removed audio
//   < half     ... and keeps the class at 80 % with at most half of the spectrogram
//   sanity     the model-randomisation correlation ends below 0.5 (first S clips per folder)
//   located    events-dev mixtures: the peak column of the map's time profile lies in the
//              event's truth span (+- one column), on a 10 s cut centred on the event
//   cost       median time of the map alone, and of map + faithfulness + listening
// Run: build/bench/explain_measure/explain_measure [clips per folder=10] [sanity clips per folder=3]
//      [events=20] [methods=gradcam,gradcam++,layercam,integrated-gradients]
// One line per clip and method goes to stderr; the table to stdout.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "audio/audio.h"
#include "core/error.h"
#include "model/model_registry.h"

using namespace soundlens;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kShared = SOUNDLENS_SHARED_DIR;

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct Tally {
  int clips = 0, absent = 0, faithful = 0, kept_wins = 0, under_half = 0, sanity_runs = 0, sanity_passes = 0;
  int events = 0, located = 0;
  std::vector<double> map_ms, checks_ms;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::vector<std::string> clips_in(const std::string& folder, const std::string& ext, int n) {
  std::vector<std::string> all;
  for (const auto& e : fs::recursive_directory_iterator(kShared + "/audio/" + folder))
    if (e.is_regular_file() && e.path().extension() == ext) all.push_back(e.path().string());
  std::sort(all.begin(), all.end());
  // Spread over the sorted list (events-dev clips are sorted by class): every k-th.
  std::vector<std::string> out;
  const double step = std::max(1.0, double(all.size()) / n);
  for (double i = 0; i < all.size() && int(out.size()) < n; i += step) out.push_back(all[std::size_t(i)]);
  return out;
}

std::string percent(int part, int whole) {
  if (whole == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f %% (%d/%d)", 100.0 * part / whole, part, whole);
  return text;
}

struct TruthEvent {
  std::string file;
  int class_index;
  double onset, offset;
};

std::vector<TruthEvent> truth_events(int n) {
  std::ifstream in(kShared + "/audio/events-dev/truth.csv");
  std::string line;
  std::getline(in, line);
  std::vector<TruthEvent> all;
  while (std::getline(in, line)) {
    std::stringstream row(line);
    std::string file, cls, index, onset, offset;
    std::getline(row, file, ','), std::getline(row, cls, ','), std::getline(row, index, ',');
    std::getline(row, onset, ','), std::getline(row, offset, ',');
    all.push_back({file, std::stoi(index), std::stod(onset), std::stod(offset)});
  }
  std::vector<TruthEvent> out;
  const double step = std::max(1.0, double(all.size()) / n);
  for (double i = 0; i < all.size() && int(out.size()) < n; i += step) out.push_back(all[std::size_t(i)]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const int per_folder = argc > 1 ? std::atoi(argv[1]) : 10;
  const int sanity_per_folder = argc > 2 ? std::atoi(argv[2]) : 3;
  const int n_events = argc > 3 ? std::atoi(argv[3]) : 20;
  std::vector<std::string> methods = {"gradcam", "gradcam++", "layercam", "integrated-gradients"};
  if (argc > 4) {
    methods.clear();
    std::stringstream list(argv[4]);
    for (std::string m; std::getline(list, m, ',');) methods.push_back(m);
  }
  set_inference_threads(0);
  const auto model = load_model("mn04_as", {kShared + "/models"});
  const auto labels = load_labels({kShared + "/models"});
  const Analyzer analyzer(model, labels);
  std::map<std::string, Tally> tally;

  for (const auto& [folder, ext] : std::vector<std::pair<std::string, std::string>>{
           {"esc50-sample", ".flac"}, {"cough", ".flac"}, {"events-dev/clips", ".flac"}}) {
    int index = 0;
    for (const auto& path : clips_in(folder, ext, per_folder)) {
      const bool with_sanity = index++ < sanity_per_folder;
      const Audio audio = decode_file(path);
      AnalysisOptions top;
      top.top_k = 1;
      const int target = analyzer.analyze(audio, top).predictions.at(0).index;
      for (const auto& method : methods) {
        Tally& t = tally[method];
        AnalysisOptions o;
        o.method = method;
        try {
          auto t0 = Clock::now();
          (void)analyzer.explain(audio, target, o);
          t.map_ms.push_back(ms_since(t0));
          o.faithfulness = true;
          t0 = Clock::now();
          const Explanation e = analyzer.explain(audio, target, o, true);
          t.checks_ms.push_back(ms_since(t0));
          const auto& f = *e.faithfulness;
          const auto& l = *e.listen->search;
          ++t.clips;
          if (f.absent_class || l.absent_class) ++t.absent;
          else {
            t.faithful += f.score > f.random_score;
            t.kept_wins += l.kept_probability > l.removed_probability;
            t.under_half += l.under_half;
          }
          std::string sanity = "-";
          if (with_sanity) {
            o.faithfulness = false;
            o.sanity = true;
            const auto s = *analyzer.explain(audio, target, o).sanity;
            ++t.sanity_runs;
            t.sanity_passes += s.passed;
            sanity = std::to_string(s.steps.back().spearman);
          }
          std::fprintf(stderr, "%s\t%s\t%s %.3f\tfaith %.3f vs %.3f\tkept %.3f removed %.3f at %.1f%%\tsanity %s\n",
                       fs::path(path).filename().c_str(), method.c_str(), labels->name(target).c_str(),
                       e.target.probability, f.score, f.random_score, l.kept_probability, l.removed_probability,
                       100 * l.kept_fraction, sanity.c_str());
        } catch (const Error& error) {
          std::fprintf(stderr, "%s\t%s\terror: %s\n", path.c_str(), method.c_str(), error.what());
        }
      }
    }
  }

  // Localisation on the events-dev mixtures: 10 s around each event.
  std::map<std::string, Audio> mixtures;
  for (const auto& ev : truth_events(n_events)) {
    if (!mixtures.count(ev.file)) mixtures[ev.file] = decode_file(kShared + "/audio/events-dev/" + ev.file);
    const Audio& whole = mixtures[ev.file];
    const double total = whole.duration_s();
    const double start = std::clamp((ev.onset + ev.offset) / 2 - 5.0, 0.0, std::max(0.0, total - 10.0));
    Audio cut = whole;
    cut.samples.assign(whole.samples.begin() + std::ptrdiff_t(start * 32000),
                       whole.samples.begin() + std::ptrdiff_t(std::min(total, start + 10.0) * 32000));
    for (const auto& method : methods) {
      AnalysisOptions o;
      o.method = method;
      try {
        const auto e = analyzer.explain(cut, ev.class_index, o);
        std::vector<double> profile(std::size_t(e.cam.cols), 0.0);
        for (int r = 0; r < e.cam.rows; ++r)
          for (int c = 0; c < e.cam.cols; ++c) profile[std::size_t(c)] += e.cam.at(r, c);
        const int peak = int(std::max_element(profile.begin(), profile.end()) - profile.begin());
        const double spc = e.cam.seconds_per_column, t0 = start + peak * spc, t1 = t0 + spc;
        Tally& t = tally[method];
        ++t.events;
        t.located += t1 > ev.onset - spc && t0 < ev.offset + spc;
      } catch (const Error& error) {
        std::fprintf(stderr, "%s event at %.1f\t%s\terror: %s\n", ev.file.c_str(), ev.onset, method.c_str(),
                     error.what());
      }
    }
  }

  std::printf("| method | clips (absent class) | faithful > random | kept > removed | keeps 80 %% with < half | "
              "sanity < 0.5 | event located | map (median) | map + faithfulness + listening (median) |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& method : methods) {
    const Tally& t = tally[method];
    const int present = t.clips - t.absent;
    std::printf("| `%s` | %d (%d) | %s | %s | %s | %s | %s | %.0f ms | %.0f ms |\n", method.c_str(), t.clips, t.absent,
                percent(t.faithful, present).c_str(), percent(t.kept_wins, present).c_str(),
                percent(t.under_half, present).c_str(), percent(t.sanity_passes, t.sanity_runs).c_str(),
                percent(t.located, t.events).c_str(), median(t.map_ms), median(t.checks_ms));
  }
  return 0;
}
