#include <cmath>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

#include "feature_fixtures.h"
#include "features/mel_banks.h"
#include "test_paths.h"

namespace sf = soundlens::features;
using soundlens::test::FeatureFixtures;

namespace {

sf::MelFilterbank efficientat_bank() { return sf::kaldi_mel_banks(128, 1024, 32000, 0, 15000); }
sf::MelFilterbank panns_bank() { return sf::slaney_mel_banks(64, 1024, 32000, 50, 14000); }

// Every weight of the bank against the reference's sparse rows, and the centres.
// weight_tol: torchaudio builds Kaldi banks in float32 (mel values near 3000
// carry ~2e-4 of rounding, over a 27-mel triangle side), librosa in float64.
void expect_bank_matches(const sf::MelFilterbank& bank, const nlohmann::json& ref, double weight_tol,
                         double centre_rel_tol) {
  const auto& rows = ref.at("rows");
  ASSERT_EQ(bank.n_mels(), int(rows.size()));
  ASSERT_EQ(bank.n_mels(), int(ref.at("centre_hz").size()));
  double worst = 0;
  for (int m = 0; m < bank.n_mels(); ++m) {
    const int first = rows[m].at("first");
    const auto weights = rows[m].at("weights").get<std::vector<double>>();
    for (int k = 0; k < bank.n_bins(); ++k) {
      const int i = k - first;
      const double want = (i >= 0 && i < int(weights.size())) ? weights[i] : 0.0;
      worst = std::max(worst, std::abs(bank.weight(m, k) - want));
    }
    const double centre = ref.at("centre_hz")[m].get<double>();
    EXPECT_NEAR(bank.filters()[m].center_hz, centre, centre_rel_tol * centre) << m;
  }
  EXPECT_LT(worst, weight_tol);
  std::cout << "max weight difference: " << worst << "\n";
}

TEST(FeatureMelBanks, KaldiShapeAndCentres) {
  const auto bank = efficientat_bank();
  ASSERT_EQ(bank.n_mels(), 128);
  ASSERT_EQ(bank.n_bins(), 513);
  double previous = 0;
  for (int m = 0; m < 128; ++m) {
    const auto& f = bank.filters()[m];
    EXPECT_GT(f.center_hz, previous);
    previous = f.center_hz;
    EXPECT_EQ(bank.weight(m, 512), 0.0);  // EfficientAT's zero column
    for (double w : f.weights) EXPECT_LE(w, 1.0);
  }
  // Centre of bin m is on the mel scale at (m + 1) / 129 of the way to 15 kHz.
  const double top = sf::kaldi_hz_to_mel(15000);
  EXPECT_NEAR(bank.filters()[63].center_hz, sf::kaldi_mel_to_hz(top * 64 / 129), 1e-9);
  EXPECT_NEAR(bank.filters()[127].center_hz, sf::kaldi_mel_to_hz(top * 128 / 129), 1e-9);
  EXPECT_LT(bank.filters()[127].center_hz, 15000);
}

TEST(FeatureMelBanks, SlaneyShapeScaleAndArea) {
  EXPECT_NEAR(sf::slaney_hz_to_mel(1000), 15.0, 1e-12);
  EXPECT_NEAR(sf::slaney_hz_to_mel(999.999), 15.0, 1e-3);  // continuous at the break
  EXPECT_NEAR(sf::slaney_hz_to_mel(6400), 15.0 + 27.0, 1e-9);
  for (double hz : {20.0, 500.0, 1000.0, 3000.0, 14000.0})
    EXPECT_NEAR(sf::slaney_mel_to_hz(sf::slaney_hz_to_mel(hz)), hz, 1e-9);

  const auto bank = panns_bank();
  ASSERT_EQ(bank.n_mels(), 64);
  ASSERT_EQ(bank.n_bins(), 513);
  const double bin_hz = 32000.0 / 1024;
  for (int m = 0; m < 64; ++m) {
    const auto& f = bank.filters()[m];
    EXPECT_GT(f.center_hz, 50);
    EXPECT_LT(f.center_hz, 14000);
    // Slaney normalisation gives every triangle unit area in Hz; sampling at
    // the bins only approximates it, closely once a filter spans many bins.
    if (f.weights.size() >= 8) {
      double area = 0;
      for (double w : f.weights) area += w * bin_hz;
      EXPECT_NEAR(area, 1.0, 0.05) << m;
    }
  }
}

TEST(FeatureMelBanks, MatchTheGeneratedReference) {
  if (!soundlens::test::have_reference_python()) GTEST_SKIP() << "no /usr/bin/python3 with torch and torchaudio";
  const std::string& dir = soundlens::test::reference_fixtures();
  ASSERT_FALSE(dir.empty()) << "tools/reference/make_feature_fixtures.py failed";
  const FeatureFixtures fx(dir);
  expect_bank_matches(efficientat_bank(), fx.banks("efficientat"), 5e-5, 1e-5);
  expect_bank_matches(panns_bank(), fx.banks("panns"), 1e-6, 1e-9);
}

}  // namespace
