// gaus schedule FILE --method asap|alap|list|fds|gaus [--horizon D] [--ii N] --out S.json
//   gaus: --formulation A|B|C|rcs [--slack X] [--time-limit S] [--iterations N] [--restarts R]
//         [--seed N] [--init midpoint|list|alap] [--no-anneal] [--no-cut]
//         [--backend auto|cpu|cuda] [--prove SECONDS]; the R restarts run side by side in one
//         batch; --prove hands the best schedule to the exact prover (tools/prove_step.hpp)
// Every schedule written carries the independent verifier's verdict; exit 1 when it is illegal.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "graphs/chaining.hpp"
#include "graphs/file_io.hpp"
#include "host/loss/cuda/device.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"
#include "host/verify/verify.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"
#include "tools/progress_bar.hpp"
#include "tools/prove_step.hpp"
#include "tools/report.hpp"
#include "tools/ssp_commands.hpp"
#include "tools/time_budget.hpp"
#include "tools/validators.hpp"

namespace gaus::cli {

namespace {

struct ScheduleOptions {
  ProblemOptions problem;
  std::string method = "list";
  std::int32_t horizon = 0;
  std::int32_t ii = 0;
  std::string out;
  // --method gaus
  std::string formulation = "rcs";
  std::int32_t slack = 0;
  double time_limit = 10;
  std::int64_t iterations = 0;  ///< 0: the solver's defaults
  std::int32_t restarts = 1;
  std::uint64_t seed = 1;
  std::string backend = "auto";
  std::string init = "midpoint";
  bool no_anneal = false;
  bool no_cut = false;
  bool profile = false;
  double prove = 0;  ///< --prove SECONDS (0: no proof)
  std::string last_op;  ///< SSP: the op whose start is minimized
};

/// Set by SIGINT during a solve: the solver stops at its next check and the best legal schedule
/// so far is written, marked "interrupted". A second Ctrl-C kills the process (SA_RESETHAND).
std::atomic<bool> g_interrupted{false};
extern "C" void on_sigint(int) { g_interrupted.store(true); }

struct SigintGuard {
  struct sigaction old {};
  SigintGuard() {
    struct sigaction sa {};
    sa.sa_handler = on_sigint;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
  }
  ~SigintGuard() { sigaction(SIGINT, &old, nullptr); }
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;
};

/// --method gaus: the gradient solver, on what the process's time limit leaves
/// (tools/time_budget.hpp). Progress goes to stderr (tools/progress_bar.hpp).
SolveResult run_gaus(const Problem& p, const ScheduleOptions& o) {
  SolveOptions so;
  so.formulation = parse_formulation(o.formulation);
  so.backend = parse_solver_backend(o.backend);
  so.horizon = o.horizon;
  so.ii = o.ii;
  so.slack = o.slack;
  so.time_limit_s =
      solver_budget_s(o.time_limit, process_elapsed_s(), p.num_ops(), p.num_edges());
  if (o.iterations > 0) {
    so.max_iterations = o.iterations;
    so.rcs_iterations = o.iterations;
  }
  so.restarts = o.restarts;
  so.seed = o.seed;
  so.init = o.init == "list"   ? SolverInit::List
            : o.init == "alap" ? SolverInit::Alap
                               : SolverInit::Midpoint;
  so.anneal = !o.no_anneal;
  so.cut = !o.no_cut;
  // The bar's clock is the process's: the time it shows runs against the whole limit.
  const double offset = process_elapsed_s();
  ProgressBar bar(stderr, isatty(fileno(stderr)) != 0, o.time_limit,
                  objective_name(so.formulation));
  so.progress = [&bar, offset](const Progress& pr) {
    Progress shown = pr;
    shown.time_s += offset;
    bar.update(shown);
    return !g_interrupted.load();
  };
  SigintGuard guard;
  const ProfileRegion region("gaus schedule: solve", o.profile);
  SolveResult r = solve(p, so);
  bar.finish();
  return r;
}

nlohmann::ordered_json solver_json(const SolveResult& r, const std::string& formulation) {
  nlohmann::ordered_json j;
  j["formulation"] = formulation;
  j["backend"] = r.backend;
  j["status"] = r.status;
  j["objective"] = r.objective;
  j["lower_bound"] = std::isfinite(r.lower_bound) ? nlohmann::ordered_json(r.lower_bound)
                                                  : nlohmann::ordered_json();
  const double gap = r.legal ? optimality_gap(r.objective, r.lower_bound)
                             : std::numeric_limits<double>::quiet_NaN();
  j["gap"] = std::isnan(gap) ? nlohmann::ordered_json() : nlohmann::ordered_json(gap);
  j["optimal"] = r.optimal;
  j["iterations"] = r.iterations;
  j["time_s"] = r.time_s;
  nlohmann::ordered_json h = nlohmann::ordered_json::array();
  for (const HistoryPoint& x : r.history)
    h.push_back({{"time_s", x.time_s}, {"iteration", x.iteration}, {"restart", x.restart},
                 {"objective", x.objective}});
  j["history"] = std::move(h);
  nlohmann::ordered_json best = nlohmann::ordered_json::array();
  for (double b : r.restarts.best)
    best.push_back(std::isnan(b) ? nlohmann::ordered_json() : nlohmann::ordered_json(b));
  // Over the restarts with a legal schedule: null when none had one (or none ran, out of time).
  auto over_legal = [&](double x) {
    return r.restarts.legal > 0 ? nlohmann::ordered_json(x) : nlohmann::ordered_json();
  };
  j["restarts"] = {{"count", r.restarts.count}, {"extra", r.restarts.extra},
                   {"legal", r.restarts.legal},
                   {"min", over_legal(r.restarts.min)}, {"median", over_legal(r.restarts.median)},
                   {"max", over_legal(r.restarts.max)}, {"best", std::move(best)}};
  return j;
}

/// "peak memory 276 (lower bound 248, gap 10.1%)", "latency 12 (optimal)", "peak memory 248
/// (optimal at horizon 40)" (A, B and C are optimal at their horizon): the formulation's
/// objective, for the summary line; empty without a legal schedule.
std::string objective_summary(const SolveResult& r, Formulation f) {
  if (!r.legal) return "";
  std::string s = std::string(objective_name(f)) + " " + format_number(r.objective);
  if (r.optimal)
    return s + (f == Formulation::Rcs ? " (optimal)"
                                      : " (optimal at horizon " + std::to_string(r.horizon) + ")");
  if (std::isnan(r.lower_bound)) return s + " (no lower bound)";
  return s + " (lower bound " + format_number(r.lower_bound) + ", gap " +
         format_gap(optimality_gap(r.objective, r.lower_bound)) + ")";
}

/// ", restarts R: best x, median y, worst z" when more than one ran (the spread across them).
std::string restart_spread(const RestartSummary& r) {
  if (r.count <= 1) return "";
  auto num = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", x);
    return std::string(buf);
  };
  std::string s = ", restarts " + std::to_string(r.count);
  if (r.extra > 0) s += " (" + std::to_string(r.extra) + " on the time left)";
  if (r.legal == 0) return s + ": none legal";
  s += ": best " + num(r.min) + ", median " + num(r.median) + ", worst " + num(r.max);
  if (r.legal < r.count) s += " (" + std::to_string(r.legal) + " legal)";
  return s;
}

}  // namespace

void add_schedule_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("schedule", "Schedule a problem and write the verified result");
  auto o = std::make_shared<ScheduleOptions>();
  add_problem_options(cmd, o->problem);
  auto* method = cmd->add_option("--method", o->method,
                                 "asap|alap|list|fds|gaus (SSP input: gaus unless list)")
                     ->check(CLI::IsMember({"asap", "alap", "list", "fds", "gaus"}))
                     ->capture_default_str();
  cmd->add_option("--horizon", o->horizon, "Horizon D in cycles (default: the file's, else the critical path)")
      ->check(whole_in(0));
  cmd->add_option("--ii", o->ii,
                  "Initiation interval for a modulo schedule (list method, gaus formulation C)")
      ->check(whole_in(0));
  cmd->add_option("--out", o->out,
                  "Schedule JSON to write (SSP input: .mlir, every instance with its schedule, "
                  "or .json, a report per instance)")
      ->required();
  cmd->add_option("--last-op", o->last_op,
                  "SSP: the operation (symbol) whose start is minimized, after the II (default: "
                  "the last operation of each graph)");
  cmd->add_option("--formulation", o->formulation, "gaus: A|B|C|rcs")
      ->check(CLI::IsMember({"A", "B", "C", "rcs"}))
      ->capture_default_str();
  cmd->add_option("--slack", o->slack, "gaus: cycles added to the default horizon")
      ->check(whole_in(0));
  cmd->add_option("--time-limit", o->time_limit,
                  "gaus: wall seconds for the whole run, reading and writing included (the "
                  "process ends before them); restarts continue until the solver's share runs "
                  "out or its best schedule meets a proven lower bound; inf: exactly --restarts "
                  "restarts, reproducible. fds: the ops still free at the limit go to their "
                  "earliest steps")
      ->check(number_above(0, false, true))
      ->capture_default_str();
  cmd->add_option("--iterations", o->iterations,
                  "gaus: Adam steps per restart, rcs: per horizon tried (0: 2000, rcs 300)")
      ->check(whole_in(0, 9223372036854775807LL))
      ->capture_default_str();
  cmd->add_option("--restarts", o->restarts,
                  "gaus: restarts run side by side in one batch (CPU: in parallel threads on "
                  "small graphs); the output gives each one's best and their spread")
      ->check(whole_in(1))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "gaus: seed of the restarts' jitter")
      ->check(whole_in(0, 9223372036854775807LL))
      ->capture_default_str();
  cmd->add_option("--init", o->init,
                  "gaus: initial mu: midpoint (of the ASAP/ALAP frame at D), list (a list "
                  "schedule's starts) or alap")
      ->check(CLI::IsMember({"midpoint", "list", "alap"}))
      ->capture_default_str();
  cmd->add_flag("--no-anneal", o->no_anneal,
                "gaus A/B/C: skip the annealing of the best schedules (descent and "
                "legalization only)");
  cmd->add_flag("--no-cut", o->no_cut,
                "gaus B: skip the Lagrangian minimum cuts (their schedules and lower bound)");
  cmd->add_flag("--profile", o->profile,
                "gaus: bracket the solve with cudaProfilerStart/Stop and an NVTX range for Nsight");
  cmd->add_option("--backend", o->backend, "gaus: auto|cpu|cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  cmd->add_option("--prove", o->prove,
                  "gaus rcs/A/B: after the solve, up to SECONDS more for the exact ILP (CBC), "
                  "started from the best schedule, to prove it optimal or improve it; the "
                  "process ends within --time-limit + SECONDS")
      ->check(number_above(0, true));
  cmd->callback([o, method] {
    if (is_ssp_input(o->problem)) {
      if (method->count() > 0 && o->method != "gaus" && o->method != "list")
        throw InputError("an SSP input is scheduled with --method gaus (the default) or list");
      if (o->horizon > 0 || o->ii > 0 || o->formulation != "rcs")
        throw InputError("an SSP input is scheduled by its problem class (the smallest II, then "
                         "the last op's start): --horizon, --ii and --formulation do not apply");
      schedule_ssp_file(o->problem, SspScheduleOptions{.out = o->out,
                                                       .last_op = o->last_op,
                                                       .gradient = !(method->count() > 0 &&
                                                                     o->method == "list"),
                                                       .time_limit = o->time_limit,
                                                       .seed = o->seed,
                                                       .prove = o->prove});
      return;
    }
    if (!o->last_op.empty()) throw InputError("--last-op applies to SSP input (.mlir)");
    if (o->prove > 0) {
      if (o->method != "gaus") throw InputError("--prove needs --method gaus");
      check_prove();
    }
    check_writable(o->out);  // fail before any work
    const Problem p = load_problem(o->problem);
    std::string label;
    Schedule s;
    nlohmann::ordered_json extra;
    std::string spread, objective;
    if (o->method == "gaus") {
      SolveResult r = run_gaus(p, *o);
      nlohmann::ordered_json proof;
      if (o->prove > 0) {
        const SigintGuard guard;
        proof = prove_step(p, parse_formulation(o->formulation), r, o->prove,
                           o->time_limit + o->prove, [] { return g_interrupted.load(); });
      }
      s = r.schedule;
      label = "gaus " + o->formulation;
      extra = solver_json(r, o->formulation);
      if (r.ii > 0 && o->formulation == "C") {
        const nlohmann::ordered_json ii = ii_proof_json(p, r, proof);
        for (const auto& [k, v] : ii.items()) extra[k] = v;
      }
      if (!proof.is_null()) extra["prove"] = std::move(proof);
      spread = restart_spread(r.restarts);
      objective = objective_summary(r, parse_formulation(o->formulation));
    } else {
      s = run_heuristic(p, o->method, o->horizon, o->ii, o->time_limit, label);
    }
    set_start_times_in_cycle(p, s);
    const VerifyResult v = verify(p, s, 20);
    auto report = schedule_report(p, o->problem.file, label, s, v);
    for (auto& [k, val] : extra.items()) report[k] = val;
    const bool interrupted = g_interrupted.load();
    if (interrupted) report["interrupted"] = true;
    write_file_atomic(o->out, report.dump(1) + "\n");
    std::cout << summary_line(report, objective) << spread << (interrupted ? " (interrupted)" : "")
              << " -> "
              << o->out << "\n";
    if (!v.legal) exit_code() = 1;
    if (interrupted) exit_code() = 130;  // the shell's code for SIGINT, after writing the result
  });
}

}  // namespace gaus::cli
