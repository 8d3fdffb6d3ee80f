// The min-cut memory bound (host/bounds/memory_cut_bound.cpp) against the counting bounds on the EPFL
// circuits (formulation B at D = critical path): per circuit the old bound
// (objective_lower_bound before the cut), the cut bound, whether it finished within --budget,
// the steps cut and skipped, and the seconds taken. --schedules DIR adds DIR/NAME.json (a
// `gaus schedule --out` file) as an upper schedule, which lets more steps be skipped. Run by hand:
//   build/bench/gaus_cut_bound_bench --data-dir ../shared/data --budget 10
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/timing.hpp"
#include "graphs/formats.hpp"
#include "graphs/schedule_json.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/bounds/memory_cut_bound.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"

using namespace gaus;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  CLI::App app{"min-cut memory bound on the EPFL circuits"};
  std::string data = "../shared/data", schedules;
  double budget = 10;
  std::vector<std::string> only;
  app.add_option("--data-dir", data, "benchmark graphs");
  app.add_option("--budget", budget, "seconds per circuit");
  app.add_option("--schedules", schedules, "folder of NAME.json schedules (upper bounds)");
  app.add_option("--only", only, "circuit names");
  CLI11_PARSE(app, argc, argv);
  std::printf("%-11s %7s %6s %8s %8s %8s %8s %5s %6s %6s %6s %8s\n", "circuit", "ops", "D",
              "asap", "alap", "old", "cut", "done", "step", "cut", "skip", "seconds");
  for (const char* group : {"arithmetic", "random_control"}) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(data) / "epfl" / group))
      if (e.path().extension() == ".aig") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      const std::string name = f.stem().string();
      if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
      const Problem p = read_graph_file(f.string()).build();
      const std::int32_t horizon = critical_path(p);
      const Schedule asap = asap_schedule(p), alap = alap_schedule(p, horizon);
      detail::MemoryCutOptions o;
      o.time_budget_s = budget;
      o.known_bound = detail::objective_lower_bound(p, Formulation::B, horizon, 0);
      Schedule best;
      const fs::path sj = fs::path(schedules) / (name + ".json");
      if (!schedules.empty() && fs::exists(sj)) {
        std::ifstream in(sj);
        std::stringstream ss;
        ss << in.rdbuf();
        best = parse_schedule_json(ss.str(), sj.string(), p);
        o.upper_schedules.push_back(&best.start);
      }
      const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon, o);
      std::printf("%-11s %7d %6d %8.0f %8.0f %8.0f %8.0f %5s %6d %6d %6d %8.3f\n", name.c_str(),
                  p.num_ops(), horizon, peak_memory(p, asap), peak_memory(p, alap), o.known_bound,
                  r.bound, r.complete ? "yes" : "no", r.best_step, r.steps_cut, r.steps_skipped,
                  r.seconds);
      std::fflush(stdout);
    }
  }
  return 0;
}
