// The C++ front ends against the PyTorch reference (tools/reference): first
// the stored fixtures, then, when the reference Python is installed, outputs
// regenerated now (plus a recorded clip and the float32 training pipelines).
//
// The design's contract is 1e-4 absolute. Against the exact (float64)
// reference we hold a tenfold tighter bound, since both sides compute in
// double and only the final float rounding should differ. The float32
// pipelines carry their own round-off of up to ~2e-4 on quiet bins next to
// loud ones (see tools/reference/frontends.py), so they get a wider bound.
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "feature_fixtures.h"
#include "features/mel_spectrogram.h"
#include "test_paths.h"

namespace {

using soundlens::test::FeatureFixtures;
using soundlens::test::max_abs_diff;

constexpr double kExactTolerance = 1e-5;
constexpr double kFloat32Tolerance = 5e-4;

// Compares one front end on one case against the array CASE_NAME (NAME may
// carry the _f32 suffix); returns the max abs error.
double check_case(const FeatureFixtures& fx, const std::string& c, const std::string& name,
                  const soundlens::FrontEnd& fe, double tolerance) {
  SCOPED_TRACE(fx.dir() + ": " + c + " / " + name);
  const auto input = fx.array(c + "_input");
  const auto want = fx.array(c + "_" + name);
  const auto got = fe.compute(input.values);
  EXPECT_EQ(got.n_mels, want.shape.at(0));
  EXPECT_EQ(got.n_frames, want.shape.at(1));  // frame counts equal the reference's
  const double err = max_abs_diff(got.values, want.values);
  EXPECT_LT(err, tolerance);
  std::cout << c << " " << name << " (" << input.values.size() << " samples): max abs error " << err << "\n";
  return err;
}

// The largest relative difference between two JSON documents of the same
// shape (numbers compared relative to the larger magnitude); 1 when their
// shapes, keys or non-numbers differ.
double max_json_relative_diff(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    const double scale = std::max({std::fabs(x), std::fabs(y), 1e-30});
    return std::fabs(x - y) / scale;
  }
  if (a.type() != b.type() || a.size() != b.size()) return 1;
  if (!a.is_structured()) return a == b ? 0 : 1;
  double worst = 0;
  if (a.is_object()) {
    for (auto it = a.begin(); it != a.end(); ++it) {
      if (!b.contains(it.key())) return 1;
      worst = std::max(worst, max_json_relative_diff(it.value(), b[it.key()]));
    }
  } else {
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, max_json_relative_diff(a[i], b[i]));
  }
  return worst;
}

void check_all_cases(const FeatureFixtures& fx) {
  const auto eat = soundlens::make_efficientat_frontend();
  const auto panns = soundlens::make_panns_frontend();
  ASSERT_FALSE(fx.cases().empty());
  for (const auto& c : fx.cases()) {
    check_case(fx, c, "efficientat", *eat, kExactTolerance);
    check_case(fx, c, "panns", *panns, kExactTolerance);
    if (fx.has(c + "_efficientat_f32")) {
      check_case(fx, c, "efficientat_f32", *eat, kFloat32Tolerance);
      check_case(fx, c, "panns_f32", *panns, kFloat32Tolerance);
    }
  }
}

TEST(FeatureParity, MatchesStoredFixtures) {
  const FeatureFixtures fx(soundlens::test::fixture("features"));
  // The stored set must keep its three cases: 1.5 s, 0.1 s and just over the reflect pad.
  ASSERT_EQ(fx.cases(), (std::vector<std::string>{"chirp", "short", "tiny"}));
  check_all_cases(fx);
}

TEST(FeatureParity, MatchesFreshlyRegeneratedReference) {
  if (!soundlens::test::have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch and torchaudio";
  const std::string dir = soundlens::test::regenerate_reference_fixtures();
  ASSERT_FALSE(dir.empty()) << "tools/reference/make_feature_fixtures.py failed";
  const FeatureFixtures fresh(dir);
  const FeatureFixtures stored(soundlens::test::fixture("features"));

  check_all_cases(fresh);
  EXPECT_TRUE(fresh.has("chirp_efficientat_f32")) << "the float32 pipelines were not compared";

  // The stored fixtures must be what the generator writes today, to float32
  // round-off: torch builds the banks in float32, whose last bits differ
  // between CPUs (vectorised kernels), and the log-mels follow them.
  for (const auto& c : stored.cases()) {
    for (const std::string& suffix : {"_input", "_efficientat", "_panns"}) {
      SCOPED_TRACE(c + suffix);
      const auto a = stored.array(c + suffix);
      const auto b = fresh.array(c + suffix);
      EXPECT_EQ(a.shape, b.shape);
      EXPECT_LT(max_abs_diff(a.values, b.values), 1e-5);
    }
  }
  for (const std::string& frontend : {"efficientat", "panns"}) {
    SCOPED_TRACE(frontend);
    EXPECT_LT(max_json_relative_diff(stored.banks(frontend), fresh.banks(frontend)), 1e-5);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
