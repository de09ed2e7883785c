// The declaration of a live session's parameters, apart from their reader
// (live_request.cpp): the route table and its fuzzer need the declaration
// without the model registry that `soundlens live`'s reader brings.
#include "analysis_events/event_options.h"
#include "live/live_stream_parameters.h"
#include "service/live_request.h"

namespace soundlens::service {

const std::vector<Parameter>& live_session_parameters() {
  static const std::vector<Parameter> list = [] {
    // The model as an upload takes it (free text, checked when the session starts), then the stream's
    // options as `soundlens live` declares them, then the event thresholds (not the separate pass's windows:
    // a session's windows are its event windows).
    std::vector<Parameter> all{{"model", "model name (mn04_as or yamnet; not fused); default: the server's --model",
                                "", Parameter::Kind::text, 0, 0, {}}};
    for (const auto& p : live_stream_parameters()) all.push_back(p);
    for (const auto& p : event_parameters())
      if (p.name != "event-window-s" && p.name != "event-hop-s") all.push_back(p);
    return all;
  }();
  return list;
}

}  // namespace soundlens::service
