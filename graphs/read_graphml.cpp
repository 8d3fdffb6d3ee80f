// HatScheT GraphML and its resource model (graphN.graphml + graphN_RM.xml, as in the MachSuite
// and CHStone sets of SpeedyBK/hatschet):
//   <node id="7"><data key="uses_resource">mem_read</data></node>
//   <edge source="7" target="9"><data key="delay">1</data><data key="distance">0</data></edge>
//   <Resource name="mem_read" latency="2" blockingTime="1" limit="2"/>
// An op's latency and blocking time are its resource's; an edge's delay is added to its source's
// latency (legal iff s_dst + distance * II >= s_src + latency(src) + delay).
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"
#include "graphs/xml_pull.hpp"

namespace gaus {

namespace {

struct RmResource {
  std::string name;
  std::int32_t latency = 0;
  std::int32_t blocking = 0;
  std::int32_t limit = kUnlimited;
  bool declared = false;  // add_resource already called for it
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_char(s.back())) s.remove_suffix(1);
  return s;
}

// An int32 value >= `min_value` from an attribute or data text; `what` names it in messages.
std::int32_t parse_value(const XmlPull& x, std::string_view text, std::int32_t min_value,
                         const std::string& what) {
  const std::string_view t = trim(text);
  std::int32_t v = 0;
  if (!parse_int32(t, v)) x.fail(what + " '" + printable(t) + "' is not an integer");
  if (v < min_value)
    x.fail(what + " " + std::to_string(v) +
           (min_value == 0 ? " is negative" : " is below " + std::to_string(min_value)));
  return v;
}

std::vector<RmResource> read_resource_model(std::string_view rm_xml, const std::string& rm_name,
                                            std::unordered_map<std::string, std::size_t>& index) {
  std::vector<RmResource> out;
  XmlPull x(rm_xml, rm_name);
  for (auto ev = x.next(); ev != XmlPull::Event::Eof; ev = x.next()) {
    if (ev != XmlPull::Event::Start) continue;
    if (x.depth() == 1 && x.name() != "ModelInformation")
      x.fail("root element <" + printable(x.name()) +
             "> is not <ModelInformation> (not a HatScheT resource model)");
    if (x.name() != "Resource") continue;
    const std::string* name = x.attribute("name");
    if (name == nullptr || name->empty()) x.fail("<Resource> without a name");
    const std::string r = "resource '" + printable(*name) + "': ";
    auto required = [&](const char* key) -> const std::string& {
      const std::string* v = x.attribute(key);
      if (v == nullptr) x.fail(r + "missing attribute '" + key + "'");
      return *v;
    };
    RmResource res;
    res.name = *name;
    res.latency = parse_value(x, required("latency"), 0, r + "latency");
    res.blocking = parse_value(x, required("blockingTime"), 0, r + "blockingTime");
    res.limit = parse_value(x, required("limit"), kUnlimited, r + "limit");
    if (!index.emplace(res.name, out.size()).second) x.fail(r + "declared twice");
    out.push_back(std::move(res));
  }
  return out;
}

struct PendingEdge {
  std::string source, target;
  std::int32_t delay = 0, distance = 0;
  std::int64_t line = 0;
};

}  // namespace

ProblemBuilder read_graphml(std::string_view graph_xml, const std::string& name,
                            std::string_view rm_xml, const std::string& rm_name) {
  std::unordered_map<std::string, std::size_t> rm_index;
  std::vector<RmResource> rm = read_resource_model(rm_xml, rm_name, rm_index);

  ProblemBuilder b(name);
  XmlPull x(graph_xml, name);
  std::unordered_map<std::string, std::string> key_names;  // <key id> -> attr.name
  std::vector<PendingEdge> edges;

  enum class In { None, Node, Edge } in = In::None;
  std::string node_id, node_resource, data_key, data_text;
  std::int64_t node_line = 0;
  bool has_resource = false, has_delay = false, has_distance = false, in_data = false;
  bool graph_seen = false;
  PendingEdge edge;
  auto what = [&] {
    return in == In::Node ? "node '" + printable(node_id) + "'"
                          : "edge '" + printable(edge.source) + "' -> '" +
                                printable(edge.target) + "'";
  };

  for (auto ev = x.next(); ev != XmlPull::Event::Eof; ev = x.next()) {
    if (ev == XmlPull::Event::Text) {
      if (in_data) data_text += x.text();
      continue;
    }
    const std::string_view el = x.name();
    if (ev == XmlPull::Event::Start) {
      if (x.depth() == 1 && el != "graphml")
        x.fail("root element <" + printable(el) + "> is not <graphml>");
      if (el == "key") {
        const std::string* id = x.attribute("id");
        const std::string* attr_name = x.attribute("attr.name");
        if (id != nullptr && attr_name != nullptr) key_names[*id] = *attr_name;
      } else if (el == "graph") {
        if (graph_seen) x.fail("more than one <graph> (nested graphs are not supported)");
        graph_seen = true;
        const std::string* dir = x.attribute("edgedefault");
        if (dir != nullptr && *dir == "undirected")
          x.fail("undirected graph: scheduling needs directed edges");
      } else if (el == "node" || el == "edge") {
        if (x.open_element(1) != "graph")
          x.fail(el == "node" ? "<node> outside <graph>" : "<edge> outside <graph>");
        if (el == "node") {
          const std::string* id = x.attribute("id");
          if (id == nullptr || id->empty()) x.fail("<node> without an id");
          in = In::Node;
          node_id = *id;
          node_line = x.line();
          has_resource = false;
        } else {
          const std::string* src = x.attribute("source");
          const std::string* dst = x.attribute("target");
          if (src == nullptr || dst == nullptr) x.fail("<edge> without a source or target");
          in = In::Edge;
          edge = PendingEdge{*src, *dst, 0, 0, x.line()};
          has_delay = has_distance = false;
        }
      } else if (el == "data" && in != In::None && x.depth() >= 2 &&
                 (x.open_element(1) == "node" || x.open_element(1) == "edge")) {
        const std::string* key = x.attribute("key");
        if (key == nullptr) x.fail(what() + ": <data> without a key");
        auto it = key_names.find(*key);
        data_key = it != key_names.end() ? it->second : *key;
        data_text.clear();
        in_data = true;
      }
      continue;
    }
    // End events
    if (el == "data" && in_data) {
      in_data = false;
      auto once = [&](bool& seen) {
        if (seen) x.fail(what() + ": <data key=\"" + printable(data_key) + "\"> given twice");
        seen = true;
      };
      if (in == In::Node && data_key == "uses_resource") {
        once(has_resource);
        node_resource = std::string(trim(data_text));
      } else if (in == In::Edge && data_key == "delay") {
        once(has_delay);
        edge.delay = parse_value(x, data_text, 0, what() + ": delay");
      } else if (in == In::Edge && data_key == "distance") {
        once(has_distance);
        edge.distance = parse_value(x, data_text, 0, what() + ": distance");
      }
    } else if (el == "node" && in == In::Node) {
      if (!has_resource) input_error(name, node_line, what() + ": no <data key=\"uses_resource\">");
      auto it = rm_index.find(node_resource);
      if (it == rm_index.end())
        input_error(name, node_line,
                    what() + ": resource '" + printable(node_resource) + "' is not in " + rm_name);
      RmResource& r = rm[it->second];
      if (!r.declared) {
        b.add_resource(r.name, r.limit);
        r.declared = true;
      }
      const op_id op = b.add_op(node_id, r.name, node_line);
      b.set_unit(op, r.name);
      b.set_latency(op, r.latency);
      b.set_blocking(op, r.blocking);
      in = In::None;
    } else if (el == "edge" && in == In::Edge) {
      if (!has_delay) input_error(name, edge.line, what() + ": no <data key=\"delay\">");
      if (!has_distance) input_error(name, edge.line, what() + ": no <data key=\"distance\">");
      edges.push_back(std::move(edge));
      in = In::None;
    }
  }
  if (!graph_seen) input_error(name, 0, "no <graph> element");

  // GraphML allows edges before the nodes they join, so edges are resolved at the end.
  for (const auto& e : edges) {
    const op_id src = b.find_op(e.source);
    const op_id dst = b.find_op(e.target);
    const std::string here = "edge '" + printable(e.source) + "' -> '" + printable(e.target) + "'";
    if (src < 0) input_error(name, e.line, here + ": unknown source node '" + printable(e.source) + "'");
    if (dst < 0) input_error(name, e.line, here + ": unknown target node '" + printable(e.target) + "'");
    b.add_edge(EdgeSpec{.src = src, .dst = dst, .delay = e.delay, .adds_latency = true,
                        .distance = e.distance, .weight = 0.0, .line = e.line});
  }
  return b;
}

}  // namespace gaus
