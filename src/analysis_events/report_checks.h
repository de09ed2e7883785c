#pragma once
// The checks computed for one explanation (faithfulness against its random
// map, the sanity check, listening), as the report says them: a sentence
// each, with its numbers and margin, as the page says them. Read from the
// explanation's JSON (explanation_to_json); a check that is not in it is said
// to be not computed, and only then.
#include <string>

#include <nlohmann/json.hpp>

namespace soundlens {

// The margin over a random map a faithfulness score must clear to count as better or worse than
// chance: the page's (web/lib/trust.ts, FAITHFULNESS_MARGIN), so that both say the same.
inline constexpr double kFaithfulnessMargin = 0.1;

// "" when the explanation has no faithfulness object; a score of null (a class absent from the
// recording) is said to have no verdict.
std::string faithfulness_words(const nlohmann::json& explanation);
std::string sanity_words(const nlohmann::json& explanation);
std::string listening_words(const nlohmann::json& explanation);

// Each computed check's sentence, then "Not computed: ..." naming the checks that were not.
std::string checks_words(const nlohmann::json& explanation);

}  // namespace soundlens
