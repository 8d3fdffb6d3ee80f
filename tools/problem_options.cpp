#include "tools/problem_options.hpp"

#include <filesystem>
#include <iostream>

#include "graphs/formats.hpp"
#include "graphs/library.hpp"

namespace gaus::cli {

void add_problem_options(CLI::App* cmd, ProblemOptions& o) {
  cmd->add_option("FILE", o.file, "Input graph (.json .aig .aag .dot .gml .graphml)")->required();
  cmd->add_option("--format", o.format, "auto|json|heurigym|aiger|dot|gml|graphml")
      ->capture_default_str();
  cmd->add_option("--companion", o.companion,
                  "GraphML: the resource model (default NAME_RM.xml); HeuriGym JSON: the DOT graph");
  cmd->add_option("--library", o.library,
                  "Type library JSON (unit classes, latencies, limits), like express/limits.json");
  cmd->add_option("--design", o.design,
                  "Design whose limits to use from a per-design library (default: FILE's stem)");
  cmd->add_option("--latency", o.latency, "TYPE=N: latency of an op type or unit class");
  cmd->add_option("--limit", o.limit, "CLASS=N: units of a class (-1 = unlimited)");
  cmd->add_option("--unit-class", o.unit_class, "TYPE=CLASS: run an op type on a unit class");
  cmd->add_flag("--non-pipelined", o.non_pipelined,
                "Units are busy for the whole latency (default: pipelined, or as the file says)");
}

Problem load_problem(const ProblemOptions& o) {
  ReadOptions ro;
  ro.format = parse_format(o.format);
  ro.companion = o.companion;
  ro.note = [](const std::string& m) { std::cerr << "gaus: note: " << m << "\n"; };
  ProblemBuilder builder = read_graph_file(o.file, ro);

  TypeLibrary lib;
  if (!o.library.empty()) {
    const std::string design =
        o.design.empty() ? std::filesystem::path(o.file).stem().string() : o.design;
    lib = load_library(o.library, design);
  }
  for (const auto& f : o.latency) apply_latency_flag(lib, f);
  for (const auto& f : o.limit) apply_limit_flag(lib, f);
  for (const auto& f : o.unit_class) apply_unit_class_flag(lib, f);
  if (o.non_pipelined) lib.pipelined = false;
  return builder.build(lib);
}

}  // namespace gaus::cli
