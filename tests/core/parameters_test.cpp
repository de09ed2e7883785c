#include <gtest/gtest.h>

#include <cstdlib>

#include "core/error.h"
#include "core/parameters.h"

namespace soundlens {
namespace {

using K = Parameter::Kind;
std::vector<Parameter> declared() {
  std::vector<Parameter> d = {
      {"top-k", "classes", "5", K::integer, 1, 527},
      {"hop-s", "hop", "5", K::number, 0.1, 60},
      {"model", "model", "mn04_as", K::text, 0, 0, {"mn04_as", "cnn14"}},
      {"json", "json", "", K::flag},
      {"class", "extra class", "", K::text},
  };
  d[4].repeatable = true;
  d[4].http = "classes";
  return d;
}
const std::vector<Parameter> kDeclared = declared();

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
  const auto p = parse_parameters(kDeclared, {"--class", "Cough", "--class", "47"});
  EXPECT_EQ(p.parameters.text("class"), "Cough\n47");
  EXPECT_EQ(list_items(p.parameters.text("class")), (std::vector<std::string>{"Cough", "47"}));
  // Not repeatable: the last one wins.
  EXPECT_EQ(parse_parameters(kDeclared, {"--top-k", "3", "--top-k", "4"}).parameters.integer("top-k"), 4);
}

TEST(StrictNumbers, OnlyPlainDecimalsAreNumbers) {
  for (const char* good : {"0", "12", "-3", "+4", "2.5", ".5", "5.", "1e-3", "1E2", "-0.25e+1"})
    EXPECT_TRUE(parse_decimal(good).has_value()) << good;
  for (const char* bad : {"", " 5", "5 ", "0x10", "nan", "NaN", "inf", "-inf", "infinity", "1e", "e5", ".", "-",
                          "1.2.3", "5\n", "1e400", "1,5", "\t1", "5abc"})
    EXPECT_FALSE(parse_decimal(bad).has_value()) << bad;
  EXPECT_DOUBLE_EQ(*parse_decimal("-0.25e+1"), -2.5);
}

TEST(StrictNumbers, IntegersHaveNoFractionExponentOrSpaces) {
  for (const char* good : {"0", "5", "-7", "+3", "527"}) EXPECT_TRUE(parse_integer(good).has_value()) << good;
  for (const char* bad : {"", " 5", "5 ", "1e2", "0x10", "2.0", "2.5", "nan", "99999999999999999999999", "5-"})
    EXPECT_FALSE(parse_integer(bad).has_value()) << bad;
  EXPECT_EQ(*parse_integer("-7"), -7);
}

// Each form a user tried by hand: all are refused, naming the option.
TEST(Parameters, EveryBadNumberFormIsRefusedNamingTheOption) {
  for (const char* bad : {"1e2", "0x10", " 5", "5 ", "nan", "inf", "2.5", ""}) {
    try {
      parse_parameters(kDeclared, {"--top-k", bad});
      ADD_FAILURE() << "accepted --top-k '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::bad_request);
      EXPECT_NE(std::string(e.what()).find("--top-k"), std::string::npos) << e.what();
    }
  }
  for (const char* bad : {"nan", "inf", "0x1p3", "1e999", " 2"})
    EXPECT_EQ(code_of({"--hop-s", bad}), ErrorCode::bad_request) << bad;
}

TEST(Parameters, HttpValuesUseTheSameDeclarations) {
  const std::map<std::string, std::string> given{{"top_k", "3"}, {"classes", "Cough,47"}, {"hop_s", "2.5"}};
  const auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = given.find(name);
    if (it == given.end()) return std::nullopt;
    return it->second;
  };
  const auto v = parameter_values(kDeclared, lookup);
  EXPECT_EQ(v.integer("top-k"), 3);
  EXPECT_DOUBLE_EQ(v.number("hop-s"), 2.5);
  EXPECT_EQ(list_items(v.text("class")), (std::vector<std::string>{"Cough", "47"}));
  EXPECT_EQ(v.text("model"), "mn04_as");
  EXPECT_FALSE(v.was_set("model"));
  for (const char* bad : {" 5", "5 ", "1e2", "0x10", "600"}) {
    try {
      parameter_values(kDeclared, [&](const std::string& name) -> std::optional<std::string> {
        if (name == "top_k") return std::string(bad);
        return std::nullopt;
      });
      ADD_FAILURE() << "accepted top_k '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("parameter top_k"), std::string::npos) << e.what();
    }
  }
}


// A value quoted in an error message: a NUL would end the message at what().
TEST(QuotedValue, ControlBytesAreEscapedAndLongValuesCut) {
  EXPECT_EQ(quoted_value("gradcam"), "'gradcam'");
  EXPECT_EQ(quoted_value(std::string("grad\0cam\n", 9)), "'grad\\x00cam\\x0a'");
  const std::string long_value(3000, 'a');
  EXPECT_EQ(quoted_value(long_value), "'" + std::string(100, 'a') + "'... (3000 bytes)");
  // 99 ASCII bytes then a 2-byte character: the cut falls before it, not inside.
  const std::string utf8 = std::string(99, 'a') + "\xC3\xA9" + "tail";
  EXPECT_EQ(quoted_value(utf8), "'" + std::string(99, 'a') + "'... (105 bytes)");
  try {
    parse_parameters({{"method", "method", "gradcam", K::text, 0, 0, {"gradcam", "layercam"}}},
                     {"--method", std::string("gradcam\0x", 9)});
    FAIL() << "accepted a NUL";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("for --method"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace soundlens
