// The analysis options are declared once (analysis/analysis_options.h); the
// CLI, HTTP and OpenAPI read the same list. Like llama.cpp's test-arg-parser:
// nothing is declared twice, and every bad value is refused naming it.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "analysis/analysis_options.h"
#include "core/error.h"

namespace soundlens {
namespace {

std::vector<Parameter> all_declared() {
  auto all = analysis_parameters();
  all.insert(all.end(), analysis_limit_parameters().begin(), analysis_limit_parameters().end());
  return all;
}

TEST(AnalysisOptions, NoNameFlagOrEnvironmentVariableIsDeclaredTwice) {
  std::set<std::string> names, envs, https;
  for (const auto& p : all_declared()) {
    EXPECT_TRUE(names.insert(p.name).second) << p.name;
    EXPECT_TRUE(envs.insert(p.env_name()).second) << p.env_name();
    EXPECT_TRUE(https.insert(p.http_name()).second) << p.http_name();
    EXPECT_FALSE(p.help.empty()) << p.name;
  }
}

TEST(AnalysisOptions, DefaultsAreValidValuesOfTheirOwnDeclaration) {
  const auto values = parse_parameters(all_declared(), {}).parameters;
  const auto o = analysis_options(values);
  EXPECT_EQ(o.top_k, 5);
  EXPECT_DOUBLE_EQ(o.window_s, 10);
  EXPECT_DOUBLE_EQ(o.hop_s, 5);
  EXPECT_TRUE(o.classes.empty());
  EXPECT_NO_THROW(validate_options(o));
  const auto limits = analysis_limits(values);
  EXPECT_EQ(limits.max_windows, AnalysisLimits{}.max_windows);
  EXPECT_DOUBLE_EQ(limits.timeout_s, AnalysisLimits{}.timeout_s);
}

TEST(AnalysisOptions, HopDefaultsToAtMostTheWindow) {
  const auto o = analysis_options(parse_parameters(all_declared(), {"--window-s", "2"}).parameters);
  EXPECT_DOUBLE_EQ(o.hop_s, 2);
}

ErrorCode code_of(const std::vector<std::string>& args) {
  try {
    analysis_options(parse_parameters(all_declared(), args).parameters);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;
}

TEST(AnalysisOptions, CombinationsThatMultiplyTheWorkAreRefused) {
  EXPECT_EQ(code_of({"--window-s", "2", "--hop-s", "3"}), ErrorCode::bad_request);   // hop > window
  EXPECT_EQ(code_of({"--window-s", "60", "--hop-s", "0.1"}), ErrorCode::bad_request); // each moment 600 times
  EXPECT_EQ(code_of({"--window-s", "10", "--hop-s", "0.4"}), ErrorCode::bad_request); // 25 times
  EXPECT_EQ(code_of({"--window-s", "10", "--hop-s", "0.5"}), ErrorCode::internal);    // 20 times: allowed
  try {
    analysis_options(parse_parameters(all_declared(), {"--window-s", "60", "--hop-s", "0.1"}).parameters);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("hop_s of at least 3"), std::string::npos) << e.what();
  }
}

TEST(AnalysisOptions, OptionsBuiltInCodeAreCheckedAgainstTheDeclaredRanges) {
  AnalysisOptions o;
  o.top_k = 0;
  EXPECT_THROW(validate_options(o), Error);
  o = {};
  o.window_s = 0.5;
  EXPECT_THROW(validate_options(o), Error);
  o = {};
  o.hop_s = std::nan("");
  EXPECT_THROW(validate_options(o), Error);
}

}  // namespace
}  // namespace soundlens
