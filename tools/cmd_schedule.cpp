// gaus schedule FILE --method asap|alap|list|fds [--horizon D] [--ii N] --out S.json
// Every schedule written carries the independent verifier's verdict; exit 1 when it is illegal.
#include <iostream>
#include <memory>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "host/heuristics.hpp"
#include "host/verify.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"
#include "tools/report.hpp"

namespace gaus::cli {

namespace {

struct ScheduleOptions {
  ProblemOptions problem;
  std::string method = "list";
  std::int32_t horizon = 0;
  std::int32_t ii = 0;
  std::string out;
};

/// Runs a heuristic. `ii` > 0 asks for a modulo schedule at that II; for `list` on a problem with
/// loop-carried edges and no II, the smallest II is searched.
Schedule run_method(const Problem& p, const ScheduleOptions& o, std::string& label) {
  const std::int32_t horizon = o.horizon > 0 ? o.horizon : p.horizon;
  const std::int32_t ii = o.ii > 0 ? o.ii : p.ii;
  label = o.method;
  if (o.method == "asap") return asap_schedule(p);
  if (o.method == "alap") return alap_schedule(p, horizon);
  if (o.method == "fds") return force_directed_schedule(p, horizon);
  ListOptions lo;
  lo.horizon = horizon;
  if (ii > 0) {
    auto s = modulo_list_schedule(p, ii, lo);
    if (!s)
      throw InfeasibleError("modulo list scheduling found no legal schedule at II=" +
                            std::to_string(ii) + " (try a larger --ii, or omit it to search)");
    label = "list (modulo)";
    return *s;
  }
  if (p.num_loop_carried() > 0) {
    ModuloResult r = find_min_ii_schedule(p, lo);
    label = "list (modulo, II searched from " + std::to_string(r.mii) + ")";
    return r.schedule;
  }
  return list_schedule(p, lo);
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("schedule", "Schedule a problem and write the verified result");
  auto o = std::make_shared<ScheduleOptions>();
  add_problem_options(cmd, o->problem);
  cmd->add_option("--method", o->method, "asap|alap|list|fds")
      ->check(CLI::IsMember({"asap", "alap", "list", "fds"}))
      ->capture_default_str();
  cmd->add_option("--horizon", o->horizon, "Horizon D in cycles (default: the file's, else the critical path)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--ii", o->ii, "Initiation interval for a modulo schedule (list method)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--out", o->out, "Schedule JSON to write")->required();
  cmd->callback([o] {
    check_writable(o->out);  // fail before any work
    const Problem p = load_problem(o->problem);
    std::string label;
    const Schedule s = run_method(p, *o, label);
    const VerifyResult v = verify(p, s, 20);
    const auto report = schedule_report(p, o->problem.file, label, s, v);
    write_file_atomic(o->out, report.dump(1) + "\n");
    std::cout << summary_line(report) << " -> " << o->out << "\n";
    if (!v.legal) exit_code() = 1;
  });
}

}  // namespace gaus::cli
