// SSP instance <-> Problem (graphs/ssp/ssp_problem.hpp): the class semantics, CIRCT's check()
// rules, the schedule written in an instance, and a Problem written as an instance.
#include "graphs/ssp/ssp_problem.hpp"

#include <cmath>
#include <map>
#include <tuple>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"

namespace gaus::ssp {

namespace {

/// "operation 'x'": how messages name an operation.
std::string op_text(const Instance& inst, std::size_t k) {
  return "operation '" + operation_label(inst, k) + "'";
}

/// One name per distinct definition: "Opr" in the instance's library, "Lib::Opr" otherwise.
std::string type_key(const Module& m, const TypeRef& ref, bool resource) {
  if (ref.library < 0) return "";
  const std::string& lib = resource ? m.resource_libraries[ref.library].name
                                    : m.libraries[ref.library].name;
  return lib + "::";
}

}  // namespace

std::string operation_label(const Instance& inst, std::size_t k) {
  const Operation& op = inst.operations[k];
  if (!op.name.empty()) return op.name;
  std::string label = "%";  // built in two steps: GCC 12 warns (-Wrestrict) on "%" + string
  label += std::to_string(k);
  return label;
}

ProblemBuilder to_builder(const Module& m, const Instance& inst, double cycle_time) {
  const std::string& file = m.source;
  if (!inst.problem_class)
    input_error(file, inst.line, "unknown problem class \"" + inst.class_name + "\"");
  const ProblemClass cls = *inst.problem_class;
  ProblemBuilder b(file);
  b.reserve(inst.operations.size(), inst.operations.size() * 2);
  for (std::size_t k = 0; k < inst.operations.size(); ++k) {
    const Operation& op = inst.operations[k];
    const auto fail = [&](const std::string& what) {
      input_error(file, op.line, op_text(inst, k) + ": " + what);
    };
    if (!op.operator_type) fail("Operation is not linked to an operator type");
    const OperatorType& t = operator_type(m, inst, *op.operator_type);
    const std::string type = type_key(m, *op.operator_type, false) + t.name;
    if (!t.latency) fail("Operator type '" + type + "' has no latency");
    const op_id id = b.add_op(operation_label(inst, k), type, op.line);
    b.set_latency(id, *t.latency);

    if (has_limits(cls)) {
      std::string unit;
      std::optional<std::int32_t> limit;
      std::int32_t hold = 1;  // cycles the op holds its unit: the resource's ii<N>
      if (op.resource_types.size() > 1)
        fail("uses " + std::to_string(op.resource_types.size()) +
             " resource types; gaus models one resource type per operation");
      if (op.resource_types.size() == 1) {
        const ResourceType& r = resource_type(m, inst, op.resource_types[0]);
        unit = type_key(m, op.resource_types[0], true) + r.name;
        limit = r.limit;
        if (r.ii && *r.ii == 0)
          input_error(file, r.line, "Resource type '" + unit + "' has a zero initiation interval");
        hold = r.ii.value_or(1);
      } else if (t.limit) {  // the older syntax: the limit is on the operator type
        unit = type;
        limit = t.limit;
      }
      if (!unit.empty()) {
        if (limit && *limit > 0 && *t.latency == 0)
          fail("Operator type '" + type + "' using limited resource '" + unit +
               "' has zero latency");
        b.add_resource(unit, limit.value_or(kUnlimited));
        b.set_unit(id, unit);
        b.set_blocking(id, hold);
      }
    }
    if (is_chaining(cls)) {
      if (!t.incoming_delay || !t.outgoing_delay)
        fail("Missing delays for operator type '" + type + "'");
      if (*t.incoming_delay < 0 || *t.outgoing_delay < 0)
        fail("Negative delays for operator type '" + type + "'");
      if (*t.latency == 0 && *t.incoming_delay != *t.outgoing_delay)
        fail("Incoming & outgoing delay must be equal for zero-latency operator type '" + type +
             "'");
      b.set_delays(id, *t.incoming_delay, *t.outgoing_delay);
    }
  }
  for (std::size_t k = 0; k < inst.operations.size(); ++k)
    for (const Dependence& d : inst.operations[k].dependences) {
      const std::int32_t dist = is_cyclic(cls) ? d.distance.value_or(0) : 0;
      if (cls == ProblemClass::ChainingCyclic && !d.auxiliary && dist != 0)
        input_error(file, d.line, op_text(inst, k) +
                                      ": Def-use dependence cannot have non-zero distance");
      b.add_edge(EdgeSpec{.src = d.source, .dst = static_cast<op_id>(k), .delay = 0,
                          .adds_latency = true, .distance = dist, .weight = 0.0,
                          .auxiliary = d.auxiliary, .line = d.line});
    }
  if (is_chaining(cls) && cycle_time > 0) b.set_cycle_time(cycle_time);
  return b;
}

Problem to_problem(const Module& m, const Instance& inst, double cycle_time) {
  return to_builder(m, inst, cycle_time).build();
}

WrittenSchedule written_schedule(const Instance& inst) {
  WrittenSchedule w;
  const std::size_t n = inst.operations.size();
  const bool chaining = inst.problem_class && is_chaining(*inst.problem_class);
  const bool cyclic = inst.problem_class && is_cyclic(*inst.problem_class);
  w.schedule.start.assign(n, 0);
  if (chaining) w.schedule.z.assign(n, 0.0);
  for (std::size_t k = 0; k < n; ++k) {
    const Operation& op = inst.operations[k];
    const std::string at = op_text(inst, k) + " (line " + std::to_string(op.line) + ")";
    if (op.start_time)
      w.schedule.start[k] = *op.start_time;
    else
      w.missing.push_back(at + " has no start time");
    if (!chaining) continue;
    if (op.start_time_in_cycle && *op.start_time_in_cycle >= 0)
      w.schedule.z[k] = *op.start_time_in_cycle;
    else
      w.missing.push_back(at + " has no non-negative start time in cycle");
  }
  if (cyclic) {
    if (inst.ii && *inst.ii > 0)
      w.schedule.ii = *inst.ii;
    else
      w.missing.push_back("invalid initiation interval (the instance has no II<N> with N > 0)");
  }
  return w;
}

void write_schedule(Instance& inst, const Schedule& s) {
  const bool chaining = inst.problem_class && is_chaining(*inst.problem_class);
  for (std::size_t k = 0; k < inst.operations.size(); ++k) {
    Operation& op = inst.operations[k];
    op.start_time = s.start.at(k);
    if (chaining) op.start_time_in_cycle = s.z.empty() ? 0.0 : s.z.at(k);
  }
  if (inst.problem_class && is_cyclic(*inst.problem_class)) inst.ii = s.ii;
}

op_id last_operation(const Instance& inst, const std::string& name) {
  const std::string where_ = inst.name.empty() ? "the instance" : "instance @" + inst.name;
  if (inst.operations.empty())
    throw InputError(where_ + " has no operations (no last operation to minimize)");
  if (name.empty()) return static_cast<op_id>(inst.operations.size() - 1);
  for (std::size_t k = 0; k < inst.operations.size(); ++k)
    if (inst.operations[k].name == name) return static_cast<op_id>(k);
  throw InputError(where_ + " has no operation named @" + name + " (--last-op)");
}

Module to_module(const Problem& p, ProblemClass cls, const std::string& name) {
  Module m;
  m.source = p.source;
  Instance inst;
  inst.name = name;
  inst.class_name = problem_class_name(cls);
  inst.problem_class = cls;
  inst.resources = ResourceLibrary{};
  const auto fail = [&](const std::string& what) { input_error(p.source, 0, what); };

  // One operator type per (type, latency, delays); the first of a type keeps its name.
  std::map<std::tuple<std::int32_t, std::int32_t, double, double>, std::int32_t> oprs;
  std::map<std::string, int> used;
  std::vector<std::int32_t> unit_type(p.resources.size(), -1);
  std::vector<std::int32_t> results(static_cast<std::size_t>(p.num_ops()), 0);
  for (edge_id e = 0; e < p.num_edges(); ++e)
    if (p.carries_value(e)) results[p.edge_src[e]] = 1;
  for (op_id i = 0; i < p.num_ops(); ++i) {
    Operation op;
    op.name = std::string(p.name(i));
    op.num_results = results[i];
    const double in = p.has_delays() ? p.in_delay[i] : 0.0;
    const double out = p.has_delays() ? p.out_delay[i] : 0.0;
    const auto key = std::make_tuple(p.op_type[i], p.latency[i], in, out);
    auto it = oprs.find(key);
    if (it == oprs.end()) {
      std::string base = p.op_type[i] >= 0 ? p.type_names[p.op_type[i]] : std::string("op");
      const int seen = used[base]++;
      OperatorType t;
      t.name = seen == 0 ? base : base + "_" + std::to_string(seen);
      t.latency = p.latency[i];
      if (is_chaining(cls)) {
        t.incoming_delay = in;
        t.outgoing_delay = out;
      }
      it = oprs.emplace(key, static_cast<std::int32_t>(inst.library.types.size())).first;
      inst.library.types.push_back(std::move(t));
    }
    op.operator_type = TypeRef{-1, it->second};
    op.operator_ref = SymbolRef{inst.library.types[it->second].name};
    const std::int32_t u = p.op_resource[i];
    if (has_limits(cls) && u >= 0 && p.resources[u].limit >= 0) {
      if (p.blocking[i] < 1)
        fail("op " + quoted_name(p, i) + " holds no unit of its limited class '" +
             p.resources[u].name + "'; an SSP operation on a resource holds it at least a cycle");
      if (unit_type[u] < 0) {
        unit_type[u] = static_cast<std::int32_t>(inst.resources->types.size());
        ResourceType r;
        r.name = p.resources[u].name;
        r.limit = p.resources[u].limit;
        if (p.blocking[i] != 1) r.ii = p.blocking[i];  // held p.blocking[i] cycles
        inst.resources->types.push_back(r);
      }
      if (inst.resources->types[unit_type[u]].ii.value_or(1) != p.blocking[i])
        fail("op " + quoted_name(p, i) + " holds its unit for " + std::to_string(p.blocking[i]) +
             " cycles, other ops of class '" + p.resources[u].name + "' for " +
             std::to_string(inst.resources->types[unit_type[u]].ii.value_or(1)) +
             "; an SSP resource type holds every operation for the same cycles (its ii<N>)");
      op.resource_types.push_back(TypeRef{-1, unit_type[u]});
      op.resource_refs.push_back(SymbolRef{p.resources[u].name});
    }
    inst.operations.push_back(std::move(op));
  }
  for (op_id j = 0; j < p.num_ops(); ++j) {
    std::vector<Dependence> aux;
    for (edge_id q = p.pred_offsets[j]; q < p.pred_offsets[j + 1]; ++q) {
      const edge_id e = p.pred_edges[q];
      if (p.flags(e) & kEdgeChainBreak) continue;
      const op_id i = p.edge_src[e];
      if (p.edge_delay[e] != p.latency[i])
        fail("edge " + quoted_name(p, i) + " -> " + quoted_name(p, j) + " has delay " +
             std::to_string(p.edge_delay[e]) + " and " + quoted_name(p, i) + " latency " +
             std::to_string(p.latency[i]) + "; an SSP dependence waits for the latency exactly");
      if (p.edge_distance[e] > 0 && !is_cyclic(cls))
        fail("edge " + quoted_name(p, i) + " -> " + quoted_name(p, j) +
             " is loop-carried; only CyclicProblem, ModuloProblem and ChainingCyclicProblem "
             "have distances");
      Dependence d;
      d.source = i;
      if (p.edge_distance[e] > 0) d.distance = p.edge_distance[e];
      d.auxiliary = !p.carries_value(e) ||
                    (cls == ProblemClass::ChainingCyclic && p.edge_distance[e] > 0);
      (d.auxiliary ? aux : inst.operations[j].dependences).push_back(d);
    }
    for (auto& d : aux) inst.operations[j].dependences.push_back(d);
  }
  m.instances.push_back(std::move(inst));
  return m;
}

}  // namespace gaus::ssp

namespace gaus {

ProblemBuilder read_ssp_problem(std::string_view text, const std::string& name) {
  ssp::Module m = ssp::read_ssp(text, name);
  m.source = name;
  if (m.instances.size() != 1)
    input_error(name, 0,
                "holds " + std::to_string(m.instances.size()) +
                    " SSP instances; this command takes one (gaus schedule and gaus verify take "
                    "them all)");
  return ssp::to_builder(m, m.instances[0]);
}

}  // namespace gaus
