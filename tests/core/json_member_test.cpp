// top_level_member against nlohmann::json's own reading of the same documents:
// whatever it returns parses to the member's value, and it never takes a key
// of the same name inside another value or a quoted brace for structure.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/json_member.h"

namespace soundlens {
namespace {

using nlohmann::json;

void expect_member(const std::string& text, const std::string& key) {
  const auto found = top_level_member(text, key);
  const json whole = json::parse(text);
  ASSERT_TRUE(found) << text;
  EXPECT_EQ(json::parse(*found), whole.at(key)) << text;
}

TEST(TopLevelMember, FindsEachKindOfValueAsTheParserReadsIt) {
  const std::string doc =
      R"({"a": 1.5e3, "b" : "x\"}{,", "c":[1,{"d":[2,3]},"]"], "d" : {"e":{"f":null}},"g":true,"h":false,"i":null,)"
      R"( "j" :"\\", "k": -0.25})";
  for (const char* key : {"a", "b", "c", "d", "g", "h", "i", "j", "k"}) expect_member(doc, key);
}

TEST(TopLevelMember, TakesOnlyTheTopLevelsKeyNotOneInsideAnotherValue) {
  const std::string doc = R"({"timeline":[{"events":[9]}],"note":"\"events\": [8]","events":[{"index":47}],)"
                          R"("explanations":{"events":7}})";
  expect_member(doc, "events");
  EXPECT_EQ(*top_level_member(doc, "events"), R"([{"index":47}])");
}

TEST(TopLevelMember, ReadsWhatTheProgramWritesWholeAndIndented) {
  json analysis = {{"duration_s", 3600.0},
                   {"timeline", json::array({{{"start_s", 0}, {"events", "no"}}})},
                   {"events", json::array({{{"index", 47}, {"label", "Cough, \"dry\" {loud}"}}})},
                   {"explanations", {{"maps", json::array({1.5, 2.5})}}}};
  expect_member(analysis.dump(), "events");
  expect_member(analysis.dump(2), "events");
  expect_member(analysis.dump(-1, ' ', true), "events");  // non-ASCII escaped
}

TEST(TopLevelMember, SaysNothingWhenThereIsNoSuchMemberOrTheTextEndsFirst) {
  for (const std::string text :
       {std::string(), std::string("[]"), std::string("\"events\""), std::string("{}"), std::string(R"({"event":[]})"),
        std::string(R"({"a":{"events":[]}})"), std::string(R"({"events")"), std::string(R"({"events":)"),
        std::string(R"({"events":[1,2)"), std::string(R"({"events":"open)"), std::string(R"({"a":"\")"),
        std::string(R"({"a":[1,"]"], "events")")})
    EXPECT_FALSE(top_level_member(text, "events")) << text;
}

}  // namespace
}  // namespace soundlens
