#include "http/api/explanation_key.h"

#include <functional>

namespace soundlens::http {

std::string explanation_key(const std::string& kind, int target, const AnalysisOptions& o) {
  std::string key = kind + "-" + std::to_string(target) + "-";
  for (char c : o.method) key += c == '+' ? 'p' : c;
  if (!o.contrast.empty()) key += "-vs-" + std::to_string(std::hash<std::string>{}(o.contrast));
  if (o.faithfulness) key += "-f";
  if (o.sanity) key += "-s";
  return key;
}

}  // namespace soundlens::http
