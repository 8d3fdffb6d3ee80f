// Graphviz DOT reader: a subset of the DOT grammar that covers the EXPRESS data-flow graphs.
//
// Accepted: optional `strict`, `digraph` (edges `->`) or `graph` (edges `--`, read in the
// direction written) with an optional name, one `{ ... }` body; statements separated by `;` or
// nothing; node statements `ID [k = v, ...]`; edge statements `A -> B -> C [k = v]` (attributes
// apply to every edge of the chain); attribute statements `node|edge|graph [...]`; graph
// attributes `ID = ID`; subgraph blocks `subgraph [ID] { ... }` and anonymous `{ ... }`, nested
// to any depth, whose statements count as if written in the body (their attributes, such as
// the `rank = same` of a scheduled DOT written by write_dot, are ignored). IDs are identifiers,
// numerals, "quoted strings" (\" and \\ unescaped, backslash-newline joins lines, "a" + "b"
// concatenates) or <HTML strings>. Ports (`A:p`) are ignored. Comments: `//`, `/* */`, and lines
// starting with `#`. Keywords are case-insensitive.
//
// Meaning: a node statement declares op ID (declaration order = op order); its `label` is the op
// type, unless the node has a `type` attribute, which then is the type (write_dot gives one to
// ops whose label shows a schedule step). A node with neither has an empty type and uses no unit.
// Node attributes `latency`, `blocking` (integers), `weight`, `output_size` (numbers >= 0) and edge
// attributes `delay` (integer added to the source's latency), `distance` (integer >= 0),
// `weight` (number >= 0) are honored; all other attributes are ignored. A node may be declared
// again if its honored attributes agree.
//
// Rejected with a message: a subgraph as an edge's end (`a -> { b c }`), an edge naming an op
// that no node statement declares, conflicting redeclarations, and `node [...]` / `edge [...]`
// defaults for an honored attribute (those would silently change ops; give each node or edge
// its own attribute instead).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "graphs/dot_lexer.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace {

using dot::describe;
using dot::DotLexer;
using dot::is_keyword;
using dot::Tok;
using dot::Token;

struct Attr {
  std::string key, value;
  std::int64_t line;
};

struct NodeDecl {
  std::string id;
  bool declared = false;  // false: only named by an edge so far
  std::int64_t line = 0;  // first node statement
  std::optional<std::string> label, type;
  std::optional<std::int32_t> latency, blocking;
  std::optional<double> weight, out_size;
};

struct EdgeDecl {
  std::size_t src, dst;  // indices into nodes
  std::int32_t delay = 0, distance = 0;
  double weight = 0.0;
  std::int64_t line = 0;
};

class DotParser {
 public:
  DotParser(std::string_view text, const std::string& name) : lex_(text, name), name_(name) {}

  ProblemBuilder parse() {
    Token t = lex_.next();
    if (is_keyword(t, "strict")) t = lex_.next();
    if (is_keyword(t, "digraph"))
      directed_ = true;
    else if (!is_keyword(t, "graph"))
      lex_.fail(t.line, "expected 'digraph' or 'graph', found " + describe(t));
    if (lex_.peek().kind == Tok::Id) lex_.next();  // the graph's name
    const Token open = lex_.next();
    if (open.kind != Tok::LBrace) lex_.fail(open.line, "expected '{', found " + describe(open));
    open_lines_.push_back(open.line);
    while (!open_lines_.empty()) statement();
    const Token after = lex_.next();
    if (after.kind != Tok::End)
      lex_.fail(after.line, "unexpected " + describe(after) + " after the graph's closing '}' " +
                                "(one graph per file)");
    return build();
  }

 private:
  /// Parses one statement, a subgraph's opening or a closing '}'. Subgraphs nest through
  /// open_lines_ (the line of each open '{', the graph's body first), never through recursion.
  void statement() {
    Token t = lex_.next();
    switch (t.kind) {
      case Tok::RBrace:
        open_lines_.pop_back();
        if (!open_lines_.empty()) subgraph_end();
        return;
      case Tok::End:
        if (open_lines_.size() > 1)
          lex_.fail(t.line, "missing '}' (the subgraph opened at line " +
                                std::to_string(open_lines_.back()) + " is never closed)");
        lex_.fail(t.line, "missing '}' (the graph opened at line " +
                              std::to_string(open_lines_.front()) + " is never closed)");
      case Tok::Semi:
        return;
      case Tok::LBrace:
        open_lines_.push_back(t.line);
        return;
      case Tok::Id:
        break;
      default:
        lex_.fail(t.line, "expected a statement, found " + describe(t));
    }
    if (is_keyword(t, "subgraph")) {
      if (lex_.peek().kind == Tok::Id) lex_.next();  // the subgraph's name
      const Token open = lex_.next();
      if (open.kind != Tok::LBrace)
        lex_.fail(open.line, "subgraph: expected '{', found " + describe(open));
      open_lines_.push_back(open.line);
      return;
    }
    if (is_keyword(t, "node") || is_keyword(t, "edge") || is_keyword(t, "graph")) {
      if (lex_.peek().kind != Tok::LBracket)
        lex_.fail(t.line, "expected '[' after '" + t.text + "', found " + describe(lex_.peek()));
      const std::vector<Attr> attrs = attr_lists();
      if (!is_keyword(t, "graph"))
        for (const Attr& a : attrs)
          if (a.key == "label" || a.key == "type" || a.key == "latency" || a.key == "weight" ||
              a.key == "output_size" || a.key == "delay" || a.key == "distance" ||
              a.key == "blocking")
            lex_.fail(a.line, "default attribute '" + a.key + "' in '" + t.text + " [...]' is " +
                                  "not supported; give each " + t.text + " its own");
      return;
    }
    if (lex_.peek().kind == Tok::Equals) {  // graph attribute ID = ID
      lex_.next();
      const Token v = lex_.next();
      if (v.kind != Tok::Id)
        lex_.fail(v.line, "graph attribute '" + printable(t.text) + "': expected a value, found " +
                              describe(v));
      return;
    }
    port();
    const Tok edge_op = directed_ ? Tok::Arrow : Tok::Line;
    if (lex_.peek().kind != Tok::Arrow && lex_.peek().kind != Tok::Line) {
      node_statement(t);
      return;
    }
    std::vector<Token> chain;
    chain.push_back(std::move(t));
    while (lex_.peek().kind == Tok::Arrow || lex_.peek().kind == Tok::Line) {
      const Token op = lex_.next();
      if (op.kind != edge_op)
        lex_.fail(op.line,
                  std::string("'") + op.text + "' in " +
                      (directed_ ? "a digraph (use '->')" : "an undirected graph (use '--')"));
      Token target = lex_.next();
      if (target.kind == Tok::LBrace || is_keyword(target, "subgraph"))
        lex_.fail(target.line, "edge from '" + printable(chain.back().text) + "': a subgraph " +
                                   "as an edge's end is not supported (write one edge per op)");
      if (target.kind != Tok::Id)
        lex_.fail(target.line, "edge from '" + printable(chain.back().text) + "': expected a " +
                                   "target op after '" + op.text + "', found " + describe(target));
      port();
      chain.push_back(std::move(target));
    }
    EdgeDecl proto;
    proto.line = chain.front().line;
    for (const Attr& a : attr_lists()) {
      if (a.key == "delay")
        proto.delay = integer(a, false);
      else if (a.key == "distance")
        proto.distance = integer(a, true);
      else if (a.key == "weight")
        proto.weight = number(a);
    }
    for (std::size_t k = 0; k + 1 < chain.size(); ++k) {
      proto.src = node_index(chain[k].text);
      proto.dst = node_index(chain[k + 1].text);
      edges_.push_back(proto);
    }
    return;
  }

  /// After a subgraph's '}': it may not be an edge's source (`{ a b } -> c`).
  void subgraph_end() {
    const Tok k = lex_.peek().kind;
    if (k == Tok::Arrow || k == Tok::Line)
      lex_.fail(lex_.peek().line,
                "a subgraph as an edge's end is not supported (write one edge per op)");
  }

  /// Skips an optional port ":p" or ":p:compass" after a node ID.
  void port() {
    for (int k = 0; k < 2 && lex_.peek().kind == Tok::Colon; ++k) {
      lex_.next();
      const Token p = lex_.next();
      if (p.kind != Tok::Id)
        lex_.fail(p.line, "expected a port name after ':', found " + describe(p));
    }
  }

  std::vector<Attr> attr_lists() {
    std::vector<Attr> attrs;
    while (lex_.peek().kind == Tok::LBracket) {
      const Token open = lex_.next();
      for (;;) {
        Token k = lex_.next();
        if (k.kind == Tok::RBracket) break;
        if (k.kind == Tok::End)
          lex_.fail(open.line, "unterminated attribute list (no closing ']')");
        if (k.kind != Tok::Id)
          lex_.fail(k.line, "expected an attribute name, found " + describe(k));
        const Token eq = lex_.next();
        if (eq.kind != Tok::Equals)
          lex_.fail(eq.line,
                    "attribute '" + printable(k.text) + "': expected '=', found " + describe(eq));
        Token v = lex_.next();
        if (v.kind != Tok::Id)
          lex_.fail(v.line, "attribute '" + printable(k.text) + "': expected a value, found " +
                                describe(v));
        attrs.push_back({std::move(k.text), std::move(v.text), k.line});
        if (lex_.peek().kind == Tok::Comma || lex_.peek().kind == Tok::Semi) lex_.next();
      }
    }
    return attrs;
  }

  std::int32_t integer(const Attr& a, bool non_negative) {
    std::int32_t v = 0;
    if (!parse_int32(a.value, v))
      lex_.fail(a.line, "attribute " + a.key + " = '" + printable(a.value) + "' is not a 32-bit " +
                            "integer");
    if (non_negative && v < 0)
      lex_.fail(a.line, "attribute " + a.key + " = " + a.value + " is negative");
    return v;
  }
  double number(const Attr& a) {
    double v = 0;
    if (!parse_finite_double(a.value, v))
      lex_.fail(a.line, "attribute " + a.key + " = '" + printable(a.value) + "' is not a finite " +
                            "number");
    if (v < 0) lex_.fail(a.line, "attribute " + a.key + " = " + a.value + " is negative");
    return v;
  }

  std::size_t node_index(const std::string& id) {
    auto [it, inserted] = index_.try_emplace(id, nodes_.size());
    if (inserted) {
      nodes_.emplace_back();
      nodes_.back().id = id;
    }
    return it->second;
  }

  template <class T>
  void merge(std::optional<T>& slot, const T& value, const NodeDecl& n, const Attr& a) {
    if (slot && *slot != value)
      lex_.fail(a.line, "node '" + printable(n.id) + "': conflicting " + a.key + " '" +
                            printable(a.value) + "' (the node, first declared at line " +
                            std::to_string(n.line) + ", already has " + a.key + " '" +
                            printable(text_of(*slot)) + "')");
    slot = value;
  }
  static std::string text_of(const std::string& v) { return v; }
  static std::string text_of(std::int32_t v) { return std::to_string(v); }
  static std::string text_of(double v) {
    char buf[32];
    return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
  }

  void node_statement(const Token& t) {
    const std::vector<Attr> attrs = attr_lists();
    NodeDecl& n = nodes_[node_index(t.text)];
    if (!n.declared) {
      n.declared = true;
      n.line = t.line;
      order_.push_back(index_.at(t.text));
    }
    for (const Attr& a : attrs) {
      if (a.key == "label")
        merge(n.label, a.value, n, a);
      else if (a.key == "type")
        merge(n.type, a.value, n, a);
      else if (a.key == "latency")
        merge(n.latency, integer(a, true), n, a);
      else if (a.key == "blocking")
        merge(n.blocking, integer(a, true), n, a);
      else if (a.key == "weight")
        merge(n.weight, number(a), n, a);
      else if (a.key == "output_size")
        merge(n.out_size, number(a), n, a);
    }
  }

  ProblemBuilder build() {
    for (const EdgeDecl& e : edges_)
      for (std::size_t end : {e.src, e.dst})
        if (!nodes_[end].declared)
          input_error(name_, e.line,
                      "edge '" + printable(nodes_[e.src].id) + "' -> '" +
                          printable(nodes_[e.dst].id) + "': unknown op '" +
                          printable(nodes_[end].id) + "' (no node statement " + "declares it)");
    ProblemBuilder b(name_);
    b.reserve(order_.size(), edges_.size());
    std::vector<op_id> op_of(nodes_.size(), -1);
    for (std::size_t k : order_) {
      const NodeDecl& n = nodes_[k];
      const op_id op = b.add_op(n.id, n.type ? *n.type : n.label.value_or(std::string()), n.line);
      op_of[k] = op;
      if (n.latency) b.set_latency(op, *n.latency);
      if (n.blocking) b.set_blocking(op, *n.blocking);
      if (n.weight) b.set_weight(op, *n.weight);
      if (n.out_size) b.set_out_size(op, *n.out_size);
    }
    for (const EdgeDecl& e : edges_)
      b.add_edge({.src = op_of[e.src],
                  .dst = op_of[e.dst],
                  .delay = e.delay,
                  .distance = e.distance,
                  .weight = e.weight,
                  .line = e.line});
    return b;
  }

  DotLexer lex_;
  const std::string& name_;
  bool directed_ = false;
  std::vector<std::int64_t> open_lines_;  // each open '{': the graph's body, then subgraphs
  std::vector<NodeDecl> nodes_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::size_t> order_;  // declared nodes in declaration order
  std::vector<EdgeDecl> edges_;
};

}  // namespace

ProblemBuilder read_dot(std::string_view text, const std::string& name) {
  return DotParser(text, name).parse();
}

}  // namespace gaus
