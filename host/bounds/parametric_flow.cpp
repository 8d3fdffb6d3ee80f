// Highest-label push-relabel with the gap rule and periodic global relabeling (exact distances
// to the sink by a backward breadth-first search), kept across a monotone family of graphs
// (host/bounds/parametric_flow.hpp). Only "phase one" runs: excess that cannot reach the sink stays
// where it is (at or above label n), which is enough for the value of a minimum cut.
#include "host/bounds/parametric_flow.hpp"
#include "host/bounds/residual_rows.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace gaus::detail {

void ParametricFlow::reset(std::int32_t nodes, std::int32_t sink) {
  n_ = nodes;
  sink_ = sink;
  from_.clear();
  to_.clear();
  cap0_.clear();
  sink_arc_.assign(static_cast<std::size_t>(nodes), -1);
}

void ParametricFlow::add_arc(std::int32_t u, std::int32_t v, std::int64_t cap) {
  from_.push_back(u);
  to_.push_back(v);
  cap0_.push_back(cap);
}

void ParametricFlow::add_sink_arc(std::int32_t v) {
  sink_arc_[v] = static_cast<std::int32_t>(from_.size());  // the staged index until start()
  add_arc(v, sink_, kInfinite);
}

void ParametricFlow::start() {
  const std::size_t n = static_cast<std::size_t>(n_), m = from_.size();
  if (2 * m > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InputError("parametric flow: " + std::to_string(m) + " arcs exceed 32-bit indices");
  std::vector<std::int32_t> pos;
  build_residual_rows(n, from_, to_, cap0_, head_, adj_, rev_, res_, pos);
  for (std::int32_t& a : sink_arc_)
    if (a >= 0) a = pos[static_cast<std::size_t>(a)];
  label_.assign(n, 0);
  excess_.assign(n, 0);
  source_.assign(n, 0);
  new_sources_.clear();
  first_.assign(n, -1);
  next_.assign(n, -1);
  prev_.assign(n, -1);
  count_.assign(n, 0);
  active_.assign(n, {});
  global_relabel();
}

void ParametricFlow::list_insert(std::int32_t v) {
  const std::int32_t k = label_[v];
  next_[v] = first_[k];
  prev_[v] = -1;
  if (first_[k] >= 0) prev_[first_[k]] = v;
  first_[k] = v;
  ++count_[k];
  top_label_ = std::max(top_label_, k);
}

void ParametricFlow::list_remove(std::int32_t v) {
  const std::int32_t k = label_[v];
  if (prev_[v] >= 0) next_[prev_[v]] = next_[v];
  else first_[k] = next_[v];
  if (next_[v] >= 0) prev_[next_[v]] = prev_[v];
  --count_[k];
}

void ParametricFlow::activate(std::int32_t v) {
  if (v == sink_ || source_[v] || label_[v] >= n_) return;
  active_[label_[v]].push_back(v);
  top_active_ = std::max(top_active_, label_[v]);
}

void ParametricFlow::push(std::int32_t a, std::int32_t u, std::int64_t f) {
  const std::int32_t w = adj_[a];
  res_[a] -= f;
  res_[rev_[a]] += f;
  excess_[u] -= f;
  const bool was_idle = excess_[w] <= 0;
  excess_[w] += f;
  if (was_idle && excess_[w] > 0) activate(w);
}

void ParametricFlow::global_relabel() {
  // Labels only rise: a valid label is at most the distance, and nodes that cannot reach the
  // sink go to n (those at n or above already stay).
  std::fill(first_.begin(), first_.end(), -1);
  std::fill(count_.begin(), count_.end(), 0);
  for (auto& stack : active_) stack.clear();
  top_label_ = 0;
  top_active_ = -1;
  for (std::int32_t v = 0; v < n_; ++v)
    if (!source_[v] && label_[v] < n_) label_[v] = n_;
  label_[sink_] = 0;
  queue_.assign(1, sink_);
  for (std::size_t q = 0; q < queue_.size(); ++q) {
    const std::int32_t v = queue_[q];
    for (std::int32_t a = head_[v]; a < head_[v + 1]; ++a) {
      const std::int32_t u = adj_[a];
      if (res_[rev_[a]] > 0 && label_[u] == n_ && !source_[u]) {
        label_[u] = label_[v] + 1;
        queue_.push_back(u);
      }
    }
  }
  for (std::size_t q = 1; q < queue_.size(); ++q) {
    const std::int32_t v = queue_[q];
    list_insert(v);
    if (excess_[v] > 0) activate(v);
  }
  cur_.assign(head_.begin(), head_.end() - 1);
  work_ = 0;
}

void ParametricFlow::relabel(std::int32_t v) {
  const std::int32_t old = label_[v];
  std::int32_t next = n_;
  for (std::int32_t a = head_[v]; a < head_[v + 1]; ++a)
    if (res_[a] > 0) next = std::min(next, label_[adj_[a]] + 1);
  work_ += head_[v + 1] - head_[v] + 12;
  list_remove(v);
  if (count_[old] == 0) {
    // Gap: no node is left at `old`, so nothing above it reaches the sink.
    for (std::int32_t k = old + 1; k <= top_label_; ++k) {
      for (std::int32_t u = first_[k]; u >= 0; u = next_[u]) label_[u] = n_;
      first_[k] = -1;
      count_[k] = 0;
    }
    top_label_ = old - 1;
    label_[v] = n_;
    return;
  }
  label_[v] = std::min(next, n_);
  cur_[v] = head_[v];
  if (label_[v] < n_) list_insert(v);
}

void ParametricFlow::make_source(std::int32_t v) {
  if (source_[v]) return;
  drop_sink_arc(v);
  if (label_[v] < n_) list_remove(v);
  source_[v] = 1;
  label_[v] = n_;
  new_sources_.push_back(v);
}

void ParametricFlow::finish_sources() {
  for (const std::int32_t v : new_sources_)
    for (std::int32_t a = head_[v]; a < head_[v + 1]; ++a) {
      const std::int32_t w = adj_[a];
      if (res_[a] <= 0 || source_[w]) continue;
      if (res_[a] >= kInfinite / 2)
        throw Error("parametric flow: a new source has an infinite arc to node " +
                    std::to_string(w) + ", which is not a source");
      push(a, v, res_[a]);
    }
  new_sources_.clear();
}

void ParametricFlow::drop_sink_arc(std::int32_t v) {
  const std::int32_t a = sink_arc_[v];
  if (a < 0) return;
  sink_arc_[v] = -1;
  const std::int64_t f = res_[rev_[a]];
  res_[a] = 0;
  res_[rev_[a]] = 0;
  excess_[sink_] -= f;
  const bool was_idle = excess_[v] <= 0;
  excess_[v] += f;
  if (was_idle && excess_[v] > 0) activate(v);
}

bool ParametricFlow::solve(const std::function<bool()>& stop) {
  const std::int64_t relabel_every = 2 * (static_cast<std::int64_t>(n_) + head_[n_]);
  std::int64_t polls = 0;
  for (;;) {
    if (work_ > relabel_every) global_relabel();
    while (top_active_ >= 0 && active_[top_active_].empty()) --top_active_;
    if (top_active_ < 0) return true;
    const std::int32_t v = active_[top_active_].back();
    active_[top_active_].pop_back();
    if (label_[v] != top_active_ || excess_[v] <= 0 || source_[v]) continue;  // stale
    // Discharge v: push along admissible arcs (label one lower), relabel when none is left.
    while (excess_[v] > 0) {
      if (cur_[v] == head_[v + 1]) {
        relabel(v);
        if (label_[v] >= n_) break;
        continue;
      }
      const std::int32_t a = cur_[v];
      if (res_[a] > 0 && label_[v] == label_[adj_[a]] + 1)
        push(a, v, std::min(excess_[v], res_[a]));
      else
        ++cur_[v];
      ++work_;
    }
    if (stop && (++polls & 1023) == 0 && stop()) return false;
  }
}

}  // namespace gaus::detail
