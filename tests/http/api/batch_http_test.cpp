// Batches through the real server: several files in one request, each a job;
// one bad file fails alone; hostile requests; unknown ids; owners kept apart.
#include <gtest/gtest.h>

#include <functional>

#include <chrono>
#include <thread>

#include "storage/batch_store.h"
#include "test_paths.h"
#include "pg_test_database.h"
#include "test_server.h"

namespace soundlens::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const std::string cough = "cough/00096021-2cb2-4098-b906-4878a5e225a3.flac";
const std::string knock = "awkward/03_short_0p3s_door_knock.wav";

httplib::MultipartFormDataItems three_files_one_bad() {
  return {{"file", read_file(shared_audio(cough)), "cough.flac", "audio/flac"},
          {"file", "this is a text file, not a recording\n", "bad.wav", "audio/wav"},
          {"file", read_file(shared_audio(knock)), "knock.wav", "audio/wav"},
          {"top_k", "3", "", ""}};
}

// Polls the batch until it is no longer running (or the time is up).
json poll_batch(httplib::Client& c, const std::string& id, const httplib::Headers& headers = {}) {
  const auto until = std::chrono::steady_clock::now() + 120s;
  json batch;
  while (std::chrono::steady_clock::now() < until) {
    auto res = c.Get(("/api/v1/batches/" + id).c_str(), headers);
    if (res && res->status == 200) {
      batch = json_of(res);
      if (batch["state"] != "running") return batch;
    }
    std::this_thread::sleep_for(200ms);
  }
  return batch;
}

TEST(BatchHttp, ThreeFilesOneBadTheOthersFinish) {
  TestServer server;
  auto c = server.client();
  auto res = c.Post("/api/v1/batches", three_files_one_bad());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 202) << res->body;
  const json created = json_of(res);
  const std::string id = created["id"];
  EXPECT_EQ(id.size(), 32u);
  EXPECT_EQ(res->get_header_value("Location"), "/api/v1/batches/" + id);
  ASSERT_EQ(created["items"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const auto& item = created["items"][i];
    EXPECT_EQ(item["index"], i);
    EXPECT_TRUE(item["job_id"].is_string()) << item.dump();
    for (const char* key : {"filename", "state", "progress", "analysis_id", "error"})
      EXPECT_TRUE(item.contains(key)) << key;
  }
  EXPECT_EQ(created["items"][1]["filename"], "bad.wav");

  const json done = poll_batch(c, id);
  EXPECT_EQ(done["state"], "done_with_errors") << done.dump();
  const auto& items = done["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1]["state"], "failed");
  EXPECT_EQ(items[1]["error"]["code"], "unsupported_format") << items[1].dump();
  EXPECT_TRUE(items[1]["analysis_id"].is_null());
  for (int i : {0, 2}) {
    EXPECT_EQ(items[i]["state"], "done") << items[i].dump();
    ASSERT_TRUE(items[i]["analysis_id"].is_string()) << items[i].dump();
    EXPECT_TRUE(items[i]["error"].is_null());
    // Each done item's analysis is stored, with the batch's options, and its job agrees.
    const auto analysis = json_of(c.Get(("/api/v1/analyses/" + items[i]["analysis_id"].get<std::string>()).c_str()));
    EXPECT_EQ(analysis["filename"], items[i]["filename"]);
    EXPECT_EQ(analysis["predictions"].size(), 3u);
    const auto job = json_of(c.Get(("/api/v1/jobs/" + items[i]["job_id"].get<std::string>()).c_str()))["job"];
    EXPECT_EQ(job["analysis_id"], items[i]["analysis_id"]);
  }
  EXPECT_EQ(json_of(c.Get("/api/v1/analyses"))["total"], 2);  // the bad file stored nothing

  // A batch whose files all succeed is done.
  const httplib::MultipartFormDataItems good{{"file", read_file(shared_audio(knock)), "k.wav", "audio/wav"}};
  auto ok = c.Post("/api/v1/batches", good);
  ASSERT_EQ(ok->status, 202) << ok->body;
  EXPECT_EQ(poll_batch(c, json_of(ok)["id"])["state"], "done");
}

TEST(BatchHttp, HostileRequests) {
  TestServer server;
  auto c = server.client();
  const std::string audio = read_file(shared_audio(knock));
  // No file at all, and no body.
  expect_error(c.Post("/api/v1/batches", httplib::MultipartFormDataItems{{"top_k", "3", "", ""}}), 400, "bad_request");
  expect_error(c.Post("/api/v1/batches"), 400, "bad_request");
  // Too many files: the error names the limit.
  httplib::MultipartFormDataItems many;
  for (int i = 0; i < 21; ++i) many.push_back({"file", audio, "k" + std::to_string(i) + ".wav", "audio/wav"});
  auto too_many = c.Post("/api/v1/batches", many);
  expect_error(too_many, 413, "too_large");
  EXPECT_NE(json_of(too_many)["error"]["message"].get<std::string>().find("at most 20"), std::string::npos);
  // A file in another field, a plain field named file, an unknown field, a bad option, models=.
  const auto bad_form = [&](httplib::MultipartFormDataItems extra, const std::string& says) {
    extra.push_back({"file", audio, "k.wav", "audio/wav"});
    auto res = c.Post("/api/v1/batches", extra);
    expect_error(res, 400, "bad_request");
    EXPECT_NE(json_of(res)["error"]["message"].get<std::string>().find(says), std::string::npos) << res->body;
  };
  bad_form({{"files", audio, "x.wav", "audio/wav"}}, "files");
  bad_form({{"file", "not a file", "", ""}}, "file");
  bad_form({{"colour", "blue", "", ""}}, "colour");
  bad_form({{"top_k", "many", "", ""}}, "top_k");
  bad_form({{"models", "mn04_as,yamnet", "", ""}}, "models");
  EXPECT_EQ(json_of(c.Get("/api/v1/jobs"))["items"].size(), 0u);  // nothing of those ran

  // An empty file fails alone, at once, without a job.
  const httplib::MultipartFormDataItems with_empty{{"file", "", "empty.wav", "audio/wav"},
                                                   {"file", audio, "k.wav", "audio/wav"}};
  auto res = c.Post("/api/v1/batches", with_empty);
  ASSERT_EQ(res->status, 202) << res->body;
  const json batch = json_of(res);
  EXPECT_TRUE(batch["items"][0]["job_id"].is_null());
  EXPECT_EQ(batch["items"][0]["state"], "failed");
  EXPECT_EQ(batch["items"][0]["error"]["code"], "empty_audio");
  EXPECT_EQ(poll_batch(c, batch["id"])["state"], "done_with_errors");

  // A huge file name: cut to a display name, or refused by the header limit; never echoed whole.
  auto huge = c.Post("/api/v1/batches",
                     httplib::MultipartFormDataItems{{"file", audio, std::string(6000, 'n') + ".wav", "audio/wav"}});
  ASSERT_TRUE(huge);
  if (huge->status == 202) EXPECT_LE(json_of(huge)["items"][0]["filename"].get<std::string>().size(), 255u);
  else expect_error(huge, 400);

  // Unknown and malformed ids.
  expect_error(c.Get("/api/v1/batches/0123456789abcdef0123456789abcdef"), 404, "not_found");
  expect_error(c.Get("/api/v1/batches/not-an-id"), 404, "not_found");
  auto long_id = c.Get(("/api/v1/batches/" + std::string(3000, 'a')).c_str());
  expect_error(long_id, 404, "not_found");
  EXPECT_LT(long_id->body.size(), 500u);

  // The routes are in the OpenAPI description, with their schemas and the files as an array.
  const json doc = json_of(c.Get("/openapi.json"));
  const auto& post = doc["paths"]["/api/v1/batches"]["post"];
  EXPECT_EQ(post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Batch");
  EXPECT_TRUE(post["responses"].contains("413"));
  EXPECT_EQ(post["requestBody"]["content"]["multipart/form-data"]["schema"]["properties"]["file"]["type"], "array");
  EXPECT_TRUE(doc["paths"]["/api/v1/batches/{id}"]["get"]["responses"].contains("404"));
  EXPECT_TRUE(doc["components"]["schemas"].contains("BatchItem"));
}

TEST(BatchHttp, AnotherUsersBatchIs404) {
  TestServer server({.auth = auth::AuthMode::required});
  const std::string ann = server.issue_key("ann"), bob = server.issue_key("bob");
  const std::string admin = server.issue_key("root", auth::Role::admin);
  const auto as = [](const std::string& key) { return httplib::Headers{{"Authorization", "Bearer " + key}}; };
  auto c = server.client();
  const httplib::MultipartFormDataItems one{{"file", read_file(shared_audio(knock)), "k.wav", "audio/wav"}};
  auto res = c.Post("/api/v1/batches", as(ann), one);
  ASSERT_EQ(res->status, 202) << res->body;
  const std::string id = json_of(res)["id"];
  const std::string path = "/api/v1/batches/" + id;
  auto other = c.Get(path.c_str(), as(bob));
  expect_error(other, 404, "not_found");
  auto unknown = c.Get("/api/v1/batches/0123456789abcdef0123456789abcdef", as(bob));
  EXPECT_EQ(json_of(unknown)["error"]["message"].get<std::string>().substr(0, 17),
            json_of(other)["error"]["message"].get<std::string>().substr(0, 17));
  EXPECT_EQ(c.Get(path.c_str(), as(admin))->status, 200);
  const json own = poll_batch(c, id, as(ann));
  EXPECT_EQ(own["state"], "done") << own.dump();
  // Its job and analysis are ann's too.
  const std::string job_id = own["items"][0]["job_id"], analysis_id = own["items"][0]["analysis_id"];
  expect_error(c.Get(("/api/v1/jobs/" + job_id).c_str(), as(bob)), 404, "not_found");
  expect_error(c.Get(("/api/v1/analyses/" + analysis_id).c_str(), as(bob)), 404, "not_found");
  EXPECT_EQ(c.Get(("/api/v1/analyses/" + analysis_id).c_str(), as(ann))->status, 200);
  expect_error(c.Post("/api/v1/batches", one), 401, "unauthorized");
}

// A batch store: what is stored comes back, in order, after the store is opened again.
void expect_batches_round_trip(const std::function<std::unique_ptr<BatchStore>()>& open) {
  BatchRecord made;
  {
    auto store = open();
    BatchRecord batch;
    batch.owner = 42;
    batch.items = {{0, "a, \"b\".wav", std::string(32, 'a'), "", ""}, {1, "empty.wav", "", "empty_audio", "empty"}};
    made = store->create(batch);
    EXPECT_EQ(made.id.size(), 32u);
    EXPECT_FALSE(made.created_at.empty());
    const auto anonymous = store->create(BatchRecord{});
    EXPECT_FALSE(store->get(anonymous.id)->owner.has_value());
    EXPECT_NE(anonymous.id, made.id);
  }
  auto store = open();
  const auto back = store->get(made.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->owner, 42);
  EXPECT_EQ(back->created_at, made.created_at);
  ASSERT_EQ(back->items.size(), 2u);
  EXPECT_EQ(back->items[0].filename, "a, \"b\".wav");
  EXPECT_EQ(back->items[0].job_id, std::string(32, 'a'));
  EXPECT_EQ(back->items[1].index, 1);
  EXPECT_EQ(back->items[1].error_code, "empty_audio");
  EXPECT_FALSE(store->get("0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(store->get("' OR 1=1 --"));
}

TEST(BatchStore, SqliteStoresAndReadsBackAcrossOpens) {
  const auto dir = std::filesystem::temp_directory_path() / ("soundlens-batch-store-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  expect_batches_round_trip([&] { return open_sqlite_batches(dir.string()); });
  std::filesystem::remove_all(dir);
}

// The same on PostgreSQL, where every server of a cluster reads the same batches.
TEST(BatchStore, PostgresStoresAndReadsBackAcrossOpens) {
  SOUNDLENS_NEED_POSTGRES();
  const soundlens::testing::PgTestDatabase db(*soundlens::testing::postgres_test_server());
  expect_batches_round_trip([&] { return open_postgres_batches(db.conninfo()); });
  EXPECT_EQ(db.scalar("SELECT count(*) FROM batch_items"), "2");
}

}  // namespace
}  // namespace soundlens::test
