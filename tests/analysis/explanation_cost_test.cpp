// What an explanation costs before it runs, and explanations that stop when
// their token is cancelled: in the middle of the method's own loops, not at
// the end of the recording (issue 17: an abandoned occlusion kept computing
// for more than 25 minutes).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "analysis/explanation_cost.h"
#include "core/cancel_token.h"
#include "core/error.h"
#include "explain/explanation_method.h"
#include "model/model_registry.h"
#include "test_paths.h"

namespace soundlens {
namespace {

using Clock = std::chrono::steady_clock;

const Analyzer& analyzer() {
  static const Analyzer a(load_model("mn04_as", {test::models_dir()}), load_labels({test::models_dir()}));
  return a;
}

const Audio& metro() {
  static const Audio a = decode_file(test::shared_audio("example/metro_station-paris.wav"));
  return a;
}

AnalysisOptions with_method(const std::string& method, bool faithfulness = true) {
  AnalysisOptions o;
  o.method = method;
  o.faithfulness = faithfulness;
  return o;
}

// The service's default budget (serve --explain-budget-s): every method on a
// 10 s clip fits, with the faithfulness check the explanation route runs by
// default; occlusion or integrated gradients on two minutes do not, Grad-CAM does.
constexpr double kDefaultBudget = 30000;

TEST(ExplanationCost, TenSecondsFitEveryMethodAndTwoMinutesOfOcclusionDoNot) {
  const Model& model = analyzer().model();
  for (const auto& method : explanation_method_names()) {
    const auto cost = explanation_cost(model, 10.0, with_method(method));
    EXPECT_EQ(cost.windows, 1u) << method;
    EXPECT_LT(cost.network_s(), kDefaultBudget) << method;
    EXPECT_GT(cost.network_s(), 10.0) << method;
  }
  // Occlusion of one 10 s window: 17 x 64 patch positions, each one pass.
  EXPECT_EQ(explanation_cost(model, 10.0, with_method("occlusion", false)).method_passes, 17 * 64);
  const auto occlusion = explanation_cost(model, 120.0, with_method("occlusion"));
  EXPECT_EQ(occlusion.windows, 23u);  // 10 s windows every 5 s
  EXPECT_GT(occlusion.network_s(), 2 * kDefaultBudget);
  EXPECT_GT(explanation_cost(model, 120.0, with_method("integrated-gradients")).network_s(), kDefaultBudget);
  EXPECT_LT(explanation_cost(model, 120.0, with_method("gradcam")).network_s(), kDefaultBudget);
  // Proportional to the recording, and the checks add to it.
  EXPECT_GT(explanation_cost(model, 60.0, with_method("occlusion")).network_s(), occlusion.network_s() / 3);
  auto sanity = with_method("gradcam");
  sanity.sanity = true;
  EXPECT_GT(explanation_cost(model, 10.0, sanity).network_s(),
            explanation_cost(model, 10.0, with_method("gradcam")).network_s());
  EXPECT_THROW(explanation_cost(model, 10.0, with_method("guided-backprop")), Error);
}

// Cancelled from another thread after `after`, the explanation must end with
// the token's error within `within` of it.
void expect_stops(const std::string& method, std::chrono::milliseconds after, std::chrono::seconds within) {
  CancelToken token;
  AnalysisOptions o = with_method(method, false);
  o.stop = &token;
  auto running = std::async(std::launch::async, [&] { analyzer().explain(metro(), 47, o); });
  std::this_thread::sleep_for(after);
  ASSERT_EQ(running.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
      << method << " finished before it was cancelled: the test shows nothing";
  const auto cancelled_at = Clock::now();
  token.cancel(ErrorCode::cancelled, "the client went away");
  ASSERT_EQ(running.wait_for(within), std::future_status::ready) << method << " did not stop";
  const double took_s = std::chrono::duration<double>(Clock::now() - cancelled_at).count();
  try {
    running.get();
    FAIL() << method << " returned a map after it was cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled) << e.what();
    EXPECT_STREQ(e.what(), "the client went away");
  }
  EXPECT_LT(took_s, double(within.count())) << method;
}

TEST(ExplanationCancel, OcclusionStopsInsideItsPatchLoop) {
  expect_stops("occlusion", std::chrono::milliseconds(1500), std::chrono::seconds(5));
}

TEST(ExplanationCancel, IntegratedGradientsStopsInsideItsSteps) {
  expect_stops("integrated-gradients", std::chrono::milliseconds(1500), std::chrono::seconds(5));
}

TEST(ExplanationCancel, ATokenCancelledBeforeTheStartStopsAtOnce) {
  CancelToken token;
  token.cancel(ErrorCode::timeout, "late");
  token.cancel(ErrorCode::cancelled, "the second reason is ignored");
  AnalysisOptions o = with_method("gradcam", false);
  o.stop = &token;
  try {
    analyzer().explain(metro(), 47, o);
    FAIL() << "explained with a cancelled token";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout);
    EXPECT_STREQ(e.what(), "late");
  }
}

// A job's cancel is a flag kept in its store: the token polls it (the one way
// to stop an analysis), at the next batch of windows after it is set.
TEST(AnalysisCancel, ATokenPollingAJobsFlagStopsTheAnalysisAtItsNextCheck) {
  std::atomic<bool> cancel_requested = false;
  const CancelToken token([&] { return cancel_requested.load(); }, "the job was cancelled");
  AnalysisOptions o = with_method("gradcam", false);
  o.stop = &token;
  int reports = 0;
  o.progress = [&](const std::string&, double) {
    ++reports;
    cancel_requested = true;  // DELETE /api/v1/jobs/{id} arrives during the first batch
  };
  try {
    analyzer().analyze(metro(), o);
    FAIL() << "the analysis ran to its end after its job was cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
    EXPECT_STREQ(e.what(), "the job was cancelled");
  }
  EXPECT_EQ(reports, 1);
}

}  // namespace
}  // namespace soundlens
