// The schemas of an analysis as its writers produce it: analysis_to_json and
// explanation_to_json (analysis/analysis_json.cpp), the events
// (events/events_json.cpp, analysis_events), the redaction (privacy/) and the
// stored identity (http/stored_json.cpp).
#include "http/api/openapi_schemas.h"

namespace soundlens::http::schema {
namespace {
using nlohmann::json;

json numbers() { return array_of(typed("number")); }

json explanation() {
  const json faithfulness = closed({{"score", nullable(typed("number", "LeRF AUC minus MoRF AUC; null when the class is absent"))},
                                    {"random_score", nullable(typed("number"))},
                                    {"morf_auc", nullable(typed("number"))},
                                    {"lerf_auc", nullable(typed("number"))},
                                    {"steps", numbers()},
                                    {"morf", numbers()},
                                    {"lerf", numbers()},
                                    {"probability", typed("number", "the explained score's clip probability")},
                                    {"absent_class", typed("boolean", "the class is under 0.05 on the clip: no verdict")},
                                    {"message", typed("string", "the result in plain words, when it needs them")}},
                                   {"score", "random_score", "morf_auc", "lerf_auc", "steps", "morf", "lerf"});
  const json sanity = closed(
      {{"steps", array_of(closed({{"randomised", typed("string")}, {"spearman", nullable(typed("number"))}},
                                 {"randomised", "spearman"}))},
       {"passed", typed("boolean")}},
      {"steps", "passed"});
  // Open: the listening result may say more than these. The search's fields come with every search (the
  // analysis' --listen, explanation?listen=1).
  const json listen = object({{"kept_probability", typed("number", "the class's clip probability on the kept audio")},
                              {"removed_probability", typed("number", "... and on the removed audio")},
                              {"probability", typed("number", "the class's clip probability on the recording")},
                              {"keep_fraction", typed("number", "the share of probability the kept part must keep")},
                              {"kept_fraction", typed("number", "the share of the spectrogram kept")},
                              {"keeps_class", typed("boolean", "kept_probability >= keep_fraction x probability")},
                              {"under_half", typed("boolean", "... with at most half of the spectrogram")},
                              {"absent_class", typed("boolean", "the class scores under 0.05: no verdict")},
                              {"message", typed("string", "the result in words")}},
                             {"kept_probability", "removed_probability"});
  json e = closed(
      {{"index", typed("integer", "the explained class")},
       {"label", typed("string")},
       {"probability", typed("number")},
       {"model", typed("string", "a fused analysis: the model whose map this is (one map per model and class, "
                                 "each on the recording's time axis and its own model's mel bands)")},
       {"method", typed("string", "gradcam, gradcam++, layercam, integrated-gradients or occlusion")},
       {"layer", typed("string")},
       {"layers", array_of(typed("string"))},
       {"score", typed("string", "the score explained: the class logit, or a contrast of two")},
       {"contrast", nullable(ref("Prediction"))},
       {"rows", typed("integer")},
       {"cols", typed("integer")},
       {"seconds_per_column", typed("number")},
       {"frames_per_column", typed("number")},
       {"mel_bins_per_row", typed("number")},
       {"row_edges_hz", array_of(typed("number", "rows + 1 band edges, lowest first"))},
       {"completeness_error", typed("number", "integrated-gradients: |sum of attributions - score difference|")},
       {"map", array_of(numbers())},
       {"faithfulness", faithfulness},
       {"sanity", sanity},
       {"listen", listen},
       {"event", closed({{"index", typed("integer", "the event's place in the analysis' events")},
                         {"class_index", typed("integer", "its class as reviewed (the explained class)")},
                         {"label", typed("string")},
                         {"onset_s", typed("number", "as reviewed, from the recording's start")},
                         {"offset_s", typed("number")}},
                        {"index", "class_index", "label", "onset_s", "offset_s"})},
       {"window", closed({{"start_s", typed("number", "the part of the recording explained (explanation?event=): "
                                                      "the map's times count from here")},
                          {"end_s", typed("number")}},
                         {"start_s", "end_s"})}},
      {"index", "label", "probability", "method", "layer", "layers", "score", "contrast", "rows", "cols",
       "seconds_per_column", "frames_per_column", "mel_bins_per_row", "row_edges_hz", "map"});
  e["description"] = "one class's map over the whole recording (with event: over that event's window): map[row][col] in "
                     "[0, 1], row 0 the lowest band";
  return e;
}

json stored_identity_fields(json fields) {
  fields["id"] = typed("string");
  fields["filename"] = typed("string");
  fields["created_at"] = {{"type", "string"}, {"format", "date-time"}};
  fields["audio_url"] = typed("string");
  fields["audio_content_type"] = typed("string");
  fields["audio_bytes"] = typed("integer", "0 when the recording is not kept");
  fields["note"] = typed("string");
  fields["labels"] = array_of(typed("string"));
  return fields;
}

const std::vector<std::string> identity = {"id",         "filename",           "created_at", "audio_url",
                                           "audio_bytes", "audio_content_type", "note",       "labels"};

std::vector<std::string> with_identity(std::vector<std::string> names) {
  names.insert(names.end(), identity.begin(), identity.end());
  return names;
}

}  // namespace

void add_analysis_schemas(json& s) {
  s["Prediction"] = closed({{"index", typed("integer")},
                            {"label", typed("string")},
                            {"probability", typed("number")},
                            {"model", typed("string", "a fused analysis: the model whose probability this is (the "
                                                      "higher of its parts')")}},
                           {"index", "label", "probability"});
  s["Explanation"] = explanation();
  s["Spectrogram"] = closed({{"rows", typed("integer", "mel bins")},
                             {"cols", typed("integer")},
                             {"seconds_per_column", typed("number")},
                             {"duration_s", typed("number", "of the columns' span")},
                             {"start_s", typed("number")},
                             {"end_s", typed("number")},
                             {"center_hz", numbers()},
                             {"min", typed("number")},
                             {"max", typed("number")},
                             {"values", array_of(numbers())}},
                            {"rows", "cols", "seconds_per_column", "duration_s", "start_s", "end_s", "center_hz", "min",
                             "max", "values"});
  s["Spectrogram"]["description"] = "log-mel values averaged to at most max_columns (or width); row 0 the lowest bin";
  s["TimelineWindow"] =
      closed({{"start_s", typed("number")},
              {"end_s", typed("number")},
              {"predictions", array_of(ref("Prediction"))},
              {"classes", {{"type", "array"},
                           {"items", ref("Prediction")},
                           {"description", "the clip's top and explained classes, with their probability here"}}},
              {"probabilities", array_of(nullable(typed("number")))}},
             {"start_s", "end_s", "predictions", "classes"});
  // Open: events are growing (alternatives, the models that support each).
  s["AudioEvent"] = object({{"index", typed("integer")},
                            {"label", typed("string")},
                            {"onset_s", typed("number")},
                            {"offset_s", typed("number")},
                            {"probability", typed("number")},
                            {"low_hz", typed("number")},
                            {"high_hz", typed("number")},
                            // Related classes heard in the same sound, resolved into this one, most probable first.
                            {"alternatives",
                             array_of(object({{"index", typed("integer")},
                                              {"label", typed("string")},
                                              {"probability", typed("number", "its peak frame probability within the event")}},
                                             {"index", "label", "probability"}))},
                            {"review", ref("EventReviewState")},
                            {"models", array_of(closed({{"model", typed("string")},
                                                        {"probability", typed("number", "the model's peak probability "
                                                                                        "of the class within the event")},
                                                        {"supports", typed("boolean", "it reaches the model's own threshold")}},
                                                       {"model", "probability", "supports"}))}},
                           {"index", "label", "onset_s", "offset_s", "probability"});
  // A stored analysis' events carry their review (PATCH .../events/{event_index}); the CLI's do not.
  s["EventReviewState"] = closed(
      {{"status", {{"type", "string"}, {"enum", {"confirmed", "rejected", "unreviewed"}}}},
       {"index", nullable(typed("integer", "the corrected class; null: the detected one"))},
       {"label", nullable(typed("string", "the corrected class's name"))},
       {"onset_s", nullable(typed("number", "the corrected onset; null: the detected one"))},
       {"offset_s", nullable(typed("number", "the corrected offset; null: the detected one"))},
       {"reviewer", nullable(typed("string", "who reviewed it (\"\" with authentication off); null: never reviewed"))},
       {"reviewed_at", nullable(typed("string", "when (ISO 8601 UTC); null: never reviewed"))}},
      {"status", "index", "label", "onset_s", "offset_s", "reviewer", "reviewed_at"});
  s["EventCount"] = object(
      {{"index", typed("integer")},
       {"label", typed("string")},
       {"count", typed("integer", "the events of the class; of a stored analysis: after review (confirmed + unreviewed)")},
       {"per_hour", typed("number")},
       {"detected", typed("integer", "stored analyses: the events the detector gave the class")},
       {"confirmed", typed("integer", "stored analyses: confirmed events, under their reviewed class")},
       {"rejected", typed("integer", "stored analyses: rejected events (not counted)")},
       {"unreviewed", typed("integer", "stored analyses: events nobody reviewed yet")},
       {"threshold", typed("number", "stored analyses: the class's detection threshold (the model's calibrated one, else the "
                                     "analysis' event_threshold); each of its events peaked at or above it")}},
      {"index", "label", "count"});
  s["QualityCheck"] = object({{"name", typed("string")},
                              {"raised", typed("boolean")},
                              {"value", nullable(typed("number"))},
                              {"unit", typed("string")},
                              {"message", typed("string")}},
                             {"name", "raised", "message"});
  s["Redaction"] = closed({{"spans", array_of(closed({{"start_s", typed("number")}, {"end_s", typed("number")}},
                                                     {"start_s", "end_s"}))},
                           {"fraction", typed("number", "of the recording silenced, 0 to 1")},
                           {"threshold", typed("number")},
                           {"window_s", typed("number")},
                           {"hop_s", typed("number")},
                           {"pad_s", typed("number")},
                           {"passes", typed("integer")},
                           {"residual_score", typed("number")},
                           {"classes", array_of(typed("integer"))}},
                          {"spans", "fraction", "threshold"});
  s["Calibration"] = closed({{"file", typed("string", "the calibration file's name (made by soundlens calibrate)")},
                             {"method", typed("string", "platt: logit' = a * logit + b per class")},
                             {"classes", array_of(typed("string", "a calibrated class: its probabilities are calibrated"))},
                             {"fitted_on", typed("string", "the labelled folder it was fitted on")},
                             {"files", typed("integer", "recordings it was fitted on")},
                             {"ece_before", nullable(typed("number", "held-out expected calibration error before"))},
                             {"ece_after", nullable(typed("number", "held-out expected calibration error after"))},
                             {"model", typed("string", "the model it was fitted for")},
                             {"weights_sha256", typed("string", "of the weights it was fitted on")},
                             {"parameters",
                              array_of(closed({{"index", typed("integer", "the class")},
                                               {"a", typed("number", "slope: logit' = a * logit + b")},
                                               {"b", typed("number", "offset")}},
                                              {"index", "a", "b"}))}},
                            {"file", "method", "classes"});
  const json audio = closed({{"format", typed("string")},
                             {"codec", typed("string")},
                             {"sample_rate", typed("integer")},
                             {"channels", typed("integer")},
                             {"duration_s", typed("number")}},
                            {"format", "codec", "sample_rate", "channels", "duration_s"});
  s["StoredAnalysis"] = object(
      stored_identity_fields({{"model", typed("string")},
                              {"models", array_of(typed("string", "a fused analysis: the models it combines, in order"))},
                              {"audio", audio},
                              {"duration_s", typed("number")},
                              {"window_s", typed("number")},
                              {"hop_s", typed("number")},
                              {"predictions", array_of(ref("Prediction"))},
                              {"probabilities", array_of(nullable(typed("number")))},
                              {"timeline", array_of(ref("TimelineWindow"))},
                              {"explanations", array_of(ref("Explanation"))},
                              {"timings_ms", {{"type", "object"}, {"additionalProperties", typed("number")}}},
                              {"events", array_of(ref("AudioEvent"))},
                              {"event_counts", array_of(ref("EventCount"))},
                              {"quality", array_of(ref("QualityCheck"))},
                              {"audio_stored", typed("boolean", "false when the recording was not kept")},
                              {"redaction", ref("Redaction")},
                              {"calibration", ref("Calibration")}}),
      with_identity({"model", "audio", "duration_s", "window_s", "hop_s", "predictions", "timeline", "explanations",
                     "timings_ms"}));
  s["StoredAnalysis"]["description"] = "an analysis as stored: what analyze writes, with its events and identity";
  s["AnalysisSummary"] = closed(stored_identity_fields({{"model", typed("string")},
                                                        {"duration_s", typed("number")},
                                                        {"predictions", array_of(ref("Prediction"))}}),
                                with_identity({"model"}));
}

}  // namespace soundlens::http::schema
