#include "http/api/explanation_key.h"

#include <cmath>
#include <cstdio>
#include <functional>

#include "explain/method_names.h"

namespace soundlens::http {

std::string explanation_key(const std::string& kind, int target, const AnalysisOptions& o) {
  std::string key = kind + "-v" + std::to_string(explanation_version()) + "-" + std::to_string(target) + "-";
  for (char c : o.method) key += c == '+' ? 'p' : c;
  if (!o.contrast.empty()) {
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(std::hash<std::string>{}(o.contrast)));
    key += std::string("-vs-") + hash;
  }
  if (o.faithfulness) key += "-f";
  if (o.sanity) key += "-s";
  return key;
}

std::string event_key_part(int place, const Event& e) {
  return "-event-" + std::to_string(place) + "-" + std::to_string(e.index) + "-" +
         std::to_string(std::llround(e.onset_s * 1000)) + "-" + std::to_string(std::llround(e.offset_s * 1000));
}

}  // namespace soundlens::http
