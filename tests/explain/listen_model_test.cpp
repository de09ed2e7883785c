// What the model used, heard back: the kept and removed audio of a real
// cough's map run through the model again. For a map that marks the cough's
// time span the answer is known (kept is the cough); for Grad-CAM the
// numbers are measured and printed (the lead's analyzer reports them as
// listen = {kept_probability, removed_probability}).
#include <gtest/gtest.h>

#include <cmath>

#include "explain/listen.h"
#include "trust_support.h"

namespace soundlens::test {
namespace {

constexpr int kCough = 47;
constexpr int kTenSeconds = 1001;

double probability(const Model& model, const std::vector<float>& samples) {
  return clip_probability(model, model.frontend().compute(samples), kTenSeconds, 500, kCough);
}

struct Heard {
  double original, kept, removed;
};

Heard hear(const Audio& audio, const CamMap& map, const std::string& what) {
  const auto& model = *mn04();
  const auto heard = listen(audio.samples, map, model.frontend());
  const Heard h{probability(model, audio.samples), probability(model, heard.kept), probability(model, heard.removed)};
  std::printf("%s: Cough probability original %.4f, kept %.4f, removed %.4f\n", what.c_str(), h.original, h.kept,
              h.removed);
  return h;
}

TEST(ListenModel, AMapOfTheCoughsTimeSpanKeepsTheCough) {
  const auto& model = *mn04();
  const double onset = 2.0, end = onset + cough_clip().duration_s();
  const auto audio = cough_in_background(onset, 10.0);
  auto map = grad_cam_map(model, model.frontend().compute(audio.samples), kTenSeconds, 500, kCough);
  for (int c = 0; c < map.cols; ++c) {
    const double t0 = c * map.seconds_per_column, t1 = t0 + map.seconds_per_column;
    for (int r = 0; r < map.rows; ++r) map.values[std::size_t(r) * map.cols + c] = (t1 > onset && t0 < end) ? 1.f : 0.f;
  }
  const auto h = hear(audio, map, "cough at 2 s, its columns marked");
  // Kept is the cough without its background (measured: 0.062 of 0.098); removed is the background alone.
  EXPECT_GT(h.kept, 0.5 * h.original);
  EXPECT_LT(h.removed, 0.1 * h.original);
}

TEST(ListenModel, GradCamOfARealCough) {
  const auto& model = *mn04();
  for (const auto& [audio, what] : {std::pair{cough_clip(), "cough clip, Grad-CAM"},
                                    std::pair{cough_in_background(2.0, 10.0), "cough at 2 s in 10 s, Grad-CAM"}}) {
    const auto map = grad_cam_map(model, model.frontend().compute(audio.samples), kTenSeconds, 500, kCough);
    std::printf("%s map (rows from the lowest):\n", what);
    for (int r = map.rows - 1; r >= 0; --r) {
      for (int c = 0; c < map.cols; ++c) std::printf(" %.2f", map.at(r, c));
      std::printf("\n");
    }
    const auto h = hear(audio, map, what);
    EXPECT_TRUE(std::isfinite(h.kept) && std::isfinite(h.removed));
  }
}

}  // namespace
}  // namespace soundlens::test
