#include "tools/report.hpp"

#include "graphs/schedule_json.hpp"
#include "host/verify/objectives.hpp"

namespace gaus::cli {

nlohmann::ordered_json schedule_report(const Problem& p, const std::string& file,
                                       const std::string& method, const Schedule& s,
                                       const VerifyResult& v) {
  nlohmann::ordered_json j;
  j["file"] = file;
  j["method"] = method;
  j["legal"] = v.legal;
  j["latency"] = schedule_latency(p, s);
  j["horizon"] = s.horizon;
  j["ii"] = s.ii;
  j["objectives"] = to_json(evaluate(p, s));
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& x : v.violations) list.push_back(x.message);
  j["violation_count"] = v.count;
  j["violations"] = list;
  j["starts"] = starts_to_json(p, s);
  if (!s.z.empty()) j["z"] = start_times_in_cycle_json(p, s);
  return j;
}

std::string summary_line(const nlohmann::ordered_json& r, const std::string& objective) {
  std::string line = r["method"].get<std::string>() + ": ";
  if (!objective.empty()) line += objective;
  if (objective.rfind("latency ", 0) != 0)
    line += (objective.empty() ? "latency " : ", latency ") + r["latency"].dump();
  if (r["ii"].get<std::int64_t>() > 0) line += ", II " + r["ii"].dump();
  if (r["legal"].get<bool>()) {
    line += ", legal";
  } else {
    line += ", ILLEGAL (" + r["violation_count"].dump() + " violations";
    if (!r["violations"].empty()) line += "; first: " + r["violations"][0].get<std::string>();
    line += ")";
  }
  return line;
}

}  // namespace gaus::cli
