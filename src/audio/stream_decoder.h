#pragma once
// Private to the audio stage: decodes the best audio stream of an input that
// decode_file / decode_memory have opened, into target-rate mono float.
#include <string>

#include "audio/audio.h"
#include "audio/ffmpeg_handles.h"
#include "audio/input_policy.h"

namespace soundlens::audio_detail {

// `origin` names the input in error messages, e.g. "'/tmp/x.wav'" or "the uploaded data".
// Only allowed codecs are opened; `deadline` is checked between packets.
// With a sink, the samples go to it in blocks as they are decoded and the
// returned Audio has none (its source is filled all the same).
Audio decode_opened_input(AVFormatContext& input, const DecodeOptions& options, const std::string& origin,
                          const Deadline& deadline, const SampleSink* sink = nullptr);

// Error for data FFmpeg could not even identify; shared by both entry points.
[[noreturn]] void throw_unrecognised(int av_error, const std::string& origin);

}  // namespace soundlens::audio_detail
