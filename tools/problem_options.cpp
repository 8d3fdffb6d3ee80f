#include "tools/problem_options.hpp"

#include <iostream>

#include "graphs/load_problem.hpp"

namespace gaus::cli {

void add_problem_options(CLI::App* cmd, ProblemOptions& o) {
  cmd->add_option("FILE", o.file, "Input graph (.json .aig .aag .dot .gml .graphml .mlir)")->required();
  cmd->add_option("--format", o.format, "auto|json|heurigym|aiger|dot|gml|graphml|ssp")
      ->capture_default_str();
  cmd->add_option("--companion", o.load.companion,
                  "GraphML: the resource model (default NAME_RM.xml); HeuriGym JSON: the DOT graph");
  cmd->add_option("--library", o.load.library,
                  "Type library JSON (unit classes, latencies, limits), like express/limits.json");
  cmd->add_option("--design", o.load.design,
                  "Design whose limits to use from a per-design library (default: FILE's stem)");
  cmd->add_option("--latency", o.load.latency, "TYPE=N: latency of an op type or unit class");
  cmd->add_option("--limit", o.load.limit, "CLASS=N: units of a class (-1 = unlimited)");
  cmd->add_option("--unit-class", o.load.unit_class, "TYPE=CLASS: run an op type on a unit class");
  cmd->add_option("--cycle-time", o.load.cycle_time,
                  "Chaining: the clock period ops with delays chain within (SSP chaining classes, "
                  "native JSON delays)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--non-pipelined", o.load.non_pipelined,
                "Units are busy for the whole latency (default: pipelined, or as the file says)");
}

Problem load_problem(const ProblemOptions& o) {
  LoadOptions lo = o.load;
  lo.format = parse_format(o.format);
  lo.note = [](const std::string& m) { std::cerr << "gaus: note: " << m << "\n"; };
  return gaus::load_problem(o.file, lo);
}

}  // namespace gaus::cli
