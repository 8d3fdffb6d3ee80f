// SSP writer: a Module (graphs/ssp/ssp.hpp) as CIRCT's `ssp` dialect prints it (the CHECK lines
// of llvm/circt test/Dialect/SSP/roundtrip.mlir and standalone-lib.mlir): two-space indentation,
// per `// -----` chunk first the stand-alone libraries in scope_order inside their `module @M`
// wrappers, then the instances in order. Operator type properties in the order latency,
// incDelay, outDelay, limit; results renumbered %0, %1, ... in definition order (`%3:2` defines
// two, used as `%3#0` and `%3#1`; a single result is `%3`); `uses[...]` before the operation's
// name; floats printed as f32 the way MLIR does (`%.6e` when that reads back as the same f32,
// else the shortest form that does). read_ssp(write_ssp(m)) == m for every m that read_ssp
// returns; a dependence on an operation with no name (auxiliary) or no results (def-use) cannot
// be printed and throws InputError.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "graphs/ssp/ssp.hpp"
#include "graphs/ssp/ssp_scope_order.hpp"

namespace gaus::ssp {

namespace {

std::string format_f32(double value) {
  const auto f = static_cast<float>(value);
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.6e", static_cast<double>(f));
  float back = 0.0F;
  const auto [end, ec] = std::from_chars(buf, buf + n, back);
  if (ec == std::errc() && end == buf + n && back == f) return std::string(buf, buf + n);
  const auto res = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
  return std::string(buf, res.ptr);
}

/// ` [a, b]`, or nothing when empty.
std::string property_list(const std::vector<std::string>& props) {
  if (props.empty()) return "";
  std::string out = " [";
  for (std::size_t k = 0; k < props.size(); ++k) out += (k > 0 ? ", " : "") + props[k];
  return out + "]";
}

std::string int_prop(const char* name, std::int32_t v) {
  return std::string(name) + "<" + std::to_string(v) + ">";
}
std::string f32_prop(const char* name, double v) {
  return std::string(name) + "<" + format_f32(v) + " : f32>";
}

std::string block_name(const std::string& name) {
  return name.empty() ? std::string() : std::string(1, ' ').append(format_symbol(name));
}

class Writer {
 public:
  explicit Writer(const Module& m) : m_(m) {}

  std::string run() {
    // Each library and instance in the bucket of its chunk (a missing or negative chunk: 0).
    auto chunk_of = [](const std::vector<std::int32_t>& chunks, std::size_t k) {
      return static_cast<std::size_t>(k < chunks.size() ? std::max(chunks[k], 0) : 0);
    };
    std::size_t chunks = static_cast<std::size_t>(std::max(m_.num_chunks, 1));
    std::vector<std::size_t> inst_chunk(m_.instances.size());
    for (std::size_t k = 0; k < m_.instances.size(); ++k)
      inst_chunk[k] = static_cast<std::size_t>(std::max(m_.instances[k].chunk, 0));
    for (const std::size_t c : inst_chunk) chunks = std::max(chunks, c + 1);
    for (std::size_t k = 0; k < m_.libraries.size(); ++k)
      chunks = std::max(chunks, chunk_of(m_.library_chunk, k) + 1);
    for (std::size_t k = 0; k < m_.resource_libraries.size(); ++k)
      chunks = std::max(chunks, chunk_of(m_.resource_library_chunk, k) + 1);
    std::vector<std::vector<std::size_t>> libs(chunks), rsrcs(chunks), insts(chunks);
    for (std::size_t k = 0; k < m_.libraries.size(); ++k)
      libs[chunk_of(m_.library_chunk, k)].push_back(k);
    for (std::size_t k = 0; k < m_.resource_libraries.size(); ++k)
      rsrcs[chunk_of(m_.resource_library_chunk, k)].push_back(k);
    for (std::size_t k = 0; k < m_.instances.size(); ++k) insts[inst_chunk[k]].push_back(k);
    for (std::size_t c = 0; c < chunks; ++c) {
      if (c > 0) out_ += "// -----\n";
      libraries(libs[c], rsrcs[c]);
      for (const std::size_t k : insts[c]) instance(m_.instances[k]);
    }
    return std::move(out_);
  }

 private:
  /// One chunk's stand-alone libraries (indices into Module::libraries / resource_libraries).
  void libraries(const std::vector<std::size_t>& libs, const std::vector<std::size_t>& rsrcs) {
    static const std::vector<std::string> kTop;
    std::vector<const std::vector<std::string>*> lib_scopes, rsrc_scopes;
    for (const std::size_t k : libs)
      lib_scopes.push_back(k < m_.library_scope.size() ? &m_.library_scope[k] : &kTop);
    for (const std::size_t k : rsrcs)
      rsrc_scopes.push_back(k < m_.resource_library_scope.size() ? &m_.resource_library_scope[k]
                                                                 : &kTop);
    std::vector<std::string> open;  // the module wrappers printed and not yet closed
    for (const ScopeItem& item : scope_order(lib_scopes, rsrc_scopes)) {
      const std::vector<std::string>& scope =
          item.resource ? *rsrc_scopes[item.index] : *lib_scopes[item.index];
      while (open.size() > scope.size() || !std::equal(open.begin(), open.end(), scope.begin())) {
        open.pop_back();
        out_ += indent(open.size()) + "}\n";
      }
      while (open.size() < scope.size()) {
        out_ += indent(open.size()) + "module " + format_symbol(scope[open.size()]) + " {\n";
        open.push_back(scope[open.size()]);
      }
      if (item.resource)
        resource_block(m_.resource_libraries[rsrcs[item.index]], "ssp.resource", open.size());
      else
        library_block(m_.libraries[libs[item.index]], "ssp.library", open.size());
    }
    while (!open.empty()) {
      open.pop_back();
      out_ += indent(open.size()) + "}\n";
    }
  }

  static std::string indent(std::size_t depth) { return std::string(2 * depth, ' '); }

  void library_block(const Library& lib, const char* keyword, std::size_t depth) {
    out_ += indent(depth) + keyword + block_name(lib.name) + " {\n";
    for (const OperatorType& t : lib.types) {
      std::vector<std::string> props;
      if (t.latency) props.push_back(int_prop("latency", *t.latency));
      if (t.incoming_delay) props.push_back(f32_prop("incDelay", *t.incoming_delay));
      if (t.outgoing_delay) props.push_back(f32_prop("outDelay", *t.outgoing_delay));
      if (t.limit) props.push_back(int_prop("limit", *t.limit));
      out_ += indent(depth + 1) + "operator_type " + format_symbol(t.name) + property_list(props) +
              "\n";
    }
    out_ += indent(depth) + "}\n";
  }

  void resource_block(const ResourceLibrary& lib, const char* keyword, std::size_t depth) {
    out_ += indent(depth) + keyword + block_name(lib.name) + " {\n";
    for (const ResourceType& t : lib.types) {
      std::vector<std::string> props;
      if (t.limit) props.push_back(int_prop("limit", *t.limit));
      if (t.ii) props.push_back(int_prop("ii", *t.ii));
      out_ += indent(depth + 1) + "resource_type " + format_symbol(t.name) + property_list(props) +
              "\n";
    }
    out_ += indent(depth) + "}\n";
  }

  void instance(const Instance& inst) {
    out_ += "ssp.instance" + block_name(inst.name) + " of " + format_string(inst.class_name);
    out_ += property_list(inst.ii ? std::vector<std::string>{int_prop("II", *inst.ii)}
                                  : std::vector<std::string>{});
    out_ += " {\n";
    library_block(inst.library, "library", 1);
    if (inst.resources) resource_block(*inst.resources, "resource", 1);
    out_ += "  graph {\n";
    std::vector<std::int32_t> value(inst.operations.size(), -1);
    std::int32_t next = 0;
    for (std::size_t k = 0; k < inst.operations.size(); ++k)
      if (inst.operations[k].num_results > 0) value[k] = next++;
    for (std::size_t k = 0; k < inst.operations.size(); ++k)
      operation(inst, inst.operations[k], value, value[k]);
    out_ += "  }\n}\n";
  }

  void operation(const Instance& inst, const Operation& op, const std::vector<std::int32_t>& value,
                 std::int32_t own) {
    std::string line = "    ";
    if (own >= 0) {
      line += '%';
      line += std::to_string(own);
      if (op.num_results > 1) {
        line += ':';
        line += std::to_string(op.num_results);
      }
      line += " = ";
    }
    line += "operation<" + (op.operator_ref ? format_symbol_ref(*op.operator_ref) : "") + ">";
    if (!op.resource_refs.empty()) {
      line += " uses[";
      for (std::size_t k = 0; k < op.resource_refs.size(); ++k)
        line += (k > 0 ? ", " : "") + format_symbol_ref(op.resource_refs[k]);
      line += "]";
    }
    line += block_name(op.name);
    line += "(";
    for (std::size_t k = 0; k < op.dependences.size(); ++k) {
      const Dependence& d = op.dependences[k];
      if (k > 0) line += ", ";
      const auto src = static_cast<std::size_t>(d.source);
      if (d.source < 0 || src >= inst.operations.size())
        input_error("write_ssp", d.line, "dependence source out of range");
      const Operation& from = inst.operations[src];
      if (d.auxiliary) {
        if (from.name.empty())
          input_error("write_ssp", d.line, "auxiliary dependence on an unnamed operation");
        line += format_symbol(from.name);
      } else {
        if (value[src] < 0 || d.result < 0 || d.result >= from.num_results)
          input_error("write_ssp", d.line, "def-use dependence on a result that does not exist");
        line += '%';
        line += std::to_string(value[src]);
        if (from.num_results > 1) {
          line += '#';
          line += std::to_string(d.result);
        }
      }
      if (d.distance) line += property_list({int_prop("dist", *d.distance)});
    }
    line += ")";
    std::vector<std::string> props;
    if (op.start_time) props.push_back(int_prop("t", *op.start_time));
    if (op.start_time_in_cycle) props.push_back(f32_prop("z", *op.start_time_in_cycle));
    out_ += line + property_list(props) + "\n";
  }

  const Module& m_;
  std::string out_;
};

}  // namespace

std::string write_ssp(const Module& m) { return Writer(m).run(); }

}  // namespace gaus::ssp
