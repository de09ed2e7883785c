// What the model used, heard back: the kept audio of a real cough's Grad-CAM
// map is run through the model again, as is the removed audio.
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

void check_cough(const Audio& audio, const std::string& what) {
  const auto& model = *mn04();
  const auto spec = model.frontend().compute(audio.samples);
  const auto map = grad_cam_map(model, spec, kTenSeconds, 500, kCough);
  const auto heard = listen(audio.samples, map, model.frontend());
  const double original = probability(model, audio.samples);
  const double kept = probability(model, heard.kept), removed = probability(model, heard.removed);
  std::printf("%s: Cough probability original %.4f, kept %.4f, removed %.4f\n", what.c_str(), original, kept,
              removed);
  EXPECT_GT(kept, removed);
  EXPECT_GT(kept, 0.5 * original);
}

TEST(ListenModel, TheKeptAudioOfACoughMapStillSoundsLikeACough) {
  check_cough(cough_clip(), "cough clip");
  check_cough(cough_in_background(2.0, 10.0), "cough at 2 s in 10 s");
}

}  // namespace
}  // namespace soundlens::test
