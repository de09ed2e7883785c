// The models a server or worker runs: the default set at start, the others
// loaded on first use, once, however many ask at once.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/error.h"
#include "service/model_set.h"
#include "test_paths.h"

namespace soundlens::service {
namespace {

using test::models_dir;

// Models other than the default are loaded on first use, once, however many ask at once.
TEST(ModelSetTest, OtherModelsAreLoadedOnceOnFirstUse) {
  ModelSet models("mn04_as", {models_dir()});
  EXPECT_FALSE(models.default_ready());
  try {
    (void)models.get("");
    FAIL() << "the default is not set yet";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::model_not_loaded);
  }
  EXPECT_FALSE(models.loaded("yamnet"));
  std::vector<std::shared_ptr<const Analyzer>> got(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) threads.emplace_back([&, i] { got[i] = models.get("yamnet"); });
  for (auto& t : threads) t.join();
  for (const auto& a : got) {
    ASSERT_TRUE(a);
    EXPECT_EQ(a.get(), got[0].get());  // one analyzer, loaded once
  }
  EXPECT_EQ(got[0]->model().info().name, "yamnet");
  EXPECT_TRUE(models.loaded("yamnet"));
  EXPECT_FALSE(models.default_ready());  // loading another model does not load the default
  for (const std::string name : {"nope", "cnn14"}) {
    try {
      (void)models.get(name);
      FAIL() << name;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace soundlens::service
