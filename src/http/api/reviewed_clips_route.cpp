// GET /api/v1/analyses/{id}/reviewed-clips.zip: the confirmed events cut from
// the stored recording as WAV files (32 kHz mono 16-bit), one folder per class
// (as reviewed), with clips.csv; the layout of a training folder. Needs the
// recording: 410 when the server does not keep it, as every such route.
#include <algorithm>

#include "audio/wav_writer.h"
#include "core/error.h"
#include "exports/reviewed_clips.h"
#include "exports/zip_writer.h"
#include "http/api/review_json.h"
#include "http/api/routes.h"
#include "http/server/content_disposition.h"
#include "service/stored_json.h"

namespace soundlens::http {
namespace {

std::span<const std::uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Response reviewed_clips_zip(ServiceState& state, const Request& request) {
  const StoredAnalysis stored = state.stored_or_404(request);  // another user's: 404 as if unknown
  require_stored_audio(stored);
  const auto events = service::stored_events(stored);
  const auto reviews = event_reviews(state.store->reviews(stored.id), events.size());
  ZipWriter zip;
  const auto plan_of = [&](int rate) { return confirmed_clips(events, reviews, stored.filename, rate); };
  std::vector<ClipPlan> clips = plan_of(32000);
  if (!clips.empty()) {
    auto ticket = state.gate.enter();  // decoding a long recording is work like an analysis
    const Audio audio = state.decode_stored(stored);
    clips = plan_of(audio.sample_rate);
    const auto at = [&](double s) {
      return std::size_t(std::clamp(std::llround(s * audio.sample_rate), 0LL, (long long)audio.samples.size()));
    };
    for (const auto& clip : clips) {
      const std::size_t from = at(clip.event.onset_s), to = at(clip.event.offset_s);
      if (to <= from) continue;
      const std::span<const float> part(audio.samples.data() + from, to - from);
      zip.add(clip.path, encode_wav_pcm16(part, audio.sample_rate));
    }
  }
  zip.add("clips.csv", bytes_of(clips_manifest_csv(clips)));
  const auto archive = zip.finish();
  Response response = Response::bytes("application/zip", std::string(archive.begin(), archive.end()));
  response.headers.emplace_back("Content-Disposition",
                                attachment_disposition(download_name(stored.filename, ".reviewed-clips.zip", stored.id)));
  return response;
}

}  // namespace

void add_reviewed_clips_route(ServiceState& state, HandlerMap& handlers) {
  handlers["getReviewedClips"] = [&state](const Request& r) { return reviewed_clips_zip(state, r); };
}

}  // namespace soundlens::http
