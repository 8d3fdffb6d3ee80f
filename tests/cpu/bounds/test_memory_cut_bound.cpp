// The min-cut lower bound on formulation B's peak memory (host/bounds/memory_cut_bound.cpp): each
// step's cut is the least memory any schedule holds there (brute force over every schedule of
// tiny graphs), the bound never exceeds an optimum or a schedule, subsumes the forced-lifetime
// bound, agrees with one max flow per step (the parametric sweep against Dinic), stays valid
// when stopped, and reaches the solver's result.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "core/timing.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/bounds/memory_cut_bound.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver.hpp"
#include "host/solver/solver_detail.hpp"

using namespace gaus;
using gaus::test::Net;

namespace {

/// Memory live at step d under `start` (host/verify/objectives.cpp's definition, written again):
/// value i is live over [s_i, max_j s_j) of its distance-0 consumers j.
double memory_at(const Problem& p, const std::vector<std::int32_t>& start, std::int32_t d) {
  double m = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    std::int32_t last = std::numeric_limits<std::int32_t>::min();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) last = std::max(last, start[p.edge_dst[e]]);
    if (start[i] <= d && d < last) m += p.out_size[i];
  }
  return m;
}

/// Calls f(start) for every schedule within D that meets the distance-0 edges.
void each_schedule(const Problem& p, std::int32_t horizon,
                   const std::function<void(const std::vector<std::int32_t>&)>& f) {
  const std::vector<std::int32_t> alap = alap_starts(p, horizon);
  std::vector<std::int32_t> start(static_cast<std::size_t>(p.num_ops()), 0);
  std::function<void(std::size_t)> place = [&](std::size_t k) {
    if (k == p.topo_order.size()) return f(start);
    const op_id j = p.topo_order[k];
    std::int32_t lo = 0;
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) lo = std::max(lo, start[p.edge_src[e]] + p.edge_delay[e]);
    }
    for (std::int32_t s = lo; s <= alap[j]; ++s) {
      start[j] = s;
      place(k + 1);
    }
  };
  place(0);
}

/// A tiny random DAG: latencies 0..2, sizes 0..3 (halves when `fractional`), a back edge.
Problem tiny_dag(std::uint32_t seed, bool fractional) {
  std::mt19937 rng(seed);
  Net n;
  const op_id ops = 4 + static_cast<op_id>(rng() % 4);
  for (op_id i = 0; i < ops; ++i) {
    n.op("t", static_cast<std::int32_t>(rng() % 3));
    for (op_id k = 0; k < i; ++k)
      if (rng() % 3 == 0) n.edge(k, i, 0, static_cast<std::int32_t>(rng() % 2));
  }
  if (ops > 2) n.edge(ops - 1, 0, 1);  // loop-carried: B ignores it
  for (op_id i = 0; i < ops; ++i) {  // one draw per statement (operand order is unspecified)
    const double whole = static_cast<double>(rng() % 4);
    n.b.set_out_size(i, whole + (fractional ? 0.5 * (rng() % 2) : 0.0));
  }
  return n.build();
}

Problem layered(std::uint64_t seed, std::int64_t ops) {
  GenerateOptions g;
  g.ops = ops;
  g.seed = seed;
  g.max_fan_in = 3;
  return generate_layered(g);  // sizes uniform in [1, 4]: not integers
}

detail::MemoryCutOptions known(double bound) {
  detail::MemoryCutOptions o;
  o.known_bound = bound;
  return o;
}

}  // namespace

TEST_CASE("memory cut: each step's cut is the least memory any schedule holds there") {
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    const bool fractional = seed % 3 == 0;
    const Problem p = tiny_dag(seed, fractional);
    const std::int32_t horizon = critical_path(p) + static_cast<std::int32_t>(seed % 3);
    CAPTURE(seed);
    CAPTURE(horizon);
    std::vector<double> least(static_cast<std::size_t>(horizon),
                              std::numeric_limits<double>::infinity());
    double optimum = std::numeric_limits<double>::infinity();
    each_schedule(p, horizon, [&](const std::vector<std::int32_t>& start) {
      double peak = 0;
      for (std::int32_t d = 0; d < horizon; ++d) {
        const double m = memory_at(p, start, d);
        least[d] = std::min(least[d], m);
        peak = std::max(peak, m);
      }
      Schedule s;
      s.start = start;
      REQUIRE(peak_memory(p, s) == doctest::Approx(peak));
      optimum = std::min(optimum, peak);
    });
    REQUIRE(std::isfinite(optimum));
    double most = 0;
    for (std::int32_t d = 0; d < horizon; ++d) {
      CAPTURE(d);
      // Sizes in halves sit on the bound's binary grid, so the cut is exact here too.
      CHECK(detail::memory_cut_at(p, horizon, d) == doctest::Approx(least[d]));
      most = std::max(most, least[d]);
    }
    const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon);
    CHECK(r.complete);
    CHECK(r.bound == doctest::Approx(most));
    CHECK(r.bound <= optimum + 1e-9);
    CHECK(r.bound >= detail::forced_live_peak(p, horizon, 0) - 1e-9);
    // With the counting bound as known_bound the result is their maximum.
    const double counting = detail::objective_lower_bound(p, Formulation::B, horizon, 0);
    CHECK(detail::memory_cut_bound(p, horizon, known(counting)).bound ==
          doctest::Approx(std::max(counting, most)));
  }
}

TEST_CASE("memory cut: two chains with slack, where the counting bounds prove half the optimum") {
  // a0 -> a1 -> a2 and b0 -> b1 -> b2, sizes 1, D = 4 (one step of slack). No value is forced
  // live (ALAP a0 = 1 = ASAP a1), the largest value is 1 and the lifetimes spread to 4 / 4 = 1.
  // But at step 1 each chain holds a0 (a1 not started) or a1 (started, a2 not): every schedule
  // holds 2 there, and 2 is reached (both chains ASAP).
  Net n;
  for (int c = 0; c < 2; ++c) {
    const op_id x = n.op("g"), y = n.op("g"), z = n.op("g");
    n.edge(x, y);
    n.edge(y, z);
  }
  for (op_id i = 0; i < n.b.num_ops(); ++i) n.b.set_out_size(i, 1.0);
  const Problem p = n.build();
  const std::int32_t horizon = 4;
  CHECK(detail::forced_live_peak(p, horizon, 0) == 0.0);
  CHECK(detail::objective_lower_bound(p, Formulation::B, horizon, 0) == 1.0);
  double optimum = std::numeric_limits<double>::infinity();
  each_schedule(p, horizon, [&](const std::vector<std::int32_t>& start) {
    Schedule s;
    s.start = start;
    optimum = std::min(optimum, peak_memory(p, s));
  });
  CHECK(optimum == 2.0);
  const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon);
  CHECK(r.bound == 2.0);
  CHECK(r.best_step == 1);
  CHECK(detail::memory_cut_at(p, horizon, 0) == 0.0);  // a0, b0 may start at 1
  CHECK(detail::memory_cut_at(p, horizon, 1) == 2.0);

  // The solver reports it and stops there: an optimum proved.
  SolveOptions o;
  o.formulation = Formulation::B;
  o.backend = SolverBackend::Cpu;
  o.horizon = horizon;
  o.max_iterations = 60;
  o.time_limit_s = 30;
  const SolveResult sr = solve(p, o);
  REQUIRE(sr.legal);
  CHECK(sr.objective == 2.0);
  CHECK(sr.lower_bound == 2.0);
  CHECK(sr.time_s < 5);
  CHECK(sr.status.find("meets the lower bound (the min-cut bound)") != std::string::npos);
}

TEST_CASE("memory cut: the parametric sweep agrees with one max flow per step") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Problem p = layered(seed, 150 + 50 * static_cast<std::int64_t>(seed));
    const std::int32_t horizon = critical_path(p) + static_cast<std::int32_t>(seed % 3) * 2;
    CAPTURE(seed);
    double most = 0;
    for (std::int32_t d = 0; d < horizon; ++d)
      most = std::max(most, detail::memory_cut_at(p, horizon, d));
    const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon);
    CHECK(r.complete);
    CHECK(r.bound == most);  // the same grid, the same integers: exact
    CHECK(r.bound >= detail::forced_live_peak(p, horizon, 0) - 1e-9);
    Schedule asap = asap_schedule(p), alap = alap_schedule(p, horizon);
    CHECK(r.bound <= peak_memory(p, asap));
    CHECK(r.bound <= peak_memory(p, alap));
    // A schedule's memory per step lets steps be skipped, never changing a finished bound.
    Schedule list = list_schedule(p);
    if (schedule_latency(p, list) <= horizon) {
      detail::MemoryCutOptions o;
      o.upper_schedules.push_back(&list.start);
      const detail::MemoryCutResult with = detail::memory_cut_bound(p, horizon, o);
      CHECK(with.bound == r.bound);
      CHECK(with.steps_cut <= r.steps_cut);
      CHECK(with.bound <= peak_memory(p, list));
    }
  }
}

TEST_CASE("memory cut: a stopped search still returns a valid, smaller bound") {
  const Problem p = layered(7, 3000);
  const std::int32_t horizon = critical_path(p) + 3;
  const double counting = detail::objective_lower_bound(p, Formulation::B, horizon, 0);
  const detail::MemoryCutResult full = detail::memory_cut_bound(p, horizon, known(counting));
  REQUIRE(full.complete);
  CHECK(full.bound >= counting);
  // No time at all: the counting and forced bounds only.
  detail::MemoryCutOptions none = known(counting);
  none.time_budget_s = 0;
  const detail::MemoryCutResult r0 = detail::memory_cut_bound(p, horizon, none);
  CHECK(!r0.complete);
  CHECK(r0.steps_cut == 0);
  CHECK(r0.bound >= counting);
  CHECK(r0.bound <= full.bound);
  // Stopped after k polls (deterministic): never above the full bound, rising with k.
  double last = r0.bound;
  bool stopped_inside = false;
  for (int k : {1, 2, 3, 5, 8, 13, 40, 200, 2000}) {
    CAPTURE(k);
    int polls = 0;
    detail::MemoryCutOptions o = known(counting);
    o.stop = [&] { return ++polls > k; };
    const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon, o);
    CHECK(r.bound >= last);
    CHECK(r.bound <= full.bound);
    stopped_inside |= !r.complete && r.steps_cut > 0;
    last = r.bound;
    if (r.complete) CHECK(r.bound == full.bound);
  }
  CHECK(stopped_inside);
}

TEST_CASE("memory cut: EPFL circuits, below ASAP, ALAP and the solver's schedules") {
  const std::filesystem::path dir = std::filesystem::path(GAUS_SHARED_DATA_DIR) / "epfl";
  if (!std::filesystem::exists(dir)) {
    MESSAGE("skipped: " << dir.string() << " not found");
    return;
  }
  int seen = 0;
  for (const char* group : {"arithmetic", "random_control"})
    for (const auto& e : std::filesystem::directory_iterator(dir / group)) {
      if (e.path().extension() != ".aig") continue;
      const std::string name = e.path().stem().string();
      const Problem p = read_graph_file(e.path().string()).build();
      if (p.num_ops() > 60'000) continue;  // hyp: 214,591 ops, the [scale] case below
      CAPTURE(name);
      ++seen;
      const std::int32_t horizon = critical_path(p);
      const double counting = detail::objective_lower_bound(p, Formulation::B, horizon, 0);
      const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon, known(counting));
      CHECK(r.complete);
      CHECK(r.bound >= counting);
      CHECK(r.bound <= peak_memory(p, asap_schedule(p)));
      CHECK(r.bound <= peak_memory(p, alap_schedule(p, horizon)));
      // Exact values (max_d cut(d) is defined exactly): the first two are the best schedules
      // known, so optimal.
      if (name == "sqrt") CHECK(r.bound == 253.0);
      if (name == "adder") CHECK(r.bound == 6.0);
      if (name == "bar") CHECK(r.bound == 512.0);
      if (p.num_ops() > 4000) continue;
      SolveOptions o;
      o.formulation = Formulation::B;
      o.backend = SolverBackend::Cpu;
      o.max_iterations = 100;
      o.time_limit_s = 0.3;
      const SolveResult sr = solve(p, o);
      REQUIRE(sr.legal);
      CHECK(r.bound <= sr.objective);
      CHECK(sr.lower_bound <= sr.objective);
      CHECK(sr.lower_bound >= counting);
      // The solver adds the Lagrangian cuts' bound (host/bounds/lagrangian_cut.hpp), which couples the
      // steps and so may exceed the per-step one (cavlc 123 > 119, ctrl 31 > 26).
      if (sr.status.find("min-cut memory bound stopped") == std::string::npos)
        CHECK(sr.lower_bound >= r.bound);
    }
  CHECK(seen == 19);
}

TEST_CASE("memory cut: an infinite time limit: a complete bound, reproducible schedules") {
  const Problem p = layered(11, 400);
  SolveOptions o;
  o.formulation = Formulation::B;
  o.backend = SolverBackend::Cpu;
  o.max_iterations = 80;
  o.restarts = 2;
  o.time_limit_s = std::numeric_limits<double>::infinity();
  const SolveResult a = solve(p, o), b = solve(p, o);
  REQUIRE(a.legal);
  REQUIRE(b.legal);
  CHECK(a.schedule.start == b.schedule.start);
  CHECK(a.objective == b.objective);
  const double counting = detail::objective_lower_bound(p, Formulation::B, a.horizon, 0);
  const double cut = detail::memory_cut_bound(p, a.horizon, known(counting)).bound;
  CHECK(a.lower_bound == b.lower_bound);
  CHECK(a.lower_bound >= cut);  // the Lagrangian cuts may raise it (20.14 against 11.91 here)
  CHECK(a.lower_bound <= a.objective);
  CHECK(a.status.find("min-cut memory bound stopped") == std::string::npos);
  o.cut = false;  // the per-step bound alone
  const SolveResult c = solve(p, o);
  CHECK(c.lower_bound == cut);
  CHECK(cut <= c.objective);
}

TEST_CASE("memory cut: EPFL hyp, the largest circuit, in seconds [scale]") {
  const std::filesystem::path f =
      std::filesystem::path(GAUS_SHARED_DATA_DIR) / "epfl" / "arithmetic" / "hyp.aig";
  if (!std::filesystem::exists(f)) {
    MESSAGE("skipped: " << f.string() << " not found");
    return;
  }
  const Problem p = read_graph_file(f.string()).build();
  const std::int32_t horizon = critical_path(p);
  const detail::MemoryCutResult r = detail::memory_cut_bound(p, horizon);
  CHECK(r.complete);
  CHECK(r.bound == 702.0);
  CHECK(r.bound <= peak_memory(p, asap_schedule(p)));
  CHECK(r.bound <= peak_memory(p, alap_schedule(p, horizon)));
}
