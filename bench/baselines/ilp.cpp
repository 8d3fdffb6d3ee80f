// gaus_ilp: the exact baseline. The time-indexed ILP of host/ilp/model.hpp solved by CBC through
// the prover of host/ilp/prove.hpp (CbcMain's cuts, heuristics and preprocessing), for the
// problems bench/gausbench/baselines/cpsat.py models:
//
//   gaus_ilp FILE --problem rcs|A|B [--horizon D] [--time-limit S] [--threads N]
//            [--start auto|asap|list|fds|none|S.json] [--max-nonzeros N]
//            [problem options of `gaus`] [--out S.json]
//
// Horizon by default: rcs the list-scheduling latency (list's schedule is the MIP start; the
// model carries the latency lower bound of host/bounds/latency_bound.hpp), A the file's D, else
// the number of levels, B the file's D, else the critical path (A and B start from ASAP, as
// cpsat.py does). `--start none` runs CBC cold (no MIP start); `--start S.json` starts from a
// schedule file (e.g. what `gaus schedule` wrote), at its latency (rcs) or horizon (A, B) unless
// --horizon is given: with and without, the warm start's effect on the proof is measured.
// Writes the `gaus schedule` report (verifier verdict, objectives, starts, horizon) plus
// "problem", "status", "objective" (exact, recomputed from the starts), "bound" (the best proven
// bound), "optimal", "time_s", "build_s", "model" (sizes) and "history". Exit 0 with a legal
// schedule, 1 when none was found (or the model is infeasible / too large), 2 on bad input.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <limits>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "graphs/file_io.hpp"
#include "graphs/schedule_json.hpp"
#include "host/bounds/latency_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/ilp/budget.hpp"
#include "host/ilp/model.hpp"
#include "host/ilp/prove.hpp"
#include "host/verify/verify.hpp"
#include "tools/problem_options.hpp"
#include "tools/report.hpp"

namespace gaus::ilp {
namespace {

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

Formulation formulation_of(Kind kind) {
  return kind == Kind::Rcs ? Formulation::Rcs : kind == Kind::A ? Formulation::A : Formulation::B;
}

/// The MIP start: `start` (asap, list, fds at the horizon, a schedule file), or by default list
/// for rcs and ASAP for A and B; empty for none.
Schedule start_schedule(const Problem& p, Kind kind, const std::string& start,
                        std::int32_t horizon) {
  if (start == "none") return {};
  if (start != "auto" && start != "asap" && start != "list" && start != "fds") {
    Schedule s = parse_schedule_json(read_file(start), start, p);
    if (horizon > 0) s.horizon = horizon;
    else if (kind == Kind::Rcs || s.horizon <= 0) s.horizon = schedule_latency(p, s);
    return s;
  }
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
  const bool from_file = o.start != "auto" && o.start != "asap" && o.start != "list" &&
                         o.start != "fds" && o.start != "none";
  const std::int32_t horizon =
      o.horizon > 0 ? o.horizon : from_file ? 0 : default_horizon(p, kind);
  const Schedule init = start_schedule(p, kind, o.start, horizon);
  const bool init_legal = !init.start.empty() && verify(p, init, 1).legal;
  const double init_obj = init.start.empty() ? 0 : exact_objective(p, kind, init);

  ProveOptions po;
  po.seconds = o.time_limit - seconds_since(t0);
  po.threads = o.threads;
  po.horizon = horizon > 0 ? horizon : init.horizon;
  po.use_start = !init.start.empty();
  po.max_nonzeros = o.max_nonzeros;
  po.verbose = o.verbose;
  po.cbc_parameters = o.cbc;
  if (kind == Kind::Rcs) po.lower_bound = latency_lower_bound(p).value;
  const double setup_s = seconds_since(t0);
  const ProveResult r = prove(p, formulation_of(kind), init, po);
  const double time_s = seconds_since(t0);
  if (r.status.rfind("model too large", 0) == 0) throw ModelTooLarge(r.status);
  if (!r.have) {
    std::cerr << "gaus_ilp: " << (r.infeasible ? "infeasible" : "no schedule found") << " at D="
              << r.horizon << " (" << r.status << ")\n";
    return 1;
  }
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  if (init_legal) history.push_back({{"time_s", setup_s}, {"objective", init_obj}});
  if (!init_legal || r.objective < init_obj)
    history.push_back({{"time_s", time_s}, {"objective", r.objective}});
  const VerifyResult v = verify(p, r.schedule, 20);
  auto report = cli::schedule_report(p, o.problem.file, "ilp", r.schedule, v);
  report["problem"] = o.kind;
  report["status"] = r.status;
  report["objective"] = r.objective;
  report["bound"] = std::isnan(r.lower_bound) ? nlohmann::ordered_json()
                                              : nlohmann::ordered_json(r.lower_bound);
  report["optimal"] = r.optimal && v.legal;
  report["start"] = {{"kind", o.start}, {"legal", init_legal},
                     {"objective", init.start.empty() ? nlohmann::ordered_json()
                                                      : nlohmann::ordered_json(init_obj)}};
  report["time_s"] = time_s;
  report["build_s"] = setup_s + r.build_s;
  report["model"] = {{"horizon", r.horizon}, {"columns", r.columns}, {"rows", r.rows},
                     {"nonzeros", r.nonzeros}};
  report["history"] = std::move(history);
  const std::string text = report.dump(1) + "\n";
  if (o.out.empty()) {
    std::cout << text;
  } else {
    write_file_atomic(o.out, text);
    std::cout << "ilp " << o.kind << ": " << r.status << ", objective " << r.objective
              << ", bound " << report["bound"].dump() << ", " << time_s << " s -> " << o.out
              << "\n";
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
                 "D (default: rcs the list latency, or a start file's; A/B the file's, else levels (A) or "
                 "critical path (B))")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--time-limit", o.time_limit, "Seconds in all (model building included)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--threads", o.threads, "CBC threads")->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-nonzeros", o.max_nonzeros, "Refuse models larger than this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--start", o.start,
                 "MIP start: auto (rcs list, A/B asap)|asap|list|fds|none (cold)|a schedule JSON")
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
