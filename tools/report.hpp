// The JSON a scheduling run writes, and the one-line summary it prints.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "host/verify/verify.hpp"

namespace gaus::cli {

/// {"file", "method", "legal", "latency", "horizon", "ii", "objectives", "violations", "starts"}.
/// "legal" is the verifier's verdict on `s`, never anything else.
nlohmann::ordered_json schedule_report(const Problem& p, const std::string& file,
                                       const std::string& method, const Schedule& s,
                                       const VerifyResult& v);

/// "list: latency 8, legal (11 ops)" / "...: ILLEGAL, 3 violations: first ..."
std::string summary_line(const nlohmann::ordered_json& report);

}  // namespace gaus::cli
