#include "host/ilp/model.hpp"
#include "host/ilp/rows.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/verify/objectives.hpp"

namespace gaus::ilp {

namespace {

/// At most C_k ops of a limited class busy per step: busy(i, d) = z[i,d] - z[i,d - B_i].
void add_unit_rows(const Problem& p, Model& m, RowWriter& w) {
  const op_id n = p.num_ops();
  for (std::size_t k = 0; k < p.resources.size(); ++k) {
    const std::int32_t limit = p.resources[k].limit;
    if (limit < 0) continue;
    std::vector<op_id> members;
    std::vector<std::int32_t> last(static_cast<std::size_t>(n), 0);
    std::int64_t span = 0;
    for (op_id i = 0; i < n; ++i)
      if (p.op_resource[i] == static_cast<std::int32_t>(k) && p.blocking[i] > 0) {
        members.push_back(i);
        last[i] = m.hi[i] + p.blocking[i] - 1;
        span = std::max<std::int64_t>(span, last[i] + 1);
      }
    if (members.empty()) continue;
    const StepIndex at = index_steps(members, m.lo, last, span);
    for (std::int64_t d = 0; d < span; ++d) {
      if (at.start[d + 1] - at.start[d] <= limit) continue;  // cannot overflow
      for (std::int64_t q = at.start[d]; q < at.start[d + 1]; ++q) {
        w.started(at.ops[q], d, 1.0);
        w.started(at.ops[q], d - p.blocking[at.ops[q]], -1.0);
      }
      w.finish(-1e30, limit, "a unit limit", d);
    }
  }
}

/// z[j,d] <= z[i,d - lambda] on every distance-0 edge, over the steps where it can bind.
void add_precedence_rows(const Problem& p, Model& m, RowWriter& w) {
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    if (p.edge_distance[e] != 0) continue;
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    const std::int64_t lambda = p.edge_delay[e];
    for (std::int64_t d = m.lo[j]; d <= m.hi[i] + lambda - 1; ++d) {
      w.started(j, d, 1.0);
      w.started(i, d - lambda, -1.0);
      w.finish(-1e30, 0, "a dependency", d);
    }
  }
}

/// Whether op i can be the last to finish: no distance-0 successor finishes surely later.
bool may_finish_last(const Problem& p, op_id i) {
  for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
    if (p.edge_distance[e] == 0 &&
        p.edge_delay[e] + occupancy(p, p.edge_dst[e]) >= occupancy(p, i))
      return false;
  return true;
}

void add_makespan(const Problem& p, Model& m, RowWriter& w, double known_bound) {
  // the makespan is at least the critical path and the known bound, and at most D
  std::int32_t lb = critical_path(p, m.lo);
  if (known_bound > lb)
    lb = static_cast<std::int32_t>(std::min<double>(std::ceil(known_bound - 1e-9), m.horizon));
  m.obj_offset = lb;
  m.u_first = lb;
  for (std::int32_t d = lb; d < m.horizon; ++d) {
    const int c = w.add_col(0, 1, 1, false);
    if (d == lb) m.u_base = c;
  }
  auto u = [&](std::int64_t d) { return static_cast<int>(m.u_base + (d - lb)); };
  for (std::int64_t d = lb; d + 1 < m.horizon; ++d) {  // u[d+1] <= u[d]
    w.term(u(d + 1), 1);
    w.term(u(d), -1);
    w.finish(-1e30, 0, "makespan order", d);
  }
  for (op_id i = 0; i < p.num_ops(); ++i) {
    if (!may_finish_last(p, i)) continue;
    const std::int32_t occ = occupancy(p, i);
    // unfinished at d <=> s_i > d - occ <=> not started by d - occ: u[d] >= 1 - z[i, d - occ]
    for (std::int64_t d = std::max<std::int64_t>(lb, m.lo[i] + occ); d < m.hi[i] + occ; ++d) {
      w.term(u(d), 1);
      w.started(i, d - occ, 1);
      w.finish(1, 1e30, "the makespan", d);
    }
  }
}

void add_formulation_a(const Problem& p, Model& m, RowWriter& w) {
  const op_id n = p.num_ops();
  m.peak_col = w.add_col(0, 1e30, 100, false);
  std::vector<op_id> members;
  for (op_id i = 0; i < n; ++i)
    if (p.weight[i] != 0) {
      members.push_back(i);
      m.integral = m.integral && p.weight[i] == std::floor(p.weight[i]);
    }
  const StepIndex at = index_steps(members, m.lo, m.hi, m.horizon);
  for (std::int64_t d = 0; d < m.horizon; ++d) {  // sum_i w_i [s_i = d] <= P
    if (at.start[d] == at.start[d + 1]) continue;
    for (std::int64_t q = at.start[d]; q < at.start[d + 1]; ++q) {
      w.started(at.ops[q], d, p.weight[at.ops[q]]);
      w.started(at.ops[q], d - 1, -p.weight[at.ops[q]]);
    }
    w.term(m.peak_col, -1);
    w.finish(-1e30, 0, "the peak", d);
  }
  // s_j - s_i = hi_j - hi_i - sum_d z[j,d] + sum_d z[i,d] per edge with c_e > 0
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    if (p.edge_distance[e] != 0 || p.edge_weight[e] == 0) continue;
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    m.obj_offset += m.hi[j] - m.hi[i];
    for (std::int64_t c = m.z_base[i]; c < m.z_base[i] + (m.hi[i] - m.lo[i]); ++c) m.obj[c] += 1;
    for (std::int64_t c = m.z_base[j]; c < m.z_base[j] + (m.hi[j] - m.lo[j]); ++c) m.obj[c] -= 1;
  }
}

/// Distinct distance-0 consumers of op i, into `out`.
void consumers(const Problem& p, op_id i, std::vector<op_id>& out) {
  out.clear();
  for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
    if (p.edge_distance[e] == 0) out.push_back(p.edge_dst[e]);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void add_formulation_b(const Problem& p, Model& m, RowWriter& w, double known_bound) {
  const op_id n = p.num_ops();
  m.peak_col = w.add_col(std::max(0.0, known_bound), 1e30, 1, false);
  m.y_base.assign(static_cast<std::size_t>(n), -1);
  m.y_end.assign(static_cast<std::size_t>(n), 0);
  std::vector<op_id> cons, producers;
  for (op_id i = 0; i < n; ++i) {
    if (p.out_size[i] == 0) continue;
    m.integral = m.integral && p.out_size[i] == std::floor(p.out_size[i]);
    consumers(p, i, cons);
    std::int32_t end = m.lo[i];
    for (op_id j : cons) end = std::max(end, m.hi[j]);
    if (end <= m.lo[i]) continue;  // every consumer starts by lo_i: never live
    m.y_end[i] = end;
    for (std::int32_t d = m.lo[i]; d < end; ++d) {
      const int c = w.add_col(0, 1, 0, false);
      if (d == m.lo[i]) m.y_base[i] = c;
    }
    producers.push_back(i);
    for (op_id j : cons)  // live at d if started and consumer j is not: y >= z_i - z_j
      for (std::int64_t d = m.lo[i]; d < m.hi[j]; ++d) {
        w.term(static_cast<int>(m.y_base[i] + (d - m.lo[i])), 1);
        w.started(i, d, -1);
        w.started(j, d, 1);
        w.finish(0, 1e30, "a lifetime", d);
      }
  }
  std::vector<std::int32_t> last(static_cast<std::size_t>(n), 0);
  for (op_id i : producers) last[i] = m.y_end[i] - 1;
  const StepIndex at = index_steps(producers, m.lo, last, m.horizon);
  for (std::int64_t d = 0; d < m.horizon; ++d) {  // sum_i b_i y[i,d] <= M
    if (at.start[d] == at.start[d + 1]) continue;
    for (std::int64_t q = at.start[d]; q < at.start[d + 1]; ++q) {
      const op_id i = at.ops[q];
      w.term(static_cast<int>(m.y_base[i] + (d - m.lo[i])), p.out_size[i]);
    }
    w.term(m.peak_col, -1);
    w.finish(-1e30, 0, "the peak memory", d);
  }
}

}  // namespace

Kind parse_kind(const std::string& name) {
  if (name == "rcs") return Kind::Rcs;
  if (name == "A") return Kind::A;
  if (name == "B") return Kind::B;
  throw InputError("ilp: unknown problem '" + name + "' (rcs, A, B)");
}

Model build_model(const Problem& p, Kind kind, std::int32_t horizon, std::int64_t max_nonzeros,
                  double lower_bound, std::chrono::steady_clock::time_point deadline) {
  Model m;
  m.horizon = resolve_horizon(p, horizon, "ilp");
  m.lo = asap_starts(p);
  m.hi = alap_starts(p, m.horizon);
  RowWriter w(m, max_nonzeros, deadline);
  add_step_columns(p, m, w, max_nonzeros);
  add_precedence_rows(p, m, w);
  add_unit_rows(p, m, w);
  const double known = std::isfinite(lower_bound) ? lower_bound : 0;
  if (kind == Kind::Rcs) add_makespan(p, m, w, known);
  if (kind == Kind::A) add_formulation_a(p, m, w);
  if (kind == Kind::B) add_formulation_b(p, m, w, known);
  return m;
}

std::vector<double> encode(const Problem& p, const Model& m, Kind kind, const Schedule& s) {
  std::vector<double> x(static_cast<std::size_t>(m.num_cols()), 0.0);
  for (op_id i = 0; i < p.num_ops(); ++i)
    for (std::int32_t d = m.lo[i]; d < m.hi[i]; ++d) x[m.z_base[i] + (d - m.lo[i])] = d >= s.start[i];
  if (kind == Kind::Rcs && m.u_base >= 0) {
    const std::int32_t lat = schedule_latency(p, s);
    for (std::int32_t d = m.u_first; d < m.horizon; ++d) x[m.u_base + (d - m.u_first)] = d < lat;
  }
  if (kind == Kind::A) x[m.peak_col] = peak_use(p, s);
  if (kind == Kind::B) {
    std::vector<op_id> cons;
    for (op_id i = 0; i < p.num_ops(); ++i) {
      if (m.y_base.empty() || m.y_base[i] < 0) continue;
      consumers(p, i, cons);
      std::int32_t last = s.start[i];
      for (op_id j : cons) last = std::max(last, s.start[j]);
      for (std::int32_t d = m.lo[i]; d < m.y_end[i]; ++d)
        x[m.y_base[i] + (d - m.lo[i])] = s.start[i] <= d && d < last;
    }
    x[m.peak_col] = peak_memory(p, s);
  }
  return x;
}

Schedule decode(const Problem& p, const Model& m, const double* x) {
  Schedule s;
  s.horizon = m.horizon;
  s.start.resize(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) {
    std::int32_t d = m.lo[i];
    while (d < m.hi[i] && x[m.z_base[i] + (d - m.lo[i])] < 0.5) ++d;
    s.start[i] = d;
  }
  return s;
}

double exact_objective(const Problem& p, Kind kind, const Schedule& s) {
  if (kind == Kind::Rcs) return schedule_latency(p, s);
  if (kind == Kind::A) return formulation_a_score(p, s);
  return peak_memory(p, s);
}

}  // namespace gaus::ilp
