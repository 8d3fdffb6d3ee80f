// Test-only reference implementations of the legalization steps, written the straightforward
// way (and improve_memory as it was before its passes were shared), for
// test_legalize_speed.cpp to compare the fast paths against. Small graphs only: the list
// scheduler probes step by step and the peak memory walks every step of every interval.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"
#include "host/verify/verify.hpp"

namespace gaus::ref {

/// List scheduling: priority_order's order, a heap of ready ranks, and per class a busy count
/// per step (a map: releases may be huge) probed one step at a time.
inline Schedule list_schedule(const Problem& p, const ListOptions& o) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
  const op_id n = p.num_ops();
  if (!o.release.empty() && o.release.size() != static_cast<std::size_t>(n))
    throw InputError("list scheduling: release has " + std::to_string(o.release.size()) +
                     " entries for " + std::to_string(n) + " ops");
  const std::vector<op_id> order = priority_order(p, o.priority);
  std::vector<op_id> rank(static_cast<std::size_t>(n));
  for (op_id r = 0; r < n; ++r) rank[order[r]] = r;
  std::vector<std::int32_t> waiting(static_cast<std::size_t>(n), 0);
  for (edge_id e = 0; e < p.num_edges(); ++e) waiting[p.edge_dst[e]] += p.edge_distance[e] == 0;
  std::vector<std::int64_t> bound(static_cast<std::size_t>(n), 0);
  for (op_id i = 0; i < n && !o.release.empty(); ++i) bound[i] = std::max(0, o.release[i]);
  std::priority_queue<op_id, std::vector<op_id>, std::greater<>> ready;
  for (op_id i = 0; i < n; ++i)
    if (waiting[i] == 0) ready.push(rank[i]);
  std::vector<std::map<std::int64_t, std::int32_t>> busy(p.resources.size());
  auto used = [&](std::int32_t k, std::int64_t d) {
    const auto it = busy[k].find(d);
    return it == busy[k].end() ? 0 : it->second;
  };
  const std::string too_long = where(p.source, 0) + ": list schedule passes 2^31 - 1 steps";
  Schedule s;
  s.start.assign(static_cast<std::size_t>(n), 0);
  std::int64_t latency = 0;
  while (!ready.empty()) {
    const op_id i = order[ready.top()];
    ready.pop();
    std::int64_t t = bound[i];
    const std::int32_t k = p.op_resource[i], b = p.blocking[i];
    if (k != kNoResource && b > 0 && p.resources[k].limit >= 0) {
      const std::int32_t limit = p.resources[k].limit;
      if (limit == 0)
        throw InfeasibleError(where(p.source, 0) + ": op '" + std::string(p.name(i)) +
                              "' needs a unit of class '" + p.resources[k].name +
                              "', whose limit is 0");
      auto fits = [&](std::int64_t at) {
        for (std::int64_t d = at; d < at + b; ++d)
          if (used(k, d) >= limit) return false;
        return true;
      };
      while (!fits(t)) ++t;
      if (t + b > kMax) throw InfeasibleError(too_long);
      for (std::int64_t d = t; d < t + b; ++d) ++busy[k][d];
    }
    const std::int64_t finish = t + std::max(p.latency[i], 1);
    if (finish > kMax) throw InfeasibleError(too_long);
    latency = std::max(latency, finish);
    s.start[i] = static_cast<std::int32_t>(t);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e) {
      if (p.edge_distance[e] != 0) continue;
      const op_id j = p.edge_dst[e];
      bound[j] = std::max(bound[j], t + p.edge_delay[e]);
      if (--waiting[j] == 0) ready.push(rank[j]);
    }
  }
  s.horizon = o.horizon > 0 ? o.horizon : static_cast<std::int32_t>(latency);
  return s;
}

/// Peak live memory step by step (folded mod ii when ii > 0); exact for integer sizes.
inline double peak_memory(const Problem& p, const Schedule& s, std::int64_t ii) {
  std::vector<double> mem;
  std::int64_t lo_all = 0;
  for (op_id i = 0; i < p.num_ops(); ++i) lo_all = std::min<std::int64_t>(lo_all, s.start[i]);
  for (op_id i = 0; i < p.num_ops(); ++i) {
    std::int64_t last = std::numeric_limits<std::int64_t>::min();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) last = std::max<std::int64_t>(last, s.start[p.edge_dst[e]]);
    for (std::int64_t d = s.start[i]; d < last; ++d) {
      const std::int64_t at = ii > 0 ? ((d % ii) + ii) % ii : d - lo_all;
      if (static_cast<std::int64_t>(mem.size()) <= at) mem.resize(at + 1, 0.0);
      mem[at] += p.out_size[i];
    }
  }
  return mem.empty() ? 0.0 : *std::max_element(mem.begin(), mem.end());
}

/// improve_memory as first written: each candidate advances the sinks on its own table, every
/// pass walks p.topo_order and reads each op's inputs through the predecessor index.
inline bool improve_memory(const Problem& p, std::int32_t horizon,
                           std::vector<std::int32_t>& start) {
  const op_id n = p.num_ops();
  if (horizon <= 0 || static_cast<op_id>(start.size()) != n) return false;
  std::int64_t limited = 0, width = horizon;
  for (const Resource& r : p.resources) limited += r.limit >= 0 ? 1 : 0;
  for (op_id i = 0; i < n; ++i) {
    if (start[i] < 0 || start[i] + occupancy(p, i) > horizon) return false;
    const std::int32_t k = p.op_resource[i];
    if (k >= 0 && p.resources[k].limit >= 0)
      width = std::max<std::int64_t>(width, std::int64_t{horizon} + p.blocking[i]);
  }
  if (limited > 0 && static_cast<double>(limited) * static_cast<double>(width) > 64.0 * (n + 1024))
    return false;
  auto tracked = [&](op_id i) {
    const std::int32_t k = p.op_resource[i];
    return k >= 0 && p.blocking[i] > 0 && p.resources[k].limit >= 0;
  };
  auto stores = [&](op_id i) {
    if (!(p.out_size[i] > 0)) return false;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) return true;
    return false;
  };
  using Table = std::vector<std::vector<std::int32_t>>;  // per class, per step
  auto add = [&](Table& tb, op_id i, std::int32_t t, std::int32_t delta) {
    if (!tracked(i)) return;
    for (std::int32_t d = std::max(t, 0); d < t + p.blocking[i]; ++d)
      tb[p.op_resource[i]][d] += delta;
  };
  auto fits = [&](const Table& tb, op_id i, std::int32_t t) {
    for (std::int32_t d = t; d < t + p.blocking[i] && tracked(i); ++d)
      if (tb[p.op_resource[i]][d] >= p.resources[p.op_resource[i]].limit) return false;
    return true;
  };
  auto move = [&](Table& tb, std::vector<std::int32_t>& st, op_id i, std::int32_t to, int dir) {
    add(tb, i, st[i], -1);
    std::int32_t t = st[i];
    if (!tracked(i)) {
      t = to;
    } else {
      for (std::int32_t c = to, probes = 0; c * dir < st[i] * dir && probes < 64;
           c += dir, ++probes)
        if (fits(tb, i, c)) {
          t = c;
          break;
        }
    }
    add(tb, i, t, 1);
    st[i] = t;
  };
  auto advance = [&](Table& tb, std::vector<std::int32_t>& st) {
    for (op_id i : p.topo_order) {
      if (stores(i)) continue;
      std::int32_t lo = 0;
      for (edge_id q = p.pred_offsets[i]; q < p.pred_offsets[i + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        if (p.edge_distance[e] == 0) lo = std::max(lo, st[p.edge_src[e]] + p.edge_delay[e]);
      }
      if (lo < st[i]) move(tb, st, i, lo, 1);
    }
  };
  auto delay = [&](Table& tb, std::vector<std::int32_t>& st, bool keep_inputs) {
    std::vector<std::int32_t> last(st);
    for (op_id i = 0; i < n; ++i)
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) last[i] = std::max(last[i], st[p.edge_dst[e]]);
    for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
      const op_id i = *it;
      if (!stores(i)) continue;
      std::int32_t hi = horizon - occupancy(p, i);
      for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
        if (p.edge_distance[e] == 0) hi = std::min(hi, st[p.edge_dst[e]] - p.edge_delay[e]);
      for (edge_id q = p.pred_offsets[i]; keep_inputs && q < p.pred_offsets[i + 1]; ++q) {
        const edge_id e = p.pred_edges[q];
        if (p.edge_distance[e] == 0 && p.out_size[p.edge_src[e]] > 0)
          hi = std::min(hi, last[p.edge_src[e]]);
      }
      if (hi > st[i]) move(tb, st, i, hi, -1);
    }
  };
  auto fresh = [&](const std::vector<std::int32_t>& st) {
    Table tb(p.resources.size(), std::vector<std::int32_t>(static_cast<std::size_t>(width), 0));
    for (op_id i = 0; i < n; ++i) add(tb, i, st[i], 1);
    return tb;
  };
  Schedule s;
  s.horizon = horizon;
  s.start = start;
  const double before = gaus::peak_memory(p, s);
  std::vector<std::int32_t> safe = start, late = start;
  Table ts = fresh(safe), tl = fresh(late);
  advance(ts, safe);
  delay(ts, safe, true);
  advance(tl, late);
  delay(tl, late, false);
  delay(tl, late, true);
  s.start = safe;
  const double m_safe = gaus::peak_memory(p, s);
  s.start = late;
  const double m_late = gaus::peak_memory(p, s);
  if (!(std::min(m_safe, m_late) < before)) return false;
  start = m_late < m_safe ? late : safe;
  return true;
}

/// detail::legalize as first written, over the reference list scheduler and improve_memory
/// (no modulo mode: ii must be 0).
inline detail::Candidate legalize(const Problem& p, const detail::LegalizeFrame& fr,
                                  std::span<const double> mu) {
  ListOptions lo;
  lo.horizon = fr.horizon;
  lo.priority.assign(mu.begin(), mu.end());
  lo.release.resize(mu.size());
  for (std::size_t i = 0; i < mu.size(); ++i)
    lo.release[i] = static_cast<std::int32_t>(std::clamp(
        std::nearbyint(mu[i]), 0.0, static_cast<double>(std::max(fr.alap[i], 0))));
  Schedule s = ref::list_schedule(p, lo);
  if (schedule_latency(p, s) > fr.horizon) {
    ListOptions packed;
    packed.horizon = fr.horizon;
    packed.priority = lo.priority;
    Schedule t = ref::list_schedule(p, packed);
    if (schedule_latency(p, t) < schedule_latency(p, s)) s = std::move(t);
  }
  s.horizon = fr.formulation == Formulation::Rcs ? schedule_latency(p, s) : fr.horizon;
  s.ii = 0;
  if (fr.formulation == Formulation::B) {
    Schedule t = s;
    if (ref::improve_memory(p, fr.horizon, t.start)) {
      detail::Candidate c = detail::make_candidate(p, fr.formulation, std::move(t));
      if (c.verification.legal) return c;
    }
  }
  return detail::make_candidate(p, fr.formulation, std::move(s));
}

}  // namespace gaus::ref
