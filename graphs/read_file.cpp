// Format names, format detection and reading a graph file with its companion (the HatScheT
// resource model beside a GraphML file, the DOT graph beside a HeuriGym JSON file).
#include <filesystem>
#include <new>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Which top-level keys a JSON object has; stops at the first key that settles the question, so
// a large native file is not parsed to its end. Malformed JSON just ends the scan.
struct TopKeys {
  using json = nlohmann::json;
  int depth = 0;
  bool native = false;    // "ops" or "format"
  bool heurigym = false;  // "delay" or "resource"
  bool nodes = false;     // HeuriGym's embedded graph ("nodes")

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(json::number_integer_t) { return true; }
  bool number_unsigned(json::number_unsigned_t) { return true; }
  bool number_float(json::number_float_t, const json::string_t&) { return true; }
  bool string(json::string_t&) { return true; }
  bool binary(json::binary_t&) { return true; }
  bool start_object(std::size_t) { return ++depth, true; }
  bool start_array(std::size_t) { return ++depth, true; }
  bool end_object() { return --depth, true; }
  bool end_array() { return --depth, true; }
  bool key(json::string_t& k) {
    if (depth != 1) return true;
    if (k == "ops" || k == "format") native = true;
    if (k == "delay" || k == "resource") heurigym = true;
    if (k == "nodes") nodes = true;
    return !native;
  }
  bool parse_error(std::size_t, const std::string&, const json::exception&) { return false; }
};

TopKeys scan_json_keys(std::string_view content) {
  TopKeys keys;
  nlohmann::json::sax_parse(content.begin(), content.end(), &keys);
  return keys;
}

Format json_kind(std::string_view content) {
  const TopKeys k = scan_json_keys(content);
  return !k.native && k.heurigym ? Format::HeuriGym : Format::Json;
}

// Format from the first bytes, for files whose extension says nothing.
Format sniff(std::string_view content) {
  std::size_t k = content.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (k < content.size() && is_space_char(content[k])) ++k;
  const std::string_view s = content.substr(k);
  if (s.starts_with("aig ") || s.starts_with("aag ")) return Format::Aiger;
  if (s.starts_with("{")) return json_kind(content);
  if (s.starts_with("<")) return Format::GraphMl;
  if (s.starts_with("ssp.") || s.starts_with("module")) return Format::Ssp;
  const std::string head = lower(s.substr(0, 64));
  if (head.starts_with("digraph") || head.starts_with("strict")) return Format::Dot;
  if (head.starts_with("graph")) {  // GML "graph [" or DOT "graph NAME {"
    const std::size_t brace = head.find_first_of("[{");
    if (brace != std::string::npos) return head[brace] == '[' ? Format::Gml : Format::Dot;
  }
  return Format::Auto;
}

std::string sibling(const std::string& path, std::string_view new_suffix) {
  fs::path p(path);
  return (p.parent_path() / (p.stem().string() + std::string(new_suffix))).string();
}

std::string read_companion(const std::string& path, const std::string& companion,
                           const char* what) {
  std::error_code ec;
  if (!fs::exists(companion, ec))
    throw InputError(path + ": " + what + " '" + companion +
                     "' not found (name it with --companion)");
  return read_file(companion);
}

}  // namespace

Format parse_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "auto" || n.empty()) return Format::Auto;
  if (n == "json" || n == "native") return Format::Json;
  if (n == "heurigym") return Format::HeuriGym;
  if (n == "aiger" || n == "aig" || n == "aag") return Format::Aiger;
  if (n == "dot" || n == "gv") return Format::Dot;
  if (n == "gml") return Format::Gml;
  if (n == "graphml") return Format::GraphMl;
  if (n == "ssp" || n == "mlir") return Format::Ssp;
  throw InputError("unknown format '" + printable(name) +
                   "' (expected auto, json, heurigym, aiger, dot, gml, graphml or ssp)");
}

const char* format_name(Format f) {
  switch (f) {
    case Format::Auto: return "auto";
    case Format::Json: return "json";
    case Format::HeuriGym: return "heurigym";
    case Format::Aiger: return "aiger";
    case Format::Dot: return "dot";
    case Format::Gml: return "gml";
    case Format::GraphMl: return "graphml";
    case Format::Ssp: return "ssp";
  }
  return "unknown";
}

Format detect_format(const std::string& path, std::string_view content) {
  const std::string ext = lower(fs::path(path).extension().string());
  if (ext == ".json") return json_kind(content);
  if (ext == ".aig" || ext == ".aag") return Format::Aiger;
  if (ext == ".dot" || ext == ".gv") return Format::Dot;
  if (ext == ".gml") return Format::Gml;
  if (ext == ".graphml" || ext == ".xml") return Format::GraphMl;
  if (ext == ".mlir") return Format::Ssp;
  const Format f = sniff(content);
  if (f == Format::Auto)
    throw InputError(path + ": cannot tell the format from the name or the content (give it: " +
                     "json, heurigym, aiger, dot, gml, graphml or ssp)");
  return f;
}

namespace {

ProblemBuilder read_graph_content(const std::string& path, const std::string& content,
                                  const ReadOptions& options) {
  const Format f = options.format == Format::Auto ? detect_format(path, content) : options.format;
  switch (f) {
    case Format::Json: return read_native_json(content, path);
    case Format::Aiger: return read_aiger(content, path);
    case Format::Dot: return read_dot(content, path);
    case Format::Gml: return read_gml(content, path);
    case Format::Ssp: return read_ssp_problem(content, path);
    case Format::GraphMl: {
      const std::string rm =
          options.companion.empty() ? sibling(path, "_RM.xml") : options.companion;
      return read_graphml(content, path, read_companion(path, rm, "resource model"), rm);
    }
    case Format::HeuriGym: {
      // HeuriGym's combined inputs carry the graph as "nodes"/"edges"; others need the DOT. A
      // combined input beside a DOT of its stem uses its own graph, and says so.
      const bool nodes = scan_json_keys(content).nodes;
      if (options.companion.empty() && nodes) {
        const std::string beside = sibling(path, ".dot");
        std::error_code ec;
        if (options.note && fs::exists(beside, ec))
          options.note(path + ": the graph is read from its \"nodes\" and \"edges\"; " + beside +
                       " beside it is not read (name it with --companion to use it instead)");
        return read_heurigym(content, path, {}, {});
      }
      const std::string dot =
          options.companion.empty() ? sibling(path, ".dot") : options.companion;
      if (nodes && options.note)
        options.note(path + ": the graph is read from " + dot + "; the file's own \"nodes\" and "
                     "\"edges\" are not read");
      return read_heurigym(content, path, read_companion(path, dot, "DOT graph"), dot);
    }
    case Format::Auto: break;
  }
  throw InputError(path + ": no format given");
}

}  // namespace

ProblemBuilder read_graph_file(const std::string& path, const ReadOptions& options) {
  const std::string content = read_file(path);
  try {
    return read_graph_content(path, content, options);
  } catch (const std::bad_alloc&) {
    // The bytes fit (read_file checked) but what they describe does not.
    throw InputError(path + ": the problem is too large for this machine's memory: out of " +
                     "memory parsing the " + std::to_string(content.size()) + "-byte file");
  }
}

}  // namespace gaus
