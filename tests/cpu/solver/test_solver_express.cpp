// The rcs formulation on EXPRESS graphs (../shared/data/express) under express/limits.json: never
// worse than list scheduling, and better on graphs where list scheduling is known to be loose.
#include <doctest/doctest.h>

#include <filesystem>
#include <limits>

#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/library.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/solver/solver.hpp"

using namespace gaus;

TEST_CASE("solver express: rcs never worse than list scheduling") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(GAUS_SHARED_DATA_DIR) / "express";
  if (!fs::exists(dir / "limits.json")) {
    MESSAGE("skipped: " << dir.string() << " not found");
    return;
  }
  std::int32_t gained = 0;
  for (const char* design : {"hal", "arf", "cosine2", "horner_bezier_surf_dfg__12",
                             "write_bmp_header_dfg__7"}) {
    CAPTURE(design);
    const fs::path dot = dir / (std::string(design) + ".dot");
    const TypeLibrary lib = load_library((dir / "limits.json").string(), design);
    const Problem p = read_dot(read_file(dot.string()), dot.string()).build(lib);
    const std::int32_t list = schedule_latency(p, list_schedule(p));
    SolveOptions o;
    o.formulation = Formulation::Rcs;
    o.backend = SolverBackend::Cpu;
    o.rcs_iterations = 300;
    o.time_limit_s = std::numeric_limits<double>::infinity();
    const SolveResult r = solve(p, o);
    INFO("status: " << r.status);
    REQUIRE(r.legal);
    gaus::test::check_legal(p, r.schedule);
    const std::int32_t got = schedule_latency(p, r.schedule);
    CHECK(got <= list);
    gained += list - got;
  }
  // cosine2, horner_bezier and write_bmp_header each lose a step against list scheduling.
  CHECK(gained >= 2);
}
