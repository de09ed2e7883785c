#pragma once
// A trained model: a base network (mn04_as, yamnet, cnn14) whose classifier
// head is replaced by a TrainedHead over the base's embedding. Every stage of
// the base is reused, so every explanation method and check runs through the
// head and the base network as it does for the base alone.
#include <memory>
#include <vector>

#include "model/model.h"
#include "model/trained_head.h"

namespace soundlens {

struct TrainedModelParts {
  std::shared_ptr<const Model> base;
  TrainedHead head;
  std::vector<EventThreshold> event_thresholds;  // per class (empty: the default event thresholds)
};

// `info` names the trained model and its classes (ModelInfo::class_names);
// its layers, strides and windows should be the base's.
// Error(bad_request) when the head does not take the base's embedding.
std::shared_ptr<const Model> make_trained_model(std::shared_ptr<const Model> base, TrainedHead head, ModelInfo info,
                                               std::vector<EventThreshold> event_thresholds = {});

// The base and head of a trained model; nullptr for a network of its own.
const TrainedModelParts* trained_parts(const Model& model);

}  // namespace soundlens
