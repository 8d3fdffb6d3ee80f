#include "host/ilp/modulo_model.hpp"

#include <algorithm>
#include <cmath>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <functional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "host/ilp/rows.hpp"

namespace gaus::ilp {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {  // b > 0
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

/// Every edge at II: z[j,d] <= z[i, d - c] with c = lambda - delta * II, over the steps where the
/// row can bind (as add_precedence_rows of model.cpp, loop-carried edges included).
void add_modulo_precedence_rows(const Problem& p, std::int32_t ii, Model& m, RowWriter& w) {
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    const std::int64_t c =
        static_cast<std::int64_t>(p.edge_delay[e]) - static_cast<std::int64_t>(p.edge_distance[e]) * ii;
    for (std::int64_t d = m.lo[j]; d <= m.hi[i] + c - 1; ++d) {
      w.started(j, d, 1.0);
      w.started(i, d - c, -1.0);
      w.finish(-1e30, 0, "a dependency", d);
    }
  }
}

/// Per limited class and residue q: sum over its ops of the steps d = q (mod II) it is busy.
void add_modulo_unit_rows(const Problem& p, std::int32_t ii, Model& m, RowWriter& w) {
  for (std::size_t k = 0; k < p.resources.size(); ++k) {
    const std::int32_t limit = p.resources[k].limit;
    if (limit < 0) continue;
    std::vector<op_id> members;
    std::int64_t busy = 0;
    for (op_id i = 0; i < p.num_ops(); ++i)
      if (p.op_resource[i] == static_cast<std::int32_t>(k) && p.blocking[i] > 0) {
        members.push_back(i);
        busy += p.blocking[i];
      }
    if (busy <= limit) continue;  // cannot overflow at any residue
    for (std::int32_t q = 0; q < ii; ++q) {
      for (op_id i : members) {
        const std::int64_t first = m.lo[i], last = m.hi[i] + p.blocking[i] - 1;
        std::int64_t d = first + ((q - first) % ii + ii) % ii;  // the first step = q at or after lo
        for (; d <= last; d += ii) {
          w.started(i, d, 1.0);
          w.started(i, d - p.blocking[i], -1.0);
        }
      }
      w.finish(-1e30, limit, "a unit limit at a residue", q);
    }
  }
}

}  // namespace

std::optional<std::vector<std::int32_t>> modulo_latest_starts(const Problem& p, std::int32_t ii) {
  using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property,
                                                 boost::no_property, boost::no_property,
                                                 std::uint32_t, std::uint64_t>;
  const op_id n = p.num_ops();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (edge_id e = 0; e < p.num_edges(); ++e)
    pairs.emplace_back(static_cast<std::uint32_t>(p.edge_src[e]),
                       static_cast<std::uint32_t>(p.edge_dst[e]));
  const Csr g(boost::edges_are_sorted, pairs.begin(), pairs.end(), static_cast<std::uint32_t>(n));
  std::vector<std::uint32_t> comp(static_cast<std::size_t>(n));
  const std::size_t nc = boost::strong_components(
      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  // an op whose unit class is limited keeps its residue; the others start when their inputs
  // allow, so only the former can be late by rounding up to a residue (at most II - 1)
  std::vector<std::int64_t> round_up(static_cast<std::size_t>(n), 0);
  for (op_id i = 0; i < n; ++i) {
    const std::int32_t k = p.op_resource[i];
    if (k >= 0 && p.resources[k].limit >= 0 && p.blocking[i] > 0) round_up[i] = ii - 1;
  }
  auto w = [&](edge_id e) {
    return static_cast<std::int64_t>(p.edge_delay[e]) -
           static_cast<std::int64_t>(p.edge_distance[e]) * ii + round_up[p.edge_dst[e]];
  };
  // inside a component of m ops a simple path has at most m - 1 edges: at most the m - 1
  // largest positive weights among its edges
  std::vector<std::vector<std::int64_t>> inside(nc);
  std::vector<std::int64_t> size(nc, 0), inner(nc, 0), in(nc, 0);
  for (op_id i = 0; i < n; ++i) in[comp[i]] = std::max(in[comp[i]], round_up[i]);  // s >= 0
  std::vector<std::vector<std::pair<std::uint32_t, std::int64_t>>> out(nc);
  std::vector<std::int32_t> indegree(nc, 0);
  for (op_id i = 0; i < n; ++i) ++size[comp[i]];
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const std::uint32_t a = comp[p.edge_src[e]], b = comp[p.edge_dst[e]];
    if (a == b) {
      if (w(e) > 0) inside[a].push_back(w(e));
    } else {
      out[a].emplace_back(b, w(e));
      ++indegree[b];
    }
  }
  for (std::size_t c = 0; c < nc; ++c) {
    auto& v = inside[c];
    const std::size_t take = std::min<std::size_t>(v.size(), static_cast<std::size_t>(size[c] - 1));
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(take), v.end(),
                      std::greater<>());
    for (std::size_t q = 0; q < take; ++q) inner[c] += v[q];
  }
  // the longest path over the components, in topological order (Kahn)
  std::vector<std::uint32_t> ready;
  for (std::size_t c = 0; c < nc; ++c)
    if (indegree[c] == 0) ready.push_back(static_cast<std::uint32_t>(c));
  while (!ready.empty()) {
    const std::uint32_t c = ready.back();
    ready.pop_back();
    for (const auto& [d, weight] : out[c]) {
      in[d] = std::max(in[d], in[c] + inner[c] + weight);
      if (--indegree[d] == 0) ready.push_back(d);
    }
  }
  std::vector<std::int32_t> hi(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) {
    const std::int64_t h = in[comp[i]] + inner[comp[i]];
    if (h > (1 << 30)) return std::nullopt;
    hi[i] = static_cast<std::int32_t>(h);
  }
  return hi;
}

namespace {

/// The latest starts at `ii`, or InputError (a non-positive II, windows past 2^30 steps).
std::vector<std::int32_t> checked_latest_starts(const Problem& p, std::int32_t ii) {
  if (ii <= 0) throw InputError("modulo ILP: II must be positive, not " + std::to_string(ii));
  auto latest = modulo_latest_starts(p, ii);
  if (!latest)
    throw InputError("modulo ILP: at II=" + std::to_string(ii) +
                     " the windows of the starts pass 2^30 steps");
  return std::move(*latest);
}

}  // namespace

Model build_modulo_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                         std::chrono::steady_clock::time_point deadline) {
  Model m;
  m.lo = asap_starts(p);
  m.hi = checked_latest_starts(p, ii);
  for (op_id i = 0; i < p.num_ops(); ++i) {
    m.hi[i] = std::max(m.hi[i], m.lo[i]);  // a wider window never hides a schedule
    m.horizon = std::max(m.horizon, m.hi[i] + occupancy(p, i));
  }
  RowWriter w(m, max_nonzeros, deadline);
  add_step_columns(p, m, w, max_nonzeros);
  add_modulo_precedence_rows(p, ii, m, w);
  add_modulo_unit_rows(p, ii, m, w);
  return m;
}

Model build_modulo_residue_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                                 std::chrono::steady_clock::time_point deadline) {
  const std::vector<std::int32_t> latest = checked_latest_starts(p, ii);
  const op_id n = p.num_ops();
  if (static_cast<std::int64_t>(n) * (ii + 1) > max_nonzeros)
    throw ModelTooLarge("the model needs " + std::to_string(static_cast<std::int64_t>(n) * ii) +
                        " residue variables (over --max-nonzeros " +
                        std::to_string(max_nonzeros) + ")");
  Model m;
  m.lo = asap_starts(p);
  RowWriter w(m, max_nonzeros, deadline);
  m.k_col.resize(static_cast<std::size_t>(n));
  m.r_base.resize(static_cast<std::size_t>(n));
  for (op_id i = 0; i < n; ++i) {
    const std::int64_t k_lo = ceil_div(m.lo[i] - ii + 1, ii), k_hi = latest[i] / ii;
    m.k_col[i] = w.add_col(static_cast<double>(k_lo), static_cast<double>(std::max(k_lo, k_hi)), 0,
                           true);
    m.r_base[i] = m.num_cols();
    for (std::int32_t r = 0; r < ii; ++r) w.add_col(0, 1, 0, true);
    for (std::int32_t r = 0; r < ii; ++r) w.term(m.r_base[i] + r, 1);
    w.finish(1, 1, "a residue", i);
    m.horizon = std::max<std::int32_t>(m.horizon, latest[i] + occupancy(p, i));
  }
  for (edge_id e = 0; e < p.num_edges(); ++e) {
    const op_id i = p.edge_src[e], j = p.edge_dst[e];
    const double rhs = static_cast<double>(p.edge_delay[e]) -
                       static_cast<double>(p.edge_distance[e]) * ii;
    if (i == j) {  // s_i + delta * II >= s_i + lambda
      if (rhs > 0)
        throw InfeasibleError("no modulo schedule at II=" + std::to_string(ii) +
                              ": a self-recurrence needs " + std::to_string(p.edge_delay[e]));
      continue;
    }
    w.term(m.k_col[j], ii);
    w.term(m.k_col[i], -ii);
    for (std::int32_t r = 1; r < ii; ++r) {
      w.term(m.r_base[j] + r, r);
      w.term(m.r_base[i] + r, -r);
    }
    w.finish(rhs, 1e30, "a dependency", e);
  }
  std::vector<double> coef(static_cast<std::size_t>(ii));
  for (std::size_t k = 0; k < p.resources.size(); ++k) {
    const std::int32_t limit = p.resources[k].limit;
    if (limit < 0) continue;
    std::vector<op_id> members;
    std::int64_t busy = 0;
    for (op_id i = 0; i < n; ++i)
      if (p.op_resource[i] == static_cast<std::int32_t>(k) && p.blocking[i] > 0) {
        members.push_back(i);
        busy += p.blocking[i];
      }
    if (busy <= limit) continue;
    for (std::int32_t q = 0; q < ii; ++q) {
      for (op_id i : members) {
        std::fill(coef.begin(), coef.end(), 0.0);
        for (std::int32_t u = 0; u < p.blocking[i]; ++u) coef[((q - u) % ii + ii) % ii] += 1;
        for (std::int32_t r = 0; r < ii; ++r)
          if (coef[r] != 0) w.term(m.r_base[i] + r, coef[r]);
      }
      w.finish(-1e30, limit, "a unit limit at a residue", q);
    }
  }
  return m;
}

Schedule decode_modulo(const Problem& p, const Model& m, std::int32_t ii, const double* x) {
  Schedule s;
  if (m.k_col.empty()) {
    s = decode(p, m, x);
  } else {
    s.start.resize(static_cast<std::size_t>(p.num_ops()));
    for (op_id i = 0; i < p.num_ops(); ++i) {
      std::int32_t r = 0;
      while (r + 1 < ii && x[m.r_base[i] + r] < 0.5) ++r;
      s.start[i] = ii * static_cast<std::int32_t>(std::lround(x[m.k_col[i]])) + r;
    }
  }
  s.ii = ii;
  s.horizon = 0;
  for (op_id i = 0; i < p.num_ops(); ++i)
    s.horizon = std::max(s.horizon, s.start[i] + occupancy(p, i));
  return s;
}

}  // namespace gaus::ilp
