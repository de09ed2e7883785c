#include "app/batch_command.h"

#include <csignal>
#include <filesystem>
#include <iostream>

#include "analysis/analysis_json.h"
#include "app/batch_output.h"
#include "app/batch_walk.h"
#include "app/progress_bar.h"
#include "core/error.h"

namespace soundlens {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t interrupted = 0;

// The first Ctrl-C asks to stop after the current file; the handler then
// resets itself, so a second one stops at once as usual.
void on_interrupt(int) { interrupted = 1; }

void catch_interrupt() {
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  action.sa_flags = SA_RESETHAND;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
}

// The outputs one file gets with a single FILE: with a folder they go under --out-dir.
constexpr const char* kPathOutputs[] = {"figure", "spectrogram-figure", "listen", "events-csv",
                                        "raven",  "audacity",           "report"};

BatchRow failed_row(const std::string& relative, ErrorCode code, const std::string& message) {
  BatchRow row{relative, "failed"};
  row.error_code = std::string(error_code_name(code));
  row.error_message = message;
  return row;
}

}  // namespace

const std::vector<Parameter>& batch_parameters() {
  using K = Parameter::Kind;
  static const std::vector<Parameter> all{
      {"out-dir", "with a folder DIR: write each file's outputs under this folder at its path in DIR "
                  "(NAME.json, NAME.png, NAME.events.csv), then batch.csv and events.csv",
       "", K::text, 0, 0, {}},
      {"resume", "with a folder: skip files whose outputs under --out-dir are complete and made from the same "
                 "file (size and modification time)",
       "", K::flag, 0, 0, {}},
  };
  return all;
}

bool is_batch_folder(const std::vector<std::string>& inputs, const ParameterValues& p) {
  std::error_code ec;
  bool folder = false;
  for (const auto& input : inputs) folder |= fs::is_directory(input, ec);
  if (!folder) {
    if (!p.text("out-dir").empty() || p.flag("resume"))
      throw Error(ErrorCode::bad_request, "--out-dir and --resume are for a folder (soundlens analyze DIR --out-dir OUT)");
    return false;
  }
  if (inputs.size() != 1)
    throw Error(ErrorCode::bad_request, "give one folder, or files: not a folder and other inputs together");
  if (p.text("out-dir").empty())
    throw Error(ErrorCode::bad_request, "a folder needs --out-dir OUT: where each file's outputs go");
  for (const char* name : kPathOutputs)
    if (!p.text(name).empty())
      throw Error(ErrorCode::bad_request, std::string("--") + name +
                                              " names one file's output; with a folder, the outputs go under --out-dir");
  if (p.flag("json"))
    throw Error(ErrorCode::bad_request, "--json is for files; with a folder each file's JSON is written under --out-dir");
  return true;
}

int run_analyze_folder(const std::string& dir, const ParameterValues& p, FileAnalysisSetup setup) {
  const fs::path out_dir = p.text("out-dir");
  fs::create_directories(out_dir);
  const auto entries = walk_batch_folder(dir, out_dir);
  setup.options.figure = true;
  const JsonOptions json_options{p.flag("all-probabilities")};
  const bool resume = p.flag("resume");

  std::size_t files = 0;
  std::uintmax_t bytes = 0;
  for (const auto& e : entries)
    if (e.skip_reason.empty()) ++files, bytes += e.size;
  ProgressBar progress(std::cerr, stderr_is_terminal(), files, bytes);
  BatchOutput output(out_dir);
  std::vector<BatchRow> rows;
  int analysed = 0, resumed = 0, failed = 0, skipped = 0;
  interrupted = 0;
  catch_interrupt();

  for (const auto& entry : entries) {
    if (interrupted) break;
    if (!entry.skip_reason.empty()) {
      rows.push_back({entry.relative, "skipped", "", entry.skip_reason});
      ++skipped;
      continue;
    }
    progress.start(entry.relative);
    BatchRow row;
    try {
      const SourceStamp stamp = source_stamp(entry.path);
      if (auto done = resume ? output.resumable(entry.relative, stamp) : std::nullopt) {
        row = std::move(*done);
        ++resumed;
      } else {
        auto result = analyze_file(setup, entry.path.string());
        auto json = analysis_to_json(result.analysis, json_options);
        add_events_json(json, result.events);
        row = output.write(entry.relative, stamp, std::move(json), result.figure_png);
        ++analysed;
      }
    } catch (const Error& e) {
      row = failed_row(entry.relative, e.code(), e.what());
    } catch (const std::exception& e) {
      row = failed_row(entry.relative, ErrorCode::internal, e.what());
    }
    if (row.status == "failed") {
      output.remove(entry.relative);
      ++failed;
    }
    progress.finish(entry.relative, entry.size, row.duration_s.value_or(0),
                    row.status == "failed" ? "failed (" + row.error_code + "): " + row.error_message
                                           : row.resumed ? "done earlier" : "done");
    rows.push_back(std::move(row));
  }
  progress.close();
  signal(SIGINT, SIG_DFL);
  output.write_tables(rows);

  std::cout << "batch: " << (analysed + resumed) << " done (" << analysed << " analysed, " << resumed
            << " resumed), " << failed << " failed, " << skipped << " skipped";
  if (interrupted) std::cout << "; interrupted after " << (analysed + resumed + failed) << " of " << files << " files";
  std::cout << "\nwritten: " << (out_dir / "batch.csv").string() << ", " << (out_dir / "events.csv").string()
            << std::endl;
  if (interrupted) return 130;
  return failed == 0 ? 0 : 1;
}

}  // namespace soundlens
