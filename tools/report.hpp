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

/// "list: latency 8, legal" / "...: ILLEGAL (3 violations; first: ...)". `objective`, when
/// given, follows the method ("gaus B: peak memory 276 (lower bound 248, gap 10.1%), latency
/// 225, legal"); one that starts with "latency " replaces the latency.
std::string summary_line(const nlohmann::ordered_json& report, const std::string& objective = {});

}  // namespace gaus::cli
