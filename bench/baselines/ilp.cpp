// gaus_ilp: the exact baseline. The time-indexed ILP of bench/baselines/ilp_model.hpp solved by
// CBC (COIN-OR branch and cut, through its C interface: CbcMain's cuts, heuristics and
// preprocessing), for the problems bench/gausbench/baselines/cpsat.py models:
//
//   gaus_ilp FILE --problem rcs|A|B [--horizon D] [--time-limit S] [--threads N]
//            [--start auto|asap|list|fds] [--max-nonzeros N] [problem options of `gaus`]
//            [--out S.json]
//
// Horizon by default: rcs the list-scheduling latency (list's schedule is the MIP start),
// A the file's D, else the number of levels, B the file's D, else the critical path (A and B
// start from ASAP, as cpsat.py does).
// Writes the `gaus schedule` report (verifier verdict, objectives, starts, horizon) plus
// "problem", "status", "objective" (exact, recomputed from the starts), "bound" (CBC's best
// bound), "optimal", "time_s", "build_s", "model" (sizes) and "history". Exit 0 with a legal
// schedule, 1 when none was found (or the model is infeasible / too large), 2 on bad input.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>

#include "bench/baselines/ilp_cbc.hpp"
#include "bench/baselines/ilp_model.hpp"
#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "graphs/file_io.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/verify.hpp"
#include "tools/problem_options.hpp"
#include "tools/report.hpp"

namespace gaus::ilp {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Options {
  cli::ProblemOptions problem;
  std::string kind = "rcs";
  std::int32_t horizon = 0;
  double time_limit = 60;
  int threads = 1;
  std::int64_t max_nonzeros = 20'000'000;
  std::string start = "auto";
  std::vector<std::string> cbc;
  std::string out;
  bool verbose = false;
};

/// The MIP start: `start` (asap, list, fds at the horizon), or by default list for rcs and
/// ASAP for A and B.
Schedule start_schedule(const Problem& p, Kind kind, const std::string& start,
                        std::int32_t horizon) {
  const std::string how = start != "auto" ? start : kind == Kind::Rcs ? "list" : "asap";
  Schedule s = how == "list" ? list_schedule(p)
               : how == "fds" ? force_directed_schedule(p, horizon)
                              : asap_schedule(p);
  s.horizon = horizon;
  return s;
}

std::int32_t default_horizon(const Problem& p, Kind kind) {
  if (kind == Kind::Rcs) return schedule_latency(p, list_schedule(p));
  if (p.horizon > 0) return p.horizon;  // the file's own D
  if (kind == Kind::A) return analyze(p).num_levels;
  return critical_path(p);
}

int run(const Options& o) {
  const auto t0 = Clock::now();
  if (!o.out.empty()) check_writable(o.out);
  const Kind kind = parse_kind(o.kind);
  const Problem p = cli::load_problem(o.problem);
  const std::int32_t horizon = o.horizon > 0 ? o.horizon : default_horizon(p, kind);
  const Model m = build_model(p, kind, horizon, o.max_nonzeros);
  const Schedule init = start_schedule(p, kind, o.start, m.horizon);
  const bool init_legal = verify(p, init, 1).legal;  // list may overshoot a --horizon given
  const double init_obj = exact_objective(p, kind, init);
  const double build_s = seconds_since(t0);
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  if (init_legal) history.push_back({{"time_s", build_s}, {"objective", init_obj}});
  // an illegal start (list past a given --horizon, fds under unit limits) is still offered:
  // CBC repairs or drops it

  CbcOptions co;
  co.seconds = o.time_limit - build_s;
  // CBC checks its clock between nodes and cut passes, not inside an LP: a hard stop after
  // a grace period of 10% (at least 5 s), then the start is the answer
  co.deadline_s = co.seconds + std::max(5.0, 0.1 * o.time_limit);
  co.threads = o.threads;
  co.verbose = o.verbose;
  co.extra = o.cbc;
  const CbcResult r = solve_cbc(m, encode(p, m, kind, init), co);
  const double time_s = seconds_since(t0);
  Schedule best;
  bool have = false;
  double best_obj = 0;
  if (r.have) {
    best = decode(p, m, r.x.data());
    have = verify(p, best, 1).legal;
    best_obj = exact_objective(p, kind, best);
  }
  std::string note;
  if (r.have && !have) note = "CBC's solution failed the verifier; the MIP start is reported";
  bool from_cbc = have;
  if (init_legal && (!have || init_obj < best_obj)) {  // CBC dropped or lost the start
    best = init;
    best_obj = init_obj;
    have = true;
    from_cbc = false;
  }
  if (!have) {
    std::cerr << "gaus_ilp: " << (r.infeasible ? "infeasible" : "no schedule found") << " at D="
              << m.horizon << " (" << r.status << ")\n";
    return 1;
  }
  if (best_obj < init_obj || !init_legal)
    history.push_back({{"time_s", time_s}, {"objective", best_obj}});
  // CBC's bound is of its objective: rounded up when every objective value is an integer.
  // Optimal: the schedule reaches the bound (CBC may prove the MIP start optimal and return no
  // solution of its own).
  double bound = r.bound + m.obj_offset;
  if (std::isfinite(bound) && m.integral) bound = std::ceil(bound - 1e-6);
  if (r.optimal && from_cbc) bound = best_obj;
  const bool optimal = std::isfinite(bound) && best_obj <= bound + 1e-6 * std::max(1.0, best_obj);
  if (std::isfinite(bound)) bound = std::min(bound, best_obj);
  const VerifyResult v = verify(p, best, 20);
  auto report = cli::schedule_report(p, o.problem.file, "ilp", best, v);
  report["problem"] = o.kind;
  report["status"] = r.status;
  report["objective"] = best_obj;
  report["bound"] = std::isfinite(bound) ? nlohmann::ordered_json(bound) : nlohmann::ordered_json();
  report["optimal"] = optimal && v.legal;
  report["start"] = {{"legal", init_legal}, {"objective", init_obj}};
  report["time_s"] = time_s;
  report["build_s"] = build_s;
  report["model"] = {{"columns", m.num_cols()}, {"rows", m.num_rows()},
                     {"nonzeros", m.num_nonzeros()}};
  report["history"] = std::move(history);
  if (!note.empty()) report["note"] = note;
  const std::string text = report.dump(1) + "\n";
  if (o.out.empty()) {
    std::cout << text;
  } else {
    write_file_atomic(o.out, text);
    std::cout << "ilp " << o.kind << ": " << r.status << ", objective " << best_obj << ", bound "
              << report["bound"].dump() << ", " << time_s << " s -> " << o.out << "\n";
  }
  return v.legal ? 0 : 1;
}

}  // namespace
}  // namespace gaus::ilp

int main(int argc, char** argv) {
  CLI::App app{"gaus_ilp: time-indexed ILP (CBC) for rcs, A, B: the exact baseline"};
  gaus::ilp::Options o;
  gaus::cli::add_problem_options(&app, o.problem);
  app.add_option("--problem", o.kind, "rcs|A|B")
      ->check(CLI::IsMember({"rcs", "A", "B"}))
      ->capture_default_str();
  app.add_option("--horizon", o.horizon,
                 "D (default: rcs the list latency; A/B the file's, else levels (A) or critical path (B))")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--time-limit", o.time_limit, "Seconds in all (model building included)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CBC threads")->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-nonzeros", o.max_nonzeros, "Refuse models larger than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--start", o.start, "MIP start: auto (rcs list, A/B asap)|asap|list|fds")
      ->check(CLI::IsMember({"auto", "asap", "list", "fds"}))
      ->capture_default_str();
  app.add_option("--cbc", o.cbc, "NAME=VALUE: a CbcMain parameter (e.g. cuts=off), repeatable");
  app.add_option("--out", o.out, "Schedule JSON to write (default: stdout)");
  app.add_flag("--verbose", o.verbose, "CBC's log on stdout");
  try {
    app.parse(argc, argv);
    return gaus::ilp::run(o);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const gaus::ilp::ModelTooLarge& e) {
    std::cerr << "gaus_ilp: too large: " << e.what() << "\n";
    return 1;
  } catch (const gaus::InfeasibleError& e) {
    std::cerr << "gaus_ilp: infeasible: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "gaus_ilp: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "gaus_ilp: " << e.what() << "\n";
    return 2;
  }
}
