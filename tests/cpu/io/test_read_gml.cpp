#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"

using namespace gaus;

namespace {

std::string gml_error(const std::string& text) {
  try {
    (void)read_gml(text, "t.gml").build();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

/// Occurrences of `needle` in `hay`.
long count_of(const std::string& hay, const std::string& needle) {
  long n = 0;
  for (auto k = hay.find(needle); k != std::string::npos; k = hay.find(needle, k + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("read_gml: hand-made fixture") {
  const Problem p = read_gml(read_file(GAUS_TEST_DATA_DIR "/gml_small.gml"), "gml_small.gml").build();
  validate(p);
  REQUIRE(p.num_ops() == 3);
  CHECK(p.name(0) == "7");
  CHECK(p.name(1) == "2");
  CHECK(p.name(2) == "-4");
  CHECK(p.weight[0] == 3.0);
  CHECK(p.weight[1] == 0.0);  // no parameter
  CHECK(p.out_size[2] == 0.5);
  for (op_id i = 0; i < 3; ++i) {
    CHECK(p.latency[i] == 1);
    CHECK(p.type_names[p.op_type[i]] == "node");
  }
  REQUIRE(p.num_edges() == 3);
  // CSR order: by source op, then file order
  CHECK(p.edge_src[0] == 1);
  CHECK(p.edge_dst[0] == 0);
  CHECK(p.edge_weight[0] == 10.0);
  CHECK(p.edge_src[1] == 2);
  CHECK(p.edge_dst[1] == 0);
  CHECK(p.edge_weight[1] == 0.0);
  CHECK(p.edge_dst[2] == 1);
  CHECK(p.edge_weight[2] == 25.0);
  for (edge_id e = 0; e < 3; ++e) {
    CHECK(p.edge_delay[e] == 0);  // non-strict precedence
    CHECK(p.edge_distance[e] == 0);
  }
}

TEST_CASE("read_gml: broken inputs name the line and the culprit") {
  CHECK(gml_error("graph [\n node [ id 1 ]\n") ==
        "t.gml:1: unbalanced '[': the list 'graph' opened here is never closed");
  CHECK(gml_error("graph [\n node [ id 1\n]") ==
        "t.gml:1: unbalanced '[': the list 'graph' opened here is never closed");
  CHECK(gml_error("graph [\n node [ id 1\n") ==
        "t.gml:2: unbalanced '[': the list 'node' opened here is never closed");
  CHECK(gml_error("graph [ [ ] ]") == "t.gml:1: expected a key, found '[' '['");
  CHECK(gml_error("graph [\n]\n]") == "t.gml:3: unbalanced ']' (no list is open)");
  CHECK(gml_error("graph [\n node [ label \"x\" ]\n]") == "t.gml:2: node without an 'id'");
  CHECK(gml_error("graph [\n node [ id 1 ]\n node [\n id 1 ]\n]") ==
        "t.gml:3: duplicate node id 1 (first defined at line 2)");
  CHECK(gml_error("graph [\n node [ id 1 id 2 ]\n]") == "t.gml:2: node has two 'id' keys");
  CHECK(gml_error("graph [\n node [ id 1.5 ]\n]") ==
        "t.gml:2: node id must be an integer, found a real number '1.5'");
  CHECK(gml_error("graph [\n node [ id \"a\" ]\n]") ==
        "t.gml:2: node id must be an integer, found a string 'a'");
  CHECK(gml_error("graph [\n node [ id [ ] ]\n]") ==
        "t.gml:2: node 'id' must be a number, not a list");
  CHECK(gml_error("graph [\n node [ id 1 ]\n edge [ source 1\n target 5 ]\n]") ==
        "t.gml:3: edge 1 -> 5: unknown target id 5");
  CHECK(gml_error("graph [\n node [ id 1 ]\n edge [ source 0 target 1 ]\n]") ==
        "t.gml:3: edge 0 -> 1: unknown source id 0");
  CHECK(gml_error("graph [\n node [ id 1 ]\n edge [ target 1 ]\n]") ==
        "t.gml:3: edge without a 'source'");
  CHECK(gml_error("graph [\n node [ id 1 ]\n edge [ source 1 ]\n]") ==
        "t.gml:3: edge without a 'target'");
  CHECK(gml_error("graph [\n node [ id 1 parameter \"big\" ]\n]") ==
        "t.gml:2: node parameter must be a number, found a string 'big'");
  CHECK(gml_error("graph [\n node [ id 1 parameter -3 ]\n]") ==
        "t.gml:2: node parameter -3 is negative");
  CHECK(gml_error("graph [\n node [ id 1 ] node [ id 2 ]\n edge [ source 1 target 2\n "
                  "parameter -0.5 ]\n]") == "t.gml:4: edge parameter -0.5 is negative");
  CHECK(gml_error("graph [\n node [ id 1 parameter 1 parameter 2 ]\n]") ==
        "t.gml:2: node has two 'parameter' keys");
  CHECK(gml_error("graph [\n node [ id 1 label \"x ]\n]") ==
        "t.gml:2: unterminated string (no closing '\"')");
  CHECK(gml_error("graph [\n node [ id 1-2 ]\n]") == "t.gml:2: malformed number '1-2'");
  CHECK(gml_error("graph [\n node [ id 1 ] @\n]") == "t.gml:2: unexpected character '@'");
  CHECK(gml_error("graph [\n node [ id 12abc ]\n]") ==
        "t.gml:2: expected a space after '12', found 'a'");
  CHECK(gml_error("graph [\n directed\n]") == "t.gml:2: key 'directed' has no value");
  CHECK(gml_error("graph [\n 5 5\n]") == "t.gml:2: expected a key, found an integer '5'");
  CHECK(gml_error("graph [ ]\ngraph [ ]") ==
        "t.gml:2: more than one 'graph' list (one graph per file)");
  CHECK(gml_error("graph 1") == "t.gml:1: 'graph' must be a list: graph [ ... ]");
  CHECK(gml_error("# only a comment\n") == "t.gml: no 'graph [ ... ]' list");
  CHECK(gml_error("graph [\n node [ id 1 ] node [ id 2 ]\n edge [ source 1 target 2 ]\n edge [ "
                  "source 2 target 1 ]\n]")
            .find("cycle") != std::string::npos);
}

TEST_CASE("read_gml: deep nesting is iterative, not recursive") {
  const int depth = 200000;
  std::string text = "graph [ node [ id 1 ] x ";
  for (int k = 0; k < depth; ++k) text += "[ a ";
  text += "1 ";
  for (int k = 0; k < depth; ++k) text += "] ";
  text += "]";
  CHECK(read_gml(text, "deep.gml").num_ops() == 1);
  std::string open = "graph [ x [\n";
  for (int k = 0; k < depth; ++k) open += "a [\n";
  CHECK(gml_error(open) ==
        "t.gml:200001: unbalanced '[': the list 'a' opened here is never closed");
  CHECK(gml_error("graph [\n directed yes\n]") ==
        "t.gml:2: key 'directed': expected a number, a string or a list, found 'yes'");
}

TEST_CASE("read_gml: every RW graph loads and builds") {
  const std::filesystem::path dir = GAUS_SHARED_DATA_DIR "/rw";
  if (!std::filesystem::is_directory(dir)) {
    MESSAGE("skipped: no " << dir.string());
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".gml") continue;
    ++files;
    CAPTURE(entry.path().string());
    const std::string text = read_file(entry.path().string());
    const Problem p = read_gml(text, entry.path().filename().string()).build();
    validate(p);
    CHECK(p.num_ops() == count_of(text, "node ["));
    CHECK(p.num_edges() == count_of(text, "edge ["));
    if (entry.path().filename() == "rand_graph_1000_1.gml") {  // counted with grep
      CHECK(p.num_ops() == 949);
      CHECK(p.num_edges() == 2730);
      // sums of the node and edge parameters, scanned line by line
      double node_sum = 0, edge_sum = 0;
      bool in_edge = false;
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        if (line.find("node [") != std::string::npos) in_edge = false;
        if (line.find("edge [") != std::string::npos) in_edge = true;
        const auto k = line.find("parameter ");
        if (k != std::string::npos)
          (in_edge ? edge_sum : node_sum) += std::stod(line.substr(k + 10));
      }
      double weights = 0, sizes = 0, comm = 0;
      for (op_id i = 0; i < p.num_ops(); ++i) weights += p.weight[i], sizes += p.out_size[i];
      for (edge_id e = 0; e < p.num_edges(); ++e) comm += p.edge_weight[e];
      CHECK(weights == node_sum);
      CHECK(sizes == node_sum);
      CHECK(comm == edge_sum);  // raw parameters, not binarized
      CHECK(comm > static_cast<double>(p.num_edges()));
    }
  }
  CHECK(files == 18);
}
