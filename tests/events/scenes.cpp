#include "scenes.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "test_paths.h"

namespace soundlens::eval {
namespace {

struct Source {
  std::string file;
  std::vector<int> accepts;  // first: the class it is
  std::string label;
};

// One ESC-50 clip per class whose sound AudioSet names (ESC-50 classes without
// an AudioSet counterpart are left out).
const std::vector<Source>& esc50_events() {
  static const std::vector<Source> s{
      {"esc50-sample/4-152995-A-24.flac", {47}, "Cough"},
      {"esc50-sample/4-156843-A-21.flac", {49}, "Sneeze"},
      {"esc50-sample/4-182395-A-0.flac", {74, 75}, "Dog"},
      {"esc50-sample/4-182034-A-30.flac", {359, 354}, "Knock"},
      {"esc50-sample/4-167077-A-20.flac", {23, 22}, "Baby cry, infant cry"},
      {"esc50-sample/4-132803-A-26.flac", {16, 20}, "Laughter"},
      {"esc50-sample/4-120160-A-5.flac", {81, 83}, "Cat"},
      {"esc50-sample/4-189828-A-22.flac", {63, 67}, "Clapping"},
      {"esc50-sample/4-175845-A-43.flac", {308}, "Vehicle horn, car horn, honking"},
      {"esc50-sample/4-164021-A-1.flac", {99, 101}, "Chicken, rooster"},
      {"esc50-sample/4-204115-A-39.flac", {443, 441}, "Shatter"},
      {"esc50-sample/4-136381-A-9.flac", {117, 118}, "Crow"},
  };
  return s;
}

const std::vector<std::string>& backgrounds() {
  static const std::vector<std::string> b{"esc50-sample/3-132852-A-10.flac",   // rain
                                          "esc50-sample/2-104952-A-16.flac",   // wind
                                          "esc50-sample/4-167063-A-11.flac"};  // sea waves
  return b;
}

// Real coughs, one recording each: the short ones (at most 6 s) of the cough set.
std::vector<Source> cough_events() {
  std::ifstream meta(test::shared_audio("cough/meta.csv"));
  std::string line;
  std::getline(meta, line);
  std::vector<Source> out;
  while (std::getline(meta, line)) {
    std::vector<std::string> f(1);
    for (char c : line)
      if (c == ',')
        f.emplace_back();
      else
        f.back() += c;
    if (f.size() > 10 && std::stod(f[10]) <= 6.0) out.push_back({"cough/" + f[0], {47}, "Cough"});
  }
  std::sort(out.begin(), out.end(), [](const Source& a, const Source& b) { return a.file < b.file; });
  return out;
}

double rms(const std::vector<float>& x, std::size_t begin, std::size_t end) {
  double e = 0;
  for (std::size_t i = begin; i < end; ++i) e += double(x[i]) * x[i];
  return end > begin ? std::sqrt(e / double(end - begin)) : 0;
}

// The loudest burst of a recording: 20 ms frames within 30 dB of the loudest
// frame, joined across gaps under 0.3 s, around the loudest frame; at most 4 s.
std::pair<std::size_t, std::size_t> loudest_burst(const std::vector<float>& x, int rate) {
  const std::size_t frame = std::size_t(rate) / 50;
  const std::size_t frames = x.size() / frame;
  std::vector<double> level(frames);
  for (std::size_t f = 0; f < frames; ++f) level[f] = rms(x, f * frame, (f + 1) * frame);
  const std::size_t peak = std::size_t(std::max_element(level.begin(), level.end()) - level.begin());
  const double threshold = level[peak] * std::pow(10.0, -30.0 / 20);
  const std::size_t max_gap = 15;  // frames: 0.3 s
  std::size_t first = peak, last = peak;
  for (std::size_t f = peak, quiet = 0; f-- > 0 && quiet < max_gap;) {
    if (level[f] >= threshold)
      first = f, quiet = 0;
    else
      ++quiet;
  }
  for (std::size_t f = peak + 1, quiet = 0; f < frames && quiet < max_gap; ++f) {
    if (level[f] >= threshold)
      last = f, quiet = 0;
    else
      ++quiet;
  }
  const std::size_t begin = first * frame;
  const std::size_t end = std::min({(last + 1) * frame, x.size(), begin + std::size_t(4 * rate)});
  return {begin, end};
}

// mt19937's output is fixed by the standard; the distributions are not, so these are ours.
double uniform(std::mt19937& rng, double lo, double hi) { return lo + (hi - lo) * (double(rng()) / 4294967296.0); }
template <class T>
void shuffle(std::vector<T>& v, std::mt19937& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng() % i]);
}

const Audio& decoded(const std::string& file) {
  static std::map<std::string, Audio> cache;
  auto it = cache.find(file);
  if (it == cache.end()) it = cache.emplace(file, decode_file(test::shared_audio(file))).first;
  return it->second;
}

}  // namespace

std::vector<int> watched_classes() {
  std::set<int> all{47};
  for (const auto& s : esc50_events()) all.insert(s.accepts.begin(), s.accepts.end());
  return {all.begin(), all.end()};
}

EvalSet make_eval_set(unsigned seed) {
  std::mt19937 rng(seed);
  auto coughs = cough_events();
  shuffle(coughs, rng);
  auto others = esc50_events();
  EvalSet set;
  std::size_t next_cough = 0, next_other = 0;
  const std::size_t n = std::size_t(kSceneSeconds * 32000);
  for (int id = 0; id < kScenes; ++id) {
    Scene scene;
    scene.id = id;
    scene.background = backgrounds()[std::size_t(id) % backgrounds().size()];
    scene.audio.sample_rate = 32000;
    scene.audio.samples.assign(n, 0.0f);
    // The background, looped, at about -50 dBFS.
    const auto& bg = decoded(scene.background).samples;
    const double bg_gain = 0.003 / std::max(1e-9, rms(bg, 0, bg.size()));
    for (std::size_t i = 0; i < n; ++i) scene.audio.samples[i] = float(bg[i % bg.size()] * bg_gain);
    // Five events with 2.5-5 s of background between them; every other one a cough.
    double t = uniform(rng, 0.5, 2.5);
    for (int k = 0; k < 5; ++k) {
      if (k % 2 == 1 && next_other % others.size() == 0) shuffle(others, rng);
      const Source& src = k % 2 == 0 ? coughs[next_cough++ % coughs.size()] : others[next_other++ % others.size()];
      const auto& x = decoded(src.file).samples;
      const auto [begin, end] = loudest_burst(x, 32000);
      const double duration = double(end - begin) / 32000;
      if (t + duration > kSceneSeconds - 0.5) break;
      const double gain = 0.1 * std::pow(10.0, uniform(rng, -0.5, 0.0)) / std::max(1e-9, rms(x, begin, end));
      const std::size_t at = std::size_t(std::lround(t * 32000));
      const std::size_t fade = 320;  // 10 ms ramps: no click at the cut
      for (std::size_t i = begin; i < end; ++i) {
        const std::size_t from_start = i - begin, to_end = end - 1 - i;
        const double ramp = std::min({1.0, double(from_start) / fade, double(to_end) / fade});
        float& out = scene.audio.samples[at + from_start];
        out = float(std::clamp(out + x[i] * gain * ramp, -1.0, 1.0));
      }
      set.truth.push_back({id, double(at) / 32000, double(at + (end - begin)) / 32000, src.accepts.front(), src.accepts,
                           src.label, src.file});
      t += duration + uniform(rng, 2.5, 5.0);
    }
    scene.audio.source = {"generated", "pcm_f32", 32000, 1, kSceneSeconds};
    set.scenes.push_back(std::move(scene));
  }
  return set;
}

std::string truth_csv(const std::vector<TruthEvent>& truth) {
  std::ostringstream out;
  out << "scene,onset_s,offset_s,index,accepts,label,source\n";
  for (const auto& e : truth) {
    char times[64];
    std::snprintf(times, sizeof times, "%.4f,%.4f", e.onset_s, e.offset_s);
    std::string accepts;
    for (int a : e.accepts) accepts += (accepts.empty() ? "" : ";") + std::to_string(a);
    out << e.scene << ',' << times << ',' << e.index << ',' << accepts << ",\"" << e.label << "\"," << e.source << '\n';
  }
  return out.str();
}

}  // namespace soundlens::eval
