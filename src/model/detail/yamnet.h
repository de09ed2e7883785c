#pragma once
// Internal: YAMNet built from its TFLite file (no Torch type here).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/labels.h"
#include "model/model.h"

namespace soundlens::detail {

// tflite_path: yamnet.tflite; yamnet_classes: its yamnet_class_map.csv (521
// classes, index,mid,display_name); audioset: the 527 classes. Outputs are
// placed at the AudioSet index of the same mid; AudioSet classes YAMNet lacks
// get a NaN logit and are listed in info().missing_classes.
std::unique_ptr<Model> make_yamnet(ModelInfo info, const std::string& tflite_path, const Labels& audioset,
                                   const Labels& yamnet_classes);

// The sanity check's cascade, top down: "classifier", "layer14" ... "layer1".
std::vector<std::string> yamnet_cascade();
// A copy of a YAMNet model (made by make_yamnet) with its first cascade_steps
// steps re-initialised as Keras initialised YAMNet before training
// (Glorot-uniform kernels, zero biases, fresh batch norms folded in). Step i's
// draws depend only on seed and i. Error(bad_request) for steps outside
// 0..15, Error(internal) for a model that is not YAMNet.
std::shared_ptr<const Model> randomised_yamnet(const Model& model, int cascade_steps, std::uint64_t seed);

}  // namespace soundlens::detail
