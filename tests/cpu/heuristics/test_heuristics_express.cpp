// The heuristic schedulers on the 23 EXPRESS graphs (../shared/data/express) under the unit
// limits of express/limits.json. The library is parsed here, from the file's own keys, so this
// test does not depend on the library loader.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/timing.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "tests/cpu/heuristics/heuristics_fixtures.hpp"
#include "host/heuristics/heuristics.hpp"

using namespace gaus;
using gaus::test::check_legal;
using gaus::test::peak_use;

namespace {

namespace fs = std::filesystem;

/// limits.json semantics (its "note"): mul/MUL/div/DIV on class MUL with latency 2, every other
/// type its own class with latency 1, non-pipelined, limits per design.
TypeLibrary express_library(const nlohmann::json& j, const std::string& design) {
  TypeLibrary lib;
  for (const auto& [type, cls] : j.at("unit_class").items()) lib.unit_class[type] = cls;
  for (const auto& [key, lat] : j.at("latency").items()) {
    if (key == "default") lib.default_latency = lat.get<std::int32_t>();
    else lib.latency[key] = lat.get<std::int32_t>();
  }
  lib.pipelined = j.at("pipelined").get<bool>();
  for (const auto& [cls, n] : j.at("limits").at(design).items()) lib.limits[cls] = n;
  return lib;
}

struct Design {
  std::string name;
  Problem limited;    ///< with the design's unit limits
  Problem unlimited;  ///< the same graph with no limits (for the time-constrained FDS)
};

/// Every EXPRESS design, or none when the data folder is absent.
std::vector<Design> load_express() {
  const fs::path dir = fs::path(GAUS_SHARED_DATA_DIR) / "express";
  std::vector<Design> out;
  if (!fs::exists(dir / "limits.json")) return out;
  const auto j = nlohmann::json::parse(read_file((dir / "limits.json").string()));
  for (const auto& [design, table] : j.at("limits").items()) {
    const fs::path dot = dir / (design + ".dot");
    const ProblemBuilder b = read_dot(read_file(dot.string()), dot.string());
    TypeLibrary lib = express_library(j, design);
    TypeLibrary free_lib = lib;
    free_lib.limits.clear();
    Problem unlimited = b.build(free_lib);
    // A class the design's table names but its graph does not use is not an error here.
    std::erase_if(lib.limits, [&](const auto& kv) {
      return std::none_of(unlimited.resources.begin(), unlimited.resources.end(),
                          [&](const Resource& r) { return r.name == kv.first; });
    });
    out.push_back({design, b.build(lib), std::move(unlimited)});
  }
  return out;
}

}  // namespace

TEST_CASE("heuristics express: list scheduling all 23 graphs under their limits") {
  const std::vector<Design> designs = load_express();
  if (designs.empty()) {
    MESSAGE("skipped: " << GAUS_SHARED_DATA_DIR << "/express not found");
    return;
  }
  CHECK(designs.size() == 23);
  std::ostringstream table;
  for (const Design& d : designs) {
    const Problem& p = d.limited;
    CAPTURE(d.name);
    REQUIRE(p.has_unit_limits());
    const Schedule s = list_schedule(p);
    check_legal(p, s);
    const std::int32_t cp = critical_path(p);
    CHECK(schedule_latency(p, s) >= cp);
    // The busiest limited class is a lower bound too.
    for (std::int32_t k = 0; k < static_cast<std::int32_t>(p.resources.size()); ++k) {
      if (p.resources[k].limit <= 0) continue;
      std::int64_t busy = 0;
      for (op_id i = 0; i < p.num_ops(); ++i) busy += p.op_resource[i] == k ? p.blocking[i] : 0;
      CHECK(schedule_latency(p, s) * std::int64_t{p.resources[k].limit} >= busy);
    }
    table << "  " << d.name << ": " << p.num_ops() << " ops, critical path " << cp
          << ", list latency " << schedule_latency(p, s) << "\n";
  }
  MESSAGE("EXPRESS list scheduling:\n" << table.str());
}

TEST_CASE("heuristics express: force-directed at the critical path needs no more units than ASAP") {
  const std::vector<Design> designs = load_express();
  if (designs.empty()) {
    MESSAGE("skipped: " << GAUS_SHARED_DATA_DIR << "/express not found");
    return;
  }
  std::ostringstream table;
  for (const Design& d : designs) {
    const Problem& p = d.unlimited;
    CAPTURE(d.name);
    const Schedule s = force_directed_schedule(p);
    check_legal(p, s);
    CHECK(s.horizon == critical_path(p));
    const Schedule asap = asap_schedule(p);
    std::int64_t fds_units = 0, asap_units = 0;
    for (std::int32_t k = 0; k < static_cast<std::int32_t>(p.resources.size()); ++k) {
      fds_units += peak_use(p, s, k);
      asap_units += peak_use(p, asap, k);
    }
    CHECK(fds_units <= asap_units);
    table << "  " << d.name << ": units FDS " << fds_units << " vs ASAP " << asap_units << "\n";
  }
  MESSAGE("EXPRESS force-directed at the critical path:\n" << table.str());
}
