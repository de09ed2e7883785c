#include "service/live_request.h"

#include "core/error.h"
#include "live/live_options.h"

namespace soundlens::service {

LiveSessionRequest read_live_request(const ValueLookup& lookup) {
  // Read through the command's own reader, so that the ranges and the rules between options are its own;
  // every option that is not a session's takes its default.
  const ValueLookup only_session = [&](const std::string& http_name) -> std::optional<std::string> {
    for (const auto& p : live_session_parameters())
      if (p.http_name() == http_name) return lookup(http_name);
    return std::nullopt;
  };
  const ParameterValues values = parameter_values(live_parameters(), only_session);
  const LiveCommandOptions o = live_options(values);
  LiveSessionRequest r;
  const auto model = lookup("model");
  r.model = model ? *model : "";
  if (r.model == "fused")
    throw Error(ErrorCode::bad_request, "model: fused is not available live (one network per session); use "
                                        "mn04_as or yamnet");
  r.settings = o.settings;
  r.classes = o.classes;
  r.format = pcm_format(o.source.format);
  r.rate = int(o.source.rate);
  r.max_lag_s = o.max_lag_s;
  return r;
}

}  // namespace soundlens::service
