// Internals of list scheduling shared by list_scheduler.cpp (the placement loops) and
// list_order.cpp (the priority order): the workspace's state, the ready set and the packed
// per-op records. Not a public header: use host/heuristics/heuristics.hpp.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

#include "core/problem.hpp"
#include "host/heuristics/heuristics.hpp"

namespace gaus {

namespace list_detail {

/// Min-set of ranks in [0, n): a 64-ary tree of bitsets, O(log_64 n) per insert and pop.
class ReadySet {
 public:
  void reset(std::size_t n) {
    offset_.clear();
    std::size_t total = 0, width = std::max<std::size_t>(n, 1);
    for (;;) {
      width = (width + 63) / 64;
      offset_.push_back(total);
      total += width;
      if (width == 1) break;
    }
    words_.assign(total, 0);
  }
  [[nodiscard]] bool empty() const { return words_[offset_.back()] == 0; }
  void insert(std::size_t x) {
    for (std::size_t l = 0; l < offset_.size(); ++l, x >>= 6) {
      std::uint64_t& w = words_[offset_[l] + (x >> 6)];
      const std::uint64_t bit = std::uint64_t{1} << (x & 63);
      if ((w & bit) != 0) return;  // marked above already
      w |= bit;
    }
  }
  /// Removes and returns the smallest rank (requires !empty()).
  std::size_t pop_min() {
    std::size_t x = 0;
    for (std::size_t l = offset_.size(); l-- > 0;)
      x = x * 64 + static_cast<std::size_t>(std::countr_zero(words_[offset_[l] + x]));
    for (std::size_t l = 0, y = x; l < offset_.size(); ++l, y >>= 6) {
      std::uint64_t& w = words_[offset_[l] + (y >> 6)];
      w &= ~(std::uint64_t{1} << (y & 63));
      if (w != 0) break;
    }
    return x;
  }

 private:
  std::vector<std::size_t> offset_;  // start of each level in words_, leaves first
  std::vector<std::uint64_t> words_;
};

/// A distance-0 edge as the ordered placement loop reads it.
struct Arc {
  op_id dst;
  std::int32_t delay;
};

/// What the ordered placement loop updates for each successor of a placed op, in one 16-byte
/// record: the loop visits ops in priority order, which jumps around memory, so one cache line
/// per successor instead of one per array.
struct alignas(16) Node {
  std::int64_t bound;    ///< earliest start so far (release, placed predecessors)
  std::int32_t waiting;  ///< unplaced distance-0 predecessors
  std::int32_t rank;     ///< position in the priority order
};

/// What the loop reads (and the start it writes) once per placed op.
struct alignas(16) OpInfo {
  std::int32_t occ;      ///< max(L_i, 1)
  std::int32_t blocking; ///< B_i
  std::int32_t cls;      ///< the limited class whose unit the op holds, or -1
  std::int32_t start;    ///< the step placed at
};

}  // namespace list_detail

struct ListWorkspace::State {
  // Ops by (ALAP at the critical path, index) for the Problem at tie_problem.
  const Problem* tie_problem = nullptr;
  const void* tie_arrays = nullptr;  // p.topo_order.data(), which a rebuilt Problem often moves
  op_id tie_ops = -1;
  edge_id tie_edges = -1;
  std::vector<op_id> tie_order;
  // The last priority order (with its ranks) and the priorities it was made for.
  bool order_valid = false;
  std::vector<double> order_priority;
  std::vector<op_id> order, rank;
  // Radix sort scratch.
  std::vector<std::uint64_t> keys, keys_tmp;
  std::vector<op_id> ops_tmp;
  // With the tie order: the distance-0 successor arcs of each op, packed (CSR by op), and the
  // number of distance-0 predecessors.
  std::vector<edge_id> arc_begin;
  std::vector<list_detail::Arc> arcs;
  std::vector<std::int32_t> indegree;
  // Scheduling scratch.
  std::vector<std::int64_t> bound;
  std::vector<list_detail::Node> nodes;
  std::vector<list_detail::OpInfo> info;
  list_detail::ReadySet ready;
};

namespace list_detail {

/// The checks of priority_order (it calls this): throws
/// InputError when `priority` has the wrong length or a NaN entry.
void check_priority(const Problem& p, const std::vector<double>& priority);

/// st.order / st.rank: the order of priority_order(p, priority), and st.arcs / st.indegree
/// for p; reuses what st holds for the same Problem and priorities.
void make_order(const Problem& p, const std::vector<double>& priority,
                ListWorkspace::State& st);

}  // namespace list_detail

}  // namespace gaus
