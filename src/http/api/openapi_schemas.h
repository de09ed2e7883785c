#pragma once
// Building blocks of the OpenAPI schemas (http/openapi.cpp) and the schemas of
// an analysis (http/openapi_analysis.cpp). Internal to http. What each schema
// says is held to the writers' real output by tests/http/contract_test.cpp.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace soundlens::http::schema {

nlohmann::json ref(const std::string& schema);
nlohmann::json object(nlohmann::json properties, std::vector<std::string> required = {});
// An object whose fields are all declared: a writer that adds one fails the contract test until it is.
nlohmann::json closed(nlohmann::json properties, std::vector<std::string> required = {});
nlohmann::json array_of(nlohmann::json items);
nlohmann::json typed(const std::string& type, const std::string& description = "");
nlohmann::json nullable(nlohmann::json schema);

// Prediction, Explanation, Spectrogram, TimelineWindow, AudioEvent, EventCount,
// QualityCheck, Redaction, StoredAnalysis, AnalysisSummary.
void add_analysis_schemas(nlohmann::json& schemas);

}  // namespace soundlens::http::schema
