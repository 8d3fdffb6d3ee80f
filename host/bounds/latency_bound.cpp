#include "host/bounds/latency_bound.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "core/timing.hpp"

namespace gaus {

namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min();

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

/// Exact subset maximum: for every head threshold a, the ops with head >= a in decreasing tail
/// order; at each tail threshold b, a + ceil(sum / units) + b.
std::int64_t exact_bound(std::span<const EnergyJob> jobs, std::int64_t units) {
  std::vector<EnergyJob> by_tail(jobs.begin(), jobs.end());
  std::sort(by_tail.begin(), by_tail.end(),
            [](const EnergyJob& x, const EnergyJob& y) { return x.tail > y.tail; });
  std::vector<std::int64_t> heads;
  heads.reserve(jobs.size());
  for (const EnergyJob& j : jobs) heads.push_back(j.head);
  std::sort(heads.begin(), heads.end());
  heads.erase(std::unique(heads.begin(), heads.end()), heads.end());
  std::int64_t best = kNone;
  for (const std::int64_t a : heads) {
    std::int64_t sum = 0;
    for (std::size_t k = 0; k < by_tail.size(); ++k) {
      if (by_tail[k].head >= a) sum += by_tail[k].busy;
      const bool group_end = k + 1 == by_tail.size() || by_tail[k + 1].tail != by_tail[k].tail;
      if (group_end && sum > 0) best = std::max(best, a + ceil_div(sum, units) + by_tail[k].tail);
    }
  }
  return best;
}

/// One threshold: jobs sorted by `key` decreasing; at each group end, key + ceil(sum / units) +
/// the least `other` so far.
template <class Key, class Other>
std::int64_t sweep_bound(std::vector<EnergyJob> jobs, std::int64_t units, Key key, Other other) {
  std::sort(jobs.begin(), jobs.end(),
            [&](const EnergyJob& x, const EnergyJob& y) { return key(x) > key(y); });
  std::int64_t best = kNone, sum = 0, least = std::numeric_limits<std::int64_t>::max();
  for (std::size_t k = 0; k < jobs.size(); ++k) {
    sum += jobs[k].busy;
    least = std::min(least, other(jobs[k]));
    if (k + 1 == jobs.size() || key(jobs[k + 1]) != key(jobs[k]))
      best = std::max(best, key(jobs[k]) + ceil_div(sum, units) + least);
  }
  return best;
}

/// Ops holding a unit of a class with a positive limit, grouped by class.
std::vector<std::vector<op_id>> limited_ops(const Problem& p) {
  std::vector<std::vector<op_id>> by_class(p.resources.size());
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::int32_t k = p.op_resource[i];
    if (k >= 0 && p.resources[k].limit >= 1 && p.blocking[i] > 0) by_class[k].push_back(i);
  }
  return by_class;
}

/// Longest-path tails: q_i = max(max(L_i, 1), max over distance-0 edges lambda_e + q_j).
std::vector<std::int64_t> plain_tails(const Problem& p) {
  std::vector<std::int64_t> q(static_cast<std::size_t>(p.num_ops()));
  for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
    const op_id i = *it;
    q[i] = occupancy(p, i);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) q[i] = std::max(q[i], p.edge_delay[e] + q[p.edge_dst[e]]);
  }
  return q;
}

/// The best class bound over `by_class` with heads r and tails q (job tail q_i - B_i).
std::int64_t classes_bound(const Problem& p, const std::vector<std::vector<op_id>>& by_class,
                           const std::vector<std::int64_t>& r, const std::vector<std::int64_t>& q,
                           std::size_t exact_max, std::int32_t* bounding_class) {
  std::int64_t best = kNone;
  std::vector<EnergyJob> jobs;
  for (std::size_t k = 0; k < by_class.size(); ++k) {
    if (by_class[k].empty()) continue;
    jobs.clear();
    for (const op_id i : by_class[k]) jobs.push_back({r[i], p.blocking[i], q[i] - p.blocking[i]});
    const std::int64_t b = energy_bound(jobs, p.resources[k].limit, exact_max);
    if (b > best) {
      best = b;
      if (bounding_class) *bounding_class = static_cast<std::int32_t>(k);
    }
  }
  return best;
}

/// Longest distance-0 paths from (forward) or to (backward) op `from`, over the ops it reaches:
/// dist[v] (kNone where unreached); `touched` lists the reached ops.
class PathSweep {
 public:
  explicit PathSweep(const Problem& p) : p_(p), pos_(p.topo_order.size()), dist_(pos_.size(), kNone) {
    for (std::size_t k = 0; k < p.topo_order.size(); ++k) pos_[p.topo_order[k]] = k;
  }

  void run(op_id from, bool forward) {
    for (const op_id v : touched_) dist_[v] = kNone;
    touched_.clear();
    dist_[from] = 0;
    touched_.push_back(from);
    const std::size_t n = p_.topo_order.size();
    for (std::size_t k = pos_[from];; forward ? ++k : --k) {
      if (k >= n) break;  // wraps below 0 going backward
      const op_id v = p_.topo_order[k];
      if (dist_[v] == kNone) continue;
      if (forward) {
        for (edge_id e = p_.succ_offsets[v]; e < p_.succ_offsets[v + 1]; ++e)
          if (p_.edge_distance[e] == 0) relax(p_.edge_dst[e], dist_[v] + p_.edge_delay[e]);
      } else {
        for (edge_id q = p_.pred_offsets[v]; q < p_.pred_offsets[v + 1]; ++q) {
          const edge_id e = p_.pred_edges[q];
          if (p_.edge_distance[e] == 0) relax(p_.edge_src[e], dist_[v] + p_.edge_delay[e]);
        }
      }
    }
  }
  [[nodiscard]] const std::vector<op_id>& touched() const { return touched_; }
  [[nodiscard]] std::int64_t dist(op_id v) const { return dist_[v]; }

 private:
  void relax(op_id w, std::int64_t d) {
    if (dist_[w] == kNone) touched_.push_back(w);
    dist_[w] = std::max(dist_[w], d);
  }

  const Problem& p_;
  std::vector<std::size_t> pos_;
  std::vector<std::int64_t> dist_;
  std::vector<op_id> touched_;
};

/// Whether op i holds a unit the bound counts.
bool holds_limited(const Problem& p, op_id i) {
  const std::int32_t k = p.op_resource[i];
  return k >= 0 && p.resources[k].limit >= 1 && p.blocking[i] > 0;
}

/// Heads tightened in topological order: the predecessors' tightened heads plus the edge delay,
/// and per class the energetic bound over the op's limited ancestors (itself included) with
/// tail d(i, j) - B_i.
std::vector<std::int64_t> propagate_heads(const Problem& p, std::size_t exact_max) {
  const op_id n = p.num_ops();
  std::vector<std::int64_t> r(static_cast<std::size_t>(n), 0);
  PathSweep sweep(p);
  std::vector<std::vector<EnergyJob>> jobs(p.resources.size());
  for (const op_id j : p.topo_order) {
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.edge_distance[e] == 0) r[j] = std::max(r[j], r[p.edge_src[e]] + p.edge_delay[e]);
    }
    sweep.run(j, false);
    for (auto& v : jobs) v.clear();
    for (const op_id i : sweep.touched())
      if (holds_limited(p, i))
        jobs[p.op_resource[i]].push_back({r[i], p.blocking[i], sweep.dist(i) - p.blocking[i]});
    for (std::size_t k = 0; k < jobs.size(); ++k)
      if (!jobs[k].empty())
        r[j] = std::max(r[j], energy_bound(jobs[k], p.resources[k].limit, exact_max));
  }
  return r;
}

/// Tails tightened in reverse topological order, symmetrically: per class the energetic bound
/// over the op's limited descendants (itself included) with head d(i, j) and tail q_j - B_j.
std::vector<std::int64_t> propagate_tails(const Problem& p, std::size_t exact_max) {
  const op_id n = p.num_ops();
  std::vector<std::int64_t> q(static_cast<std::size_t>(n), 0);
  PathSweep sweep(p);
  std::vector<std::vector<EnergyJob>> jobs(p.resources.size());
  for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) {
    const op_id i = *it;
    q[i] = occupancy(p, i);
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) q[i] = std::max(q[i], p.edge_delay[e] + q[p.edge_dst[e]]);
    sweep.run(i, true);
    for (auto& v : jobs) v.clear();
    for (const op_id j : sweep.touched())
      if (holds_limited(p, j))
        jobs[p.op_resource[j]].push_back({sweep.dist(j), p.blocking[j], q[j] - p.blocking[j]});
    for (std::size_t k = 0; k < jobs.size(); ++k)
      if (!jobs[k].empty())
        q[i] = std::max(q[i], energy_bound(jobs[k], p.resources[k].limit, exact_max));
  }
  return q;
}

/// Whether the time windows refute latency L: some class's least cover of a window [a, b), a a
/// head and b a latest end (L - tail_i + B_i), exceeds its units' capacity over it, or an op's
/// head is past its latest start.
bool windows_refute(const Problem& p, const std::vector<std::vector<op_id>>& by_class,
                    const std::vector<std::int64_t>& r, const std::vector<std::int64_t>& q,
                    std::int64_t latency) {
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (r[i] + q[i] > latency) return true;
  std::vector<std::int64_t> starts, ends;
  for (std::size_t k = 0; k < by_class.size(); ++k) {
    const std::vector<op_id>& ops = by_class[k];
    if (ops.empty()) continue;
    const std::int64_t units = p.resources[k].limit;
    starts.clear();
    ends.clear();
    for (const op_id i : ops) {
      starts.push_back(r[i]);
      ends.push_back(latency - q[i] + p.blocking[i]);
    }
    std::sort(starts.begin(), starts.end());
    starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
    std::sort(ends.begin(), ends.end());
    ends.erase(std::unique(ends.begin(), ends.end()), ends.end());
    for (const std::int64_t a : starts)
      for (const std::int64_t b : ends) {
        if (b <= a) continue;
        std::int64_t need = 0;
        const std::int64_t room = units * (b - a);
        for (const op_id i : ops) {
          const std::int64_t busy = p.blocking[i], early = r[i], late = latency - q[i];
          const std::int64_t left = std::min(b, early + busy) - std::max(a, early);
          const std::int64_t right = std::min(b, late + busy) - std::max(a, late);
          need += std::max<std::int64_t>(0, std::min(left, right));
          if (need > room) return true;
        }
      }
  }
  return false;
}

std::int32_t clamp32(std::int64_t x) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(x, 0, std::numeric_limits<std::int32_t>::max()));
}

}  // namespace

std::int64_t energy_bound(std::span<const EnergyJob> jobs, std::int64_t units,
                          std::size_t exact_max) {
  if (jobs.empty()) return kNone;
  if (jobs.size() <= exact_max) return exact_bound(jobs, units);
  const std::vector<EnergyJob> v(jobs.begin(), jobs.end());
  const auto head = [](const EnergyJob& j) { return j.head; };
  const auto tail = [](const EnergyJob& j) { return j.tail; };
  return std::max(sweep_bound(v, units, head, tail), sweep_bound(v, units, tail, head));
}

std::string LatencyBound::kind(const Problem& p) const {
  if (value == critical_path) return "the critical path";
  if (value == class_bound && bounding_class >= 0)
    return "unit class '" + p.resources[bounding_class].name +
           "''s busy cycles with release times and tails";
  if (value == propagated) return "release times and tails propagated through the unit classes";
  return "energetic reasoning on time windows";
}

LatencyBound latency_lower_bound(const Problem& p, const LatencyBoundOptions& o) {
  LatencyBound out;
  const op_id n = p.num_ops();
  if (n == 0) return out;
  const std::vector<std::int32_t> asap = asap_starts(p);
  const std::vector<std::int64_t> r(asap.begin(), asap.end());
  const std::vector<std::int64_t> q = plain_tails(p);
  std::int64_t cp = 0;
  for (op_id i = 0; i < n; ++i) cp = std::max(cp, r[i] + q[i]);
  out.critical_path = clamp32(cp);
  const std::vector<std::vector<op_id>> by_class = limited_ops(p);
  out.class_bound = clamp32(classes_bound(p, by_class, r, q, o.exact_max, &out.bounding_class));
  out.value = std::max(out.critical_path, out.class_bound);
  std::size_t limited = 0, largest = 0;
  double cubes = 0;  // one time-window check's work
  for (const auto& c : by_class) {
    limited += c.size();
    largest = std::max(largest, c.size());
    cubes += std::pow(static_cast<double>(c.size()), 3);
  }
  if (limited == 0) return out;
  const double work = static_cast<double>(n) * static_cast<double>(n + p.num_edges());
  std::vector<std::int64_t> heads = r, tails = q;
  if (work <= o.propagation_work) {
    const std::size_t per_op = std::min(o.exact_max, o.propagation_exact_max);
    heads = propagate_heads(p, per_op);
    tails = propagate_tails(p, per_op);
    std::int64_t prop = 0;
    for (op_id i = 0; i < n; ++i) prop = std::max(prop, heads[i] + tails[i]);
    prop = std::max(prop, classes_bound(p, by_class, heads, tails, o.exact_max, nullptr));
    out.propagated = clamp32(prop);
    out.propagation_ran = true;
    out.value = std::max(out.value, out.propagated);
  }
  if (largest > o.exact_max || cubes > o.window_work) return out;
  // Each refuted latency costs one check; a few dozen steps cover the gaps seen in practice.
  const double steps = std::min(64.0, std::floor(o.window_work / std::max(cubes, 1.0)));
  std::int64_t l = out.value;
  for (int step = 0; step < steps && windows_refute(p, by_class, heads, tails, l); ++step) ++l;
  out.windows = clamp32(l);
  out.value = std::max(out.value, out.windows);
  return out;
}

}  // namespace gaus
