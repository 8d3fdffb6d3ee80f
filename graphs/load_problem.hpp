// Reading a problem file the way the `gaus` command does: any format, then a type library and the
// flags that override it (--latency, --limit, --unit-class, --non-pipelined), then
// ProblemBuilder::build(). The one entry point for library users who want the command's reading.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "graphs/formats.hpp"

namespace gaus {

struct LoadOptions {
  Format format = Format::Auto;
  /// GraphML: the resource model (default NAME_RM.xml); HeuriGym JSON: the DOT graph.
  std::string companion;
  /// A type library JSON (graphs/library.hpp); empty: none.
  std::string library;
  /// The design whose limits a per-design library gives; empty: the file's stem.
  std::string design;
  std::vector<std::string> latency;     ///< "TYPE=N", applied in order after the library
  std::vector<std::string> limit;       ///< "CLASS=N" (-1 = unlimited)
  std::vector<std::string> unit_class;  ///< "TYPE=CLASS"
  bool non_pipelined = false;           ///< units busy for the whole latency
  /// Chaining: the clock period ops with delays chain within (> 0); 0 keeps the file's.
  double cycle_time = 0;
  /// Told what a reader chose where the input left a choice (ReadOptions::note); may be empty.
  std::function<void(const std::string&)> note;
};

/// Reads, resolves and validates the problem in `path`. Throws InputError naming the file, line
/// and op (or flag) at fault; InfeasibleError never (feasibility is the scheduler's question).
Problem load_problem(const std::string& path, const LoadOptions& options = {});

}  // namespace gaus
