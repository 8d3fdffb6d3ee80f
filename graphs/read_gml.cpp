// GML reader for the ICML 2024 random workloads (formulation A). GML is a nested list of
// `key value` pairs where a value is an integer, a real, a "string" or a `[ ... ]` list; lines
// starting with '#' are comments. The parser is iterative (an explicit stack of open lists), so no
// input can drive it into deep recursion.
//
// Read: the one top-level `graph [ ... ]`; in it every `node [ id N  parameter P ]` and
// `edge [ source N  target N  parameter P ]`. Other keys (label, name, directed, graphics, ...)
// are ignored, whatever their value. Node ids are integers, unique, in any order; an op's name is
// its id as written. `parameter` is a number >= 0 (0 when absent): the node's weight and output
// size, the edge's communication weight (raw, not binarized). Edges are oriented source -> target.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace {

enum class Tok { Key, Int, Real, String, Open, Close, End };

struct Token {
  Tok kind = Tok::End;
  std::string_view text;
  std::int64_t line = 0;
};

const char* kind_name(Tok k) {
  switch (k) {
    case Tok::Key:
      return "a key";
    case Tok::Int:
      return "an integer";
    case Tok::Real:
      return "a real number";
    case Tok::String:
      return "a string";
    case Tok::Open:
      return "'['";
    case Tok::Close:
      return "']'";
    case Tok::End:
      break;
  }
  return "the end of the file";
}

enum class List { Top, Graph, Node, Edge, Other };

struct Frame {
  List kind;
  std::int64_t line;  // where the list opened
  std::string_view key;
};

struct NodeRec {
  std::int64_t id = 0;
  std::string_view id_text;
  bool has_id = false, has_parameter = false;
  double parameter = 0.0;
  std::int64_t line = 0;
};

struct EdgeRec {
  std::int64_t source = 0, target = 0;
  bool has_source = false, has_target = false, has_parameter = false;
  double parameter = 0.0;
  std::int64_t line = 0;
};

bool is_key_start(char c) { return is_alpha_char(c) || c == '_'; }
bool is_key_char(char c) { return is_key_start(c) || is_digit_char(c); }
bool is_number_char(char c) {
  return is_digit_char(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
}

class GmlParser {
 public:
  GmlParser(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  ProblemBuilder parse() {
    std::vector<Frame> stack{{List::Top, 0, {}}};
    for (;;) {
      const Token key = next();
      if (key.kind == Tok::End) {
        if (stack.size() > 1)
          fail(stack.back().line, "unbalanced '[': the list '" + printable(stack.back().key) +
                                      "' opened here is never closed");
        break;
      }
      if (key.kind == Tok::Close) {
        if (stack.size() == 1) fail(key.line, "unbalanced ']' (no list is open)");
        close(stack.back());
        stack.pop_back();
        continue;
      }
      if (key.kind != Tok::Key)
        fail(key.line, std::string("expected a key, found ") + kind_name(key.kind) + " '" +
                           printable(key.text) + "'");
      const Token value = next();
      if (value.kind == Tok::End || value.kind == Tok::Close)
        fail(key.line, "key '" + printable(key.text) + "' has no value");
      if (value.kind == Tok::Key)
        fail(value.line, "key '" + printable(key.text) + "': expected a number, a string or a " +
                             "list, found '" + printable(value.text) + "'");
      if (value.kind == Tok::Open)
        stack.push_back(open(stack.back().kind, key));
      else
        scalar(stack.back().kind, key, value);
    }
    if (!seen_graph_) fail(0, "no 'graph [ ... ]' list");
    return build();
  }

 private:
  [[noreturn]] void fail(std::int64_t line, const std::string& msg) const {
    input_error(name_, line, msg);
  }

  Token next() {
    for (;;) {  // whitespace and '#' comment lines
      s_.skip_whitespace();
      if (s_.peek() != '#') break;
      s_.skip_line();
    }
    Token t;
    t.line = s_.line();
    const char c = s_.peek();
    if (s_.at_end()) return t;
    if (c == '[' || c == ']') {
      t.kind = c == '[' ? Tok::Open : Tok::Close;
      t.text = s_.text().substr(s_.pos(), 1);
      s_.get();
    } else if (c == '"') {
      s_.get();
      t.kind = Tok::String;
      t.text = s_.take_while([](char x) { return x != '"'; });
      if (s_.at_end()) fail(t.line, "unterminated string (no closing '\"')");
      s_.get();
    } else if (is_key_start(c)) {
      t.kind = Tok::Key;
      t.text = s_.take_while(is_key_char);
    } else if (is_number_char(c)) {
      t.text = s_.take_while(is_number_char);
      std::int64_t i = 0;
      double d = 0;
      if (parse_int64(t.text, i) ||
          (t.text.size() > 1 && t.text[0] == '+' && parse_int64(t.text.substr(1), i)))
        t.kind = Tok::Int;
      else if (parse_finite_double(t.text, d))
        t.kind = Tok::Real;
      else
        fail(t.line, "malformed number '" + printable(t.text) + "'");
    } else {
      fail(t.line, "unexpected character '" + printable(std::string_view(&c, 1)) + "'");
    }
    if (!s_.at_end() && !is_space_char(s_.peek()) && s_.peek() != '[' && s_.peek() != ']')
      fail(s_.line(), "expected a space after '" + printable(t.text) + "', found '" +
                          printable(std::string_view(s_.text().substr(s_.pos(), 1))) + "'");
    return t;
  }

  Frame open(List parent, const Token& key) {
    List kind = List::Other;
    if (parent == List::Top && key.text == "graph") {
      if (seen_graph_) fail(key.line, "more than one 'graph' list (one graph per file)");
      seen_graph_ = true;
      kind = List::Graph;
    } else if (parent == List::Graph && key.text == "node") {
      node_ = NodeRec{};
      node_.line = key.line;
      kind = List::Node;
    } else if (parent == List::Graph && key.text == "edge") {
      edge_ = EdgeRec{};
      edge_.line = key.line;
      kind = List::Edge;
    } else if ((parent == List::Node && (key.text == "id" || key.text == "parameter")) ||
               (parent == List::Edge &&
                (key.text == "source" || key.text == "target" || key.text == "parameter"))) {
      fail(key.line, std::string(parent == List::Node ? "node" : "edge") + " '" +
                         std::string(key.text) + "' must be a number, not a list");
    }
    return Frame{kind, key.line, key.text};
  }

  void close(const Frame& f) {
    if (f.kind == List::Node) {
      if (!node_.has_id) fail(f.line, "node without an 'id'");
      nodes_.push_back(node_);
    } else if (f.kind == List::Edge) {
      if (!edge_.has_source) fail(f.line, "edge without a 'source'");
      if (!edge_.has_target) fail(f.line, "edge without a 'target'");
      edges_.push_back(edge_);
    }
  }

  std::int64_t integer(const Token& key, const Token& value, const char* owner, bool& seen) {
    if (seen) fail(key.line, std::string(owner) + " has two '" + std::string(key.text) + "' keys");
    seen = true;
    std::int64_t v = 0;
    if (value.kind != Tok::Int ||
        !(parse_int64(value.text, v) || parse_int64(value.text.substr(1), v)))
      fail(value.line, std::string(owner) + " " + std::string(key.text) + " must be an integer, " +
                           "found " + kind_name(value.kind) + " '" + printable(value.text) + "'");
    return v;
  }

  double parameter(const Token& key, const Token& value, const char* owner, bool& seen) {
    if (seen) fail(key.line, std::string(owner) + " has two 'parameter' keys");
    seen = true;
    double v = 0;
    if ((value.kind != Tok::Int && value.kind != Tok::Real) || !parse_finite_double(value.text, v))
      fail(value.line, std::string(owner) + " parameter must be a number, found " +
                           kind_name(value.kind) + " '" + printable(value.text) + "'");
    if (v < 0)
      fail(value.line,
           std::string(owner) + " parameter " + std::string(value.text) + " is negative");
    return v;
  }

  void scalar(List in, const Token& key, const Token& value) {
    if (in == List::Top && key.text == "graph")
      fail(key.line, "'graph' must be a list: graph [ ... ]");
    if (in == List::Node) {
      if (key.text == "id") {
        node_.id = integer(key, value, "node", node_.has_id);
        node_.id_text = value.text;
      } else if (key.text == "parameter") {
        node_.parameter = parameter(key, value, "node", node_.has_parameter);
      }
    } else if (in == List::Edge) {
      if (key.text == "source")
        edge_.source = integer(key, value, "edge", edge_.has_source);
      else if (key.text == "target")
        edge_.target = integer(key, value, "edge", edge_.has_target);
      else if (key.text == "parameter")
        edge_.parameter = parameter(key, value, "edge", edge_.has_parameter);
    }
  }

  ProblemBuilder build() {
    ProblemBuilder b(name_);
    b.reserve(nodes_.size(), edges_.size());
    std::unordered_map<std::int64_t, op_id> op_of;
    op_of.reserve(nodes_.size());
    for (const NodeRec& n : nodes_) {
      const auto [it, inserted] = op_of.try_emplace(n.id, b.num_ops());
      if (!inserted)
        fail(n.line, "duplicate node id " + std::to_string(n.id) + " (first defined at line " +
                         std::to_string(nodes_[static_cast<std::size_t>(it->second)].line) + ")");
      const op_id op = b.add_op(n.id_text, "node", n.line);
      b.set_latency(op, 1);
      b.set_weight(op, n.parameter);
      b.set_out_size(op, n.parameter);
    }
    for (const EdgeRec& e : edges_) {
      const auto src = op_of.find(e.source), dst = op_of.find(e.target);
      if (src == op_of.end() || dst == op_of.end())
        fail(e.line, "edge " + std::to_string(e.source) + " -> " + std::to_string(e.target) +
                         ": unknown " + (src == op_of.end() ? "source" : "target") + " id " +
                         std::to_string(src == op_of.end() ? e.source : e.target));
      b.add_edge({.src = src->second,
                  .dst = dst->second,
                  .delay = 0,
                  .adds_latency = false,
                  .weight = e.parameter,
                  .line = e.line});
    }
    return b;
  }

  TextScanner s_;
  const std::string& name_;
  bool seen_graph_ = false;
  NodeRec node_;
  EdgeRec edge_;
  std::vector<NodeRec> nodes_;
  std::vector<EdgeRec> edges_;
};

}  // namespace

ProblemBuilder read_gml(std::string_view text, const std::string& name) {
  return GmlParser(text, name).parse();
}

}  // namespace gaus
