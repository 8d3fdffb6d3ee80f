// Graphviz DOT writer. Without a schedule each op is `ID [label = TYPE, latency = L]` (plus
// `blocking = B` when an op holds its unit other than one cycle) and each edge `A -> B` with its
// delay beyond the source's latency, its distance and weight when nonzero, so read_dot reads back
// the same ops, types, latencies, blocking times and edges. With a schedule each op is
// labelled "NAME\nTYPE @ STEP", keeps its type in a `type` attribute, and ops of one step share a
// `{rank = same; ...}` group, so dot draws the schedule top to bottom and read_dot reads the
// same problem back.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace {

bool is_keyword(std::string_view s) {
  std::string l(s);
  for (char& c : l)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return l == "node" || l == "edge" || l == "graph" || l == "digraph" || l == "subgraph" ||
         l == "strict";
}

// A DOT identifier or numeral that needs no quotes (ASCII only, to stay readable everywhere).
bool is_bare_id(std::string_view s) {
  if (s.empty()) return false;
  if (std::all_of(s.begin(), s.end(), is_digit_char)) return true;
  if (!(is_alpha_char(s[0]) || s[0] == '_')) return false;
  for (char c : s)
    if (!(is_alpha_char(c) || is_digit_char(c) || c == '_')) return false;
  return !is_keyword(s);
}

// Text inside a quoted DOT string: '"' and '\' escaped (read_dot and Graphviz undo both).
void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
}

void append_id(std::string& out, std::string_view s) {
  if (is_bare_id(s)) {
    out.append(s);
    return;
  }
  out += '"';
  append_escaped(out, s);
  out += '"';
}

void append_int(std::string& out, std::int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Doubles are quoted: DOT numerals have no exponent, the shortest round-trip text may.
void append_number(std::string& out, double v) {
  char buf[32];
  out += '"';
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  out += '"';
}

}  // namespace

std::string write_dot(const Problem& p, const Schedule* schedule) {
  const op_id n = p.num_ops();
  const edge_id m = p.num_edges();
  if (schedule != nullptr && schedule->start.size() != static_cast<std::size_t>(n))
    throw InputError("write_dot: the schedule has " + std::to_string(schedule->start.size()) +
                     " start steps for " + std::to_string(n) + " ops");
  std::string out;
  out.reserve(64 + static_cast<std::size_t>(n) * 48 + static_cast<std::size_t>(m) * 24);
  const std::string stem = std::filesystem::path(p.source).stem().string();
  out += "digraph ";
  append_id(out, stem.empty() ? std::string_view("gaus") : std::string_view(stem));
  out += " {\n  // ";
  append_int(out, n);
  out += " ops, ";
  append_int(out, m);
  out += schedule != nullptr ? " edges; labels are NAME\\nTYPE @ STEP\n" : " edges\n";

  for (op_id i = 0; i < n; ++i) {
    out += "  ";
    append_id(out, p.name(i));
    const std::string_view type =
        p.op_type[i] >= 0 ? std::string_view(p.type_names[p.op_type[i]]) : std::string_view();
    out += " [";
    if (schedule != nullptr) {
      out += "label = \"";
      append_escaped(out, p.name(i));
      out += "\\n";
      if (!type.empty()) {
        append_escaped(out, type);
        out += ' ';
      }
      out += "@ ";
      append_int(out, schedule->start[i]);
      out += "\", type = ";  // the label is no longer the type: read_dot prefers this
      append_id(out, type);
      out += ", ";
    } else if (!type.empty()) {
      out += "label = ";
      append_id(out, type);
      out += ", ";
    }
    out += "latency = ";
    append_int(out, p.latency[i]);
    // Blocking is 1 (pipelined) unless the file or library said otherwise; an op without a
    // unit blocks nothing. Written only then, so pipelined graphs read as before.
    if (p.op_resource[i] >= 0 && p.blocking[i] != 1) {
      out += ", blocking = ";
      append_int(out, p.blocking[i]);
    }
    if (p.weight[i] != 1.0) {
      out += ", weight = ";
      append_number(out, p.weight[i]);
    }
    if (p.out_size[i] != 1.0) {
      out += ", output_size = ";
      append_number(out, p.out_size[i]);
    }
    out += "];\n";
  }

  for (edge_id e = 0; e < m; ++e) {
    const op_id src = p.edge_src[e];
    out += "  ";
    append_id(out, p.name(src));
    out += " -> ";
    append_id(out, p.name(p.edge_dst[e]));
    std::string attrs;
    const std::int64_t extra = std::int64_t{p.edge_delay[e]} - p.latency[src];
    if (extra != 0) {
      attrs += "delay = ";
      append_int(attrs, extra);
    }
    if (p.edge_distance[e] != 0) {
      attrs += attrs.empty() ? "distance = " : ", distance = ";
      append_int(attrs, p.edge_distance[e]);
      attrs += ", style = dashed";
    }
    if (p.edge_weight[e] != 0.0) {
      attrs += attrs.empty() ? "weight = " : ", weight = ";
      append_number(attrs, p.edge_weight[e]);
    }
    if (!attrs.empty()) out += " [" + attrs + "]";
    out += ";\n";
  }

  if (schedule != nullptr && n > 0) {
    std::vector<std::pair<std::int32_t, op_id>> by_step(static_cast<std::size_t>(n));
    for (op_id i = 0; i < n; ++i) by_step[i] = {schedule->start[i], i};
    std::sort(by_step.begin(), by_step.end());
    for (std::size_t k = 0; k < by_step.size(); ++k) {
      if (k == 0 || by_step[k].first != by_step[k - 1].first) out += "  {rank = same;";
      out += ' ';
      append_id(out, p.name(by_step[k].second));
      out += ';';
      if (k + 1 == by_step.size() || by_step[k + 1].first != by_step[k].first) out += "}\n";
    }
  }
  out += "}\n";
  return out;
}

}  // namespace gaus
