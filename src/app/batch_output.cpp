#include "app/batch_output.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "analysis_events/analysis_events.h"
#include "core/error.h"
#include "exports/exports.h"
#include "storage/files.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
  storage::write_file_atomically(path, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

std::optional<nlohmann::json> read_json(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto j = nlohmann::json::parse(text.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::string number(std::optional<double> value, int decimals) {
  if (!value) return "";
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, *value);
  return text;
}

nlohmann::json stamp_json(const SourceStamp& s) { return {{"size", s.size}, {"mtime_ns", s.mtime_ns}}; }

// A done file's row from its analysis JSON (as written, or read back).
BatchRow row_from_json(const std::string& relative, const nlohmann::json& j) {
  BatchRow row{relative, "done"};
  if (j.contains("audio") && j["audio"].contains("duration_s") && j["audio"]["duration_s"].is_number())
    row.duration_s = j["audio"]["duration_s"].get<double>();
  if (j.contains("predictions") && j["predictions"].is_array() && !j["predictions"].empty()) {
    const auto& top = j["predictions"][0];
    row.top_class = top.value("label", "");
    if (top.contains("probability") && top["probability"].is_number())
      row.top_probability = top["probability"].get<double>();
  }
  row.events = events_from_json(j);
  if (j.contains("event_counts") && j["event_counts"].is_array())
    for (const auto& c : j["event_counts"])
      row.event_counts += (row.event_counts.empty() ? "" : "; ") + c.value("label", std::string()) + ": " +
                          std::to_string(c.value("count", 0));
  return row;
}

}  // namespace

SourceStamp source_stamp(const fs::path& file) {
  const auto time = fs::last_write_time(file);
  return {fs::file_size(file),
          std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count()};
}

fs::path BatchOutput::output(const std::string& relative, const std::string& suffix) const {
  return out_ / fs::path(relative + suffix);
}

std::optional<BatchRow> BatchOutput::resumable(const std::string& relative, const SourceStamp& stamp) const {
  const auto j = read_json(output(relative, ".json"));
  if (!j || !j->contains("batch_source") || (*j)["batch_source"] != stamp_json(stamp)) return std::nullopt;
  // The JSON is written last: the others exist unless someone removed them.
  std::error_code ec;
  if (!fs::is_regular_file(output(relative, ".events.csv"), ec)) return std::nullopt;
  if (j->value("figure", false) && !fs::is_regular_file(output(relative, ".png"), ec)) return std::nullopt;
  try {
    BatchRow row = row_from_json(relative, *j);
    row.resumed = true;
    return row;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // a JSON object of the wrong shape: analyse again
  }
}

BatchRow BatchOutput::write(const std::string& relative, const SourceStamp& stamp, nlohmann::json j,
                            const std::vector<std::uint8_t>& figure_png) {
  try {
    fs::create_directories(output(relative, "").parent_path());
    remove(relative);  // a stale JSON must never vouch for new outputs
    j["file"] = relative;
    j["figure"] = !figure_png.empty();
    j["batch_source"] = stamp_json(stamp);
    BatchRow row = row_from_json(relative, j);
    if (!figure_png.empty()) storage::write_file_atomically(output(relative, ".png"), figure_png);
    write_text(output(relative, ".events.csv"), write_events_csv(row.events));
    write_text(output(relative, ".json"), j.dump());
    return row;
  } catch (const fs::filesystem_error& e) {
    remove(relative);
    throw Error(ErrorCode::internal, std::string("cannot write the outputs: ") + e.what());
  } catch (...) {
    remove(relative);
    throw;
  }
}

void BatchOutput::remove(const std::string& relative) const {
  for (const char* suffix : {".json", ".png", ".events.csv"}) storage::remove_quietly(output(relative, suffix));
}

void BatchOutput::write_tables(const std::vector<BatchRow>& rows) const {
  fs::create_directories(out_);
  write_text(out_ / "events.csv", batch_events_csv(rows));
  write_text(out_ / "batch.csv", batch_csv(rows));
}

std::string batch_csv(const std::vector<BatchRow>& rows) {
  std::string out =
      "path,status,error_code,error_message,duration_s,top_class,top_probability,events,event_counts\r\n";
  for (const auto& r : rows) {
    const bool done = r.status == "done";
    out += csv_field(r.path) + ',' + r.status + ',' + csv_field(r.error_code) + ',' + csv_field(r.error_message) +
           ',' + number(r.duration_s, 3) + ',' + csv_field(r.top_class) + ',' + number(r.top_probability, 4) + ',' +
           (done ? std::to_string(r.events.size()) : "") + ',' + csv_field(r.event_counts) + "\r\n";
  }
  return out;
}

std::string batch_events_csv(const std::vector<BatchRow>& rows) {
  std::string out = "file,index,label,onset_s,offset_s,probability,low_hz,high_hz\r\n";
  for (const auto& r : rows)
    for (const auto& e : r.events) {
      // The one-file writer's row, after its header line.
      const std::string one = write_events_csv({&e, 1});
      out += csv_field(r.path) + ',' + one.substr(one.find("\r\n") + 2);
    }
  return out;
}

}  // namespace soundlens
