#pragma once
// Privacy stage: which of the model's classes are speech. Found in the
// AudioSet ontology (labels/ontology.json beside the class list): "Speech"
// and everything under it (male, female and child speech, conversation,
// narration, babbling, speech synthesizer), mapped to class indices by their
// AudioSet ids (mids), never by a hard-coded index.
#include <string>
#include <vector>

#include "model/labels.h"

namespace soundlens {

// The class indices of "Speech" and its descendants, ascending. Reads
// labels/ontology.json from the first directory of search_path that has it;
// without one, uses the ids the ontology gives them (/m/09x0r and its
// children). Throws Error(internal) if the labels have none of them.
std::vector<int> speech_classes(const Labels& labels, const std::vector<std::string>& search_path);

// The same from the ontology's JSON text (a list of {id, name, child_ids}).
std::vector<int> speech_classes_from_ontology(const Labels& labels, const std::string& ontology_json);

}  // namespace soundlens
