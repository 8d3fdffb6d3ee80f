#include "host/ilp/modulo_model.hpp"

#include <algorithm>
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
  auto w = [&](edge_id e) {
    return ceil_div(ii - 1 + p.edge_delay[e], ii) - p.edge_distance[e];
  };
  // inside a component of m ops a simple path has at most m - 1 edges: at most the m - 1
  // largest positive weights among its edges
  std::vector<std::vector<std::int64_t>> inside(nc);
  std::vector<std::int64_t> size(nc, 0), inner(nc, 0), in(nc, 0);
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
    const std::int64_t h = static_cast<std::int64_t>(ii) * (in[comp[i]] + inner[comp[i]]) + ii - 1;
    if (h > (1 << 30)) return std::nullopt;
    hi[i] = static_cast<std::int32_t>(h);
  }
  return hi;
}

Model build_modulo_model(const Problem& p, std::int32_t ii, std::int64_t max_nonzeros,
                         std::chrono::steady_clock::time_point deadline) {
  if (ii <= 0) throw InputError("modulo ILP: II must be positive, not " + std::to_string(ii));
  const auto latest = modulo_latest_starts(p, ii);
  if (!latest)
    throw InputError("modulo ILP: at II=" + std::to_string(ii) +
                     " the windows of the starts pass 2^30 steps");
  Model m;
  m.lo = asap_starts(p);
  m.hi = *latest;
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

Schedule decode_modulo(const Problem& p, const Model& m, std::int32_t ii, const double* x) {
  Schedule s = decode(p, m, x);
  s.ii = ii;
  s.horizon = 0;
  for (op_id i = 0; i < p.num_ops(); ++i)
    s.horizon = std::max(s.horizon, s.start[i] + occupancy(p, i));
  return s;
}

}  // namespace gaus::ilp
