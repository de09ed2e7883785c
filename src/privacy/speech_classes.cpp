#include "privacy/speech_classes.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace soundlens {
namespace {

// "Speech" (/m/09x0r) and its children in the AudioSet ontology, for when the
// ontology file is not installed.
const std::vector<std::string> known_speech_mids = {"/m/09x0r", "/m/05zppz", "/m/02zsn", "/m/0ytgt",
                                                    "/m/01h8n0", "/m/02qldy", "/m/0261r1", "/m/0brhx"};

std::vector<int> indices_of(const Labels& labels, const std::set<std::string>& mids) {
  std::vector<int> out;
  for (const auto& label : labels.all())
    if (mids.contains(label.mid)) out.push_back(label.index);
  std::sort(out.begin(), out.end());
  if (out.empty()) throw Error(ErrorCode::internal, "the class list has no speech classes (AudioSet \"Speech\")");
  return out;
}

}  // namespace

std::vector<int> speech_classes_from_ontology(const Labels& labels, const std::string& ontology_json) {
  const auto ontology = nlohmann::json::parse(ontology_json, nullptr, false);
  if (!ontology.is_array()) throw Error(ErrorCode::internal, "the AudioSet ontology is not a JSON list");
  std::map<std::string, std::vector<std::string>> children;
  std::string speech;
  for (const auto& entry : ontology) {
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) continue;
    const std::string id = entry["id"];
    if (entry.value("name", "") == "Speech") speech = id;
    if (entry.contains("child_ids") && entry["child_ids"].is_array())
      for (const auto& child : entry["child_ids"])
        if (child.is_string()) children[id].push_back(child);
  }
  if (speech.empty()) throw Error(ErrorCode::internal, "the AudioSet ontology has no \"Speech\" entry");
  std::set<std::string> found;
  std::vector<std::string> todo{speech};
  while (!todo.empty()) {  // the ontology is a DAG: `found` stops repeats
    const std::string id = todo.back();
    todo.pop_back();
    if (!found.insert(id).second) continue;
    for (const auto& child : children[id]) todo.push_back(child);
  }
  return indices_of(labels, found);
}

std::vector<int> speech_classes(const Labels& labels, const std::vector<std::string>& search_path) {
  for (const auto& dir : search_path) {
    const auto path = std::filesystem::path(dir) / "labels" / "ontology.json";
    std::ifstream in(path);
    if (!in) continue;
    return speech_classes_from_ontology(labels, std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return indices_of(labels, {known_speech_mids.begin(), known_speech_mids.end()});
}

}  // namespace soundlens
