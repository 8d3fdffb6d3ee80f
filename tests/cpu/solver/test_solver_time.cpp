// The solver's use of its time limit and its failure cases: a finite limit is filled with further
// restarts (an infinite one runs exactly the planned ones), the lower bounds that end the
// restarts early hold, C's attempts at an II below IMS's find one, and runs that cannot succeed
// (no legal schedule at D, an II below its bounds, a class with no units, a time limit of 0)
// end with a clear verdict.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/analysis.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/heuristics/modulo_search.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver.hpp"
#include "host/solver/solver_detail.hpp"

#include "tests/cpu/small_graphs.hpp"

using namespace gaus;
using namespace gaus::test;
using gaus::test::check_legal;
using gaus::test::Net;

namespace {

constexpr double kForever = std::numeric_limits<double>::infinity();

SolveOptions timed(Formulation f, double limit) {
  SolveOptions o;
  o.formulation = f;
  o.backend = SolverBackend::Cpu;
  o.max_iterations = 60;
  o.rcs_iterations = 60;
  o.time_limit_s = limit;
  return o;
}


bool contains(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("solver time: a finite limit is filled with restarts, an infinite one runs R") {
  const Problem p = small_graph(21);
  SolveOptions o = timed(Formulation::B, kForever);
  o.restarts = 2;
  // Annealing's move budget follows the time left, so with it the two runs polish differently
  // and may end on different schedules of (nearly) equal memory; the claim below is about the
  // descents alone.
  o.anneal = false;
  const SolveResult planned = solve(p, o);
  REQUIRE(planned.legal);
  CHECK(planned.restarts.count == 2);
  CHECK(planned.restarts.extra == 0);
  CHECK(!contains(planned.status, "time left"));

  o.time_limit_s = 0.4;
  const SolveResult filled = solve(p, o);
  INFO("status: " << filled.status);
  REQUIRE(filled.legal);
  check_legal(p, filled.schedule);
  // The planned restarts are the same descents, so the extra ones can only add candidates.
  CHECK(filled.objective <= planned.objective);
  // The bound the solve proved (B: the counting and min-cut bounds) is what ends the restarts.
  CHECK(filled.lower_bound >= detail::objective_lower_bound(p, Formulation::B, filled.horizon, 0));
  if (filled.objective > filled.lower_bound) {
    CHECK(filled.restarts.extra > 0);
    CHECK(filled.restarts.count == 2 + filled.restarts.extra);
    CHECK(filled.restarts.best.size() == static_cast<std::size_t>(filled.restarts.count));
    CHECK(filled.time_s >= 0.4);
    CHECK(contains(filled.status, "on the time left"));
    CHECK(contains(filled.status, "time limit"));
  }
}

TEST_CASE("solver time: every formulation stays legal while filling the limit") {
  for (Formulation f : {Formulation::A, Formulation::C, Formulation::Rcs}) {
    CAPTURE(to_string(f));
    const Problem p = f == Formulation::C   ? small_graph(22, false, 0.1)
                      : f == Formulation::A ? small_graph(23, true)
                                            : small_graph(24);
    const SolveResult r = solve(p, timed(f, 0.3));
    INFO("status: " << r.status);
    REQUIRE(r.legal);
    check_legal(p, r.schedule);
    CHECK(r.objective == doctest::Approx(detail::exact_objective(p, f, r.schedule)));
    if (f == Formulation::C) CHECK(r.ii <= find_min_ii_schedule(p).schedule.ii);
    if (f == Formulation::Rcs) CHECK(r.objective <= schedule_latency(p, list_schedule(p)));
  }
}

TEST_CASE("solver time: a proven bound ends the restarts before the limit") {
  SUBCASE("rcs at the critical path") {
    // Unlimited units: the list schedule is ASAP, at the critical path already.
    Net n;
    const op_id a = n.op("add"), b = n.op("add"), c = n.op("mul", 2);
    n.edge(a, c);
    n.edge(b, c);
    const Problem q = n.build();
    const SolveResult r = solve(q, timed(Formulation::Rcs, 30));
    REQUIRE(r.legal);
    CHECK(r.objective == critical_path(q));
    CHECK(r.time_s < 5);
    CHECK(r.restarts.extra == 0);
    CHECK(contains(r.status, "meets the lower bound"));
    CHECK(r.optimal);
    CHECK(r.lower_bound == r.objective);
  }
  SUBCASE("rcs at a unit class's busy cycles with release times and tails") {
    // Six non-pipelined multiplies on one unit feed a chain of three adds: the unit is busy
    // 12 cycles from 0 and the last product still needs its 3 adds, so 15 is the bound, met by
    // the list schedule; the critical path is 5.
    Net n;
    std::vector<op_id> m;
    for (int k = 0; k < 6; ++k) m.push_back(n.op("mul", 2, 2));
    op_id prev = n.op("add");
    for (const op_id i : m) n.edge(i, prev);
    for (int k = 0; k < 2; ++k) {
      const op_id x = n.op("add");
      n.edge(prev, x);
      prev = x;
    }
    n.limit("mul", 1);
    const Problem q = n.build();
    const auto t0 = std::chrono::steady_clock::now();
    const SolveResult r = solve(q, timed(Formulation::Rcs, 30));
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(r.legal);
    CHECK(critical_path(q) == 5);
    CHECK(r.objective == 15);
    CHECK(r.lower_bound == 15);
    CHECK(r.optimal);
    CHECK(r.restarts.extra == 0);
    CHECK(took < 5);  // stopped at the bound, not at the 30-s limit
  }
  SUBCASE("rcs above its bound is not optimal") {
    const Problem q = small_graph(3);
    const SolveResult r = solve(q, timed(Formulation::Rcs, kForever));
    REQUIRE(r.legal);
    CHECK(r.lower_bound <= r.objective);
    CHECK(r.optimal == (r.objective <= r.lower_bound));
  }
  SUBCASE("B on a chain: every value lives one step") {
    Net n;
    op_id prev = n.op("add");
    for (int k = 0; k < 20; ++k) {
      const op_id x = n.op("add");
      n.edge(prev, x);
      prev = x;
    }
    for (op_id i = 0; i < n.b.num_ops(); ++i) n.b.set_out_size(i, 3.0);
    const Problem q = n.build();
    CHECK(detail::objective_lower_bound(q, Formulation::B, critical_path(q), 0) == 3.0);
    const SolveResult r = solve(q, timed(Formulation::B, 30));
    REQUIRE(r.legal);
    CHECK(r.objective == 3.0);
    CHECK(r.time_s < 5);
    CHECK(r.restarts.extra == 0);
    CHECK(contains(r.status, "meets the lower bound"));
    CHECK(r.optimal);
  }
}

TEST_CASE("solver time: the A, B and C lower bounds never exceed an achieved objective") {
  for (std::uint64_t seed = 31; seed <= 34; ++seed) {
    CAPTURE(seed);
    // Each bound is at the horizon the schedule fits in (unit limits may stretch the list
    // schedule past the level count).
    const Problem a = small_graph(seed, true);
    const Schedule s = list_schedule(a);
    const std::int32_t d = std::max(analyze(a).num_levels, schedule_latency(a, s));
    CHECK(detail::objective_lower_bound(a, Formulation::A, d, 0) <= formulation_a_score(a, s));
    CHECK(detail::objective_lower_bound(a, Formulation::A, d, 0) >= 100 * a.weight[0]);
    const Problem b = small_graph(seed);
    const Schedule t = list_schedule(b);
    const std::int32_t lat = schedule_latency(b, t);
    CHECK(detail::objective_lower_bound(b, Formulation::B, lat, 0) <= peak_memory(b, t));
    CHECK(detail::objective_lower_bound(b, Formulation::B, lat, 0) > 0);
    const Problem c = small_graph(seed, false, 0.1);
    const ModuloResult m = find_min_ii_schedule(c);
    CHECK(detail::objective_lower_bound(c, Formulation::C, 1000, m.schedule.ii) <=
          peak_memory_modulo(c, m.schedule, m.schedule.ii));
  }
  CHECK(detail::objective_lower_bound(ProblemBuilder("e").build(), Formulation::B, 5, 0) == 0);
}

TEST_CASE("solver time: failure cases end with a clear verdict") {
  SUBCASE("no legal schedule at D: the least-violating one, its violations, the time used") {
    Net n;
    for (int k = 0; k < 4; ++k) n.op("mul");
    n.limit("mul", 1);  // four ops on one unit need four steps
    const Problem p = n.build();
    SolveOptions o = timed(Formulation::B, 0.2);
    o.horizon = 2;
    const SolveResult r = solve(p, o);
    CHECK(!r.legal);
    CHECK(!r.verification.legal);
    CHECK(!r.verification.violations.empty());
    CHECK(r.schedule.start.size() == 4);
    CHECK(!verify(p, r.schedule).legal);  // never marked legal when the verifier says otherwise
    CHECK(contains(r.status, "no legal schedule found at D=2"));
    CHECK(r.restarts.legal == 0);
    CHECK(r.time_s >= 0.2);  // no legal one: every restart of the limit was tried
  }
  SUBCASE("an II below the recurrence or resource bound") {
    const Problem p = small_graph(26, false, 0.1);
    const ModuloResult m = find_min_ii_schedule(p);
    REQUIRE(m.mii > 1);
    SolveOptions o = timed(Formulation::C, kForever);
    o.ii = m.mii - 1;
    CHECK_THROWS_AS(solve(p, o), InfeasibleError);
  }
  SUBCASE("a class with no units that an op needs") {
    Net n;
    n.edge(n.op("add"), n.op("mul"));
    n.limit("mul", 0);
    const Problem p = n.build();
    for (Formulation f : {Formulation::Rcs, Formulation::B, Formulation::C}) {
      CAPTURE(to_string(f));
      CHECK_THROWS_AS(solve(p, timed(f, kForever)), InfeasibleError);
    }
  }
  SUBCASE("time limit 0: the initial legalized schedule, status 'time limit'") {
    for (Formulation f : {Formulation::A, Formulation::B, Formulation::C, Formulation::Rcs}) {
      CAPTURE(to_string(f));
      const Problem p = f == Formulation::C   ? small_graph(27, false, 0.1)
                        : f == Formulation::A ? small_graph(27, true)
                                              : small_graph(27);
      const SolveResult r = solve(p, timed(f, 0));
      INFO("status: " << r.status);
      REQUIRE(r.legal);
      check_legal(p, r.schedule);
      CHECK(r.iterations == 0);
      CHECK(r.restarts.extra == 0);
      CHECK((r.status.rfind("time limit", 0) == 0 || contains(r.status, "lower bound")));
    }
  }
}

TEST_CASE("solver time: a non-finite loss is reported once and ends the restarts") {
  const Problem p = small_graph(28, true);
  SolveOptions o = timed(Formulation::A, 30);
  o.alpha = 1e308;  // finite, but alpha * communication overflows to inf
  o.restarts = 3;
  const SolveResult r = solve(p, o);
  INFO("status: " << r.status);
  REQUIRE(r.legal);  // the initial legalization stands, verified
  check_legal(p, r.schedule);
  CHECK(r.iterations == 0);
  CHECK(r.restarts.count == 3);  // the planned ones, none on the time left
  CHECK(r.time_s < 10);
  CHECK(contains(r.status, "non-finite loss"));
  CHECK(contains(r.status, "(and 2 more like it)"));
}

TEST_CASE("solver time: C tries a smaller II than IMS's on the time left (aes2/graph14)") {
  namespace fs = std::filesystem;
  const fs::path file =
      fs::path(GAUS_SHARED_DATA_DIR) / "hatschet" / "MachSuite" / "aes2" / "graph14.graphml";
  if (!fs::exists(file)) {
    MESSAGE("skipped: " << file.string() << " not found");
    return;
  }
  const Problem p = read_graph_file(file.string()).build();
  // Single-priority IMS misses the bound by one here (the search over several priorities
  // meets it: modulo_search.hpp).
  const ModuloResult m = find_min_ii_schedule(p, {}, 0, ModuloSearchLimits{.work = 0});
  REQUIRE(m.schedule.ii == m.mii + 1);
  SolveOptions o = timed(Formulation::C, kForever);
  o.rcs_iterations = 300;
  detail::SolveContext ctx{p, o, Backend::Cpu, std::chrono::steady_clock::now(),
                           detail::Tracker(), 0, false, false, {}};
  const std::int32_t d = std::max(critical_path(p), schedule_latency(p, m.schedule));
  std::optional<Schedule> found;
  std::int32_t attempt = 0;
  std::vector<double> mu, rho;
  for (; attempt < 40 && !found; ++attempt) {
    detail::init_params(p, o, Formulation::C, d, nullptr, attempt + 1, mu, rho);
    found = detail::try_smaller_ii(ctx, m.schedule.ii, d, attempt, attempt + 1, mu, rho);
  }
  MESSAGE("attempts: " << attempt);
  REQUIRE(found);
  CHECK(found->ii == m.mii);
  CHECK(found->horizon >= d);
  check_legal(p, *found);
  CHECK(!ctx.tracker.have_any());  // the attempts leave the caller's tracker alone
}

TEST_CASE("solver time: the rule that ends B's descents is a function of the measured rate") {
  using detail::descents_cannot_finish;
  // 1% of the budget in 0.3 s of a 2.25-s window: 30 s at that rate.
  CHECK(descents_cannot_finish(0.3, 0.01, 2.25, 20, 20));
  // The same rate, judged before two checkpoints' steps: not yet.
  CHECK_FALSE(descents_cannot_finish(0.3, 0.01, 2.25, 10, 20));
  // Half done in 0.3 s: 0.6 s in all, inside the window.
  CHECK_FALSE(descents_cannot_finish(0.3, 0.5, 2.25, 1000, 20));
  // A stall at the start (1% in 0.05 s of a 1.5-s window projects 5 s) decides nothing until
  // the measurement covers a tenth of the window; then the rate decides.
  CHECK_FALSE(descents_cannot_finish(0.05, 0.01, 1.5, 20, 20));
  CHECK_FALSE(descents_cannot_finish(0.2, 0.2, 1.5, 400, 20));
  CHECK(descents_cannot_finish(0.2, 0.1, 1.5, 200, 20));
  // Done, or nothing done: no verdict.
  CHECK_FALSE(descents_cannot_finish(5, 1.0, 1.5, 2000, 20));
  CHECK_FALSE(descents_cannot_finish(5, 0.0, 1.5, 0, 20));
}

TEST_CASE("solver time: B's descents give way to annealing when they cannot finish in time") {
  // A 30,000-op graph: 2,000 iterations take far longer than the 3 s limit's first three
  // quarters, so the descent stops once its rate is measured (descents_cannot_finish, tested
  // above on given rates) and the best schedule is annealed. On a busy machine the deadline may
  // come before the rate is measured; either way the descent does not finish and no restart
  // follows.
  GenerateOptions g;
  g.ops = 30000;
  g.num_classes = 0;
  g.seed = 5;
  const Problem big = generate_layered(g);
  SolveOptions o;
  o.formulation = Formulation::B;
  o.backend = SolverBackend::Cpu;
  o.cut = false;
  o.time_limit_s = 3;
  const SolveResult r = solve(big, o);
  INFO(r.status);
  REQUIRE(r.legal);
  check_legal(big, r.schedule);
  CHECK((r.status.find("descents stopped after") != std::string::npos ||
         r.status.rfind("time limit", 0) == 0));
  CHECK(r.iterations < o.max_iterations);
  CHECK(r.restarts.count == 1);  // no restart after it
  // The best start and the list schedule each annealed once, over all the time left.
  CHECK(r.status.find("memory annealing: 2 runs") != std::string::npos);
  CHECK(r.time_s < 6);  // generous: the limit is 3 s
  // A long annealing run still ends at a cancellation: the progress callback is asked during
  // it, and the solve returns promptly once it says stop (timed from that answer, so that how
  // long the machine took to get there does not matter).
  o.time_limit_s = 12;
  std::optional<std::chrono::steady_clock::time_point> said_stop;
  o.progress = [&](const Progress& pr) {
    if (std::string(pr.stage) != "annealing") return true;
    if (!said_stop) said_stop = std::chrono::steady_clock::now();
    return false;
  };
  const SolveResult c = solve(big, o);
  const auto end = std::chrono::steady_clock::now();
  INFO(c.status);
  REQUIRE(c.legal);
  CHECK(c.status.find("cancelled") != std::string::npos);
  REQUIRE(said_stop.has_value());
  CHECK(std::chrono::duration<double>(end - *said_stop).count() < 2.0);
  o.progress = nullptr;
  // A small graph's short descents (200 iterations, a few milliseconds) finish far inside the
  // 3-s window even on a busy machine: they run, and restarts follow on the time left.
  const Problem small = generate_layered(GenerateOptions{.ops = 300, .num_classes = 0, .seed = 5});
  o.time_limit_s = 4;
  o.max_iterations = 200;
  const SolveResult s = solve(small, o);
  INFO(s.status);
  REQUIRE(s.legal);
  CHECK(s.status.find("descents stopped") == std::string::npos);
  // Past the two checkpoints that measure the rate, and restarts on the time left after it
  // (the planned descent may end early on its patience, so its full budget is not a given).
  CHECK(s.iterations > 2 * o.eval_every);
  CHECK(s.restarts.count > 1);
}
