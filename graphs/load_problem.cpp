#include "graphs/load_problem.hpp"

#include <filesystem>

#include "graphs/library.hpp"

namespace gaus {

Problem load_problem(const std::string& path, const LoadOptions& o) {
  ReadOptions ro;
  ro.format = o.format;
  ro.companion = o.companion;
  ro.note = o.note;
  ProblemBuilder builder = read_graph_file(path, ro);

  TypeLibrary lib;
  if (!o.library.empty()) {
    const std::string design =
        o.design.empty() ? std::filesystem::path(path).stem().string() : o.design;
    lib = load_library(o.library, design);
  }
  for (const auto& f : o.latency) apply_latency_flag(lib, f);
  for (const auto& f : o.limit) apply_limit_flag(lib, f);
  for (const auto& f : o.unit_class) apply_unit_class_flag(lib, f);
  if (o.non_pipelined) lib.pipelined = false;
  if (o.cycle_time > 0) builder.set_cycle_time(o.cycle_time);
  return builder.build(lib);
}

}  // namespace gaus
