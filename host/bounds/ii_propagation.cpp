#include "host/bounds/ii_propagation.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace gaus {

namespace {

constexpr std::size_t kMaxOps = 192;
constexpr int kMaxRounds = 64;
constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::min() / 4;

/// One unit class's ops within the component (local indices), its units, and the ops' busy
/// cycles.
struct ClassOps {
  std::int64_t units = 1;
  std::vector<std::size_t> ops;
};

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

}  // namespace

bool propagation_refutes(const Problem& p, const std::vector<op_id>& members, std::int32_t ii) {
  const std::size_t n = members.size();
  if (n < 2 || n > kMaxOps) return false;
  std::vector<op_id> sorted = members;
  std::sort(sorted.begin(), sorted.end());
  const auto local = [&](op_id v) -> std::size_t {
    const auto it = std::lower_bound(sorted.begin(), sorted.end(), v);
    return it != sorted.end() && *it == v ? static_cast<std::size_t>(it - sorted.begin()) : n;
  };
  // D[i * n + j]: the longest path from sorted[i] to sorted[j] (Floyd-Warshall, max-plus).
  std::vector<std::int64_t> D(n * n, kNone);
  for (std::size_t i = 0; i < n; ++i) {
    D[i * n + i] = 0;
    const op_id v = sorted[i];
    for (edge_id e = p.succ_offsets[v]; e < p.succ_offsets[v + 1]; ++e) {
      const std::size_t j = local(p.edge_dst[e]);
      if (j == n) continue;
      const std::int64_t w = p.edge_delay[e] - std::int64_t{p.edge_distance[e]} * ii;
      D[i * n + j] = std::max(D[i * n + j], w);
    }
  }
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t i = 0; i < n; ++i) {
      const std::int64_t dik = D[i * n + k];
      if (dik == kNone) continue;
      for (std::size_t j = 0; j < n; ++j) {
        const std::int64_t dkj = D[k * n + j];
        if (dkj != kNone && dik + dkj > D[i * n + j]) D[i * n + j] = dik + dkj;
      }
    }
  for (std::size_t i = 0; i < n; ++i) {
    if (D[i * n + i] > 0) return false;  // a positive cycle: RecMII's to report
    for (std::size_t j = 0; j < n; ++j)
      if (D[i * n + j] == kNone) return false;  // not one component
  }

  std::vector<ClassOps> classes;
  {
    std::vector<std::int32_t> slot(p.resources.size(), -1);
    for (std::size_t i = 0; i < n; ++i) {
      const op_id v = sorted[i];
      const std::int32_t r = p.op_resource[v];
      if (r == kNoResource || p.blocking[v] <= 0 || p.resources[r].limit < 1) continue;
      if (slot[r] < 0) {
        slot[r] = static_cast<std::int32_t>(classes.size());
        classes.push_back({p.resources[r].limit, {}});
      }
      classes[slot[r]].ops.push_back(i);
    }
    std::erase_if(classes, [&](const ClassOps& c) {
      std::int64_t busy = 0;
      for (const std::size_t i : c.ops) busy += p.blocking[sorted[i]];
      return busy <= c.units;
    });
  }
  if (classes.empty()) return false;
  const auto B = [&](std::size_t i) { return std::int64_t{p.blocking[sorted[i]]}; };

  std::vector<std::int64_t> head(n), deadline(n);
  for (std::size_t i = 0; i < n; ++i) {
    head[i] = D[i];            // D(sorted[0], i): sorted[0] fixed at 0
    deadline[i] = -D[i * n];   // -D(i, sorted[0])
  }
  std::vector<std::size_t> order;
  std::vector<std::int64_t> taus;
  for (int round = 0; round < kMaxRounds; ++round) {
    bool changed = false;
    for (const ClassOps& c : classes) {
      // Heads: S = the class's ops with head >= h and D(v, x) >= tau, for every h and tau.
      order = c.ops;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return head[a] > head[b]; });
      for (std::size_t x = 0; x < n; ++x) {
        taus.clear();
        for (const std::size_t v : order) taus.push_back(D[v * n + x]);
        std::sort(taus.begin(), taus.end());
        taus.erase(std::unique(taus.begin(), taus.end()), taus.end());
        std::int64_t best = head[x];
        for (const std::int64_t tau : taus) {
          std::int64_t sum = 0, max_b = 0, first = std::numeric_limits<std::int64_t>::max();
          for (const std::size_t v : order) {
            if (D[v * n + x] < tau) continue;
            sum += B(v);
            max_b = std::max(max_b, B(v));
            first = std::min(first, head[v]);  // heads rise as x runs: the order may be stale
            best = std::max(best, first + ceil_div(sum, c.units) - max_b + tau);
          }
        }
        if (best > head[x]) {
          head[x] = best;
          changed = true;
        }
      }
      // Deadlines: S = the class's ops with deadline <= d and D(x, v) >= tau.
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return deadline[a] < deadline[b]; });
      for (std::size_t x = 0; x < n; ++x) {
        taus.clear();
        for (const std::size_t v : order) taus.push_back(D[x * n + v]);
        std::sort(taus.begin(), taus.end());
        taus.erase(std::unique(taus.begin(), taus.end()), taus.end());
        std::int64_t best = deadline[x];
        for (const std::int64_t tau : taus) {
          std::int64_t sum = 0, finish = kNone;
          for (const std::size_t v : order) {
            if (D[x * n + v] < tau) continue;
            sum += B(v);
            finish = std::max(finish, deadline[v] + B(v));
            best = std::min(best, finish - ceil_div(sum, c.units) - tau);
          }
        }
        if (best < deadline[x]) {
          deadline[x] = best;
          changed = true;
        }
      }
    }
    // Spread along D (closed under paths, so one step settles it).
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t i = 0; i < n; ++i) {
        head[j] = std::max(head[j], head[i] + D[i * n + j]);
        deadline[i] = std::min(deadline[i], deadline[j] - D[i * n + j]);
      }
    for (std::size_t i = 0; i < n; ++i)
      if (head[i] > deadline[i]) return true;
    if (!changed) break;
  }
  return false;
}

}  // namespace gaus
