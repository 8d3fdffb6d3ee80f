#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "host/verify/verify.hpp"

using namespace gaus;

namespace {

const std::string kData = GAUS_TEST_DATA_DIR;

const char* const kDot = "digraph g {\n  a [label = mul];\n  b [label = add];\n  a -> b;\n}\n";
const char* const kJson = R"({"delay": {"mul": 2, "add": 1}, "resource": {"mul": 1, "add": 1}})";

std::string heurigym_error(const std::string& json, const std::string& dot = kDot) {
  try {
    (void)read_heurigym(json, "h.json", dot, "h.dot").build();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("heurigym: each type is a non-pipelined unit class with its delay and count") {
  const Problem p = read_heurigym(read_file(kData + "/heurigym_small.json"), "small.json",
                                  read_file(kData + "/heurigym_small.dot"), "small.dot")
                        .build();
  validate(p);
  REQUIRE(p.num_ops() == 5);
  REQUIRE(p.num_edges() == 4);
  REQUIRE(p.resources.size() == 3);  // mul, sub, add; "div" has no op
  for (op_id i = 0; i < p.num_ops(); ++i) {
    const std::string& type = p.type_names[p.op_type[i]];
    CHECK(p.resources[p.op_resource[i]].name == type);
    CHECK(p.blocking[i] == p.latency[i]);
    CHECK(p.latency[i] == (type == "mul" ? 3 : 1));
    CHECK(p.resources[p.op_resource[i]].limit == (type == "mul" ? 2 : 1));
  }
  // dependency: start[dst] >= start[src] + delay[src]
  CHECK(p.edge_delay[0] == 3);  // 1 -> 3
  CHECK(p.edge_delay[2] == 1);  // 3 -> 4

  // HeuriGym's verifier counts an op on its unit for the whole delay: a third multiply may not
  // start while two are still running, only once they finish.
  Schedule legal{{0, 0, 3, 6, 3}};
  CHECK(verify(p, legal).legal);
  Schedule overlapping{{0, 0, 3, 4, 1}};
  const VerifyResult r = verify(p, overlapping);
  CHECK_FALSE(r.legal);
  REQUIRE(!r.violations.empty());
  CHECK(r.violations[0].kind == ViolationKind::Capacity);
}

TEST_CASE("heurigym: the combined form carries its own graph") {
  const Problem p = read_graph_file(kData + "/heurigym_combined.json").build();
  REQUIRE(p.num_ops() == 3);
  REQUIRE(p.num_edges() == 2);
  CHECK(p.name(2) == "n3");
  CHECK(p.latency[0] == 2);
  CHECK(p.blocking[0] == 2);
  CHECK(p.edge_delay[0] == 2);
  CHECK(p.resources[p.op_resource[0]].limit == 1);
  const std::string bad = R"({"delay": {"add": 1}, "resource": {"add": 1},
      "nodes": [["n1", "add"]], "edges": [["n1", "n9"]]})";
  CHECK(heurigym_error(bad, "") ==
        "h.json: \"edges\"[0] 'n1' -> 'n9': unknown node 'n9'");
  CHECK(heurigym_error(R"({"delay": {}, "resource": {}, "nodes": [["n1"]]})", "") ==
        "h.json: \"nodes\"[0] must be [\"ID\", \"TYPE\"]");
}

TEST_CASE("heurigym: broken inputs name the type, op or line at fault") {
  CHECK(heurigym_error(kJson).empty());
  CHECK(heurigym_error(R"({"delay": {"mul": 2}, "resource": {"mul": 1, "add": 1}})") ==
        "h.dot:3: op 'b': type 'add' has no \"delay\" in h.json");
  CHECK(heurigym_error(R"({"delay": {"mul": 2, "add": 1}, "resource": {"mul": 1}})") ==
        "h.dot:3: op 'b': type 'add' has no \"resource\" in h.json");
  CHECK(heurigym_error(R"({"resource": {"mul": 1}})") == "h.json: no \"delay\" object");
  CHECK(heurigym_error(R"({"delay": [], "resource": {}})") == "h.json: \"delay\" must be an object");
  CHECK(heurigym_error(R"({"delay": {"mul": "2"}, "resource": {}})") ==
        "h.json: \"delay\": type 'mul' must map to an integer >= 0, not \"2\"");
  CHECK(heurigym_error(R"({"delay": {"mul": -1}, "resource": {}})").find("integer >= 0") !=
        std::string::npos);
  CHECK(heurigym_error(R"({"delay": {}, "resource": {"mul": -5}})").find("integer >= -1") !=
        std::string::npos);
  CHECK(heurigym_error("{\n  \"delay\": {\"mul\": 2,}\n}").find("h.json:2: JSON syntax error") ==
        0);
  CHECK(heurigym_error(R"({"delay": {"mul": 1e999}})") ==
        "h.json: JSON error: number overflow parsing '1e999'");
  CHECK(heurigym_error("[1]") == "h.json:1: a HeuriGym input must be a JSON object");
  CHECK(heurigym_error(kJson, "digraph g {\n  a;\n}") ==
        "h.dot:2: op 'a' has no type (label); HeuriGym ops need one");
  CHECK(heurigym_error(kJson, "digraph g {\n  a [label = mul];\n  a -> q;\n}")
            .find("h.dot:3:") == 0);
}

TEST_CASE("heurigym: a duplicate node of the combined form names both entries") {
  const std::string combined =
      R"({"delay": {"mul": 2}, "resource": {"mul": 1}, "nodes": [["1", "mul"], ["2", "mul"],)"
      R"( ["1", "mul"]], "edges": []})";
  const std::string msg = heurigym_error(combined, "");
  CHECK(msg.find("\"nodes\"[2]: duplicate node '1' (first at \"nodes\"[0])") != std::string::npos);
}

TEST_CASE("heurigym: a combined file beside a DOT of its stem says which graph it reads") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gaus_heurigym_note_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string json = (dir / "h.json").string(), dot = (dir / "h.dot").string();
  {
    std::ofstream(json) << R"({"delay": {"mul": 2, "add": 1}, "resource": {"mul": 1, "add": 1},)"
                           R"( "nodes": [["a", "mul"]], "edges": []})";
  }
  std::vector<std::string> notes;
  ReadOptions ro;
  ro.note = [&](const std::string& m) { notes.push_back(m); };
  // No DOT beside it: nothing to say.
  CHECK(read_graph_file(json, ro).build().num_ops() == 1);
  CHECK(notes.empty());
  { std::ofstream(dot) << kDot; }
  // The file's own graph is read, and the note names the DOT left unread.
  CHECK(read_graph_file(json, ro).build().num_ops() == 1);
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].find("is not read") != std::string::npos);
  CHECK(notes[0].find(dot) != std::string::npos);
  // Named as the companion, the DOT is read and the file's own nodes are not.
  ro.companion = dot;
  CHECK(read_graph_file(json, ro).build().num_ops() == 2);
  REQUIRE(notes.size() == 2);
  CHECK(notes[1].find("the graph is read from " + dot) != std::string::npos);
  fs::remove_all(dir);
}
