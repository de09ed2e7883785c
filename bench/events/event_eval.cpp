// Chooses the event detection defaults by measurement: runs mn04_as over the
// evaluation set of tests/events for several window settings, then sweeps the
// detection options and prints event F1 (onset within 0.5 s) and the
// cough-count error.   event_eval [--truth OUT.csv]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "eval.h"
#include "model/model_registry.h"
#include "test_paths.h"

using namespace soundlens;
using namespace soundlens::eval;

int main(int argc, char** argv) {
  const auto set = make_eval_set();
  if (argc == 3 && std::string(argv[1]) == "--truth") std::ofstream(argv[2]) << truth_csv(set.truth);
  const Analyzer analyzer(load_model("mn04_as", {test::models_dir()}), load_labels({test::models_dir()}));
  const auto watched = watched_classes();
  std::printf("%zu scenes, %zu events (%d coughs)\n", set.scenes.size(), set.truth.size(),
              int(std::count_if(set.truth.begin(), set.truth.end(), [](auto& t) { return t.index == 47; })));
  if (argc == 2 && std::string(argv[1]) == "--diagnose") {
    // Each true event: the best window probability of its classes, and the nearest detection of them.
    const EventOptions o;
    for (const auto& s : set.scenes) {
      const auto a = analyse(analyzer, s.audio, 5, 1, watched);
      const auto r = detect_events(a.timeline, a.profiles, a.duration_s, o);
      for (const auto& t : set.truth) {
        if (t.scene != s.id) continue;
        float best = 0;
        for (const auto& w : a.timeline)
          if (w.start_s < t.offset_s && w.end_s > t.onset_s)
            for (int c : t.accepts) best = std::max(best, w.probabilities[std::size_t(c)]);
        double nearest = 1e9, nearest_off = 0;
        for (const auto& e : r.events)
          if (std::find(t.accepts.begin(), t.accepts.end(), e.index) != t.accepts.end() &&
              std::fabs(e.onset_s - t.onset_s) < std::fabs(nearest - t.onset_s))
            nearest = e.onset_s, nearest_off = e.offset_s;
        std::printf("scene %2d %-12.12s %6.2f-%6.2f  window p %.3f  nearest %7.2f-%7.2f  %s\n", s.id, t.label.c_str(),
                    t.onset_s, t.offset_s, best, nearest, nearest_off,
                    std::fabs(nearest - t.onset_s) <= 0.5 ? "hit" : "MISS");
      }
      for (const auto& e : r.events)
        if (std::find(watched.begin(), watched.end(), e.index) != watched.end())
          std::printf("     detected %-12.12s %6.2f-%6.2f p %.3f\n", e.label.c_str(), e.onset_s, e.offset_s,
                      e.probability);
    }
    return 0;
  }
  for (auto [window_s, hop_s] : std::vector<std::pair<double, double>>{{5, 1}, {10, 5}, {5, 2}, {3, 1}}) {
    std::vector<Analysed> analysed;
    for (const auto& s : set.scenes) analysed.push_back(analyse(analyzer, s.audio, window_s, hop_s, watched));
    struct Row {
      EventOptions o;
      Score s;
    };
    std::vector<Row> rows;
    for (double wh : {0.1, 0.15, 0.2, 0.25, 0.3, 0.4})
      for (double wl_ratio : {0.5, 0.75, 1.0})
        for (double ph : {0.2, 0.3, 0.4, 0.5, 0.7})
          for (double pl_ratio : {0.5, 0.75, 1.0})
            for (double gap : {0.5, 1.0, 1.5})
              for (double min_d : {0.0, 0.3, 0.6, 0.9}) {
                EventOptions o;
                o.window_high = wh;
                o.window_low = wh * wl_ratio;
                o.profile_high = ph;
                o.profile_low = ph * pl_ratio;
                o.merge_gap_s = gap;
                o.min_duration_s = min_d;
                Score score;
                for (std::size_t i = 0; i < analysed.size(); ++i) {
                  const auto r = detect_events(analysed[i].timeline, analysed[i].profiles, analysed[i].duration_s, o);
                  score_scene(set.truth, set.scenes[i].id, r.events, watched, 0.5, score);
                }
                rows.push_back({o, score});
              }
    auto print = [](const char* what, const Row& r) {
      std::printf(
          "  %-9s high %.2f low %.3f | profile %.2f/%.3f | gap %.1f min %.1f : F1 %.3f (P %.3f R %.3f, "
          "%d/%d/%d) coughs %d found of %d, count error %.3f\n",
          what, r.o.window_high, r.o.window_low, r.o.profile_high, r.o.profile_low, r.o.merge_gap_s, r.o.min_duration_s,
          r.s.f1(), r.s.precision(), r.s.recall(), r.s.true_positives, r.s.false_positives, r.s.truths,
          r.s.coughs_found, r.s.coughs_true, r.s.cough_count_error());
    };
    std::printf("window %.0f s, hop %.0f s\n", window_s, hop_s);
    {
      Row defaults{EventOptions{}, Score{}};
      for (std::size_t i = 0; i < analysed.size(); ++i) {
        const auto r = detect_events(analysed[i].timeline, analysed[i].profiles, analysed[i].duration_s, defaults.o);
        score_scene(set.truth, set.scenes[i].id, r.events, watched, 0.5, defaults.s);
      }
      print("defaults", defaults);
      // The ceiling the model sets: true events whose own windows reach the threshold at all.
      int reachable = 0;
      for (const auto& t : set.truth) {
        float best = 0;
        for (const auto& w : analysed[std::size_t(t.scene)].timeline)
          if (w.start_s < t.offset_s && w.end_s > t.onset_s)
            for (int c : t.accepts) best = std::max(best, w.probabilities[std::size_t(c)]);
        reachable += best >= defaults.o.window_high;
      }
      std::printf("  true events whose windows reach window_high: %d of %zu\n", reachable, set.truth.size());
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.s.f1() > b.s.f1(); });
    for (std::size_t i = 0; i < 25 && i < rows.size(); ++i) print("best", rows[i]);
    std::fflush(stdout);
  }
}
