#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "core/parameters.h"

namespace soundlens {
namespace {

using K = Parameter::Kind;
const std::vector<Parameter> kDeclared = {
    {"top-k", "classes", "5", K::integer, 1, 527},
    {"hop-s", "hop", "5", K::number, 0.1, 60},
    {"model", "model", "mn04_as", K::text, 0, 0, {"mn04_as", "cnn14"}},
    {"json", "json", "", K::flag},
    {"class", "extra class", "", K::text},
};

ErrorCode code_of(const std::vector<std::string>& args) {
  try {
    parse_parameters(kDeclared, args);
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;
}

TEST(Parameters, DefaultsFlagsAndPositionals) {
  const auto p = parse_parameters(kDeclared, {"a.wav", "--top-k", "3", "--json", "b.wav", "--hop-s=2.5"});
  EXPECT_EQ(p.parameters.integer("top-k"), 3);
  EXPECT_DOUBLE_EQ(p.parameters.number("hop-s"), 2.5);
  EXPECT_TRUE(p.parameters.flag("json"));
  EXPECT_EQ(p.parameters.text("model"), "mn04_as");
  EXPECT_FALSE(p.parameters.was_set("model"));
  EXPECT_EQ(p.positional, (std::vector<std::string>{"a.wav", "b.wav"}));
}

TEST(Parameters, EnvironmentIsOverriddenByFlags) {
  ::setenv("SOUNDLENS_TOP_K", "7", 1);
  EXPECT_EQ(parse_parameters(kDeclared, {}).parameters.integer("top-k"), 7);
  EXPECT_EQ(parse_parameters(kDeclared, {"--top-k", "2"}).parameters.integer("top-k"), 2);
  ::setenv("SOUNDLENS_TOP_K", "0", 1);
  EXPECT_EQ(code_of({}), ErrorCode::bad_request);  // bad values are rejected wherever they come from
  ::unsetenv("SOUNDLENS_TOP_K");
}

TEST(Parameters, BadValuesNameTheParameter) {
  try {
    parse_parameters(kDeclared, {"--top-k", "600"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::bad_request);
    EXPECT_NE(std::string(e.what()).find("--top-k"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SOUNDLENS_TOP_K"), std::string::npos) << e.what();
  }
  EXPECT_EQ(code_of({"--top-k", "2.5"}), ErrorCode::bad_request);
  EXPECT_EQ(code_of({"--hop-s", "abc"}), ErrorCode::bad_request);
  EXPECT_EQ(code_of({"--model", "vgg"}), ErrorCode::bad_request);
  EXPECT_EQ(code_of({"--no-such-flag"}), ErrorCode::bad_request);
  EXPECT_EQ(code_of({"--top-k"}), ErrorCode::bad_request);
}

TEST(Parameters, NumbersThatAreNotWhatTheyReadAsAreRefused) {
  // Found by fuzz/request_params_fuzzer: "1e2" passed as the integer 100 but
  // integer() read 1; 1e300 made the integer check undefined behaviour; NaN
  // passed every range check.
  for (const char* arg : {"--top-k=1e2", "--top-k=0x10", "--top-k=1e300", "--top-k=99999999999999999999",
                          "--hop-s=nan", "--hop-s=inf", "--hop-s=1e999"})
    EXPECT_EQ(code_of({arg}), ErrorCode::bad_request) << arg;
  EXPECT_EQ(parse_parameters(kDeclared, {"--top-k=12"}).parameters.integer("top-k"), 12);
}

TEST(Parameters, RepeatableFlagsAreJoined) {
  const auto p = parse_parameters(kDeclared, {"--class", "Cough", "--class", "47"}, {"class"});
  EXPECT_EQ(p.parameters.text("class"), "Cough\n47");
}

}  // namespace
}  // namespace soundlens
