#include "http/api/openapi.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/error.h"
#include "core/parameters.h"
#include "http/api/access.h"
#include "http/api/openapi_schemas.h"

namespace soundlens::http {
namespace schema {
using nlohmann::json;

json ref(const std::string& schema) { return {{"$ref", "#/components/schemas/" + schema}}; }

json object(json properties, std::vector<std::string> required) {
  json o = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) o["required"] = required;
  return o;
}

json closed(json properties, std::vector<std::string> required) {
  json o = object(std::move(properties), std::move(required));
  o["additionalProperties"] = false;
  return o;
}

json array_of(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }

json typed(const std::string& type, const std::string& description) {
  json t = {{"type", type}};
  if (!description.empty()) t["description"] = description;
  return t;
}

json nullable(json schema) {
  // OpenAPI 3.0 ignores the siblings of a $ref: a nullable reference is an allOf of one.
  if (schema.contains("$ref")) schema = {{"allOf", json::array({schema})}};
  schema["nullable"] = true;
  return schema;
}

}  // namespace schema

namespace {
using nlohmann::json;
using schema::closed;
using schema::ref;
using schema::nullable;

// POST /api/v1/analyses with models=, and GET /api/v1/compare (src/compare/compare_json.h).
void add_comparison_schemas(json& s) {
  const json class_ref = closed({{"index", {{"type", "integer"}}}, {"label", {{"type", "string"}}}}, {"index", "label"});
  const auto keyed_by_model = [](json items) {
    return json{{"type", "object"}, {"description", "keyed by model name"}, {"additionalProperties", std::move(items)}};
  };
  s["CompareEvent"] = closed({{"index", {{"type", "integer"}}},
                              {"label", {{"type", "string"}}},
                              {"onset_s", {{"type", "number"}}},
                              {"offset_s", {{"type", "number"}}},
                              {"probability", {{"type", "number"}}},
                              {"low_hz", {{"type", "number"}}},
                              {"high_hz", {{"type", "number"}}},
                              {"alternatives", {{"type", "array"}, {"description", "related classes of the same sound"}}},
                              {"models", {{"type", "array"}, {"description", "the models that support it"}}}},
                             {"index", "label", "onset_s", "offset_s"});
  json matched = closed({{"index", {{"type", "integer"}}},
                         {"label", {{"type", "string"}}},
                         {"overlap_s", {{"type", "number"}, {"description", "seconds both events cover"}}}},
                        {"index", "label", "overlap_s"});
  matched["description"] = "events of one class whose spans overlap; each model's event under its name";
  matched["additionalProperties"] = ref("CompareEvent");
  s["MatchedEvent"] = matched;
  s["Agreement"] = closed(
      {{"top_shared", {{"type", "array"}, {"items", class_ref}, {"description", "classes in both top 5"}}},
       {"top_only", keyed_by_model({{"type", "array"}, {"items", ref("Prediction")}})},
       {"profile_correlation",
        {{"type", "array"},
         {"description", "per shared class: Pearson correlation of the two maps' time profiles (null: a constant one)"},
         {"items", closed({{"index", {{"type", "integer"}}},
                           {"label", {{"type", "string"}}},
                           {"pearson", {{"type", "number"}, {"nullable", true}}}},
                          {"index", "label", "pearson"})}}},
       {"events", closed({{"both", {{"type", "array"}, {"items", ref("MatchedEvent")}}},
                          {"only", keyed_by_model({{"type", "array"}, {"items", ref("CompareEvent")}})}},
                         {"both", "only"})}},
      {"top_shared", "top_only", "profile_correlation", "events"});
  s["Comparison"] = closed(
      {{"models", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "the two model names, in order"}}},
       {"results", keyed_by_model(ref("StoredAnalysis"))},
       {"agreement", ref("Agreement")},
       {"timings_ms", {{"type", "object"}, {"additionalProperties", {{"type", "number"}}},
                       {"description", "on upload: decode (once), compare (the comparison itself), total"}}}},
      {"models", "results", "agreement"});
  s["StoredAnalysisOrComparison"] = {{"oneOf", {ref("StoredAnalysis"), ref("Comparison")}}};
}

void add_live_schemas(json& s) {
  s["LiveSession"] = closed(
      {{"id", {{"type", "string"}, {"description", "the session (32 hex digits)"}}},
       {"model", {{"type", "string"}}},
       {"format", {{"type", "string"}, {"enum", {"s16le", "f32le"}}}},
       {"rate", {{"type", "integer"}, {"description", "Hz of the chunks"}}},
       {"window_s", {{"type", "number"}}},
       {"hop_s", {{"type", "number"}}},
       {"max_chunk_bytes", {{"type", "integer"}, {"description", "the largest chunk taken"}}},
       {"idle_timeout_s", {{"type", "number"}, {"description", "no chunk for this long: the session ends, stored"}}},
       {"watched", {{"type", "array"}, {"items", {{"type", "integer"}}}, {"description", "the watched classes' indexes"}}}},
      {"id", "model", "format", "rate", "window_s", "hop_s", "max_chunk_bytes", "idle_timeout_s", "watched"});
  s["LiveChunk"] = closed(
      {{"next_seq", {{"type", "integer"}, {"description", "the seq the next chunk must carry"}}},
       {"heard_s", {{"type", "number"}, {"description", "seconds of audio taken so far"}}},
       {"windows", {{"type", "integer"}}},
       {"dropped_windows", {{"type", "integer"}, {"description", "windows not analysed: the client fell behind"}}},
       {"analysis_id", {{"type", "string"}, {"nullable", true},
                        {"description", "set when the session reached the server's longest recording and was "
                                        "stored (it takes no more chunks); on a server with jobs: job_id"}}},
       {"job_id", {{"type", "string"}, {"nullable", true},
                   {"description", "set when the session reached the server's longest recording: the job "
                                   "storing it (it takes no more chunks)"}}}},
      {"next_seq", "heard_s", "windows", "dropped_windows", "analysis_id", "job_id"});
  s["LiveStopped"] = closed(
      {{"id", {{"type", "string"}}},
       {"analysis_id", {{"type", "string"}, {"nullable", true},
                        {"description", "the stored analysis (null while its job runs)"}}},
       {"job_id", {{"type", "string"}, {"nullable", true},
                   {"description", "the job analysing and storing the session (null: stored in the stop)"}}},
       {"job", schema::nullable(ref("Job"))},
       {"heard_s", {{"type", "number"}}}},
      {"id", "analysis_id", "job_id", "job", "heard_s"});
  s["LiveWatched"] = closed(
      {{"watched", {{"type", "array"}, {"items", {{"type", "integer"}}},
                    {"description", "the watched classes' indexes, the new one last"}}}},
      {"watched"});
}

json described(json schema, const std::string& description) {
  schema["description"] = description;
  return schema;
}

json schemas() {
  json s;
  schema::add_analysis_schemas(s);
  // Every code a reply can carry: the error funnel's (core/error.h) and the access rules' (http/access.h).
  std::set<std::string> codes;
  for (int code = 0; code <= int(ErrorCode::internal); ++code) codes.emplace(error_code_name(ErrorCode(code)));
  for (int code = 0; code <= int(AccessCode::csrf_token_last); ++code) codes.emplace(access_code_name(AccessCode(code)));
  const json detail = closed({{"code", {{"type", "string"}, {"enum", codes}}},
                              {"message", {{"type", "string"}}},
                              {"status", {{"type", "integer"}}}},
                             {"code", "message", "status"});
  s["Error"] = closed({{"error", detail}}, {"error"});
  s["Health"] = closed({{"status",
                         {{"type", "string"},
                          {"enum", {"ok", "busy", "loading"}},
                          {"description", "busy: something in `server.full` is full; new requests wait or get 503"}}},
                        {"model_loaded", {{"type", "boolean"}}},
                        {"model", {{"type", "string"}}},
                        {"version", {{"type", "string"}}},
                        {"commit", {{"type", "string"}, {"description", "the git commit the program was built from"}}},
                        {"max_upload_bytes", {{"type", "integer"}, {"description", "largest upload accepted"}}},
                        {"max_duration_s", {{"type", "number"}, {"description", "longest recording accepted"}}},
                        {"auth", {{"type", "string"}, {"enum", {"off", "required"}}}},
                        {"store_audio",
                         {{"type", "boolean"},
                          {"description", "false: recordings are not kept (--store-audio no); routes needing them "
                                          "answer 410"}}},
                        {"retention_days",
                         {{"type", "integer"}, {"description", "analyses older than this are deleted; 0 = kept"}}},
                        {"redact_speech",
                         {{"type", "boolean"},
                          {"description", "true: speech is silenced before audio is analysed and stored; each "
                                          "analysis has `redaction` (spans, fraction)"}}},
                        {"sign_in",
                         {{"type", "boolean"},
                          {"description", "true: authentication is required and the web app may sign in with a name "
                                          "and password (POST /api/v1/session)"}}},
                        {"server",
                         {{"type", "object"},
                          {"description",
                           "the transport's load: workers (busy), requests waiting, connections (max), request "
                           "bodies read in memory (bytes, limit) and by body streams (busy); `full` lists what is "
                           "full: workers, connections, body_memory, body_streams"}}},
                        {"calibration",
                         described(nullable(ref("Calibration")),
                                   "the served model's calibration (serve --calibration), as an analysis made with it "
                                   "reports it; null: its probabilities are the model's own")},
                        {"error", detail}},
                       {"status", "model_loaded", "version", "auth"});
  s["SignIn"] = closed({{"name", {{"type", "string"}, {"maxLength", 64}}},
                        {"password", {{"type", "string"}, {"maxLength", 1024}}}},
                       {"name", "password"});
  s["Session"] = closed({{"user", {{"type", "string"}}},
                         {"role", {{"type", "string"}, {"enum", {"admin", "member"}}}},
                         {"csrf_token",
                          {{"type", "string"},
                           {"description", "send it as X-CSRF-Token on every write signed in by cookie"}}},
                         {"expires_at", {{"type", "string"}, {"format", "date-time"}}}},
                        {"user", "role", "csrf_token", "expires_at"});
  s["SignedOut"] = closed({{"signed_out", {{"type", "boolean"}}}}, {"signed_out"});
  s["AuditEntry"] = closed({{"seq", {{"type", "integer"}}},
                            {"at", {{"type", "string"}, {"format", "date-time"}}},
                            {"user_id", {{"type", "integer"}, {"nullable", true}}},
                            {"user", {{"type", "string"}}},
                            {"key_id", {{"type", "string"}}},
                            {"action", {{"type", "string"}, {"enum", {"create", "read_audio", "export", "delete", "review", "sign_in", "sign_in_failed", "sign_out"}}}},
                            {"analysis_id", {{"type", "string"}}},
                            {"route", {{"type", "string"}}}},
                           {"seq", "at", "user_id", "action", "analysis_id"});
  s["AuditPage"] = closed({{"items", {{"type", "array"}, {"items", ref("AuditEntry")}}},
                           {"total", {{"type", "integer"}}},
                           {"limit", {{"type", "integer"}}},
                           {"offset", {{"type", "integer"}}}},
                          {"items", "total", "limit", "offset"});
  s["ModelList"] = closed({{"models", {{"type", "array"},
                                       {"items", ref("ModelFacts")}}},
                           {"loaded", {{"type", "string"}}}});
  s["ModelFacts"] = closed(
      {{"name", {{"type", "string"}}},
       {"architecture", {{"type", "string"}}},
       {"num_classes", {{"type", "integer"}, {"description", "outputs of the network itself"}}},
       {"classes", {{"type", "string"}, {"description", "how they map onto the 527 AudioSet classes"}}},
       {"front_end", {{"type", "string"}}},
       {"audioset_map", {{"type", "number"}, {"nullable", true}, {"description", "published_map.value"}}},
       {"published_map", closed({{"value", {{"type", "number"}, {"nullable", true}, {"description", "null: none published (the fused model)"}}},
                                 {"metric", {{"type", "string"}, {"description", "mAP or balanced mAP"}}},
                                 {"dataset", {{"type", "string"}}},
                                 {"text", {{"type", "string"}}}},
                                {"value", "metric", "dataset", "text"})},
       {"cam_layer", {{"type", "string"}}},
       {"weights_file", {{"type", "string"}, {"description", "relative to a model directory"}}},
       {"weights_sha256", {{"type", "string"}, {"nullable", true}, {"description", "of the known file; null: not published"}}},
       {"weights_md5", {{"type", "string"}, {"description", "as published, when it is"}}},
       {"weights_url", {{"type", "string"}}},
       {"license", {{"type", "string"}}},
       {"source", {{"type", "string"}, {"description", "who made the weights and where they were published"}}},
       {"available", {{"type", "boolean"}}},
       {"loaded", {{"type", "boolean"}}},
       {"default", {{"type", "boolean"}}},
       {"labels", {{"type", "array"}, {"items", {{"type", "string"}}},
                   {"description", "a model made by soundlens train: its own classes, in output order"}}},
       {"calibration",
        described(nullable(ref("Calibration")),
                  "null: its probabilities are the model's own; else the calibration every analysis with it applies "
                  "(serve --calibration), with what it was fitted on")},
       {"parts", {{"type", "array"}, {"items", {{"type", "string"}}},
                  {"description", "the fused model: the models it runs, in order (available: both weights found; "
                                  "loaded: both loaded)"}}}},
      {"name", "architecture", "num_classes", "classes", "front_end", "published_map", "weights_file",
       "weights_sha256", "license", "source", "available", "loaded", "default"});
  const json probabilities = {{"type", "array"}, {"items", {{"type", "number"}}}};
  s["Robustness"] = closed(
      {{"classes", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"indices", {{"type", "array"}, {"items", {{"type", "integer"}}}}},
       {"as_recorded", probabilities},
       {"changes", {{"type", "array"},
                    {"items", closed({{"family", {{"type", "string"}}},
                                      {"condition", {{"type", "string"}}},
                                      {"level", {{"type", "number"}, {"description", "SNR or gain in dB, delay in s; 0 for channels"}}},
                                      {"probability", probabilities}},
                                     {"family", "condition", "level", "probability"})}}},
       {"skipped", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"sentences", {{"type", "array"}, {"items", {{"type", "string"}}}}},
       {"elapsed_ms", {{"type", "number"}}}},
      {"classes", "indices", "as_recorded", "changes", "skipped", "sentences", "elapsed_ms"});
  s["AnalysisNotes"] = closed({{"note", {{"type", "string"}, {"maxLength", 2000}}},
                               {"labels", {{"type", "array"}, {"maxItems", 20},
                                           {"items", {{"type", "string"}, {"minLength", 1}, {"maxLength", 64}}}}}});
  s["EventReview"] = closed(
      {{"status", {{"type", "string"}, {"enum", {"confirmed", "rejected", "unreviewed"}}}},
       {"label", {{"oneOf", {{{"type", "string"}}, {{"type", "integer"}}}},
                  {"nullable", true},
                  {"description", "a corrected class: display name or index; null: back to the detected class"}}},
       {"onset_s", {{"type", "number"}, {"nullable", true}, {"minimum", 0},
                    {"description", "a corrected onset in seconds; null: back to the detected one"}}},
       {"offset_s", {{"type", "number"}, {"nullable", true}, {"minimum", 0},
                     {"description", "a corrected offset in seconds (after the onset, within the recording)"}}}});
  s["EventReviewResult"] = closed({{"id", {{"type", "string"}}},
                                   {"event_index", {{"type", "integer"}}},
                                   {"event", ref("AudioEvent")},
                                   {"event_counts", {{"type", "array"}, {"items", ref("EventCount")}}}},
                                  {"id", "event_index", "event", "event_counts"});
  s["AnalysisPage"] = closed({{"items", {{"type", "array"}, {"items", ref("AnalysisSummary")}}},
                              {"total", {{"type", "integer"}}},
                              {"limit", {{"type", "integer"}}},
                              {"offset", {{"type", "integer"}}}},
                             {"items", "total", "limit", "offset"});
  s["Deleted"] = closed({{"id", {{"type", "string"}}}, {"deleted", {{"type", "boolean"}}}}, {"id", "deleted"});
  s["SeedResult"] = closed({{"predictions", {{"type", "array"}, {"items", ref("Prediction")}}},
                            {"cam_base64", {{"type", "string"}, {"format", "byte"}}},
                            {"prediction_time", {{"type", "number"}, {"description", "seconds, measured"}}}},
                           {"predictions", "cam_base64", "prediction_time"});
  s["Job"] = closed(
      {{"id", {{"type", "string"}}},
       {"state", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed", "cancelled"}}}},
       {"stage", {{"type", "string"}, {"nullable", true},
                  {"description", "decode, windows, explain, events, store, done (null while queued)"}}},
       {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
       {"eta_s", {{"type", "number"}, {"nullable", true}, {"description", "seconds left: elapsed / progress"}}},
       {"analysis_id", {{"type", "string"}, {"nullable", true}, {"description", "once done (a comparison: its first model's)"}}},
       {"compared_ids", {{"type", "array"}, {"nullable", true}, {"items", {{"type", "string"}}}, {"minItems", 2}, {"maxItems", 2},
                         {"description", "a comparison's job (POST /api/v1/analyses with models=), once done: its two "
                                         "analyses in the order of its models, for GET /api/v1/compare?a=&b="}}},
       {"error", {{"type", "object"}, {"nullable", true}, {"description", "once failed"},
                  {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}},
       {"filename", {{"type", "string"}}},
       {"created_at", {{"type", "string"}, {"format", "date-time"}}},
       {"updated_at", {{"type", "string"}, {"format", "date-time"}}}},
      {"id", "state", "stage", "progress", "eta_s", "analysis_id", "error"});
  s["JobEnvelope"] = closed({{"job", ref("Job")}}, {"job"});
  add_live_schemas(s);
  add_comparison_schemas(s);
  s["JobList"] = closed({{"items", {{"type", "array"}, {"items", ref("Job")}}}}, {"items"});
  s["BatchItem"] = closed(
      {{"index", {{"type", "integer"}, {"description", "the file's place among the request's files, from 0"}}},
       {"filename", {{"type", "string"}}},
       {"job_id", {{"type", "string"}, {"nullable", true}, {"description", "null when the file was refused at once"}}},
       {"state", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed", "cancelled"}}}},
       {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
       {"analysis_id", {{"type", "string"}, {"nullable", true}, {"description", "once done"}}},
       {"error", {{"type", "object"}, {"nullable", true}, {"description", "once failed"},
                  {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}},
      {"index", "filename", "job_id", "state", "progress", "analysis_id", "error"});
  s["Batch"] = closed(
      {{"id", {{"type", "string"}}},
       {"state", {{"type", "string"}, {"enum", {"running", "done", "done_with_errors"}},
                  {"description", "running until every item is final; then done, or done_with_errors when an "
                                  "item failed or was cancelled"}}},
       {"created_at", {{"type", "string"}, {"format", "date-time"}}},
       {"items", {{"type", "array"}, {"items", ref("BatchItem")}}}},
      {"id", "state", "items"});
  return s;
}

json parameter_schema(const RouteParameter& p) {
  if (p.type == "file") return {{"type", "string"}, {"format", "binary"}};
  if (p.type == "files") return {{"type", "array"}, {"items", {{"type", "string"}, {"format", "binary"}}}};
  json schema = {{"type", p.type}};
  if (!p.default_value.empty()) {
    if (p.type == "integer") schema["default"] = parse_integer(p.default_value).value_or(0);
    else if (p.type == "number") schema["default"] = parse_decimal(p.default_value).value_or(0);
    else if (p.type == "boolean") schema["default"] = p.default_value == "true" || p.default_value == "1";
    else schema["default"] = p.default_value;
  }
  if (!p.choices.empty()) schema["enum"] = p.choices;
  if (p.minimum) schema["minimum"] = *p.minimum;
  if (p.maximum) schema["maximum"] = *p.maximum;
  return schema;
}

json operation(const RouteSpec& route) {
  json op = {{"operationId", route.operation_id}, {"summary", route.summary}, {"tags", {route.tag}}};
  json parameters = json::array();
  json form_properties = json::object();
  std::vector<std::string> form_required;
  for (const auto& p : route.parameters) {
    if (p.in == "form") {
      form_properties[p.name] = parameter_schema(p);
      form_properties[p.name]["description"] = p.description;
      if (p.required) form_required.push_back(p.name);
      continue;
    }
    parameters.push_back({{"name", p.name}, {"in", p.in}, {"required", p.in == "path" || p.required},
                          {"description", p.description}, {"schema", parameter_schema(p)}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (!form_properties.empty()) {
    json schema = {{"type", "object"}, {"properties", form_properties}};
    if (!form_required.empty()) schema["required"] = form_required;
    op["requestBody"] = {{"required", true}, {"content", {{"multipart/form-data", {{"schema", schema}}}}}};
  }
  if (!route.binary_body.empty())
    op["requestBody"] = {{"required", true},
                         {"content", {{route.binary_body, {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  if (!route.json_body.empty())
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", ref(route.json_body)}}}}}};
  json responses = json::object();
  for (const auto& r : route.responses) {
    json response = {{"description", r.description}};
    if (!r.content_type.empty()) {
      json media = json::object();
      if (!r.schema.empty()) media["schema"] = ref(r.schema);
      else if (r.content_type != "application/json") media["schema"] = {{"type", "string"}, {"format", "binary"}};
      response["content"] = {{r.content_type, media}};
    }
    if (r.status == 200 && (route.operation_id == "signIn" || route.operation_id == "signOut"))
      response["headers"] = {{"Set-Cookie",
                              {{"description", "soundlens_session=TOKEN; HttpOnly; SameSite=Strict; Path=/; "
                                               "Max-Age=SECONDS (+ Secure with --cookie-secure yes); sign-out "
                                               "clears it (Max-Age=0)"},
                               {"schema", {{"type", "string"}}}}}};
    if (r.status == 401 && route.needs_key)
      response["headers"] = {{"WWW-Authenticate", {{"description", "Bearer"}, {"schema", {{"type", "string"}}}}}};
    if ((r.status == 503 || r.status == 429) && r.schema == "Error")
      response["headers"] = {{"Retry-After", {{"description", "seconds to wait before retrying"},
                                              {"schema", {{"type", "integer"}}}}}};
    responses[std::to_string(r.status)] = response;
  }
  op["responses"] = responses;
  if (route.needs_key) op["security"] = json::array({{{"bearer", json::array()}}, {{"session", json::array()}}});
  return op;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return text;
}

}  // namespace

json openapi_document(const std::vector<RouteSpec>& routes, const std::string& version) {
  json paths = json::object();
  for (const auto& route : routes) paths[openapi_path(route.path)][lower(route.method)] = operation(route);
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "soundlens"},
            {"version", version},
            {"description",
             "Classifies sound into the 527 AudioSet classes and explains each prediction with a Grad-CAM "
             "heatmap over the mel spectrogram. Every error has the shape "
             "{\"error\": {\"code\", \"message\", \"status\"}}. When authentication is on (/health says "
             "which), the API routes need `Authorization: Bearer KEY` (keys from `soundlens keys create`)."}}},
          {"paths", paths},
          {"components",
           {{"schemas", schemas()},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}, {"description", "an API key: sl_<id>_<secret>"}}},
              {"session",
               {{"type", "apiKey"},
                {"in", "cookie"},
                {"name", "soundlens_session"},
                {"description", "a web session (POST /api/v1/session); writes also need the X-CSRF-Token header"}}}}}}}};
}

}  // namespace soundlens::http
