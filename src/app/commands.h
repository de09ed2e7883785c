#pragma once
// The subcommands of the soundlens program; main.cpp only dispatches.
#include <string>
#include <vector>

namespace soundlens {

int run_analyze(const std::vector<std::string>& args);
int run_models(const std::vector<std::string>& args);
int run_compare(const std::vector<std::string>& args);
int run_users(const std::vector<std::string>& args);  // users add|list
int run_keys(const std::vector<std::string>& args);   // keys create|list|revoke
int run_worker(const std::vector<std::string>& args); // jobs from PostgreSQL, no HTTP
int run_train(const std::vector<std::string>& args);  // a classifier head from labelled folders
int run_evaluate(const std::vector<std::string>& args);  // a model's scores on a labelled folder
int run_robustness(const std::vector<std::string>& args);  // predictions under noise, channels, gain
int run_calibrate(const std::vector<std::string>& args);   // per-class calibration of an AudioSet model
int run_live(const std::vector<std::string>& args);   // events as they happen (src/live/)

}  // namespace soundlens
