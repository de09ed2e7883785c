#include "http/cached_result.h"

#include "core/error.h"

namespace soundlens::http {

void unknown_class(const Analyzer& analyzer, const std::string& text) {
  throw Error(ErrorCode::not_found, "unknown class " + quoted_value(text) + " (give an index 0-" +
                                        std::to_string(analyzer.labels().size() - 1) + " or a display name)");
}

std::string cached_or_computed(ServiceState& state, const StoredAnalysis& stored, const Request& request,
                               const std::string& key, const Compute& compute, int target_class) {
  if (auto cached = state.store->read_cache(stored.id, key)) return {cached->begin(), cached->end()};
  std::string result;
  {
    const auto analyzer = state.analyzer_of(stored);
    if (target_class >= analyzer->labels().size()) unknown_class(*analyzer, request.param("class").value_or(""));
    auto ticket = state.gate.enter();
    const Audio audio = state.decode_stored(stored);
    result = compute(*analyzer, audio);
  }
  state.store->write_cache(stored.id, key, {reinterpret_cast<const std::uint8_t*>(result.data()), result.size()});
  return result;
}

}  // namespace soundlens::http
