// gaus.solve: the gradient solver with the GIL released. The solver's progress callback (after
// every legalization, and every 0.2 s or so while annealing) takes the GIL back to check for
// Ctrl-C (PyErr_CheckSignals) and to call the user's `progress`; either stops the solve, and a
// pending KeyboardInterrupt (or the callback's own exception) is raised once solve() returned.
// With `prove` > 0 the proof step of host/ilp/prove_solution.hpp follows (where CBC was found at
// build time), Ctrl-C checked the same way.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "gaus/gaus.hpp"
#include "host/solver/ii_proof.hpp"
#ifdef GAUS_HAS_CBC
#include "host/ilp/prove_solution.hpp"
#endif
#include "python/src/bindings.hpp"
#include "python/src/outcome.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace gaus::py {

namespace {

SolverInit parse_init(const std::string& s) {
  if (s == "midpoint") return SolverInit::Midpoint;
  if (s == "list") return SolverInit::List;
  if (s == "alap") return SolverInit::Alap;
  throw InputError("init '" + s + "': expected midpoint, list or alap");
}

nb::object finite_or_none(double x) {
  return std::isfinite(x) ? nb::object(nb::float_(x)) : nb::none();
}

nb::dict solve_problem(const Problem& p, const std::string& formulation, const std::string& backend,
                       std::int32_t horizon, std::int32_t slack, std::int32_t ii, double time_limit,
                       std::int64_t iterations, std::int32_t restarts, std::uint64_t seed,
                       const std::string& init, bool anneal, bool cut, nb::object progress,
                       double prove) {
#ifndef GAUS_HAS_CBC
  if (prove > 0)
    throw InputError("prove: this gaus was built without CBC (install coinor-libcbc-dev and "
                     "reinstall)");
#endif
  SolveOptions so;
  so.formulation = parse_formulation(formulation);
  so.backend = parse_solver_backend(backend);
  so.horizon = horizon;
  so.slack = slack;
  so.ii = ii;
  so.time_limit_s = time_limit;
  if (iterations > 0) {  // as the command's --iterations: both budgets
    so.max_iterations = iterations;
    so.rcs_iterations = iterations;
  }
  so.restarts = restarts;
  so.seed = seed;
  so.init = parse_init(init);
  so.anneal = anneal;
  so.cut = cut;

  std::optional<nb::python_error> error;  // a KeyboardInterrupt or the callback's exception
  so.progress = [&](const Progress& pr) {
    nb::gil_scoped_acquire gil;
    if (error) return false;
    if (PyErr_CheckSignals() != 0) {
      error.emplace();
      return false;
    }
    if (progress.is_none()) return true;
    try {
      const nb::object r = progress(pr);
      return r.is_none() || nb::cast<bool>(r);
    } catch (nb::python_error& e) {
      error.emplace(std::move(e));
      return false;
    }
  };

  SolveResult r;
  Outcome o;
  nlohmann::ordered_json proof;
  {
    nb::gil_scoped_release release;
    r = solve(p, so);
#ifdef GAUS_HAS_CBC
    if (prove > 0 && !error)  // Ctrl-C checked as during the solve
      proof = prove_solution(p, so.formulation, r, prove, [&] {
        nb::gil_scoped_acquire gil;
        if (!error && PyErr_CheckSignals() != 0) error.emplace();
        return error.has_value();
      });
#endif
    o = make_outcome(p, r.schedule, "gaus " + std::string(to_string(so.formulation)));
  }
  if (error) throw std::move(*error);

  nb::dict d = to_dict(std::move(o));
  d["formulation"] = to_string(so.formulation);
  d["backend"] = r.backend;
  d["status"] = r.status;
  d["objective"] = r.objective;
  d["lower_bound"] = finite_or_none(r.lower_bound);
  d["gap"] = r.legal ? finite_or_none(optimality_gap(r.objective, r.lower_bound)) : nb::none();
  d["optimal"] = r.optimal;
  d["iterations"] = r.iterations;
  d["time_s"] = r.time_s;
  d["solve_horizon"] = r.horizon;
  nb::list history;
  for (const HistoryPoint& h : r.history) {
    nb::dict x;
    x["time_s"] = h.time_s;
    x["iteration"] = h.iteration;
    x["restart"] = h.restart;
    x["objective"] = h.objective;
    history.append(x);
  }
  d["history"] = history;
  nb::dict rs;
  const bool any_legal = r.restarts.legal > 0;
  rs["count"] = r.restarts.count;
  rs["extra"] = r.restarts.extra;
  rs["legal"] = r.restarts.legal;
  rs["min"] = any_legal ? nb::object(nb::float_(r.restarts.min)) : nb::none();
  rs["median"] = any_legal ? nb::object(nb::float_(r.restarts.median)) : nb::none();
  rs["max"] = any_legal ? nb::object(nb::float_(r.restarts.max)) : nb::none();
  nb::list best;
  for (double b : r.restarts.best) best.append(finite_or_none(b));
  rs["best"] = best;
  d["restarts"] = rs;
  if (so.formulation == Formulation::C && r.ii > 0) {
    const IiProof x = ii_proof(p, r.ii, r.legal,
                               proof.contains("ii_lower_bound")
                                   ? proof["ii_lower_bound"].get<std::int32_t>() : 0);
    d["ii_lower_bound"] = x.lower_bound;
    d["ii_proven_minimal"] = x.proven_minimal;
  }
  if (!proof.is_null()) d["prove"] = nb::module_::import_("json").attr("loads")(proof.dump());
  return d;
}

}  // namespace

void bind_solve(nb::module_& m) {
  nb::class_<Progress>(m, "Progress",
                       "Passed to solve's `progress` callback after every legalization.")
      .def_ro("restart", &Progress::restart, "Restart index.")
      .def_ro("iteration", &Progress::iteration,
              "Adam step within the restart (rcs: within the current horizon).")
      .def_ro("time_s", &Progress::time_s, "Seconds since the solve started.")
      .def_ro("loss", &Progress::loss, "Loss of the last evaluation (NaN while annealing).")
      .def_ro("have_legal", &Progress::have_legal, "A legal schedule has been found.")
      .def_ro("best_objective", &Progress::best_objective,
              "Exact objective of the best legal schedule (lower is better).")
      .def_ro("horizon", &Progress::horizon, "Horizon D being solved.")
      .def_ro("ii", &Progress::ii, "II being solved (0: not modulo).")
      .def_prop_ro(
          "lower_bound", [](const Progress& p) { return finite_or_none(p.lower_bound); },
          "The proven lower bound on the objective so far (None: none yet).")
      .def_prop_ro(
          "stage", [](const Progress& p) { return std::string(p.stage); },
          "The step that reported: start, bound, descent, cuts, annealing or repair.")
      .def("__repr__", [](const Progress& p) {
        return "<gaus.Progress restart " + std::to_string(p.restart) + " iteration " +
               std::to_string(p.iteration) + " D=" + std::to_string(p.horizon) + " " +
               (p.have_legal ? "best " + std::to_string(p.best_objective) : "no legal yet") + ">";
      });
  m.def("solve", &solve_problem, "problem"_a, "formulation"_a, "backend"_a, "horizon"_a, "slack"_a,
        "ii"_a, "time_limit"_a, "iterations"_a, "restarts"_a, "seed"_a, "init"_a, "anneal"_a,
        "cut"_a, "progress"_a.none(), "prove"_a);
}

}  // namespace gaus::py
