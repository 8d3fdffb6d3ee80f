// Readers and writers of every input format. Each reader parses from memory (so fuzzers and tests
// need no files), takes the input's name for messages, and returns an unbuilt ProblemBuilder so
// the caller can still apply a type library and flags before ProblemBuilder::build().
//
// Every reader throws InputError("NAME:LINE: what is wrong") (or "NAME: byte N: ..." for binary
// input) on malformed, truncated or inconsistent input; none crashes, hangs or reads past its
// buffer on any input.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/problem.hpp"
#include "core/schedule.hpp"
#include "graphs/builder.hpp"

namespace gaus {

enum class Format { Auto, Json, HeuriGym, Aiger, Dot, Gml, GraphMl, Ssp };

/// "json", "heurigym", "aiger" (also "aig", "aag"), "dot", "gml", "graphml", "ssp" (also
/// "mlir"); throws InputError.
Format parse_format(std::string_view name);
const char* format_name(Format f);
/// Format from the file extension (.json is told apart from HeuriGym JSON by its content).
Format detect_format(const std::string& path, std::string_view content);

struct ReadOptions {
  Format format = Format::Auto;
  /// GraphML: the HatScheT resource model (default NAME_RM.xml beside NAME.graphml).
  /// HeuriGym JSON: the DOT graph (default NAME.dot beside NAME.json).
  std::string companion;
  /// When set, called with remarks on what was read and what was not (a HeuriGym JSON that
  /// carries its own "nodes" beside a DOT of the same stem: which of the two gives the graph).
  std::function<void(const std::string&)> note;
};

/// Reads a file in any supported format. Throws InputError when it cannot be opened or parsed.
ProblemBuilder read_graph_file(const std::string& path, const ReadOptions& options = {});

// ---- readers (graphs/read_*.cpp) ----

/// AIGER, binary ("aig M I L O A") or ASCII ("aag M I L O A"): primary inputs and AND gates are
/// ops named by their variable index; AND fan-ins are edges (constant dropped, inversions
/// ignored). AND: type "and", latency 1, weight 1; PI: type "pi", latency 0, weight 0; every op
/// has output size 1. A latch is an op of type "latch" (latency 0) fed by its next-state
/// literal through a loop-carried edge (distance 1); latches and PIs weigh 0. AIGER 1.9 headers are
/// accepted when B C J F are all 0; the symbol table and comments are ignored. The builder keeps no
/// name index (names are unique variable indices), so find_op is unavailable on it.
ProblemBuilder read_aiger(std::string_view bytes, const std::string& name);

/// Graphviz DOT as in the EXPRESS suite: `ID [label = TYPE];` declares an op of type TYPE,
/// `A -> B [...];` an edge (delay = the source's latency). Op types map to units via the library.
/// A node without a label has an empty type (uses no unit); an edge naming an undeclared op, a
/// subgraph, or a `node`/`edge` default of an honored attribute is an error. graphs/read_dot.cpp
/// lists the accepted DOT subset and the honored attributes (latency, weight, output_size; delay,
/// distance, weight).
ProblemBuilder read_dot(std::string_view text, const std::string& name);

/// GML of the ICML 2024 random workloads: node `id`, `parameter` = weight (and output size);
/// edge `source`, `target`, `parameter` = communication weight. Edges have delay 0
/// (non-strict precedence, formulation A); ops have type "node" and latency 1.
ProblemBuilder read_gml(std::string_view text, const std::string& name);

/// HatScheT GraphML plus its resource model XML (`<Resource name latency blockingTime limit>`).
/// An op's unit is its `uses_resource`, its latency and blocking time the resource's; an edge's
/// delay is added to its source's latency; `distance` marks loop-carried edges.
ProblemBuilder read_graphml(std::string_view graph_xml, const std::string& name,
                            std::string_view rm_xml, const std::string& rm_name);

/// CIRCT's SSP dialect (.mlir, graphs/ssp/ssp.hpp) holding exactly one instance, with the
/// meaning of its problem class (graphs/ssp/ssp_problem.hpp); `gaus schedule` and `gaus verify`
/// take files of several instances through graphs/ssp directly.
ProblemBuilder read_ssp_problem(std::string_view text, const std::string& name);

/// The native JSON schema (docs/native-json.md).
ProblemBuilder read_native_json(std::string_view text, const std::string& name);

/// The HeuriGym operator-scheduling input: a JSON file `{"name", "delay": {TYPE: cycles},
/// "resource": {TYPE: units}}` beside a DOT graph of the same stem (`<node> [label = TYPE]`).
/// Each type is its own unit class with the given limit and latency; units are not pipelined
/// (HeuriGym's verifier counts an op busy from its start until start + delay). A JSON that
/// carries its own "nodes" and "edges" arrays (HeuriGym's combined form) needs no DOT file.
ProblemBuilder read_heurigym(std::string_view json_text, const std::string& json_name,
                             std::string_view dot_text, const std::string& dot_name);

// ---- writers (graphs/write_*.cpp) ----

/// The native JSON schema; read_native_json(write_native_json(p)) rebuilds an equal Problem.
std::string write_native_json(const Problem& p);

/// Graphviz DOT; with a schedule, each op is labelled with its step and ops are ranked by step.
std::string write_dot(const Problem& p, const Schedule* schedule = nullptr);

}  // namespace gaus
