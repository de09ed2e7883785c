// analyse_upload: a (long) upload analysed as a stream from its bytes.
#include <chrono>

#include "analysis_events/fused_analysis.h"
#include "core/error.h"
#include "service/pipeline.h"

namespace soundlens::service {

AnalysedUpload AnalysisPipeline::analyse_upload(const Analyzer& analyzer, std::string_view bytes,
                                                const AnalysisPlan& plan) const {
  // Whole-recording work: the checks, and the privacy options (redaction
  // silences the recording before it is stored; without stored audio the
  // viewer's figures are drawn now, from the decoded samples).
  if (plan.options.faithfulness || plan.options.sanity || plan.redact || !plan.store_audio) {
    const auto t0 = std::chrono::steady_clock::now();
    const Audio audio = decode_upload(bytes);
    const double decode_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return analyse_audio(analyzer, audio, decode_ms, plan);
  }
  if (bytes.empty()) throw Error(ErrorCode::empty_audio, "the uploaded file is empty");
  if (bytes.size() > settings_.max_upload_bytes)
    throw Error(ErrorCode::too_large,
                "upload larger than the limit of " + std::to_string(settings_.max_upload_bytes >> 20) + " MB");
  DecodeOptions decode{.max_duration_s = settings_.max_duration_s};
  decode.time_limit_s = std::max(decode.time_limit_s, plan.options.limits.timeout_s);
  const std::span<const std::uint8_t> data(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  auto streamed = plan.fused_second
                      ? fused_analyze_stream({&analyzer, plan.fused_second.get()}, bytes_reader(data, decode),
                                             plan.options, plan.events)
                      : analyze_stream_with_events(analyzer, bytes_reader(data, decode), plan.options, plan.events);
  return {std::move(streamed.analysis), std::move(streamed.events)};
}

}  // namespace soundlens::service
