#include "host/bounds/ii_propagation.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace gaus {

namespace {

constexpr std::size_t kMaxOps = 192;
constexpr int kMaxRounds = 64;
constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min() / 4;

/// One unit class's ops within the component (local indices) and its units.
struct ClassOps {
  std::int64_t units = 1;
  std::vector<std::size_t> ops;
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

/// The component's ops (sorted ids), longest paths between them at the II, busy cycles and
/// classes, and the current heads and deadlines (local indices throughout).
struct Frame {
  std::size_t n = 0;
  std::vector<op_id> ops;
  std::vector<std::int64_t> D;  ///< D[i * n + j]: the longest path from ops[i] to ops[j]
  std::vector<std::int64_t> busy;
  std::vector<ClassOps> classes;
  std::vector<std::int64_t> head, deadline;

  [[nodiscard]] std::int64_t d(std::size_t i, std::size_t j) const { return D[i * n + j]; }
};

/// D by Floyd-Warshall (max-plus) over the component's edges at `ii`; false on a positive cycle
/// (RecMII's to report) or a pair with no path (not one component).
bool longest_paths(const Problem& p, std::int32_t ii, Frame& f) {
  const std::size_t n = f.n;
  const auto local = [&](op_id v) -> std::size_t {
    const auto it = std::lower_bound(f.ops.begin(), f.ops.end(), v);
    return it != f.ops.end() && *it == v ? static_cast<std::size_t>(it - f.ops.begin()) : n;
  };
  f.D.assign(n * n, kNone);
  for (std::size_t i = 0; i < n; ++i) {
    f.D[i * n + i] = 0;
    const op_id v = f.ops[i];
    for (edge_id e = p.succ_offsets[v]; e < p.succ_offsets[v + 1]; ++e) {
      const std::size_t j = local(p.edge_dst[e]);
      if (j == n) continue;
      const std::int64_t w = p.edge_delay[e] - std::int64_t{p.edge_distance[e]} * ii;
      f.D[i * n + j] = std::max(f.D[i * n + j], w);
    }
  }
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t dik = f.D[i * n + k];
      if (dik == kNone) continue;
      for (std::size_t j = 0; j < n; ++j) {
        const std::int64_t dkj = f.D[k * n + j];
        if (dkj != kNone && dik + dkj > f.D[i * n + j]) f.D[i * n + j] = dik + dkj;
      }
    }
  for (std::size_t i = 0; i < n; ++i) {
    if (f.d(i, i) > 0) return false;
    for (std::size_t j = 0; j < n; ++j)
      if (f.d(i, j) == kNone) return false;
  }
  return true;
}

/// The limited classes whose ops in the component hold more unit-steps than the class has units.
std::vector<ClassOps> crowded_classes(const Problem& p, const Frame& f) {
  std::vector<ClassOps> classes;
  std::vector<std::int32_t> slot(p.resources.size(), -1);
  for (std::size_t i = 0; i < f.n; ++i) {
    const std::int32_t r = p.op_resource[f.ops[i]];
    if (r == kNoResource || f.busy[i] <= 0 || p.resources[r].limit < 1) continue;
    if (slot[r] < 0) {
      slot[r] = static_cast<std::int32_t>(classes.size());
      classes.push_back({p.resources[r].limit, {}});
    }
    classes[slot[r]].ops.push_back(i);
  }
  std::erase_if(classes, [&](const ClassOps& c) {
    std::int64_t held = 0;
    for (const std::size_t i : c.ops) held += f.busy[i];
    return held <= c.units;
  });
  return classes;
}

/// The distinct values of gap(v) over `ops`, ascending: the thresholds tau worth trying.
template <typename Gap>
void distinct_gaps(const std::vector<std::size_t>& ops, Gap&& gap, std::vector<std::int64_t>& out) {
  out.clear();
  for (const std::size_t v : ops) out.push_back(gap(v));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

/// Edge finding on heads for one class: every op x after a set S of the class's ops (D(v, x) >=
/// tau for all of S) starts at >= min head over S + ceil(sum B / C) - max B + tau. Whether a
/// head rose.
bool raise_heads(Frame& f, const ClassOps& c, std::vector<std::size_t>& order,
                 std::vector<std::int64_t>& taus) {
  order = c.ops;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return f.head[a] > f.head[b]; });
  bool changed = false;
  for (std::size_t x = 0; x < f.n; ++x) {
    distinct_gaps(order, [&](std::size_t v) { return f.d(v, x); }, taus);
    std::int64_t best = f.head[x];
    for (const std::int64_t tau : taus) {
      std::int64_t sum = 0, max_b = 0, first = std::numeric_limits<std::int64_t>::max();
      for (const std::size_t v : order) {
        if (f.d(v, x) < tau) continue;
        sum += f.busy[v];
        max_b = std::max(max_b, f.busy[v]);
        first = std::min(first, f.head[v]);  // heads rise as x runs: the order may be stale
        best = std::max(best, first + ceil_div(sum, c.units) - max_b + tau);
      }
    }
    if (best > f.head[x]) {
      f.head[x] = best;
      changed = true;
    }
  }
  return changed;
}

/// The mirror image on deadlines: every op x before a set S (D(x, v) >= tau for all of S)
/// starts at <= max (deadline + B) over S - ceil(sum B / C) - tau. Whether a deadline fell.
bool lower_deadlines(Frame& f, const ClassOps& c, std::vector<std::size_t>& order,
                     std::vector<std::int64_t>& taus) {
  order = c.ops;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return f.deadline[a] < f.deadline[b]; });
  bool changed = false;
  for (std::size_t x = 0; x < f.n; ++x) {
    distinct_gaps(order, [&](std::size_t v) { return f.d(x, v); }, taus);
    std::int64_t best = f.deadline[x];
    for (const std::int64_t tau : taus) {
      std::int64_t sum = 0, finish = kNone;
      for (const std::size_t v : order) {
        if (f.d(x, v) < tau) continue;
        sum += f.busy[v];
        finish = std::max(finish, f.deadline[v] + f.busy[v]);
        best = std::min(best, finish - ceil_div(sum, c.units) - tau);
      }
    }
    if (best < f.deadline[x]) {
      f.deadline[x] = best;
      changed = true;
    }
  }
  return changed;
}

}  // namespace

bool propagation_refutes(const Problem& p, const std::vector<op_id>& members, std::int32_t ii) {
  Frame f;
  f.n = members.size();
  if (f.n < 2 || f.n > kMaxOps) return false;
  f.ops = members;
  std::sort(f.ops.begin(), f.ops.end());
  if (!longest_paths(p, ii, f)) return false;
  f.busy.resize(f.n);
  for (std::size_t i = 0; i < f.n; ++i) f.busy[i] = p.blocking[f.ops[i]];
  f.classes = crowded_classes(p, f);
  if (f.classes.empty()) return false;
  // ops[0] fixed at 0: every op within [D(ops[0], v), -D(v, ops[0])].
  f.head.resize(f.n);
  f.deadline.resize(f.n);
  for (std::size_t i = 0; i < f.n; ++i) {
    f.head[i] = f.d(0, i);
    f.deadline[i] = -f.d(i, 0);
  }
  std::vector<std::size_t> order;
  std::vector<std::int64_t> taus;
  for (int round = 0; round < kMaxRounds; ++round) {
    bool changed = false;
    for (const ClassOps& c : f.classes) {
      changed = raise_heads(f, c, order, taus) || changed;
      changed = lower_deadlines(f, c, order, taus) || changed;
    }
    // Spread along D (closed under paths, so one step settles it).
    for (std::size_t j = 0; j < f.n; ++j)
      for (std::size_t i = 0; i < f.n; ++i) {
        f.head[j] = std::max(f.head[j], f.head[i] + f.d(i, j));
        f.deadline[i] = std::min(f.deadline[i], f.deadline[j] - f.d(i, j));
      }
    for (std::size_t i = 0; i < f.n; ++i)
      if (f.head[i] > f.deadline[i]) return true;
    if (!changed) break;
  }
  return false;
}

}  // namespace gaus
