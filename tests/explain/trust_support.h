#pragma once
// Shared by the explain-trust tests: the trained model, real Grad-CAM maps
// over a whole recording, and the same window plan the analysis uses.
#include <memory>
#include <string>
#include <vector>

#include "audio/audio.h"
#include "explain/cam_map.h"
#include "model/model.h"

namespace soundlens::test {

std::shared_ptr<const Model> mn04();
Audio cough_clip();                                  // a real cough, about 1.5 s
Audio cough_in_background(double onset_s, double seconds);  // the cough placed into quiet noise

// Windows of window_frames every hop_frames over the recording's frames (the
// last ending at the end); the Grad-CAM grids stitched over the recording,
// cells of the model's time_stride frames by freq_stride mel bins.
CamMap grad_cam_map(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                    int class_index, int contrast_index = -1);

// Clip probability of the class: the maximum over the windows of sigmoid(logit).
double clip_probability(const Model& model, const MelSpectrogram& recording, int window_frames, int hop_frames,
                        int class_index);

MelSpectrogram slice(const MelSpectrogram& s, int start, int frames);

}  // namespace soundlens::test
