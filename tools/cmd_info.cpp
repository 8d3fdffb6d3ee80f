// gaus info FILE [--json]: sizes, types, unit classes and timing bounds of a problem.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "graphs/analysis.hpp"
#include "host/bounds/ii_bound.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"

namespace gaus::cli {

namespace {

nlohmann::ordered_json info_json(const Problem& p, const std::string& file) {
  const Analysis a = analyze(p);
  std::map<std::string, std::int64_t> types;
  std::vector<std::int64_t> class_ops(p.resources.size(), 0);
  for (op_id i = 0; i < p.num_ops(); ++i) {
    ++types[p.op_type[i] >= 0 ? p.type_names[p.op_type[i]] : std::string("(none)")];
    if (p.op_resource[i] >= 0) ++class_ops[p.op_resource[i]];
  }
  nlohmann::ordered_json j;
  j["file"] = file;
  j["ops"] = p.num_ops();
  j["edges"] = p.num_edges();
  j["loop_carried_edges"] = p.num_loop_carried();
  j["critical_path"] = a.critical_path;
  j["levels"] = a.num_levels;
  j["rec_mii"] = a.rec_mii;
  j["res_mii"] = a.res_mii;
  if (p.num_loop_carried() > 0)  // unit conflicts on recurrences (host/bounds/ii_bound.hpp)
    j["ii_conflict_bound"] = ii_conflict_bound(p, std::max({a.rec_mii, a.res_mii, 1}));
  if (p.horizon > 0) j["horizon"] = p.horizon;
  if (p.ii > 0) j["ii"] = p.ii;
  j["op_types"] = types;
  nlohmann::ordered_json classes = nlohmann::ordered_json::object();
  for (std::size_t k = 0; k < p.resources.size(); ++k)
    classes[p.resources[k].name] = {{"limit", p.resources[k].limit}, {"ops", class_ops[k]}};
  j["unit_classes"] = classes;
  return j;
}

void print_text(const nlohmann::ordered_json& j) {
  std::cout << "file           " << j["file"].get<std::string>() << "\n"
            << "ops            " << j["ops"] << "\n"
            << "edges          " << j["edges"] << " (" << j["loop_carried_edges"]
            << " loop-carried)\n"
            << "critical path  " << j["critical_path"] << " cycles, " << j["levels"]
            << " levels\n";
  if (j["loop_carried_edges"].get<std::int64_t>() > 0)
    std::cout << "II bounds      recurrence " << j["rec_mii"] << ", resources " << j["res_mii"]
              << ", unit conflicts on recurrences " << j["ii_conflict_bound"] << "\n";
  std::cout << "op types      ";
  for (const auto& [t, n] : j["op_types"].items()) std::cout << " " << t << " x" << n;
  std::cout << "\nunit classes  ";
  for (const auto& [k, v] : j["unit_classes"].items()) {
    const auto limit = v["limit"].get<std::int64_t>();
    std::cout << " " << k << " (" << (limit < 0 ? std::string("unlimited") : std::to_string(limit))
              << ", " << v["ops"] << " ops)";
  }
  std::cout << "\n";
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "Describe a problem: sizes, types, classes, bounds");
  auto opts = std::make_shared<ProblemOptions>();
  auto as_json = std::make_shared<bool>(false);
  add_problem_options(cmd, *opts);
  cmd->add_flag("--json", *as_json, "Print one JSON object");
  cmd->callback([opts, as_json] {
    const Problem p = load_problem(*opts);
    const auto j = info_json(p, opts->file);
    if (*as_json)
      std::cout << j.dump(2) << "\n";
    else
      print_text(j);
  });
}

}  // namespace gaus::cli
