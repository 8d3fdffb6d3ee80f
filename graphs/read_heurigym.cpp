// HeuriGym operator scheduling (cornell-zhang/heurigym, operator_scheduling/): a JSON file
//   {"name": "hal", "delay": {"mul": 3, "sub": 1}, "resource": {"mul": 2, "sub": 1}}
// beside a DOT graph of the same stem (`n1 [label = mul];`, `n1 -> n3 [name = lhs];`), or the
// combined form HeuriGym's dataset/convert_to_json.py writes, which carries the graph itself as
// "nodes": [["n1", "mul"], ...] and "edges": [["n1", "n3", "lhs"], ...].
//
// Each op type is its own unit class with `resource[type]` units; an op's latency is
// `delay[type]`, and so is its blocking time: units are NOT pipelined. The evidence is HeuriGym's
// own checker, operator_scheduling/program/verifier.py (and utils.py's verify): it counts a node
// as using its resource in every cycle t with `start <= t < start + delay[node.resource]`, i.e.
// for the whole delay, and edges need `start[src] + delay[src] <= start[dst]` (our default edge
// delay, the source's latency).
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/json_util.hpp"

namespace gaus {

namespace {

using json = nlohmann::json;

std::string id_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  return {};
}

// The combined form's graph; messages name the array entry (the JSON DOM keeps no lines).
ProblemBuilder embedded_graph(const json& j, const std::string& name) {
  ProblemBuilder b(name);
  const json& nodes = j.at("nodes");
  if (!nodes.is_array()) input_error(name, 0, "\"nodes\" must be an array");
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const json& n = nodes[k];
    const std::string where = "\"nodes\"[" + std::to_string(k) + "]";
    if (!n.is_array() || n.size() < 2 || id_text(n[0]).empty() || !n[1].is_string())
      input_error(name, 0, where + " must be [\"ID\", \"TYPE\"]");
    const std::string id = id_text(n[0]);
    // Each entry adds one op, so an op's index is its entry's.
    if (const op_id first = b.find_op(id); first >= 0)
      input_error(name, 0, where + ": duplicate node '" + printable(id) + "' (first at \"nodes\"[" +
                               std::to_string(first) + "])");
    b.add_op(id, n[1].get<std::string>());
  }
  const auto edges_it = j.find("edges");
  if (edges_it == j.end()) return b;
  if (!edges_it->is_array()) input_error(name, 0, "\"edges\" must be an array");
  for (std::size_t k = 0; k < edges_it->size(); ++k) {
    const json& e = (*edges_it)[k];
    const std::string where = "\"edges\"[" + std::to_string(k) + "]";
    if (!e.is_array() || e.size() < 2 || id_text(e[0]).empty() || id_text(e[1]).empty())
      input_error(name, 0, where + " must be [\"SRC\", \"DST\", ...]");
    const std::string src = id_text(e[0]), dst = id_text(e[1]);
    const op_id s = b.find_op(src), d = b.find_op(dst);
    for (const auto& [id, op] : {std::pair{&src, s}, std::pair{&dst, d}})
      if (op < 0)
        input_error(name, 0, where + " '" + printable(src) + "' -> '" + printable(dst) +
                                 "': unknown node '" + printable(*id) + "'");
    b.add_edge(EdgeSpec{.src = s, .dst = d});
  }
  return b;
}

// "delay" or "resource": type -> integer >= `min`.
std::unordered_map<std::string, std::int32_t> type_table(const json& j, const char* key,
                                                         std::int64_t min,
                                                         const std::string& name) {
  const auto it = j.find(key);
  if (it == j.end()) input_error(name, 0, std::string("no \"") + key + "\" object");
  if (!it->is_object()) input_error(name, 0, std::string("\"") + key + "\" must be an object");
  std::unordered_map<std::string, std::int32_t> out;
  for (const auto& [type, v] : it->items()) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < min ||
        v.get<std::int64_t>() > std::numeric_limits<std::int32_t>::max())
      input_error(name, 0, std::string("\"") + key + "\": type '" + printable(type) +
                               "' must map to an integer >= " + std::to_string(min) +
                               ", not " + printable(v.dump()));
    out.emplace(type, static_cast<std::int32_t>(v.get<std::int64_t>()));
  }
  return out;
}

}  // namespace

ProblemBuilder read_heurigym(std::string_view json_text, const std::string& json_name,
                             std::string_view dot_text, const std::string& dot_name) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::parse_error& e) {
    json_syntax_error(json_name, json_text, e.byte, e.what());
  } catch (const json::exception& e) {  // a number too large for a double (no position given)
    std::string_view what = e.what();
    if (const std::size_t k = what.find("] "); k != std::string_view::npos) what.remove_prefix(k + 2);
    input_error(json_name, 0, "JSON error: " + printable(what, 200));
  }
  if (!j.is_object()) input_error(json_name, 1, "a HeuriGym input must be a JSON object");
  if (j.contains("name") && !j["name"].is_string())
    input_error(json_name, 0, "\"name\" must be a string");
  const auto delay = type_table(j, "delay", 0, json_name);
  // HeuriGym gives every type a positive count; -1 (unlimited) is accepted as in our own files.
  const auto limit = type_table(j, "resource", kUnlimited, json_name);

  const bool embedded = dot_text.empty() && j.contains("nodes");
  ProblemBuilder b = embedded ? embedded_graph(j, json_name) : read_dot(dot_text, dot_name);
  const std::string& graph_name = embedded ? json_name : dot_name;

  std::unordered_map<std::string, std::int32_t> seen;  // type -> latency, once declared
  for (op_id op = 0; op < b.num_ops(); ++op) {
    const std::string_view type = b.op_type(op);
    const std::string who = "op '" + printable(b.op_name(op)) + "'";
    if (type.empty())
      input_error(graph_name, b.op_line(op), who + " has no type (label); HeuriGym ops need one");
    auto it = seen.find(std::string(type));
    if (it == seen.end()) {
      const auto d = delay.find(std::string(type));
      if (d == delay.end())
        input_error(graph_name, b.op_line(op),
                    who + ": type '" + printable(type) + "' has no \"delay\" in " + json_name);
      const auto r = limit.find(std::string(type));
      if (r == limit.end())
        input_error(graph_name, b.op_line(op),
                    who + ": type '" + printable(type) + "' has no \"resource\" in " + json_name);
      b.add_resource(type, r->second);
      it = seen.emplace(std::string(type), d->second).first;
    }
    b.set_latency(op, it->second);
    b.set_blocking(op, it->second);
  }
  return b;
}

}  // namespace gaus
