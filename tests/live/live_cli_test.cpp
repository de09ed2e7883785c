// `soundlens live` run as a user runs it (the built program in a child
// process, real audio, the real weights of ../shared/models).
//
// The agreement with the offline analysis (with --settle-s 0), and why it must hold: the live
// engine cuts the same windows as `analyze --event-window-s W --event-hop-s H`
// (WindowStream, the last window ending at the last sample), runs each through
// the same network once, lays their frame evidence and the windows' presence
// on the frames exactly as the offline pass does (RollingFrames), and hands
// each frame to the incremental detector only once no later window can change
// it; that detector gives detect_frame_events' events frame by frame
// (tests/events/streaming_events_test.cpp). So the events are the same (class,
// onset, offset, peak probability to the JSON's rounding, alternatives) with
// one stated exception: offline places at most 10 classes without a calibrated
// rule (the 10 most probable over the whole recording), which a stream cannot
// know in advance, so live places all of them (summary.other_classes_heard);
// and offline a class heard by some window anywhere (window_presence) lets its
// frames in everywhere, while a stream gates out the frames it settles before
// the class is first heard (summary.heard_late: such classes whose gated frames
// reached their event threshold). With at most 10 such classes and none heard
// late, the events are the same; otherwise every event that differs, live or
// offline, overlaps an event of (or with an alternative of) one of those classes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command_output.h"
#include "test_paths.h"

namespace {

namespace fs = std::filesystem;
using namespace soundlens::test;
using nlohmann::json;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("soundlens-live-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return "'" + (path / name).string() + "'"; }
  std::string raw(const std::string& name) const { return (path / name).string(); }
};

std::string live(const std::string& args) {
  return soundlens_binary() + " live " + args + " --model-dir '" + models_dir() + "'";
}

std::vector<json> lines_of(const std::string& out) {
  std::vector<json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.front() == '{') lines.push_back(json::parse(line));
  return lines;
}

std::vector<json> of_type(const std::vector<json>& lines, const std::string& type) {
  std::vector<json> out;
  for (const auto& l : lines)
    if (l["type"] == type) out.push_back(l);
  return out;
}

std::set<int> rule_classes() {
  std::set<int> out;
  std::ifstream in(source_dir() + "/data/thresholds/mn04_as.csv");
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) out.insert(std::stoi(line));
  return out;
}

std::string key(const json& e) {
  char text[200];
  std::snprintf(text, sizeof text, "%d %.3f-%.3f", e["index"].get<int>(), e["onset_s"].get<double>(),
                e["offset_s"].get<double>());
  std::string s = text;
  for (const auto& a : e["alternatives"]) s += " +" + std::to_string(a["index"].get<int>());
  return s;
}

// The agreement stated at the top of this file.
void expect_offline_events(const std::vector<json>& lines, const std::string& offline_file, double window_s,
                           double hop_s, bool must_be_exact = false) {
  const auto summary = of_type(lines, "summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0]["dropped_windows"], 0);
  const auto ended = of_type(lines, "event");
  ASSERT_EQ(ended.size(), summary[0]["events"].size());  // the summary lists the lines' events
  char windows[96];
  std::snprintf(windows, sizeof windows, " --event-window-s %g --event-hop-s %g", window_s, hop_s);
  const CommandResult off = run_analyze(offline_file + windows + " --json --threads 1");
  ASSERT_EQ(off.status, 0) << off.out;
  const json offline = json::parse(off.out)["events"];
  ASSERT_FALSE(offline.empty());
  std::map<std::string, json> live_by_key, offline_by_key;
  for (const auto& e : ended) live_by_key[key(e)] = e;
  for (const auto& e : offline) offline_by_key[key(e)] = e;
  for (const auto& [k, e] : offline_by_key)
    if (live_by_key.count(k))
      EXPECT_NEAR(live_by_key[k]["probability"].get<double>(), e["probability"].get<double>(), 2e-4) << k;
  const int others = summary[0]["other_classes_heard"];
  const auto late = summary[0]["heard_late"].get<std::vector<int>>();
  if (must_be_exact) ASSERT_TRUE(others <= 10 && late.empty()) << summary[0].dump();
  if (others <= 10 && late.empty()) {
    std::vector<std::string> live_keys, offline_keys;
    for (const auto& [k, e] : live_by_key) live_keys.push_back(k);
    for (const auto& [k, e] : offline_by_key) offline_keys.push_back(k);
    EXPECT_EQ(live_keys, offline_keys);
    return;
  }
  // The stated exceptions: each differing event, live or offline, overlaps an event that has (as its
  // class or an alternative) a class heard late, or a class without a rule that offline did not place.
  std::set<int> suspects(late.begin(), late.end()), offline_classes;
  for (const auto& e : offline) offline_classes.insert(e["index"].get<int>());
  const auto rules = rule_classes();
  for (const auto& e : ended)
    if (!rules.count(e["index"].get<int>()) && !offline_classes.count(e["index"].get<int>()))
      suspects.insert(e["index"].get<int>());
  std::vector<json> all(ended.begin(), ended.end());
  all.insert(all.end(), offline.begin(), offline.end());
  const auto suspect = [&](const json& e) {
    if (suspects.count(e["index"].get<int>())) return true;
    for (const auto& a : e["alternatives"])
      if (suspects.count(a["index"].get<int>())) return true;
    return false;
  };
  const auto explained = [&](const json& d) {
    for (const auto& e : all)
      if (suspect(e) && e["onset_s"].get<double>() < d["offset_s"].get<double>() &&
          d["onset_s"].get<double>() < e["offset_s"].get<double>())
        return true;
    return false;
  };
  std::size_t same = 0;
  for (const auto& [k, e] : offline_by_key) {
    if (live_by_key.count(k)) ++same;
    else EXPECT_TRUE(explained(e)) << "an offline event not found live: " << k;
  }
  for (const auto& [k, e] : live_by_key)
    if (!offline_by_key.count(k)) EXPECT_TRUE(explained(e)) << "a live event not found offline: " << k;
  EXPECT_GE(same * 10, offline_by_key.size() * 8) << "fewer than 80 % of the offline events found live";
}

const std::string dev_1 = "'" + shared_audio("events-dev/dev_1.flac") + "'";

// A file's audio as 32 kHz mono float samples (by ffmpeg: an independent decoder).
std::vector<float> decode_samples(const std::string& path) {
  const std::string raw = path + ".f32";
  if (run_command("ffmpeg -v error -y -i '" + path + "' -f f32le -ac 1 -ar 32000 '" + raw + "'").status != 0) return {};
  const std::string bytes = slurp(raw);
  std::vector<float> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), out.size() * 4);
  return out;
}

TEST(LiveCli, AWholeMixtureAsFastAsPossibleGivesTheOfflineEvents) {
  const CommandResult r = run_command(live("--input " + dev_1 + " --pace 0 --settle-s 0 --json") + " 2>&1");
  ASSERT_EQ(r.status, 0) << r.out.substr(0, 2000);
  const auto lines = lines_of(r.out);
  // One hop line per analysed window: 120 s, windows of 2 s every 0.5 s, and the last ending at 120 s.
  EXPECT_EQ(of_type(lines, "hop").size(), 237u);
  for (const auto& h : of_type(lines, "hop")) {
    ASSERT_EQ(h["top"].size(), 5u);
    EXPECT_NEAR(h["time_s"].get<double>() - h["window_start_s"].get<double>(), 2.0, 1e-9);
  }
  expect_offline_events(lines, dev_1, 2, 0.5);
  // Every final event had its start line first.
  std::set<int> started;
  for (const auto& l : lines) {
    if (l["type"] == "event_start") started.insert(l["index"].get<int>());
    if (l["type"] == "event") {
      EXPECT_TRUE(started.count(l["index"].get<int>())) << l.dump();
      EXPECT_GE(l["peak_s"].get<double>(), l["onset_s"].get<double>());
      EXPECT_LT(l["peak_s"].get<double>(), l["offset_s"].get<double>());
    }
  }
}

// How late each event line comes, in stream time (the last hop line before it), after the event's
// (narrowed) offset. With --settle-s 0 the pooled evidence hears the sound up to one window after it
// (mn04_as pools 10 columns, the whole 2 s window here), then the frames after it must be final (the
// window's length) and the merge gap (0.6 s: two frames of 0.32 s) pass, within a hop. With
// --settle-s above 0 an event ends once its own columns have been quiet for two frames (0.64 s),
// final --settle-s later (0.32 s), within a hop (0.5 s); unless it waits for a related class's run
// that may still join it, or the pooled run ends first.
std::vector<double> line_delays(const std::vector<json>& lines) {
  double stream_s = 0;
  std::vector<double> delays;
  for (const auto& l : lines) {
    if (l["type"] == "hop") stream_s = l["time_s"];
    if (l["type"] == "event" && l != lines.back()) delays.push_back(stream_s - l["offset_s"].get<double>());
  }
  std::sort(delays.begin(), delays.end());
  return delays;
}

double latest_line_delay(const std::vector<json>& lines) {
  const auto delays = line_delays(lines);
  return delays.empty() ? 0 : delays.back();
}

TEST(LiveCli, EventLinesComeWithinTheSettlingDelay) {
  const CommandResult exact = run_command(live("--input " + dev_1 + " --pace 0 --settle-s 0 --json"));
  ASSERT_EQ(exact.status, 0);
  // The pool's reach (2 s), then frames final after every window over them: 2 s window + 0.64 s +
  // 0.5 s hop (+ one frame's rounding).
  constexpr double kPoolReach = 2;
  const double exact_delay = latest_line_delay(lines_of(exact.out));
  EXPECT_LE(exact_delay, kPoolReach + 2 + 0.64 + 0.5 + 0.32 + 1e-6);
  const CommandResult early = run_command(live("--input " + dev_1 + " --pace 0 --json"));  // --settle-s 0.32
  ASSERT_EQ(early.status, 0);
  const auto lines = lines_of(early.out);
  const double early_delay = latest_line_delay(lines);
  EXPECT_LE(early_delay, kPoolReach + 0.32 + 0.64 + 0.5 + 0.32 + 1e-6);
  EXPECT_LT(early_delay, exact_delay);
  EXPECT_FALSE(of_type(lines, "event").empty());
  // Most end on their quiet columns (the pooled run alone would keep them a window longer).
  const auto delays = line_delays(lines);
  ASSERT_GE(delays.size(), 5u);
  EXPECT_LE(delays[delays.size() / 2], 0.64 + 0.32 + 0.5 + 1e-6);
}

TEST(LiveCli, AShortPieceAtTenTimesRealTimeGivesTheOfflineEvents) {
  TempDir dir;
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -t 20 " + dir / "piece.wav").status, 0);
  const auto t0 = std::chrono::steady_clock::now();
  const CommandResult r =
      run_command(live("--input " + dir / "piece.wav" + " --pace 10 --window-s 3 --hop-s 1 --settle-s 0 --class Cough --json"));
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(r.status, 0) << r.out.substr(0, 2000);
  EXPECT_GE(wall_s, 2.0);  // paced: 20 s of audio at 10x takes at least 2 s
  const auto lines = lines_of(r.out);
  for (const auto& h : of_type(lines, "hop")) {
    ASSERT_EQ(h["watched"].size(), 1u);
    EXPECT_EQ(h["watched"][0]["label"], "Cough");
  }
  expect_offline_events(lines, dir / "piece.wav" + " --class Cough", 3, 1, /*must_be_exact=*/true);
  // YAMNet analyses its own windows (0.975 s every 0.48 s) live as offline, whatever is asked.
  const CommandResult yamnet = run_command(live("--input " + dir / "piece.wav" + " --pace 0 --settle-s 0 --model yamnet --json"));
  ASSERT_EQ(yamnet.status, 0) << yamnet.out.substr(0, 2000);
  const auto yamnet_lines = lines_of(yamnet.out);
  EXPECT_NEAR(of_type(yamnet_lines, "hop").at(0)["time_s"].get<double>(), 0.975, 1e-3);
  expect_offline_events(yamnet_lines, dir / "piece.wav" + " --model yamnet", 3, 1, /*must_be_exact=*/true);
}

TEST(LiveCli, StandardInputEndingMidSampleIsHeardToItsLastWholeFrame) {
  TempDir dir;
  // 6 s of the mixture as 44.1 kHz stereo s16le, and one stray byte: the stream stops inside a frame.
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -t 6 -ac 2 -ar 44100 -f s16le " + dir / "in.raw").status, 0);
  ASSERT_EQ(run_command("ffmpeg -v error -y -f s16le -ac 2 -ar 44100 -i " + dir / "in.raw" + " " + dir / "same.wav").status, 0);
  ASSERT_EQ(run_command("printf 'x' >> " + dir / "in.raw").status, 0);
  const CommandResult r = run_command("cat " + dir / "in.raw" + " | " +
                                      live("- --rate 44100 --channels 2 --max-lag-s 0 --settle-s 0 --json --record " +
                                           dir / "rec.flac" + " --events-csv " + dir / "events.csv"));
  ASSERT_EQ(r.status, 0) << r.out.substr(0, 2000);
  const auto lines = lines_of(r.out);
  bool noted = false;
  for (const auto& w : of_type(lines, "warning"))
    noted |= w["message"].get<std::string>().find("ended inside a sample frame") != std::string::npos;
  EXPECT_TRUE(noted) << r.out.substr(r.out.size() > 3000 ? r.out.size() - 3000 : 0);
  const auto summary = of_type(lines, "summary").at(0);
  EXPECT_NEAR(summary["duration_s"].get<double>(), 6.0, 1.0 / 32000);
  // The same samples as the decoder makes of the same PCM in a WAV: the same events.
  expect_offline_events(lines, dir / "same.wav", 2, 0.5, /*must_be_exact=*/true);
  // The recording decodes back to what was heard.
  const std::string probed =
      command_output("ffprobe -v error -show_entries stream=codec_name,sample_rate,channels,duration -of csv=p=0 " + dir / "rec.flac");
  EXPECT_EQ(probed.substr(0, probed.find('\n')), "flac,32000,1,6.000000");
  // The CSV: a header and one row per event line, fields as the events.
  std::ifstream csv(dir.raw("events.csv"));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header, "index,label,onset_s,offset_s,probability,low_hz,high_hz\r");
  const auto ended = of_type(lines, "event");
  std::size_t rows = 0;
  for (std::string row; std::getline(csv, row); ++rows) {
    ASSERT_LT(rows, ended.size());
    const auto& e = ended[rows];
    EXPECT_EQ(row.substr(0, row.find(',')), std::to_string(e["index"].get<int>()));
    char onset[32];
    std::snprintf(onset, sizeof onset, ",%.3f,", e["onset_s"].get<double>());
    EXPECT_NE(row.find(onset), std::string::npos) << row;
  }
  EXPECT_EQ(rows, ended.size());
}

TEST(LiveCli, AllZerosAndAllClippedInputWarn) {
  TempDir dir;
  ASSERT_EQ(run_command("head -c 192000 /dev/zero > " + dir / "zeros.raw").status, 0);  // 3 s
  CommandResult r = run_command("cat " + dir / "zeros.raw" + " | " + live("- --json --max-lag-s 0"));
  ASSERT_EQ(r.status, 0) << r.out;
  auto warnings = of_type(lines_of(r.out), "warning");
  ASSERT_EQ(warnings.size(), 1u) << r.out;
  EXPECT_NE(warnings[0]["message"].get<std::string>().find("all zeros"), std::string::npos);
  // Full-scale positive s16 samples (0x7fff): clipped for 3 s.
  ASSERT_EQ(run_command("head -c 192000 /dev/zero | tr '\\0' '\\377' | sed 's/\\xff\\xff/\\xff\\x7f/g' > " + dir / "clip.raw").status, 0);
  r = run_command("cat " + dir / "clip.raw" + " | " + live("- --json --max-lag-s 0"));
  ASSERT_EQ(r.status, 0) << r.out;
  warnings = of_type(lines_of(r.out), "warning");
  ASSERT_EQ(warnings.size(), 1u) << r.out;
  EXPECT_NE(warnings[0]["message"].get<std::string>().find("clipped"), std::string::npos);
}

TEST(LiveCli, NonFiniteFloatInputStopsWithAnErrorAndKeepsWhatWasHeard) {
  TempDir dir;
  // 1 s of f32le silence-ish noise, then a NaN.
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -t 3 -f f32le -ac 1 -ar 32000 " + dir / "f.raw" +
                        " && printf '\\000\\000\\300\\177' >> " + dir / "f.raw").status, 0);
  const CommandResult r = run_command("cat " + dir / "f.raw" + " | " +
                                      live("- --format f32le --json --max-lag-s 0 --record " + dir / "rec.wav") + " 2>&1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.out.find("NaN sample at 3.000 s"), std::string::npos) << r.out.substr(0, 3000);
  const auto summary = of_type(lines_of(r.out), "summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_NE(summary[0]["ended_by"].get<std::string>().find("error"), std::string::npos);
  const std::string probed = command_output("ffprobe -v error -show_entries stream=duration -of csv=p=0 " + dir / "rec.wav");
  EXPECT_NEAR(std::stod(probed), summary[0]["duration_s"].get<double>(), 1e-3);
  EXPECT_GT(summary[0]["duration_s"].get<double>(), 2.9);
}

TEST(LiveCli, SignalsEndTheSessionCleanly) {
  TempDir dir;
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -t 8 -f s16le -ac 1 -ar 32000 " + dir / "in.raw").status, 0);
  for (const auto& [signal, status] : std::vector<std::pair<std::string, int>>{{"INT", 130}, {"TERM", 143}}) {
    // The source stays open (cat, then sleep): only the signal ends the session.
    const CommandResult r = run_command(
        "(cat " + dir / "in.raw" + "; sleep 8) | " +
        live("- --json --record " + dir / "rec.wav" + " --events-csv " + dir / "e.csv") + " > " + dir / "out.jsonl" +
        " & pid=$!; sleep 4; kill -" + signal + " $pid; wait $pid; echo status=$?");
    EXPECT_NE(r.out.find("status=" + std::to_string(status)), std::string::npos) << signal << ": " << r.out;
    const auto lines = lines_of(slurp(dir.raw("out.jsonl")));
    const auto summary = of_type(lines, "summary");
    ASSERT_EQ(summary.size(), 1u) << signal;
    EXPECT_EQ(summary[0]["ended_by"], "stopped");
    const double heard = summary[0]["duration_s"];
    EXPECT_GE(heard, 8.0 - 1e-6);  // everything written before the signal was heard
    const std::string probed = command_output("ffprobe -v error -show_entries stream=duration -of csv=p=0 " + dir / "rec.wav");
    EXPECT_NEAR(std::stod(probed), heard, 1e-3) << signal;
    const std::string csv = slurp(dir.raw("e.csv"));
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), std::ptrdiff_t(of_type(lines, "event").size() + 1));
  }
}

TEST(LiveCli, AnAnalysisBehindARealTimeSourceDropsWindowsAndSaysSo) {
  TempDir dir;
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -f s16le -ac 1 -ar 32000 " + dir / "in.raw").status, 0);
  // A pipe is a real-time source: 120 s arriving at once is far ahead of the analysis.
  const CommandResult r = run_command("cat " + dir / "in.raw" + " | " + live("- --json --max-lag-s 0.5"));
  ASSERT_EQ(r.status, 0) << r.out.substr(0, 2000);
  const auto lines = lines_of(r.out);
  const auto summary = of_type(lines, "summary").at(0);
  EXPECT_GT(summary["dropped_windows"].get<long>(), 0);
  // Every window was either analysed or dropped, and all the audio was heard (and recorded, were it asked).
  EXPECT_EQ(summary["windows"].get<long>() + summary["dropped_windows"].get<long>(), 237);
  EXPECT_EQ(of_type(lines, "hop").size(), std::size_t(summary["windows"].get<long>()));
  EXPECT_NEAR(summary["duration_s"].get<double>(), 120.0, 1e-6);
  bool said = false;
  for (const auto& w : of_type(lines, "warning"))
    said |= w["message"].get<std::string>().find("behind real time") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(LiveCli, HostileOptionsAreRefusedNamingTheOption) {
  TempDir dir;
  for (const auto& [args, named] : std::vector<std::pair<std::string, std::string>>{
           {"- --rate 44100.5", "--rate"},
           {"- --rate 0", "--rate"},
           {"- --channels 0", "--channels"},
           {"- --channels -2", "--channels"},
           {"- --format s24le", "--format"},
           {"--input x.wav --pace -1", "--pace"},
           {"--input x.wav --pace nan", "--pace"},
           {"- --pace 2", "--pace"},
           {"--input " + dev_1 + " --rate 48000", "--rate"},
           {"--input " + dev_1 + " --format f32le", "--format"},
           {"- --window-s 2 --hop-s 3", "--hop-s"},
           {"- --window-s 0.5", "--window-s"},
           {"- --top-k 0", "--top-k"},
           {"- --settle-s 3", "--settle-s"},
           {"- --settle-s -1", "--settle-s"},
           {"- --threads abc", "--threads"},
           {"- --event-threshold 2", "--event-threshold"},
           {"- --event-threshold 0.2 --event-threshold-low 0.4", "event_threshold_low"},
           {"- --class 'No such class'", "unknown class"},
           {"- --record " + dir / "out.mp3", "--record"},
           {"- --record /nonexistent-dir/out.wav", "--record"},
           {"- --events-csv /nonexistent-dir/e.csv", "--events-csv"},
           {"--input /nonexistent/file.wav", "no such file"},
           // Capture devices: names that are not plain device names, kinds other than ALSA and PulseAudio.
           {"--input pulse:", "device name"},
           {"--input 'pulse:../../etc/passwd'", "device name"},
           {"--input \"alsa:file:'/tmp/x' raw\"", "device name"},
           {"--input 'alsa:plug:{slave.pcm hw}'", "device name"},
           {"--input 'pulse:$(touch /tmp/soundlens-pwned)'", "device name"},
           {"--input pulse:" + std::string(200, 'a'), "device name"},
           {"--input lavfi:sine", "alsa:NAME or pulse:NAME"},
           {"--input device:0", "alsa:NAME or pulse:NAME"},
           {"--input alsa:default --pace 2", "--pace"},
           {"--input alsa:default --rate 48000", "--rate"},
           {"a.wav b.wav", "one input"},
           {"--bogus 1", "--bogus"}}) {
    const CommandResult r = run_command("true | " + live(args) + " 2>&1");
    EXPECT_EQ(r.status, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(named), std::string::npos) << args << ": " << r.out;
    EXPECT_EQ(r.out.find("internal"), std::string::npos) << args << ": " << r.out;
  }
}

// A capture device for real, without sound hardware: a private PulseAudio daemon (its own runtime
// directory and socket) with a null sink, whose monitor source `soundlens live --input DEVICE` listens to
// through libavdevice while paplay plays 20 s of a real mixture into the sink. `env` is put before the
// command (the ALSA case names the PulseAudio source its plug-in records from).
void hear_a_capture_device(const std::string& device, const std::string& env_of_device) {
  TempDir dir;
  ASSERT_EQ(run_command("ffmpeg -v error -y -i " + dev_1 + " -t 20 -ac 1 -ar 32000 " + dir / "clip.wav").status, 0);
  const std::string env = "export HOME=" + dir / "" + " XDG_RUNTIME_DIR=" + dir / "run" + " PULSE_SERVER=unix:" +
                          dir.raw("pulse.sock") + "; mkdir -m 700 -p " + dir / "run" + "; ";
  const std::string daemon =
      "pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no "
      "-L 'module-null-sink sink_name=soundlens_test rate=48000' "
      "-L 'module-native-protocol-unix auth-anonymous=1 socket=" + dir.raw("pulse.sock") + "' > " + dir / "pulse.log" +
      " 2>&1 & pa=$!; for i in $(seq 100); do pactl info > /dev/null 2>&1 && break; sleep 0.1; done; ";
  const CommandResult r = run_command(
      env + daemon +
      env_of_device + " " + live("--input " + device + " --json --max-lag-s 10 --record " + dir / "rec.wav") + " > " +
      dir / "out.jsonl" + " 2> " + dir / "err.txt" +
      // Played once it listens (its first hop line: 2 s heard), however long the model took to load.
      " & sl=$!; for i in $(seq 600); do grep -q '\"hop\"' " + dir / "out.jsonl" + " && break; sleep 0.1; done; "
      "paplay -d soundlens_test " + dir / "clip.wav" +
      "; sleep 3; kill -INT $sl; wait $sl; echo status=$?; kill $pa; wait $pa 2> /dev/null");
  ASSERT_NE(r.out.find("status=130"), std::string::npos)
      << r.out << slurp(dir.raw("err.txt")) << slurp(dir.raw("pulse.log"));
  const auto lines = lines_of(slurp(dir.raw("out.jsonl")));
  const auto summary = of_type(lines, "summary");
  ASSERT_EQ(summary.size(), 1u) << slurp(dir.raw("err.txt"));
  EXPECT_GT(summary[0]["duration_s"].get<double>(), 22.0);  // the clip and the silence around it
  EXPECT_EQ(summary[0]["dropped_windows"], 0);  // within 10 s of lag, even on a loaded machine

  // What was heard is the clip: the recording holds it, at its level, from where the monitor's zeros end.
  const auto rec = decode_samples(dir.raw("rec.wav")), clip = decode_samples(dir.raw("clip.wav"));
  const auto first_sound = [](const std::vector<float>& x) {
    std::size_t i = 0;
    while (i < x.size() && std::fabs(x[i]) < 0.01f) ++i;
    return i;
  };
  const std::size_t at = first_sound(rec), clip_at = first_sound(clip);
  ASSERT_LT(at, rec.size());
  ASSERT_GE(at, clip_at);
  const double offset_s = double(at - clip_at) / 32000;
  const auto rms = [](const std::vector<float>& x, std::size_t from, std::size_t n) {
    double sum = 0;
    for (std::size_t i = from; i < from + n && i < x.size(); ++i) sum += double(x[i]) * x[i];
    return 10 * std::log10(sum / double(n) + 1e-20);
  };
  const std::size_t n = clip.size() - clip_at - 3200;
  ASSERT_GE(rec.size(), at + n);
  EXPECT_NEAR(rms(rec, at, n), rms(clip, clip_at, n), 1.0) << "the clip's level, in dB";

  // Its events are the clip's own (the file analysed live), shifted by when it started to play.
  const CommandResult file = run_command(live("--input " + dir / "clip.wav" + " --pace 0 --json") + " 2> /dev/null");
  ASSERT_EQ(file.status, 0);
  const auto expected = of_type(lines_of(file.out), "event"), heard = of_type(lines, "event");
  ASSERT_GE(expected.size(), 2u);
  std::size_t found = 0;
  for (const auto& e : expected)
    for (const auto& h : heard)
      if (h["index"] == e["index"] && h["onset_s"].get<double>() - offset_s < e["offset_s"].get<double>() + 0.5 &&
          e["onset_s"].get<double>() < h["offset_s"].get<double>() - offset_s + 0.5) {
        ++found;
        break;
      }
  EXPECT_GE(found * 4, expected.size() * 3) << found << " of " << expected.size() << " events, offset " << offset_s;
}

TEST(LiveCli, APulseAudioSourceIsHeardThroughLibavdevice) { hear_a_capture_device("pulse:soundlens_test.monitor", ""); }

// ALSA's own input in libavdevice, through alsa-lib's `pulse` device (libasound2-plugins, which Debian's
// pulseaudio depends on): the same daemon, read as an ALSA capture device.
TEST(LiveCli, AnAlsaDeviceIsHeardThroughLibavdevice) {
  hear_a_capture_device("alsa:pulse", "PULSE_SOURCE=soundlens_test.monitor");
}

TEST(LiveCli, ADeviceThatCannotBeOpenedIsRefusedBeforeAnythingStarts) {
  TempDir dir;
  // No PulseAudio server at this address: the device cannot be opened.
  const CommandResult r = run_command("PULSE_SERVER=unix:" + dir.raw("none.sock") + " " +
                                      live("--input pulse:default --json") + " 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("--input pulse:default: the capture device cannot be opened"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\"type\""), std::string::npos) << "nothing started";
}

TEST(LiveCli, ATerminalOnStandardInputIsRefused) {
  // script(1) gives the program a terminal as its standard input.
  const CommandResult r = run_command("script -qec \"" + live("-") + "\" /dev/null < /dev/null 2>&1");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("standard input is a terminal"), std::string::npos) << r.out;
}

TEST(LiveCli, EmptyStandardInputEndsWithEmptyTotals) {
  const CommandResult r = run_command("true | " + live("- --json"));
  ASSERT_EQ(r.status, 0) << r.out;
  const auto summary = of_type(lines_of(r.out), "summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0]["duration_s"], 0.0);
  EXPECT_EQ(summary[0]["windows"], 0);
}

}  // namespace
