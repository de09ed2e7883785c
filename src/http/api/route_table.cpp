#include "http/api/route_table.h"

#include <algorithm>

#include "analysis/analysis_options.h"
#include "analysis_events/event_options.h"
#include "core/error.h"
#include "http/api/batch_limits.h"
#include "service/live_request.h"

namespace soundlens::http {
namespace {

RouteResponse json_ok(int status, const std::string& description, const std::string& schema) {
  return {status, description, "application/json", schema};
}
RouteResponse failure(int status, const std::string& description) {
  return {status, description, "application/json", "Error"};
}

// A query parameter with its range and default: the handler reads this declaration
// (http/request_params.h), so the range is written once.
RouteParameter ranged(std::string name, std::string type, std::string description, std::string default_value,
                      double minimum, double maximum) {
  RouteParameter p{std::move(name), "query", std::move(type), false, std::move(description), std::move(default_value)};
  p.minimum = minimum, p.maximum = maximum;
  return p;
}
constexpr double kMaxOffset = double(1L << 40);  // items to skip: far beyond any history, and exact in a double
const RouteParameter limit_param = ranged("limit", "integer", "page size", "50", 1, 500);
const RouteParameter offset_param = ranged("offset", "integer", "items to skip", "0", 0, kMaxOffset);

const RouteParameter id_param{"id", "path", "string", true, "analysis id (32 hex digits)", ""};
const RouteParameter upload_file{"file", "form", "file", true, "the recording (any container/codec FFmpeg decodes)", ""};
const RouteParameter model_param{"model", "form", "string", false,
                                 "model name (GET /api/v1/models); default: the server's --model. Another model is "
                                 "loaded on first use. fused: mn04_as and yamnet together (each window through each, "
                                 "per class the higher probability, each model's map, events naming both)",
                                 ""};
// Declared here once: the comparison of two models (src/http/compare_routes.h).
const RouteParameter models_param{"models", "form", "string", false,
                                  "two different model names, comma-separated (e.g. mn04_as,yamnet): analyse the "
                                  "recording with each, store each analysis, answer their comparison (201 "
                                  "Comparison). With async=1, or for recordings over the server's --async-over-s, "
                                  "one job (202) runs both models in turn with progress; once done its "
                                  "compared_ids name the two analyses for GET /api/v1/compare. Not with model",
                                  ""};
// A declared parameter (analysis/analysis_options.h) as the form field of an upload.
RouteParameter form_field(const Parameter& p) {
  using Kind = Parameter::Kind;
  RouteParameter r{p.http_name(), "form", "string", false, p.help, p.default_value};
  r.choices = p.choices;
  if (p.kind == Kind::flag) r.type = "boolean";
  if (p.kind == Kind::integer || p.kind == Kind::number) {
    r.type = p.kind == Kind::integer ? "integer" : "number";
    if (p.min != p.max) r.minimum = p.min, r.maximum = p.max;
  }
  return r;
}
const RouteParameter class_param{"class", "query", "string", false,
                                 "class to explain: index (0-526) or display name; default the top class", ""};

// class, then the declared method, contrast, faithfulness and sanity as query parameters.
const RouteParameter map_model_param{"model", "query", "string", false,
                                     "whose map: of a fused analysis mn04_as (the default) or yamnet; of any other "
                                     "its own model (or nothing)", ""};

const RouteParameter event_param{"event", "query", "string", false,
                                 "an event's place in the analysis' events, from 0: its class (as reviewed) explained "
                                 "and checked on its window (the audio the model heard when it placed it, 3.2 s for "
                                 "mn04_as, centred on it, the whole event if longer); not with class", ""};

std::vector<RouteParameter> explanation_parameters(bool faithfulness_by_default) {
  std::vector<RouteParameter> all{id_param, class_param, event_param, map_model_param};
  for (const auto& p : analysis_parameters()) {
    if (p.name != "method" && p.name != "contrast" && p.name != "faithfulness" && p.name != "sanity") continue;
    RouteParameter r = form_field(p);
    r.in = "query";
    if (p.name == "faithfulness") r.default_value = faithfulness_by_default ? "true" : "false";
    all.push_back(r);
  }
  return all;
}

// The JSON explanation's own: listen=1 also runs the listening search (what explanation.wav plays).
std::vector<RouteParameter> explanation_json_parameters() {
  auto all = explanation_parameters(true);
  all.push_back(ranged("listen", "integer",
                       "1 = also run the listening search on the map: `listen` gives the smallest top part of the "
                       "map whose audio keeps the class at keep_fraction of its probability (kept_fraction, "
                       "keeps_class, under_half, message) and the class's probability on it and on the rest "
                       "(the audio of explanation.wav)",
                       "0", 0, 1));
  return all;
}

std::vector<RouteParameter> explanation_audio_parameters() {
  auto all = explanation_parameters(false);
  all.push_back({"part", "query", "string", false, "what the map kept, or what it removed", "kept"});
  all.back().choices = {"kept", "removed"};
  return all;
}

std::vector<RouteParameter> analysis_upload_parameters() {
  std::vector<RouteParameter> all{upload_file, model_param, models_param};
  for (const auto* list : {&analysis_parameters(), &event_parameters()})
    for (const auto& p : *list) all.push_back(form_field(p));
  all.push_back({"async", "form", "boolean", false,
                 "1: run as a job (202 with the job to follow) whatever the length; recordings longer than the "
                 "server's --async-over-s always are",
                 "false"});
  return all;
}

const RouteParameter job_id_param{"id", "path", "string", true, "job id (32 hex digits)", ""};

// One `file` field per recording, then the options of one upload, applied to each.
std::vector<RouteParameter> batch_upload_parameters() {
  std::vector<RouteParameter> all{{"file", "form", "files", true,
                                   "the recordings: one multipart field named file per recording, at most " +
                                       std::to_string(kMaxBatchFiles),
                                   ""},
                                  model_param};
  for (const auto* list : {&analysis_parameters(), &event_parameters()})
    for (const auto& p : *list) all.push_back(form_field(p));
  return all;
}

const RouteParameter live_id_param{"id", "path", "string", true, "live session id (32 hex digits)", ""};

// The options of a live session: `soundlens live`'s, declared once (service/live_request.h), as query parameters.
std::vector<RouteParameter> live_session_route_parameters() {
  std::vector<RouteParameter> all;
  for (const auto& p : service::live_session_parameters()) {
    RouteParameter r = form_field(p);
    r.in = "query";
    if (p.name == "format") r.description = "the chunks' sample format (mono, little-endian)";
    if (p.name == "rate") r.description = "the chunks' sample rate, Hz (resampled to 32 kHz as the decoder does)";
    if (p.name == "max-lag-s")
      r.description = "a chunk holding more audio than this (the client fell behind and sent what waited at once): "
                      "the windows it completes are dropped and counted (dropped_windows); 0: never";
    all.push_back(r);
  }
  return all;
}

std::vector<RouteSpec> build_table() {
  const auto bad_upload = std::vector<RouteResponse>{
      failure(400, "bad parameters or no file"), failure(413, "upload larger than the limit"),
      failure(415, "not decodable audio"), failure(422, "decodable but unusable: empty, silent, too short or too long"),
      failure(503, "model not loaded, or analysis queue full (see Retry-After)"), failure(500, "internal error")};
  const auto with = [](std::vector<RouteResponse> first, const std::vector<RouteResponse>& rest) {
    first.insert(first.end(), rest.begin(), rest.end());
    return first;
  };
  const auto lookup_errors = std::vector<RouteResponse>{failure(404, "unknown analysis id"),
                                                        failure(500, "internal error")};
  // Routes that may need the recording again: 410 when the server does not keep it.
  const auto gone = failure(410, "the server does not keep recordings (--store-audio no) and this was not "
                                 "computed when the analysis was made");
  const auto reanalysis_errors =
      with({failure(404, "unknown analysis id or class"), gone,
            failure(503, "model not loaded, or analysis queue full (see Retry-After)")},
           {failure(400, "bad parameters"), failure(500, "internal error")});
  // Explanations computed on request: their own slots (503: their queue is full) and a budget.
  const auto explanation_errors = with(
      {failure(422, "the explanation would need more work than the server allows (--explain-budget-s): the message "
                    "names the estimate and the limit")},
      reanalysis_errors);
  return {
      {"GET", "/health", "health", "service", "Service status; 503 until the model is loaded", {},
       {json_ok(200, "ready", "Health"), {503, "model not loaded yet", "application/json", "Health"}}},
      {"GET", "/api/v1/models", "listModels", "models", "Known models, whether their weights are here, which is loaded",
       {}, {json_ok(200, "models", "ModelList")}},
      {"POST", "/api/v1/analyses", "createAnalysis", "analyses", "Analyse an uploaded recording and store it",
       analysis_upload_parameters(),
       with({json_ok(201, "the stored analysis; with models=, the comparison of the stored analyses",
                     "StoredAnalysisOrComparison"),
             {202, "a job (a long recording, or async=1); Location: /api/v1/jobs/{id}", "application/json",
              "JobEnvelope"},
             failure(507, "the server's disk budget would be passed (--min-free-disk-mb)")},
            bad_upload)},
      {"GET", "/api/v1/analyses", "listAnalyses", "analyses", "Stored analyses, newest first",
       {limit_param, offset_param,
        ranged("page", "integer", "1-based page (with per_page), instead of offset", "1", 1, double(1L << 30)),
        ranged("per_page", "integer", "page size (with page), instead of limit; default: limit", "", 1, 500),
        {"q", "query", "string", false, "text in the file name, the note or a label (case-insensitive)", ""},
        {"class", "query", "string", false, "a class index or name among the predictions and events", ""},
        {"label", "query", "string", false, "exactly this label", ""},
        {"from", "query", "string", false, "created on or after this day (YYYY-MM-DD, UTC)", ""},
        {"to", "query", "string", false, "created on or before this day (YYYY-MM-DD, UTC)", ""}},
       {json_ok(200, "one page (total: all that match)", "AnalysisPage"),
        failure(400, "bad paging or filter parameters")}},
      {"GET", "/api/v1/analyses/{id}", "getAnalysis", "analyses", "One stored analysis", {id_param},
       with({json_ok(200, "the analysis", "StoredAnalysis")}, lookup_errors)},
      {"PATCH", "/api/v1/analyses/{id}", "updateAnalysis", "analyses",
       "Set the note and/or labels of an analysis (e.g. a patient or session code)", {id_param},
       with({json_ok(200, "the analysis as changed", "StoredAnalysis"),
             failure(400, "not a JSON object of note and labels, or values out of bounds")},
            lookup_errors),
       "AnalysisNotes"},
      {"PATCH", "/api/v1/analyses/{id}/events/{event_index}", "reviewEvent", "analyses",
       "Review one event: confirm or reject it, correct its class or its times. Fields left out keep their "
       "value, null clears a correction. The event as reviewed and the counts after review",
       {id_param, {"event_index", "path", "integer", true, "the event's place in the analysis' events, from 0", ""}},
       with({json_ok(200, "the event with its review, and the counts after review", "EventReviewResult"),
             failure(400, "not a JSON object of status, label, onset_s and offset_s, an unknown status or class, "
                          "or times that are not finite, negative, beyond the recording or not onset < offset"),
             failure(413, "a body over 4,096 bytes"), failure(415, "not application/json")},
            {failure(404, "unknown analysis id, or no event at that index"), failure(500, "internal error")}),
       "EventReview"},
      {"DELETE", "/api/v1/analyses/{id}", "deleteAnalysis", "analyses",
       "Delete an analysis with its audio and figures", {id_param},
       with({json_ok(200, "deleted", "Deleted")}, lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/audio", "getAnalysisAudio", "analyses",
       "The uploaded recording (supports Range requests)", {id_param},
       with({{200, "the audio as uploaded", "audio/*", ""}, {206, "a byte range of it", "audio/*", ""},
             failure(410, "the server does not keep recordings (--store-audio no)")},
            lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/figure.png", "getAnalysisFigure", "analyses",
       "Spectrogram figure with the Grad-CAM heatmap of any class (cached)",
       {id_param, class_param, ranged("overlay", "integer", "0 = spectrogram without heatmap", "1", 0, 1)},
       with({{200, "PNG figure", "image/png", ""}}, explanation_errors)},
      {"GET", "/api/v1/analyses/{id}/explanation", "getAnalysisExplanation", "analyses",
       "The map of any class over the whole recording by any method, with its faithfulness and, with listen=1, "
       "the listening search's result (cached)",
       explanation_json_parameters(), with({json_ok(200, "the explanation", "Explanation")}, explanation_errors)},
      {"GET", "/api/v1/analyses/{id}/robustness", "getAnalysisRobustness", "analyses",
       "How one class's probability holds up when the recording is changed: noise at 20 to 0 dB SNR (white, pink, its "
       "own background), the telephone band, an 8 kHz channel, a cheap microphone, gain, clipping, delays (cached; "
       "recordings up to 120 s)",
       {id_param, class_param},
       with({json_ok(200, "the class's probability as recorded and under each change, with a sentence", "Robustness"),
             failure(410, "the server does not keep recordings (--store-audio no)")},
            explanation_errors)},
      {"GET", "/api/v1/analyses/{id}/explanation.wav", "getAnalysisExplanationAudio", "analyses",
       "What the model used (part=kept) or ignored (part=removed): the smallest top part of the map whose audio "
       "keeps the class at 80 % of its probability, and the rest (the listening search; its numbers: "
       "explanation?listen=1), 16-bit 32 kHz WAV (cached)",
       explanation_audio_parameters(),
       with({{200, "WAV audio", "audio/wav", ""}}, explanation_errors)},
      {"GET", "/api/v1/analyses/{id}/events.csv", "getEventsCsv", "exports", "The events as CSV (a download)",
       {id_param}, with({{200, "CSV", "text/csv", ""}}, lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/raven.txt", "getRavenTable", "exports",
       "The events as a Raven selection table (opens in Raven and Sonic Visualiser)", {id_param},
       with({{200, "tab-separated text", "text/plain", ""}}, lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/labels.txt", "getAudacityLabels", "exports", "The events as an Audacity label track",
       {id_param}, with({{200, "tab-separated text", "text/plain", ""}}, lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/reviewed-clips.zip", "getReviewedClips", "exports",
       "The confirmed events cut from the stored recording as labelled clips (a download): a ZIP of "
       "<class>/<recording>_e<event>_<onset>ms.wav (32 kHz mono, 16-bit, the class and times as reviewed), one "
       "folder per class as a training folder has them, and clips.csv listing them",
       {id_param},
       with({{200, "ZIP archive (stored entries)", "application/zip", ""},
             failure(410, "the server does not keep recordings (--store-audio no)")},
            lookup_errors)},
      {"GET", "/api/v1/analyses/{id}/report.pdf", "getReportPdf", "exports",
       "The PDF report: recording, provenance, the note and labels, predictions, the explained classes' figures "
       "with their checks, the events as reviewed, counts and quality flags (a download, cached). With classes: the "
       "report of what the page looked at",
       {id_param,
        {"classes", "query", "string", false,
         "the classes the page pinned or viewed, as class indices (comma-separated, at most 8, e.g. 47,49): their "
         "figures replace the analysis' own top classes, one per method the server has computed for the class (the "
         "page's explanations, from the cache) with the checks computed for it (faithfulness against its random "
         "map, sanity, listening); a class never explained is drawn with the analysis' map, or a Grad-CAM map "
         "computed for the report, and its checks said to be not computed",
         ""}},
       with({{200, "PDF", "application/pdf", ""}}, explanation_errors)},
      {"GET", "/api/v1/analyses/{id}/spectrogram", "getAnalysisSpectrogram", "analyses",
       "The log-mel spectrogram for drawing in a browser (cached)",
       {id_param, ranged("max_columns", "integer", "time columns after averaging", "1000", 10, 10000),
        ranged("start_s", "number", "a span's start, seconds (with end_s/width: not cached)", "0", 0, 1e6),
        ranged("end_s", "number", "a span's end, seconds (clamped to the recording); default: its end", "", 0, 1e6),
        ranged("width", "integer", "the span's columns at most; fewer frames: one per frame", "1000", 10, 10000)},
       with({json_ok(200, "the spectrogram", "Spectrogram")}, reanalysis_errors)},
      {"GET", "/api/v1/compare", "getComparison", "analyses",
       "Two stored analyses of one recording by different models, compared again (no model runs): the answer "
       "of an upload with models=",
       {{"a", "query", "string", true, "the first analysis' id", ""},
        {"b", "query", "string", true, "the second analysis' id", ""}},
       {json_ok(200, "the comparison", "Comparison"),
        failure(400, "a or b missing, the same model twice, or not the same recording"),
        failure(404, "unknown analysis id"), failure(500, "internal error")}},
      {"GET", "/api/v1/jobs", "listJobs", "jobs", "The most recent jobs, newest first",
       {ranged("limit", "integer", "how many", "50", 1, 500)},
       {json_ok(200, "jobs", "JobList"), failure(400, "bad limit")}},
      {"GET", "/api/v1/jobs/{id}", "getJob", "jobs", "A job: state, stage, fraction done, ETA, and the analysis once done",
       {job_id_param}, {json_ok(200, "the job", "JobEnvelope"), failure(404, "unknown job id")}},
      {"GET", "/api/v1/jobs/{id}/events", "getJobEvents", "jobs",
       "Server-Sent Events: one `data: {job}` event per change (the current state first), comments as "
       "keep-alives, until the job is done, failed or cancelled",
       {job_id_param},
       {{200, "text/event-stream of job JSON objects", "text/event-stream", ""}, failure(404, "unknown job id"),
        failure(503, "too many event streams open (see Retry-After)")}},
      {"DELETE", "/api/v1/jobs/{id}", "cancelJob", "jobs",
       "Cancel a job: a queued one never runs, a running one stops at its next batch of windows; nothing is "
       "stored. A finished job is returned as it is",
       {job_id_param}, {json_ok(200, "the job, cancelled (or already final)", "JobEnvelope"),
                        failure(404, "unknown job id")}},
      {"POST", "/api/v1/live", "createLiveSession", "live",
       "Start a live session: then send the audio in short chunks (POST .../audio), follow the results (GET "
       ".../events, Server-Sent Events) and stop it (POST .../stop), which stores it as an analysis",
       live_session_route_parameters(),
       {json_ok(201, "the session; Location: /api/v1/live/{id}", "LiveSession"),
        failure(400, "bad parameters (named), an unknown class, or model=fused"),
        failure(429, "the server's or the user's live sessions are at their limit (--max-live-sessions, "
                     "--max-live-sessions-per-user; see Retry-After)"),
        failure(503, "model not loaded"), failure(500, "internal error")}},
      {"POST", "/api/v1/live/{id}/audio", "sendLiveAudio", "live",
       "One chunk of the session's audio: raw PCM in the session's format and rate, mono, as the body "
       "(application/octet-stream), at most 10 s of audio. Chunks carry seq 0, 1, 2, ... in order; a refused "
       "chunk changes nothing and may be sent again. Charged to the key's audio budget as it arrives",
       {live_id_param, ranged("seq", "integer", "the chunk's sequence number, from 0", "", 0, double(1L << 40))},
       {json_ok(200, "taken and analysed", "LiveChunk"),
        failure(400, "seq missing or out of order (the message names the next), an empty chunk, not whole samples, "
                     "or not application/octet-stream"),
        failure(404, "unknown session id (or another user's)"), failure(410, "the session has ended"),
        failure(413, "a chunk over 10 s of audio"), failure(422, "float samples that are not finite"),
        failure(500, "internal error")},
       "", "application/octet-stream"},
      {"GET", "/api/v1/live/{id}/events", "getLiveEvents", "live",
       "Server-Sent Events of the session: `id: N` and `data: LINE` per line, each LINE the JSON of `soundlens "
       "live --json` (hop, event_start, event, warning, summary); once stopped, {\"type\": \"job\", \"job_id\", "
       "\"state\", \"stage\", \"progress\"} per change of the job storing it, then {\"type\": \"stored\", "
       "\"analysis_id\"} (or {\"type\": \"error\"}); comments as keep-alives",
       {live_id_param,
        ranged("after", "integer", "resume after this line number (the last `id:` seen)", "0", 0, double(1L << 40))},
       {{200, "text/event-stream of JSON lines", "text/event-stream", ""},
        failure(404, "unknown session id (or another user's)"),
        failure(503, "too many event streams open (see Retry-After)")}},
      {"POST", "/api/v1/live/{id}/watch", "watchLiveClass", "live",
       "Watch (pin) a class from now on: its probability in every hop line, its events always counted, and "
       "asked of the stored analysis (as the session's class option)",
       {live_id_param, {"class", "query", "string", true, "the class, by name or index", ""}},
       {json_ok(200, "watched", "LiveWatched"),
        failure(400, "an unknown class, or more than 32 watched"),
        failure(404, "unknown session id (or another user's)"), failure(410, "the session has ended"),
        failure(500, "internal error")}},
      {"POST", "/api/v1/live/{id}/stop", "stopLiveSession", "live",
       "End the session: what was heard is analysed to its end, and the recording is analysed and stored as an "
       "upload of it is (report, exports; no audio kept with --store-audio no; speech silenced first with "
       "--redact-speech). On a server with jobs (a data directory) the stop returns at once (202) with the job "
       "that analyses and stores it (its progress at /api/v1/jobs/{job_id} and on the session's event stream); "
       "without, once it is stored (200). The same answer for every stop of a session",
       {live_id_param},
       {json_ok(200, "stored (or its job done)", "LiveStopped"),
        {202, "its job is queued or running; Location: /api/v1/jobs/{job_id}", "application/json", "LiveStopped"},
        failure(404, "unknown session id (or another user's)"),
        failure(422, "nothing usable was heard (empty, too short, silent)"),
        failure(503, "analysis queue full (see Retry-After)"), failure(500, "internal error")}},
      {"POST", "/api/v1/batches", "createBatch", "batches",
       "Analyse several recordings as one batch: each file becomes a job (with the same options); a file "
       "refused at once (e.g. empty) is a failed item, the others run",
       batch_upload_parameters(),
       {{202, "the batch; Location: /api/v1/batches/{id}", "application/json", "Batch"},
        failure(400, "no file, a field that is neither a file in 'file' nor an option, bad options, or no data "
                     "directory (no jobs)"),
        failure(413, "more than " + std::to_string(kMaxBatchFiles) + " files, or the body over the upload limit"),
        failure(503, "model not loaded"), failure(507, "the server's disk budget would be passed (--min-free-disk-mb)"),
        failure(500, "internal error")}},
      {"GET", "/api/v1/batches/{id}", "getBatch", "batches",
       "A batch: each file's job state, progress, analysis id or error, and the batch's state",
       {{"id", "path", "string", true, "batch id (32 hex digits)", ""}},
       {json_ok(200, "the batch", "Batch"), failure(404, "unknown batch id")}},
      {"POST", "/analyze_audio", "analyzeAudio", "compatibility",
       "The seed's endpoint: top 5 predictions and the top class's figure inline; nothing is stored",
       {upload_file, model_param}, with({json_ok(200, "predictions and figure", "SeedResult")}, bad_upload)},
      {"GET", "/api/v1/audit", "listAudit", "audit",
       "The audit log, newest first: who created, read the audio of, exported or deleted which analysis, when "
       "(admins only)",
       {ranged("limit", "integer", "page size", "100", 1, 500), offset_param},
       {json_ok(200, "one page", "AuditPage"), failure(400, "bad paging parameters")}},
      {"POST", "/api/v1/session", "signIn", "session",
       "Sign in on the web with a name and password (authentication required): sets the HttpOnly, "
       "SameSite=Strict session cookie and answers the CSRF token every write by cookie must carry as "
       "X-CSRF-Token. Wrong name or password: the same 401. Failed attempts are limited per name (back-off, "
       "except from an address that signed in to it before) and per client address",
       {},
       {json_ok(200, "signed in; Set-Cookie: soundlens_session=...", "Session"),
        failure(400, "not a JSON object of name and password, or authentication is off"),
        failure(401, "wrong name or password"), failure(429, "too many failed sign-ins for this name, or from this address (see Retry-After)")},
       "SignIn"},
      {"GET", "/api/v1/session", "getSession", "session", "Who is signed in by the session cookie, with its CSRF token",
       {}, {json_ok(200, "the session", "Session"), failure(401, "not signed in, or the session has expired")}},
      {"DELETE", "/api/v1/session", "signOut", "session",
       "Sign out: ends the session and clears its cookie (needs X-CSRF-Token)", {},
       {json_ok(200, "signed out", "SignedOut"), failure(401, "not signed in, or the session has expired"),
        failure(403, "no or a wrong X-CSRF-Token header")}},
      {"GET", "/openapi.json", "openapi", "service", "This document", {}, {json_ok(200, "OpenAPI 3", "")}},
      {"GET", "/docs", "docs", "service", "Interactive API documentation (Swagger UI, served locally)", {},
       {{200, "HTML page", "text/html", ""}}},
      {"GET", "/docs/{asset}", "docsAsset", "service", "Swagger UI files",
       {{"asset", "path", "string", true, "file name", ""}},
       {{200, "the file", "*/*", ""}, failure(404, "no such file")}},
      {"GET", "/", "webApp", "web", "The web app", {}, {{200, "index.html", "text/html", ""}}},
      {"GET", "/{path...}", "webAsset", "web",
       "Files of the web app; app routes without a file get index.html; unknown /api/ paths get 404",
       {{"path", "path", "string", true, "file path (may contain '/')", ""}},
       {{200, "the file", "*/*", ""}, failure(404, "no such file or API route")}},
  };
}

// Who may call each route, what it costs and what the audit log records;
// with authentication on, protected routes also answer 401, 403 and 429.
void add_access(std::vector<RouteSpec>& table) {
  for (auto& route : table) {
    // The session routes check the cookie themselves (signing in needs no key).
    route.needs_key = (route.path.starts_with("/api/") && route.tag != "session") || route.path == "/analyze_audio";
    route.writes = route.method != "GET";
    route.analyses_audio = route.operation_id == "createAnalysis" || route.operation_id == "analyzeAudio" ||
                           route.operation_id == "createBatch" || route.operation_id == "sendLiveAudio";
    route.admin_only = route.operation_id == "listAudit";
    // A live session's chunks are not requests of their own while they keep to real time (live_routes.cpp).
    route.counts_own_requests = route.operation_id == "sendLiveAudio";
    // A live session's analysis is audited where it is stored (service/live_sessions.h, or its job),
    // whoever stopped it: the user, the idle timeout or the server's limit.
    if (route.operation_id == "createAnalysis") route.audit_action = "create";
    if (route.operation_id == "deleteAnalysis") route.audit_action = "delete";
    if (route.operation_id == "reviewEvent") route.audit_action = "review";
    if (route.operation_id == "getAnalysisAudio" || route.operation_id == "getAnalysisExplanationAudio")
      route.audit_action = "read_audio";
    if (route.tag == "exports") route.audit_action = "export";
    if (!route.needs_key) continue;
    route.responses.push_back(failure(401, "no API key or session cookie, or a wrong, revoked or expired one "
                                           "(WWW-Authenticate: Bearer)"));
    if (route.writes || route.admin_only)
      route.responses.push_back(failure(403, route.admin_only ? "the caller is not an admin"
                                                              : "a read-only key, or signed in by cookie without "
                                                                "the session's X-CSRF-Token header"));
    route.responses.push_back(failure(429, "the key's rate limit is reached (see Retry-After)"));
  }
}

}  // namespace

const std::vector<RouteSpec>& route_table() {
  static const std::vector<RouteSpec> table = [] {
    auto all = build_table();
    add_access(all);
    return all;
  }();
  return table;
}

const RouteSpec& route_spec(std::string_view operation_id) {
  const auto& table = route_table();
  const auto it = std::find_if(table.begin(), table.end(),
                               [&](const RouteSpec& r) { return r.operation_id == operation_id; });
  if (it == table.end()) throw Error(ErrorCode::internal, "no route " + std::string(operation_id));
  return *it;
}

}  // namespace soundlens::http
