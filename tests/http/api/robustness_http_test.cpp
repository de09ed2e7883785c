// GET /api/v1/analyses/{id}/robustness: the class's probability as recorded is
// the stored analysis' own, the answer is cached, and what cannot be measured
// (a recording not kept, one too long, an unknown class) says why.
#include <gtest/gtest.h>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string cough = "esc50-sample/4-152995-A-24.flac";

TEST(RobustnessHttpTest, TheClassIsMeasuredUnderEveryChangeAndCached) {
  TestServer server;
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio(cough)));
  ASSERT_EQ(res->status, 201) << res->body;
  const json a = json_of(res);
  double stored_cough = -1;
  for (const auto& p : a["predictions"])
    if (p["index"] == 47) stored_cough = p["probability"];
  ASSERT_GE(stored_cough, 0) << a["predictions"].dump();
  const std::string base = "/api/v1/analyses/" + a["id"].get<std::string>();
  res = c.Get(base + "/robustness?class=Cough");
  ASSERT_EQ(res->status, 200) << res->body;
  const json r = json_of(res);
  EXPECT_EQ(r["classes"], json{"Cough"});
  EXPECT_NEAR(r["as_recorded"][0].get<double>(), stored_cough, 1e-4);
  EXPECT_GE(r["changes"].size(), 17u);
  EXPECT_EQ(r["sentences"][0].get<std::string>().rfind("Cough (", 0), 0u);
  const auto again = c.Get(base + "/robustness?class=47");
  ASSERT_EQ(again->status, 200);
  EXPECT_EQ(json_of(again)["elapsed_ms"], r["elapsed_ms"]);  // the cached answer, not a new measurement
  for (const std::string bad : {"?class=-1", "?class=1e99", "?class=..%2F..%2Fetc", "?class=Not%20a%20class"}) {
    res = c.Get(base + "/robustness" + bad);
    EXPECT_EQ(res->status, 404) << bad << ": " << res->body;
    EXPECT_NE(res->body.find("unknown class"), std::string::npos) << res->body;
  }
}

TEST(RobustnessHttpTest, ARecordingNotKeptIsGone) {
  TestServer server({.store_audio = false});
  auto c = server.client();
  auto res = upload(c, "/api/v1/analyses", "cough.flac", read_file(shared_audio(cough)));
  ASSERT_EQ(res->status, 201) << res->body;
  res = c.Get("/api/v1/analyses/" + json_of(res)["id"].get<std::string>() + "/robustness");
  EXPECT_EQ(res->status, 410) << res->body;
}

}  // namespace
}  // namespace soundlens::test
