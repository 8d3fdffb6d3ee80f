// The CIRCT problem classes' scheduler (host/ssp/solve_ssp.hpp).
#include "host/ssp/solve_ssp.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "graphs/analysis.hpp"
#include "graphs/builder.hpp"
#include "graphs/chaining.hpp"
#include "host/bounds/latency_bound.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/improve/modulo_repair.hpp"
#include "host/solver/solver.hpp"

namespace gaus::ssp {

namespace {

std::int32_t occupancy(const Problem& p, op_id i) { return std::max(p.latency[i], 1); }

std::vector<std::int32_t> topo_rank(const Problem& p) {
  std::vector<std::int32_t> rank(static_cast<std::size_t>(p.num_ops()));
  for (std::size_t t = 0; t < p.topo_order.size(); ++t)
    rank[p.topo_order[t]] = static_cast<std::int32_t>(t);
  return rank;
}

// SharedOperators: the last op's predecessors alone, their latency minimized.
void solve_shared(const Problem& p, const SolveSspOptions& o, SolveSspResult& r) {
  const std::vector<char> keep = predecessors_of(p, r.last);
  const Problem part = subproblem(p, keep);
  op_id last_in_part = 0;
  for (op_id i = 0; i < r.last; ++i) last_in_part += keep[i];
  Schedule s_part;
  std::int64_t latency_bound = latency_lower_bound(part).value;
  if (o.gradient) {
    SolveOptions so;
    so.formulation = Formulation::Rcs;
    so.time_limit_s = o.time_limit_s;
    so.seed = o.seed;
    SolveResult sr = solve(part, so);
    if (!sr.legal) throw InfeasibleError("the gradient solver found no legal schedule");
    s_part = std::move(sr.schedule);
    if (sr.lower_bound == sr.lower_bound)
      latency_bound = std::max<std::int64_t>(latency_bound, std::llround(std::ceil(sr.lower_bound)));
    r.method = "gradient solver (rcs) on the last op's predecessors, list scheduling for the rest";
  } else {
    s_part = list_schedule(part);
    r.method = "list scheduling on the last op's predecessors, then the rest";
  }
  r.schedule = complete_schedule(p, keep, s_part);
  const auto earliest = earliest_starts(p, 0);
  r.last_start_lower_bound = std::max<std::int32_t>(
      earliest[r.last], static_cast<std::int32_t>(latency_bound - occupancy(part, last_in_part)));
}

// Moves every op, in topological order and until nothing moves, to the earliest step its inputs
// allow (loop-carried ones at s.ii) where its class has a free unit in that residue. Moving an
// op earlier only relaxes the edges it is the source of, so the schedule stays legal. Ops that
// hold a unit for more than one cycle stay where they are.
void compact_modulo(const Problem& p, Schedule& s) {
  const std::int32_t ii = s.ii;
  std::vector<std::int32_t> used(p.resources.size() * static_cast<std::size_t>(ii), 0);
  auto slot = [&](op_id i) -> std::int32_t* {
    const std::int32_t u = p.op_resource[i];
    if (u < 0 || p.resources[u].limit < 0 || p.blocking[i] == 0) return nullptr;
    return &used[static_cast<std::size_t>(u) * ii + static_cast<std::size_t>(s.start[i] % ii)];
  };
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (std::int32_t* c = slot(i)) ++*c;
  for (bool moved = true; moved;) {
    moved = false;
    for (const op_id j : p.topo_order) {
      if (p.blocking[j] > 1) continue;
      std::int64_t lo = 0;
      for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        lo = std::max<std::int64_t>(lo, std::int64_t{s.start[p.edge_src[e]]} + p.edge_delay[e] -
                                            std::int64_t{p.edge_distance[e]} * ii);
      }
      std::int32_t* here = slot(j);
      for (std::int64_t t = lo; t < s.start[j]; ++t) {
        const std::int32_t old = s.start[j];
        s.start[j] = static_cast<std::int32_t>(t);
        std::int32_t* there = slot(j);
        if (there && there != here && *there >= p.resources[p.op_resource[j]].limit) {
          s.start[j] = old;
          continue;
        }
        if (here) --*here;
        if (there) ++*there;
        moved = true;
        break;
      }
    }
  }
}

// Modulo: the smallest II iterative modulo scheduling finds, lowered by the modulo repair while
// it succeeds, then the best of two orders, each compacted.
void solve_modulo(const Problem& p, SolveSspResult& r) {
  const ModuloResult mr = find_min_ii_schedule(p);
  r.ii_lower_bound = mr.first_ii;  // max(ResMII, RecMII, 1) raised by the unit-conflict bound
  r.schedule = detail::repair_ii_down(p, mr.schedule, r.ii_lower_bound, 1);
  const bool repaired = r.schedule.ii < mr.schedule.ii;
  compact_modulo(p, r.schedule);
  const std::int32_t ii = r.schedule.ii;
  r.method = repaired ? "iterative modulo scheduling, then the modulo repair"
                      : "iterative modulo scheduling";
  // The last op's predecessors first, by their earliest starts at this II.
  const auto earliest = earliest_starts(p, ii);
  if (!earliest.empty()) {
    const std::vector<char> before = predecessors_of(p, r.last);
    const auto rank = topo_rank(p);
    ListOptions lo;
    lo.priority.resize(static_cast<std::size_t>(p.num_ops()));
    const double n = static_cast<double>(p.num_ops()) + 1;
    for (op_id i = 0; i < p.num_ops(); ++i)
      lo.priority[i] = (before[i] ? 0.0 : 1e12) + earliest[i] + rank[i] / n;
    auto alt = modulo_list_schedule(p, ii, lo);
    if (alt) compact_modulo(p, *alt);
    if (alt && alt->start[r.last] < r.schedule.start[r.last]) {
      r.schedule = std::move(*alt);
      r.method = "iterative modulo scheduling (the last op's predecessors first)";
    }
    r.last_start_lower_bound = earliest[r.last];
  }
}

}  // namespace

std::vector<char> predecessors_of(const Problem& p, op_id last) {
  std::vector<char> keep(static_cast<std::size_t>(p.num_ops()), 0);
  std::vector<op_id> stack{last};
  keep[last] = 1;
  while (!stack.empty()) {
    const op_id j = stack.back();
    stack.pop_back();
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      const op_id i = p.edge_src[e];
      if (p.edge_distance[e] == 0 && !keep[i]) {
        keep[i] = 1;
        stack.push_back(i);
      }
    }
  }
  return keep;
}

Problem subproblem(const Problem& p, const std::vector<char>& keep) {
  ProblemBuilder b(p.source);
  std::vector<op_id> id(static_cast<std::size_t>(p.num_ops()), -1);
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (!keep[i]) continue;
    id[i] = b.add_op(p.name(i), p.op_type[i] >= 0 ? p.type_names[p.op_type[i]] : "");
    b.set_latency(id[i], p.latency[i]);
    b.set_blocking(id[i], p.blocking[i]);
    b.set_weight(id[i], p.weight[i]);
    b.set_out_size(id[i], p.out_size[i]);
    if (p.op_resource[i] >= 0) {
      const Resource& res = p.resources[p.op_resource[i]];
      b.add_resource(res.name, res.limit);
      b.set_unit(id[i], res.name);
    }
    if (p.has_delays()) b.set_delays(id[i], p.in_delay[i], p.out_delay[i]);
  }
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    if (id[i] < 0 || id[j] < 0) continue;
    b.add_edge(EdgeSpec{.src = id[i], .dst = id[j], .delay = p.edge_delay[e],
                        .adds_latency = false, .distance = p.edge_distance[e],
                        .weight = p.edge_weight[e], .auxiliary = !p.carries_value(e)});
  }
  return b.build();
}

Schedule complete_schedule(const Problem& p, const std::vector<char>& keep, const Schedule& part) {
  const auto rank = topo_rank(p);
  const double n = static_cast<double>(p.num_ops()) + 1;
  ListOptions lo;
  lo.priority.resize(static_cast<std::size_t>(p.num_ops()));
  lo.release.assign(static_cast<std::size_t>(p.num_ops()), 0);
  std::size_t k = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (keep[i]) {
      lo.release[i] = part.start.at(k++);
      lo.priority[i] = lo.release[i] + rank[i] / n;
    } else {
      lo.priority[i] = 1e12 + rank[i] / n;
    }
  }
  // Kept ops come first (every unplaced kept op with the least topological rank is ready), each
  // at its release: the steps before it hold only kept ops that fit there in `part`.
  return list_schedule(p, lo);
}

void finish(const Problem& p, SolveSspResult& r) {
  set_start_times_in_cycle(p, r.schedule);
  r.verification = verify(p, r.schedule, 20);
  r.last_start = r.schedule.start.at(r.last);
  r.ii_proven_minimal = r.schedule.ii > 0 && r.schedule.ii <= r.ii_lower_bound;
  r.optimal = r.verification.legal && r.last_start <= r.last_start_lower_bound &&
              (r.schedule.ii == 0 || r.ii_proven_minimal);
}

SolveSspResult solve_ssp(const Problem& p, ProblemClass cls, op_id last, const SolveSspOptions& o) {
  if (last < 0 || last >= p.num_ops()) throw InputError("solve_ssp: the last op is out of range");
  SolveSspResult r;
  r.last = last;
  switch (cls) {
    case ProblemClass::Problem:
    case ProblemClass::Chaining: {
      r.schedule.start = earliest_starts(p, 0);
      r.last_start_lower_bound = r.schedule.start[last];
      r.method = "earliest starts";
      break;
    }
    case ProblemClass::Cyclic:
    case ProblemClass::ChainingCyclic: {
      const std::int32_t ii = std::max(compute_rec_mii(p), 1);
      r.schedule.start = earliest_starts(p, ii);
      r.schedule.ii = ii;
      r.ii_lower_bound = ii;
      r.last_start_lower_bound = r.schedule.start.at(last);
      r.method = "earliest starts at the recurrence bound";
      break;
    }
    case ProblemClass::SharedOperators: solve_shared(p, o, r); break;
    case ProblemClass::Modulo: solve_modulo(p, r); break;
  }
  r.schedule.horizon = 0;
  finish(p, r);
  return r;
}

}  // namespace gaus::ssp
