#pragma once
// Internal: YAMNet built from its TFLite file (no Torch type here).
#include <memory>
#include <string>

#include "model/labels.h"
#include "model/model.h"

namespace soundlens::detail {

// tflite_path: yamnet.tflite; yamnet_classes: its yamnet_class_map.csv (521
// classes, index,mid,display_name); audioset: the 527 classes. Outputs are
// placed at the AudioSet index of the same mid; AudioSet classes YAMNet lacks
// get a NaN logit and are listed in info().missing_classes.
std::unique_ptr<Model> make_yamnet(ModelInfo info, const std::string& tflite_path, const Labels& audioset,
                                   const Labels& yamnet_classes);

}  // namespace soundlens::detail
