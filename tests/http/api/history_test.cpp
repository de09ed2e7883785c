// The history for real use, over real HTTP on real audio: a note and labels
// on each analysis (PATCH), and the list filtered by text, class, label and date.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_paths.h"
#include "test_server.h"

namespace soundlens::test {
namespace {
using nlohmann::json;

const std::string metro = "example/metro_station-paris.wav";
const std::string cough = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";

class HistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    auto c = server_->client();
    auto m = upload(c, "/api/v1/analyses", "metro.wav", read_file(shared_audio(metro)));
    auto k = upload(c, "/api/v1/analyses", "Night-cough.flac", read_file(shared_audio(cough)));
    ASSERT_EQ(m->status, 201) << m->body;
    ASSERT_EQ(k->status, 201) << k->body;
    metro_id_ = json_of(m)["id"];
    cough_id_ = json_of(k)["id"];
  }
  static void TearDownTestSuite() { delete server_; }

  static httplib::Result patch(const std::string& id, const std::string& body,
                               const std::string& type = "application/json") {
    auto c = server_->client();
    return c.Patch(("/api/v1/analyses/" + id).c_str(), body, type.c_str());
  }
  static std::vector<std::string> ids(const std::string& query) {
    auto c = server_->client();
    auto res = c.Get(("/api/v1/analyses?" + query).c_str());
    EXPECT_EQ(res->status, 200) << res->body;
    const json page = json_of(res);
    std::vector<std::string> out;
    for (const auto& item : page["items"]) out.push_back(item["id"]);
    EXPECT_EQ(page["total"], out.size());
    return out;
  }

  static TestServer* server_;
  static std::string metro_id_, cough_id_;
};
TestServer* HistoryTest::server_ = nullptr;
std::string HistoryTest::metro_id_, HistoryTest::cough_id_;
using Ids = std::vector<std::string>;

TEST_F(HistoryTest, NoteAndLabelsAreSavedShownAndListed) {
  auto res = patch(metro_id_, R"({"note": "Platform 4, morning", "labels": ["P-0042", "session 2", "P-0042"]})");
  ASSERT_EQ(res->status, 200) << res->body;
  const json changed = json_of(res);
  EXPECT_EQ(changed["id"], metro_id_);
  EXPECT_EQ(changed["note"], "Platform 4, morning");
  EXPECT_EQ(changed["labels"], json({"P-0042", "session 2"}));  // a repeated label once
  EXPECT_TRUE(changed.contains("predictions"));
  auto c = server_->client();
  EXPECT_EQ(json_of(c.Get(("/api/v1/analyses/" + metro_id_).c_str()))["labels"], changed["labels"]);
  // Only the note: the labels stay.
  ASSERT_EQ(patch(metro_id_, R"({"note": "Platform 4"})")->status, 200);
  const json stored = json_of(c.Get(("/api/v1/analyses/" + metro_id_).c_str()));
  EXPECT_EQ(stored["note"], "Platform 4");
  EXPECT_EQ(stored["labels"], json({"P-0042", "session 2"}));
  // The history list shows them.
  for (const auto& item : json_of(c.Get("/api/v1/analyses"))["items"])
    if (item["id"] == metro_id_) EXPECT_EQ(item["note"], "Platform 4");
}

TEST_F(HistoryTest, TheListFiltersByTextClassLabelAndDate) {
  ASSERT_EQ(patch(metro_id_, R"({"labels": ["P-0042"]})")->status, 200);
  EXPECT_EQ(ids("q=night"), Ids{cough_id_});  // the file name, any case
  EXPECT_EQ(ids("q=p-00"), Ids{metro_id_});   // a label, in part
  EXPECT_EQ(ids("label=P-0042"), Ids{metro_id_});
  EXPECT_EQ(ids("label=P-00"), Ids{});
  EXPECT_EQ(ids("class=Cough"), Ids{cough_id_});  // by name, among predictions and events
  EXPECT_EQ(ids("class=47"), Ids{cough_id_});     // by index
  const json metro = json_of(server_->client().Get(("/api/v1/analyses/" + metro_id_).c_str()));
  const std::string top = metro["predictions"][0]["label"];
  EXPECT_EQ(ids("class=" + httplib::detail::encode_query_param(top)).front(), metro_id_);
  const std::string today = metro["created_at"].get<std::string>().substr(0, 10);
  EXPECT_EQ(ids("from=" + today + "&to=" + today).size(), 2u);
  EXPECT_EQ(ids("to=2001-01-01"), Ids{});
  EXPECT_EQ(ids("q=night&class=Train"), Ids{});  // filters combine
  EXPECT_EQ(ids("q=%25"), Ids{});                // "%" is text, not a wildcard
  EXPECT_EQ(ids("q=night&limit=1").size(), 1u);
}

TEST_F(HistoryTest, HostileFiltersAre400NamingTheParameter) {
  auto c = server_->client();
  for (const std::string& query : std::vector<std::string>{"from=2026-13-01", "from=yesterday", "to=2026-1-1", "from=2026-11-28%00",
                                  "from=2026-11-28&to=2026-11-01", "q=" + std::string(300, 'a')}) {
    SCOPED_TRACE(query);
    auto res = c.Get(("/api/v1/analyses?" + query).c_str());
    expect_error(res, 400, "bad_request");
    const std::string name = query.substr(0, query.find('='));
    EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find(name), std::string::npos) << res->body;
  }
}

TEST_F(HistoryTest, BadChangesAre400AndChangeNothing) {
  ASSERT_EQ(patch(cough_id_, R"({"note": "kept", "labels": ["A"]})")->status, 200);
  const std::vector<std::string> bad = {
      "",  "not json", "[]", "{}", R"({"note": 5})", R"({"labels": "A"})", R"({"labels": [1]})",
      R"({"labels": [""]})", R"({"owner": 1})", R"({"note": "x", "id": "y"})",
      R"({"note": "a\u0000b"})", R"({"labels": ["a\tb"]})",
      "{\"note\": \"" + std::string(2001, 'x') + "\"}",
      "{\"labels\": [\"" + std::string(65, 'x') + "\"]}",
      R"({"note": ")" "\xff\xfe" R"("})",
  };
  std::string many = R"({"labels": [)";
  for (int i = 0; i < 21; ++i) many += (i ? "," : "") + std::string("\"l") + std::to_string(i) + "\"";
  for (const auto& body : [&] { auto all = bad; all.push_back(many + "]}"); return all; }()) {
    SCOPED_TRACE(body.substr(0, 80));
    expect_error(patch(cough_id_, body), 400, "bad_request");
  }
  expect_error(patch(cough_id_, R"({"note": "x"})", "text/plain"), 400, "bad_request");
  expect_error(patch("0123456789abcdef0123456789abcdef", R"({"note": "x"})"), 404, "not_found");
  expect_error(patch("..%2F..%2Fetc", R"({"note": "x"})"), 404);
  const json stored = json_of(server_->client().Get(("/api/v1/analyses/" + cough_id_).c_str()));
  EXPECT_EQ(stored["note"], "kept");
  EXPECT_EQ(stored["labels"], json({"A"}));
}

}  // namespace
}  // namespace soundlens::test
