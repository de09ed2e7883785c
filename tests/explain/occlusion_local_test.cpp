// Occlusion recomputes mn04_as's first stages only around each patch (its local
// prefix): the maps must equal those of whole passes, on a clip whose patches
// touch every edge of the input and on the metro example's first 3.3 s (a frame
// count that is no multiple of the prefix's stride).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "audio/audio.h"
#include "explain/detail/methods.h"
#include "explain/explanation_method.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens::test {
namespace {

void expect_same_maps(const std::string& clip, double seconds) {
  const auto model = load_model("mn04_as", {models_dir()});
  auto audio = decode_file(shared_audio(clip));
  audio.samples.resize(std::min(audio.samples.size(), std::size_t(seconds * audio.sample_rate)));
  const std::vector<MelSpectrogram> mels{model->frontend().compute(audio.samples)};
  const auto pass = model->forward(mels);
  const auto logits = pass->logits(0);
  const int top = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
  const std::vector<ExplainTarget> targets{{top, -1}, {47, 48}};
  const auto local = detail::make_occlusion(0.32, 16, 0, true)->explain(*model, *pass, mels, targets);
  const auto whole = detail::make_occlusion(0.32, 16, 0, false)->explain(*model, *pass, mels, targets);
  for (size_t t = 0; t < targets.size(); ++t) {
    const auto& a = local[t][0].values;
    const auto& b = whole[t][0].values;
    ASSERT_EQ(a.size(), b.size());
    const float peak = *std::max_element(b.begin(), b.end());
    ASSERT_GT(peak, 0.0f) << "an all-zero map tests nothing";
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, double(std::abs(a[i] - b[i])));
    EXPECT_LT(worst / peak, 1e-5) << "target " << t << " of " << clip << ", " << a.size() << " cells";
  }
}

TEST(OcclusionLocalPrefix, EqualsWholePassesOnACough) {
  expect_same_maps("cough/063900f6-c03b-4ffb-b51b-877b6b5a74d5.flac", 10);
}

TEST(OcclusionLocalPrefix, EqualsWholePassesOnAnOddLength) { expect_same_maps("example/metro_station-paris.wav", 3.3); }

}  // namespace
}  // namespace soundlens::test
