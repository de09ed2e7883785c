#include "live/live_stream_parameters.h"

#include <cstdio>
#include <string>

namespace soundlens {
namespace {

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

}  // namespace

const std::vector<Parameter>& live_stream_parameters() {
  using K = Parameter::Kind;
  static const std::vector<Parameter> list{
      {"format", "standard input's sample format", "s16le", K::text, 0, 0, {"s16le", "f32le"}},
      {"rate", "standard input's sample rate, Hz", "32000", K::integer, 1000, 384000, {}},
      {"class", "a class to watch (index or name; repeatable): its probability on every hop line, its events "
                "always counted", "", K::text, 0, 0, {}, true},
      {"window-s", "analysis window, seconds (events are placed from these windows' frames)",
       number_text(kLiveWindowS), K::number, 1, 10, {}},
      {"hop-s", "a new window every hop, seconds (at most --window-s)", number_text(kLiveHopS), K::number, 0.25, 10,
       {}},
      {"settle-s", "a frame is final this many seconds after it is heard, from the windows analysed by then, "
                   "and an event ends once its own columns have been quiet for the merge gap (at most "
                   "--window-s); 0: once every window covering it is analysed, which gives analyze's events "
                   "exactly, about a window later", number_text(kLiveSettleS), K::number, 0, 10, {}},
      {"top-k", "classes on each hop line", "5", K::integer, 1, 50, {}},
      {"max-lag-s", "when the analysis is this many seconds of audio behind a real-time source, windows are dropped "
                    "(and counted) until it catches up; 0: never drop, the source waits", "2", K::number, 0, 600, {}},
  };
  return list;
}

}  // namespace soundlens
