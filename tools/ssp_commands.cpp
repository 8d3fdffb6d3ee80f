// `gaus schedule` / `gaus verify` on SSP files (tools/ssp_commands.hpp).
#include "tools/ssp_commands.hpp"

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/ssp/ssp_problem.hpp"
#include "host/ssp/solve_ssp.hpp"
#include "host/verify/verify.hpp"
#include "tools/commands.hpp"
#include "tools/prove_step.hpp"
#include "tools/time_budget.hpp"

namespace gaus::cli {

namespace {

ssp::Module read_module(const ProblemOptions& o) {
  if (!o.load.library.empty() || !o.load.latency.empty() || !o.load.limit.empty() ||
      !o.load.unit_class.empty() || o.load.non_pipelined)
    throw InputError(o.file + ": an SSP file carries its own latencies and limits (--library, "
                     "--latency, --limit, --unit-class and --non-pipelined do not apply)");
  ssp::Module m = ssp::read_ssp(read_file(o.file), o.file);
  m.source = o.file;
  for (const auto& inst : m.instances)
    if (!inst.problem_class)
      input_error(o.file, inst.line,
                  "unknown problem class \"" + inst.class_name +
                      "\" (expected Problem, CyclicProblem, ChainingProblem, "
                      "SharedOperatorsProblem, ModuloProblem or ChainingCyclicProblem)");
  if (m.instances.empty()) throw InputError(o.file + ": no ssp.instance in the file");
  return m;
}

std::string instance_label(const ssp::Instance& inst) {
  return (inst.name.empty() ? std::string("(unnamed)") : ssp::format_symbol(inst.name)) + " (" +
         inst.class_name + ")";
}

std::string op_label(const ssp::Instance& inst, op_id k) {
  const auto& op = inst.operations[static_cast<std::size_t>(k)];
  return op.name.empty() ? ssp::operation_label(inst, static_cast<std::size_t>(k))
                         : ssp::format_symbol(op.name);
}

nlohmann::ordered_json result_json(const ssp::Instance& inst, const Problem& p,
                                   const ssp::SolveSspResult& r) {
  nlohmann::ordered_json j;
  j["instance"] = inst.name;
  j["class"] = inst.class_name;
  j["method"] = r.method;
  j["legal"] = r.verification.legal;
  if (r.schedule.ii > 0) {
    j["ii"] = r.schedule.ii;
    j["ii_lower_bound"] = r.ii_lower_bound;
    j["ii_proven_minimal"] = r.ii_proven_minimal;
  }
  j["last_op"] = std::string(p.name(r.last));
  j["last_start"] = r.last_start;
  j["last_start_lower_bound"] = r.last_start_lower_bound;
  j["optimal"] = r.optimal;
  nlohmann::ordered_json starts = nlohmann::ordered_json::object();
  for (op_id i = 0; i < p.num_ops(); ++i) starts[std::string(p.name(i))] = r.schedule.start[i];
  j["starts"] = std::move(starts);
  if (!r.schedule.z.empty()) j["z"] = r.schedule.z;
  return j;
}

}  // namespace

bool is_ssp_input(const ProblemOptions& o) {
  const Format f = parse_format(o.format);
  if (f != Format::Auto) return f == Format::Ssp;
  return std::filesystem::path(o.file).extension() == ".mlir";
}

void schedule_ssp_file(const ProblemOptions& problem, const SspScheduleOptions& o) {
  const std::string ext = std::filesystem::path(o.out).extension().string();
  if (ext != ".mlir" && ext != ".json")
    throw InputError("--out " + o.out + ": an SSP input is written as .mlir (the instances with "
                     "their schedules) or .json (a report per instance)");
  if (o.prove > 0) check_prove();
  check_writable(o.out);
  ssp::Module m = read_module(problem);
  nlohmann::ordered_json report = nlohmann::ordered_json::array();
  bool all_legal = true;
  for (std::size_t k = 0; k < m.instances.size(); ++k) {
    ssp::Instance& inst = m.instances[k];
    const Problem p = ssp::to_problem(m, inst, problem.load.cycle_time);
    if (p.num_ops() == 0) {  // nothing to schedule; a cyclic instance still gets an II
      if (ssp::is_cyclic(*inst.problem_class)) inst.ii = 1;
      std::cout << instance_label(inst) << ": no operations\n";
      report.push_back({{"instance", inst.name}, {"class", inst.class_name}, {"legal", true}});
      continue;
    }
    const op_id last = ssp::last_operation(inst, o.last_op);
    ssp::SolveSspOptions so;
    so.gradient = o.gradient;
    so.seed = o.seed;
    // The gradient solver's share of what is left, split over the instances still to go.
    const double left = solver_budget_s(o.time_limit, process_elapsed_s(), p.num_ops(),
                                        p.num_edges());
    so.time_limit_s = left / static_cast<double>(m.instances.size() - k);
    ssp::SolveSspResult r = ssp::solve_ssp(p, *inst.problem_class, last, so);
    if (o.prove > 0)
      prove_ssp_step(p, *inst.problem_class, r, o.prove / static_cast<double>(m.instances.size()));
    std::cout << instance_label(inst) << ": ";
    if (!r.verification.legal) {
      all_legal = false;
      std::cout << "ILLEGAL";
      for (const auto& v : r.verification.violations) std::cout << "\n  " << v.message;
      std::cout << "\n";
      continue;
    }
    if (r.schedule.ii > 0)
      std::cout << "II " << r.schedule.ii
                << (r.ii_proven_minimal ? " (minimal), "
                                        : " (lower bound " + std::to_string(r.ii_lower_bound) +
                                              "), ");
    std::cout << op_label(inst, last) << " starts at " << r.last_start
              << (r.optimal ? " (optimal)"
                            : " (lower bound " + std::to_string(r.last_start_lower_bound) + ")")
              << ", " << r.method << "\n";
    report.push_back(result_json(inst, p, r));
    ssp::write_schedule(inst, r.schedule);
  }
  if (!all_legal) {
    exit_code() = 1;
    std::cout << "no file written: an instance has no legal schedule\n";
    return;
  }
  write_file_atomic(o.out, ext == ".mlir" ? ssp::write_ssp(m) : report.dump(1) + "\n");
  std::cout << "-> " << o.out << "\n";
}

void verify_ssp_file(const ProblemOptions& problem) {
  const ssp::Module m = read_module(problem);
  bool all_legal = true;
  for (const auto& inst : m.instances) {
    const Problem p = ssp::to_problem(m, inst, problem.load.cycle_time);
    const ssp::WrittenSchedule w = ssp::written_schedule(inst);
    std::cout << instance_label(inst) << ": ";
    if (!w.missing.empty()) {
      all_legal = false;
      std::cout << "ILLEGAL: the schedule is incomplete\n";
      for (const auto& x : w.missing) std::cout << "  " << x << "\n";
      continue;
    }
    const VerifyResult v = verify(p, w.schedule, 1000);
    if (v.legal) {
      std::cout << "legal";
      if (w.schedule.ii > 0) std::cout << ", II " << w.schedule.ii;
      std::cout << "\n";
      continue;
    }
    all_legal = false;
    std::cout << "ILLEGAL: " << v.count << " violation" << (v.count == 1 ? "" : "s") << "\n";
    for (const auto& x : v.violations) std::cout << "  " << x.message << "\n";
  }
  if (!all_legal) exit_code() = 1;
}

}  // namespace gaus::cli
