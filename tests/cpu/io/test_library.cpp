#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/file_io.hpp"
#include "graphs/library.hpp"

using namespace gaus;

namespace {
const char* kLibrary = R"({
  "note": "test",
  "unit_class": {"mul": "MUL", "div": "MUL"},
  "latency": {"MUL": 2, "default": 1},
  "pipelined": false,
  "limits": {"hal": {"MUL": 2, "add": 1}, "other": {"MUL": 1}}
})";
}  // namespace

TEST_CASE("library: per-design limits, classes, latencies, pipelining") {
  const TypeLibrary lib = parse_library(kLibrary, "lib.json", "hal");
  CHECK(lib.unit_class.at("div") == "MUL");
  CHECK(lib.latency.at("MUL") == 2);
  CHECK(lib.default_latency == 1);
  CHECK(lib.pipelined == false);
  CHECK(lib.limits.at("MUL") == 2);
  CHECK(lib.limits.at("add") == 1);

  ProblemBuilder b("hal.dot");
  const op_id m = b.add_op("m", "mul");
  const op_id a = b.add_op("a", "add");
  b.add_edge({.src = m, .dst = a});
  const Problem p = b.build(lib);
  CHECK(p.latency[m] == 2);
  CHECK(p.blocking[m] == 2);
  CHECK(p.latency[a] == 1);
  CHECK(p.edge_delay[0] == 2);
  CHECK(p.resources[p.op_resource[a]].limit == 1);
}

TEST_CASE("library: flat limits need no design; errors name the problem") {
  const TypeLibrary flat = parse_library(R"({"limits": {"MUL": 3}})", "f.json", "");
  CHECK(flat.limits.at("MUL") == 3);
  CHECK_THROWS_WITH_AS(parse_library(kLibrary, "lib.json", "nope"),
                       "lib.json: no design 'nope' in limits (designs: hal, other)", InputError);
  CHECK_THROWS_WITH_AS(parse_library(kLibrary, "lib.json", ""),
                       "lib.json: limits are given per design: choose one with --design",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_library(R"({"latncy": {}})", "t.json", ""),
                       "t.json: unknown key 'latncy' (expected unit_class, latency, pipelined, "
                       "limits, note)",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_library(R"({"latency": {"MUL": -2}})", "t.json", ""),
                       "t.json: latency.MUL: -2 is out of range", InputError);
  CHECK_THROWS_WITH_AS(parse_library(R"({"latency": {"MUL": "two"}})", "t.json", ""),
                       "t.json: latency.MUL: expected an integer, got string", InputError);
  CHECK_THROWS_AS(parse_library("{\"limits\": ", "t.json", ""), InputError);
}

TEST_CASE("library: command-line flags") {
  TypeLibrary lib;
  apply_latency_flag(lib, "mul=3");
  apply_limit_flag(lib, "MUL=-1");
  apply_unit_class_flag(lib, "mul=MUL");
  CHECK(lib.latency.at("mul") == 3);
  CHECK(lib.limits.at("MUL") == -1);
  CHECK(lib.unit_class.at("mul") == "MUL");
  CHECK_THROWS_WITH_AS(apply_latency_flag(lib, "mul"), "--latency 'mul': expected NAME=VALUE",
                       InputError);
  CHECK_THROWS_WITH_AS(apply_limit_flag(lib, "MUL=x"),
                       "--limit 'MUL=x': 'x' is not an integer >= -1", InputError);
  CHECK_THROWS_AS(apply_latency_flag(lib, "mul=-1"), InputError);
  CHECK_THROWS_AS(apply_unit_class_flag(lib, "=MUL"), InputError);
}

TEST_CASE("file_io: atomic writes and clear errors") {
  const auto dir = std::filesystem::temp_directory_path() / "gaus_test_file_io";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "out.json").string();
  check_writable(path);
  CHECK_FALSE(std::filesystem::exists(path));  // the check leaves nothing behind
  write_file_atomic(path, "hello");
  CHECK(read_file(path) == "hello");
  write_file_atomic(path, "bye");
  CHECK(read_file(path) == "bye");
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1);  // no temporaries
  CHECK_THROWS_AS(check_writable((dir / "missing" / "x.json").string()), InputError);
  CHECK_THROWS_AS(check_writable(dir.string()), InputError);
  CHECK_THROWS_AS(read_file((dir / "absent").string()), InputError);
  CHECK_THROWS_AS(read_file(dir.string()), InputError);
  std::filesystem::remove_all(dir);
}
