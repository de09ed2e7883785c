// soundlens: classify sound into the 527 AudioSet classes and explain each
// prediction with Grad-CAM. This file only parses the subcommand and wires stages.
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/passive_waiting.h"
#include "app/serve_command.h"
#include "core/build_info.h"
#include "core/error.h"

namespace {

const char* kUsage =
    "usage: soundlens <command> [options]\n"
    "\n"
    "commands:\n"
    "  analyze FILE...        classify and explain audio files (see: soundlens analyze --help)\n"
    "  compare FILE           two models side by side (--models A,B) and where they agree (see: --help)\n"
    "  serve                  run the HTTP service and web app (see: soundlens serve --help)\n"
    "  worker --database URI  run queued analyses from PostgreSQL, for servers started with --workers 0\n"
    "  train DIR --out MODEL  a classifier of your own labels (DIR/<label>/...) on a model's embeddings\n"
    "  evaluate DIR --model M scores of a model on a labelled folder: per class, calibration, every file\n"
    "  calibrate DIR --out F  per-class calibration of an AudioSet model on your labelled recordings\n"
    "  robustness FILE        how the prediction holds up under noise, telephone channels, gain, clipping\n"
    "  live [-|FILE]          events as they happen, from raw PCM on stdin or a paced file (see: --help)\n"
    "  models                 list the models, their facts, where each was looked for and whether it was found\n"
    "  models pull cnn14      download the official PANNs CNN14 checkpoint\n"
    "  users add NAME|list    accounts for the API (prints the new user's first key once)\n"
    "  keys create|list|revoke  API keys (see: soundlens keys --help)\n"
    "  version                print the version\n";

}  // namespace

int main(int argc, char** argv) {
  soundlens::restart_with_passive_waiting(argv);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "analyze") return soundlens::run_analyze(args);
    if (command == "serve") return soundlens::run_serve(args);
    if (command == "models") return soundlens::run_models(args);
    if (command == "compare") return soundlens::run_compare(args);
    if (command == "users") return soundlens::run_users(args);
    if (command == "keys") return soundlens::run_keys(args);
    if (command == "worker") return soundlens::run_worker(args);
    if (command == "train") return soundlens::run_train(args);
    if (command == "evaluate") return soundlens::run_evaluate(args);
    if (command == "robustness") return soundlens::run_robustness(args);
    if (command == "calibrate") return soundlens::run_calibrate(args);
    if (command == "live") return soundlens::run_live(args);
    if (command == "version" || command == "--version") {
      std::cout << "soundlens " << SOUNDLENS_VERSION << " (commit " << soundlens::build_commit() << ")\n";
      return 0;
    }
    std::cerr << "soundlens: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  } catch (const soundlens::Error& e) {
    std::cerr << "soundlens: " << e.what() << "\n";
    return e.code() == soundlens::ErrorCode::bad_request ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "soundlens: internal error: " << e.what() << "\n";
    return 1;
  }
}
