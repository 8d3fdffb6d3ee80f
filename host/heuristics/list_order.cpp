// The list-scheduling priority order (priority_order's order, lower priority first, ties by
// ALAP at the critical path, then op index) in linear time: the tie-break order is one backward
// sweep and a counting sort, kept per Problem by the workspace; the priorities are then radix
// sorted (stable, so ties keep the tie-break order) over the ops in that order.
#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/heuristics/list_workspace.hpp"

namespace gaus {

ListWorkspace::ListWorkspace() : state_(std::make_unique<State>()) {}
ListWorkspace::~ListWorkspace() = default;
ListWorkspace::ListWorkspace(ListWorkspace&&) noexcept = default;
ListWorkspace& ListWorkspace::operator=(ListWorkspace&&) noexcept = default;

void ListWorkspace::forget() {
  state_->tie_problem = nullptr;
  state_->tie_arrays = nullptr;
  state_->order_valid = false;
}

namespace list_detail {

namespace {

using State = ListWorkspace::State;

/// A key whose unsigned order is the order of `x` (not NaN), with -0 and +0 equal.
std::uint64_t order_key(double x) {
  const auto bits = std::bit_cast<std::uint64_t>(x == 0.0 ? 0.0 : x);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

bool ties_cached(const Problem& p, const State& st) {
  return st.tie_problem == &p && st.tie_arrays == p.topo_order.data() &&
         st.tie_ops == p.num_ops() && st.tie_edges == p.num_edges();
}

/// st.tie_order for p: by ALAP at the critical path, ties by op index. ALAP at any horizon D is
/// D + c_i with c_i = min(-max(L_i, 1), min over distance-0 edges (c_j - lambda_e)), so the
/// order by c_i is the order by ALAP and one backward sweep gives it (along the op indices when
/// they are a topological order, which keeps the sweep in memory order); then a counting sort
/// when the values are dense.
void make_tie_order(const Problem& p, State& st) {
  if (ties_cached(p, st)) return;
  const op_id n = p.num_ops();
  bool by_index = true;
  for (edge_id e = 0; e < p.num_edges() && by_index; ++e)
    by_index = p.edge_distance[e] != 0 || p.edge_src[e] < p.edge_dst[e];
  std::vector<std::int64_t> c(static_cast<std::size_t>(n));
  auto settle = [&](op_id i) {
    std::int64_t v = -std::int64_t{occupancy(p, i)};
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      if (p.edge_distance[e] == 0) v = std::min(v, c[p.edge_dst[e]] - p.edge_delay[e]);
    c[i] = v;
  };
  if (by_index) {
    for (op_id i = n; i-- > 0;) settle(i);
  } else {
    for (auto it = p.topo_order.rbegin(); it != p.topo_order.rend(); ++it) settle(*it);
  }
  std::vector<op_id>& t = st.tie_order;
  t.resize(static_cast<std::size_t>(n));
  std::int64_t lo = 0, hi = -1;
  if (n > 0) {
    const auto [mn, mx] = std::minmax_element(c.begin(), c.end());
    lo = *mn;
    hi = *mx;
  }
  if (hi - lo <= 4 * std::int64_t{n} + 1024) {
    std::vector<op_id> count(static_cast<std::size_t>(hi - lo + 2), 0);
    for (op_id i = 0; i < n; ++i) ++count[c[i] - lo + 1];
    for (std::size_t v = 1; v < count.size(); ++v) count[v] += count[v - 1];
    for (op_id i = 0; i < n; ++i) t[count[c[i] - lo]++] = i;
  } else {
    for (op_id i = 0; i < n; ++i) t[i] = i;
    std::stable_sort(t.begin(), t.end(), [&](op_id a, op_id b) { return c[a] < c[b]; });
  }
  st.arc_begin.resize(static_cast<std::size_t>(n) + 1);
  st.indegree.assign(static_cast<std::size_t>(n), 0);
  edge_id arcs = 0;
  for (op_id i = 0; i < n; ++i) {
    st.arc_begin[i] = arcs;
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      arcs += p.edge_distance[e] == 0;
  }
  st.arc_begin[n] = arcs;
  st.arcs.resize(static_cast<std::size_t>(arcs));
  for (edge_id e = 0, a = 0; e < p.num_edges(); ++e)
    if (p.edge_distance[e] == 0) {
      st.arcs[a++] = {p.edge_dst[e], p.edge_delay[e]};
      ++st.indegree[p.edge_dst[e]];
    }
  st.tie_problem = &p;
  st.tie_arrays = p.topo_order.data();
  st.tie_ops = n;
  st.tie_edges = p.num_edges();
  st.order_valid = false;
}

}  // namespace

/// The priority's checks (length, NaN), shared with priority_order.
void check_priority(const Problem& p, const std::vector<double>& priority) {
  const op_id n = p.num_ops();
  if (!priority.empty() && priority.size() != static_cast<std::size_t>(n))
    throw InputError("list scheduling: priority has " + std::to_string(priority.size()) +
                     " entries for " + std::to_string(n) + " ops");
  for (op_id i = 0; i < static_cast<op_id>(priority.size()); ++i)
    if (std::isnan(priority[i]))
      throw InputError("list scheduling: priority of op '" + std::string(p.name(i)) + "' is NaN");
}

/// st.order / st.rank: priority_order(p, priority), by a stable LSD radix sort (11-bit digits,
/// constant digits skipped) of the priority keys over the ops in tie-break order.
void make_order(const Problem& p, const std::vector<double>& priority, State& st) {
  const bool fresh_ties = !ties_cached(p, st);
  make_tie_order(p, st);
  if (!fresh_ties && st.order_valid && st.order_priority == priority) return;
  const auto n = static_cast<std::size_t>(p.num_ops());
  st.order = st.tie_order;
  if (!priority.empty() && n > 0) {
    constexpr int kBits = 11, kPasses = (64 + kBits - 1) / kBits;
    constexpr std::size_t kBuckets = std::size_t{1} << kBits;
    std::vector<std::size_t> count(kPasses * kBuckets, 0);
    st.keys.resize(n);
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint64_t k = order_key(priority[st.order[r]]);
      st.keys[r] = k;
      for (int d = 0; d < kPasses; ++d)
        ++count[d * kBuckets + ((k >> (d * kBits)) & (kBuckets - 1))];
    }
    st.keys_tmp.resize(n);
    st.ops_tmp.resize(n);
    for (int d = 0; d < kPasses; ++d) {
      std::size_t* c = count.data() + d * kBuckets;
      const std::uint64_t digit = (st.keys[0] >> (d * kBits)) & (kBuckets - 1);
      if (c[digit] == n) continue;  // every key has this digit: the pass would not move anything
      std::size_t sum = 0;
      for (std::size_t b = 0; b < kBuckets; ++b) sum += std::exchange(c[b], sum);
      for (std::size_t r = 0; r < n; ++r) {
        const std::size_t to = c[(st.keys[r] >> (d * kBits)) & (kBuckets - 1)]++;
        st.keys_tmp[to] = st.keys[r];
        st.ops_tmp[to] = st.order[r];
      }
      st.keys.swap(st.keys_tmp);
      st.order.swap(st.ops_tmp);
    }
  }
  st.rank.resize(n);
  for (std::size_t r = 0; r < n; ++r) st.rank[st.order[r]] = static_cast<op_id>(r);
  st.order_priority = priority;
  st.order_valid = true;
}

}  // namespace list_detail

}  // namespace gaus
