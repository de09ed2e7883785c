#include "service/live_request.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "core/error.h"
#include "live/live_options.h"

namespace soundlens::service {
namespace {

// The options of `soundlens live` a session takes: not its input, pacing, files or threads (the server's).
constexpr std::array<std::string_view, 13> kSessionOptions{
    "model", "class", "window-s", "hop-s", "settle-s", "top-k", "max-lag-s", "format", "rate",
    "event-threshold", "event-threshold-low", "event-min-duration-s", "event-merge-gap-s"};

bool session_option(const std::string& name) {
  return std::find(kSessionOptions.begin(), kSessionOptions.end(), name) != kSessionOptions.end();
}

}  // namespace

const std::vector<Parameter>& live_session_parameters() {
  static const std::vector<Parameter> list = [] {
    std::vector<Parameter> out;
    for (const auto& p : live_parameters())
      if (session_option(p.name)) out.push_back(p);
    return out;
  }();
  return list;
}

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
