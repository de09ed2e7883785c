#pragma once
// Model-parameter randomisation (Adebayo et al. 2018, "Sanity checks for
// saliency maps"): copies of a model whose top layers are re-initialised, in a
// cascade from the classifier down. The model itself is never altered.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

namespace soundlens {

// The cascade's steps, top down: mn04_as "classifier", "features.16",
// "features.15" ... "features.0"; cnn14 "fc_audioset", "fc1", "conv_block6" ...
// "conv_block1"; yamnet "classifier", "layer14" ... "layer1".
std::vector<std::string> randomisation_cascade(const Model& model);

// A new model from the same checkpoint (re-read from info().weights_file) with
// the first cascade_steps steps re-initialised as the network's own training
// code initialises them (EfficientAT: Kaiming-normal convolutions, N(0, 0.01)
// linear layers; CNN14: Xavier-uniform; YAMNet: Keras' Glorot-uniform, the
// copy made from the loaded model's own tensors; batch norms reset to identity, biases
// to zero). Step i's draws depend only on seed and i, so copies with more
// steps extend those with fewer. Throws Error(bad_request) for a step count
// outside 0..cascade size.
std::shared_ptr<const Model> randomised_copy(const Model& model, int cascade_steps, std::uint64_t seed);

}  // namespace soundlens
