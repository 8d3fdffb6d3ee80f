// gaus.Problem and the ways to make one: read (any input format, as the `gaus` command reads it)
// and build (op and edge arrays, from gaus.from_arrays / gaus.from_networkx).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "gaus/gaus.hpp"
#include "graphs/file_io.hpp"
#include "python/src/bindings.hpp"
#include "python/src/schedule_arg.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace gaus::py {

namespace {

Problem read(const std::string& path, const std::string& format, const std::string& companion,
             const std::string& library, const std::string& design,
             const std::vector<std::string>& latency, const std::vector<std::string>& limit,
             const std::vector<std::string>& unit_class, bool non_pipelined) {
  LoadOptions o;
  o.format = parse_format(format.empty() ? "auto" : format);
  o.companion = companion;
  o.library = library;
  o.design = design;
  o.latency = latency;
  o.limit = limit;
  o.unit_class = unit_class;
  o.non_pipelined = non_pipelined;
  nb::gil_scoped_release release;
  return load_problem(path, o);
}

/// Checks that an optional per-item array has `n` entries (or none).
template <typename V>
void check_length(const std::string& source, const V& v, std::size_t n, const char* what,
                  const char* of) {
  if (!v.empty() && v.size() != n)
    input_error(source, 0,
                std::string(what) + " has " + std::to_string(v.size()) +
                    " entries, expected one per " + of + " (" + std::to_string(n) + ")");
}

Problem build(const std::string& source, const std::vector<std::string>& names,
              const std::vector<std::string>& types, const std::vector<std::int32_t>& op_latency,
              const std::vector<std::int32_t>& op_blocking, const std::vector<double>& weight,
              const std::vector<double>& out_size, const std::vector<std::int64_t>& edge_src,
              const std::vector<std::int64_t>& edge_dst,
              const std::vector<std::int32_t>& edge_delay,
              const std::vector<std::int32_t>& edge_distance,
              const std::vector<double>& edge_weight, const std::vector<std::string>& latency,
              const std::vector<std::string>& limit, const std::vector<std::string>& unit_class,
              bool non_pipelined, std::int32_t horizon, std::int32_t ii) {
  const std::size_t n = names.size(), m = edge_src.size();
  check_length(source, types, n, "types", "op");
  check_length(source, op_latency, n, "op latencies", "op");
  check_length(source, op_blocking, n, "op blocking times", "op");
  check_length(source, weight, n, "weights", "op");
  check_length(source, out_size, n, "output sizes", "op");
  check_length(source, edge_dst, m, "edge targets", "edge");
  check_length(source, edge_delay, m, "edge delays", "edge");
  check_length(source, edge_distance, m, "edge distances", "edge");
  check_length(source, edge_weight, m, "edge weights", "edge");
  if (horizon < 0) input_error(source, 0, "horizon " + std::to_string(horizon) + " is negative");
  if (ii < 0) input_error(source, 0, "ii " + std::to_string(ii) + " is negative");

  ProblemBuilder b(source);
  b.reserve(n, m);
  for (std::size_t i = 0; i < n; ++i) {
    const op_id op = b.add_op(names[i], types.empty() ? std::string() : types[i]);
    if (!op_latency.empty() && op_latency[i] >= 0) b.set_latency(op, op_latency[i]);
    if (!op_blocking.empty() && op_blocking[i] >= 0) b.set_blocking(op, op_blocking[i]);
    if (!weight.empty()) b.set_weight(op, weight[i]);
    if (!out_size.empty()) b.set_out_size(op, out_size[i]);
  }
  for (std::size_t e = 0; e < m; ++e) {
    for (const std::int64_t end : {edge_src[e], edge_dst[e]})
      if (end < 0 || end >= static_cast<std::int64_t>(n))
        input_error(source, 0,
                    "edge " + std::to_string(e) + ": op index " + std::to_string(end) +
                        " is out of range [0, " + std::to_string(n) + ")");
    EdgeSpec s;
    s.src = static_cast<op_id>(edge_src[e]);
    s.dst = static_cast<op_id>(edge_dst[e]);
    if (!edge_delay.empty()) s.delay = edge_delay[e];
    if (!edge_distance.empty()) s.distance = edge_distance[e];
    if (!edge_weight.empty()) s.weight = edge_weight[e];
    b.add_edge(s);
  }
  b.set_horizon(horizon);
  b.set_ii(ii);
  TypeLibrary lib;
  for (const auto& f : latency) apply_latency_flag(lib, f);
  for (const auto& f : limit) apply_limit_flag(lib, f);
  for (const auto& f : unit_class) apply_unit_class_flag(lib, f);
  if (non_pipelined) lib.pipelined = false;
  nb::gil_scoped_release release;
  return b.build(lib);
}

/// "json" or "dot": `format` when given, else from the extension of `path`.
std::string writer_format(const std::string& path, const std::string& format) {
  std::string f = format;
  if (f.empty()) {
    f = std::filesystem::path(path).extension().string();
    if (!f.empty()) f.erase(0, 1);
  }
  if (f != "json" && f != "dot")
    throw InputError(path + ": cannot write format '" + f +
                     "' (the writers are json and dot; pass format= or use .json or .dot)");
  return f;
}

template <typename T>
nb::list to_list(const std::vector<T>& v) {
  nb::list l;
  for (const T& x : v) l.append(x);
  return l;
}

}  // namespace

void bind_problem(nb::module_& m) {
  nb::class_<Problem>(m, "Problem",
                      "A scheduling problem: ops (with type, unit class, latency, blocking, "
                      "weight, output size), edges (delay, distance, weight) and unit classes. "
                      "Made by gaus.read, gaus.from_arrays or gaus.from_networkx.")
      .def_prop_ro(
          "source", [](const Problem& p) { return p.source; },
          "Where it was read from (used in messages).")
      .def_prop_ro("num_ops", &Problem::num_ops, "Number of ops.")
      .def_prop_ro("num_edges", &Problem::num_edges, "Number of edges (loop-carried included).")
      .def_prop_ro("num_loop_carried", &Problem::num_loop_carried, "Edges with distance > 0.")
      .def_prop_ro(
          "op_names",
          [](const Problem& p) {
            nb::list l;
            for (op_id i = 0; i < p.num_ops(); ++i) {
              const std::string_view s = p.name(i);
              l.append(nb::str(s.data(), s.size()));
            }
            return l;
          },
          "Op names in op order (the order of every per-op array).")
      .def_prop_ro(
          "op_types",
          [](const Problem& p) {
            nb::list l;
            for (op_id i = 0; i < p.num_ops(); ++i)
              l.append(p.op_type[i] >= 0 ? p.type_names[p.op_type[i]] : std::string());
            return l;
          },
          "Op types as written in the input ('' for none).")
      .def_prop_ro(
          "op_classes",
          [](const Problem& p) {
            nb::list l;
            for (op_id i = 0; i < p.num_ops(); ++i) {
              const std::int32_t r = p.op_resource[i];
              l.append(r >= 0 ? nb::object(nb::str(p.resources[r].name.c_str())) : nb::none());
            }
            return l;
          },
          "Unit class of each op, None when it uses no unit.")
      .def_prop_ro(
          "latencies", [](const Problem& p) { return to_list(p.latency); },
          "L_i: cycles until each op's result is ready.")
      .def_prop_ro(
          "blocking", [](const Problem& p) { return to_list(p.blocking); },
          "B_i: cycles each op holds its unit (1 when pipelined).")
      .def_prop_ro(
          "weights", [](const Problem& p) { return to_list(p.weight); },
          "w_i: resource weight (formulation A).")
      .def_prop_ro(
          "output_sizes", [](const Problem& p) { return to_list(p.out_size); },
          "b_i: bits stored (formulations B, C).")
      .def_prop_ro(
          "edges",
          [](const Problem& p) {
            nb::list l;
            for (edge_id e = 0; e < p.num_edges(); ++e)
              l.append(nb::make_tuple(p.edge_src[e], p.edge_dst[e]));
            return l;
          },
          "Edges as (source index, target index), sorted by source.")
      .def_prop_ro(
          "edge_delays", [](const Problem& p) { return to_list(p.edge_delay); },
          "lambda_e: the target starts >= source start + lambda_e (- distance * II).")
      .def_prop_ro(
          "edge_distances", [](const Problem& p) { return to_list(p.edge_distance); },
          "delta_e: iterations an edge spans (> 0: loop-carried).")
      .def_prop_ro(
          "edge_weights", [](const Problem& p) { return to_list(p.edge_weight); },
          "c_e: communication weight.")
      .def_prop_ro(
          "resources",
          [](const Problem& p) {
            nb::dict d;
            for (const Resource& r : p.resources)
              d[r.name.c_str()] = r.limit >= 0 ? nb::object(nb::int_(r.limit)) : nb::none();
            return d;
          },
          "Unit classes: {name: limit}, None for unlimited.")
      .def_prop_ro(
          "horizon", [](const Problem& p) { return p.horizon; },
          "The horizon D the input gave (0: none).")
      .def_prop_ro(
          "ii", [](const Problem& p) { return p.ii; },
          "The initiation interval the input gave (0: none).")
      .def_prop_ro(
          "critical_path",
          [](const Problem& p) {
            nb::gil_scoped_release release;
            return analyze(p).critical_path;
          },
          "The ASAP latency over distance-0 edges, in cycles (a lower bound on any "
          "schedule's latency).")
      .def(
          "analyze",
          [](const Problem& p, std::int32_t horizon) {
            Analysis a;
            std::int32_t conflict_bound = 0;
            {
              nb::gil_scoped_release release;
              a = analyze(p, horizon);
              conflict_bound = ii_conflict_bound(p, std::max({a.rec_mii, a.res_mii, 1}));
            }
            nb::dict d;
            d["critical_path"] = a.critical_path;
            d["horizon"] = a.horizon;
            d["asap"] = to_list(a.asap);
            d["alap"] = to_list(a.alap);
            d["mobility"] = to_list(a.mobility);
            d["level"] = to_list(a.level);
            d["num_levels"] = a.num_levels;
            d["rec_mii"] = a.rec_mii;
            d["res_mii"] = a.res_mii;
            d["ii_conflict_bound"] = conflict_bound;
            return d;
          },
          "horizon"_a = 0,
          "Frames and bounds: {'critical_path', 'horizon', 'asap', 'alap', 'mobility', 'level', "
          "'num_levels', 'rec_mii', 'res_mii', 'ii_conflict_bound'} at `horizon` (0: the input's, "
          "else the critical path); ii_conflict_bound: max(rec_mii, res_mii, 1) raised by unit "
          "conflicts on recurrences, as `gaus info` prints it. Raises InfeasibleError when the "
          "horizon is below the critical path.")
      .def(
          "to_json", [](const Problem& p) { return write_native_json(p); },
          "The problem in the native JSON schema (docs/native-json.md), as a string.")
      .def(
          "to_dot",
          [](const Problem& p, nb::object starts) {
            if (starts.is_none()) return write_dot(p);
            const Schedule s = schedule_arg(p, starts, 0, 0);
            return write_dot(p, &s);
          },
          "starts"_a = nb::none(),
          "The problem as Graphviz DOT; with `starts` (one step per op, in op order) each op "
          "is labelled with its step.")
      .def(
          "write",
          [](const Problem& p, const std::filesystem::path& file, const std::string& format) {
            const std::string path = file.string();
            const std::string f = writer_format(path, format);
            check_writable(path);  // names a missing folder
            const std::string text = f == "json" ? write_native_json(p) : write_dot(p);
            write_file_atomic(path, text);
          },
          "path"_a, "format"_a = "",
          "Writes the problem to `path` in `format` ('json' or 'dot'; default from the "
          "extension). The file is replaced atomically.")
      .def("__repr__", [](const Problem& p) {
        return "<gaus.Problem '" + p.source + "': " + std::to_string(p.num_ops()) + " ops, " +
               std::to_string(p.num_edges()) + " edges>";
      });

  m.def("read", &read, "path"_a, "format"_a, "companion"_a, "library"_a, "design"_a, "latency"_a,
        "limit"_a, "unit_class"_a, "non_pipelined"_a);
  m.def("build", &build, "source"_a, "names"_a, "types"_a, "op_latency"_a, "op_blocking"_a,
        "weight"_a, "out_size"_a, "edge_src"_a, "edge_dst"_a, "edge_delay"_a, "edge_distance"_a,
        "edge_weight"_a, "latency"_a, "limit"_a, "unit_class"_a, "non_pipelined"_a, "horizon"_a,
        "ii"_a);
}

}  // namespace gaus::py
