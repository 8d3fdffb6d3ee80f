// The native JSON writer: streamed into one string (no JSON DOM), one op or edge per line, every
// resolved field explicit so that reading the output back and building gives an identical
// Problem (docs/native-json.md).
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace {

// Length of the valid UTF-8 sequence at s[k], or 0 when it is not one (overlong forms,
// surrogates and code points past U+10FFFF included, as JSON parsers reject them).
std::size_t utf8_length(std::string_view s, std::size_t k) {
  const auto c = static_cast<unsigned char>(s[k]);
  std::size_t len;
  std::uint32_t cp;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
  else return 0;
  if (s.size() - k < len) return 0;
  for (std::size_t j = 1; j < len; ++j) {
    const auto d = static_cast<unsigned char>(s[k + j]);
    if ((d & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (d & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

class JsonOut {
 public:
  explicit JsonOut(std::size_t reserve) { s_.reserve(reserve); }

  JsonOut& raw(std::string_view t) {
    s_.append(t);
    return *this;
  }
  /// A JSON string literal; `what` names its owner when it is not valid UTF-8.
  JsonOut& str(std::string_view v, const std::string& what) {
    static constexpr char kHex[] = "0123456789abcdef";
    s_ += '"';
    for (std::size_t k = 0; k < v.size();) {
      const char c = v[k];
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        s_ += '\\';
        s_ += c;
      } else if (u < 0x20) {
        switch (c) {
          case '\n': s_ += "\\n"; break;
          case '\t': s_ += "\\t"; break;
          case '\r': s_ += "\\r"; break;
          default:
            s_ += "\\u00";
            s_ += kHex[u >> 4];
            s_ += kHex[u & 15];
        }
      } else if (u < 0x80) {
        s_ += c;
      } else {
        const std::size_t len = utf8_length(v, k);
        if (len == 0)
          throw InputError(what + " '" + printable(v) +
                           "' is not valid UTF-8, which JSON cannot hold; rename it");
        s_.append(v.substr(k, len));
        k += len;
        continue;
      }
      ++k;
    }
    s_ += '"';
    return *this;
  }
  JsonOut& num(std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  /// Shortest text that reads back to the same double.
  JsonOut& num(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    s_.append(buf, r.ptr);
    return *this;
  }
  std::string take() { return std::move(s_); }

 private:
  std::string s_;
};

}  // namespace

std::string write_native_json(const Problem& p) {
  const op_id n = p.num_ops();
  const edge_id m = p.num_edges();
  JsonOut out(256 + static_cast<std::size_t>(n) * 120 + static_cast<std::size_t>(m) * 80);
  out.raw("{\n  \"format\": \"gaus\",\n  \"version\": 1,\n");
  if (p.horizon != 0) out.raw("  \"horizon\": ").num(std::int64_t{p.horizon}).raw(",\n");
  if (p.ii != 0) out.raw("  \"ii\": ").num(std::int64_t{p.ii}).raw(",\n");
  if (p.cycle_time > 0) out.raw("  \"cycle_time\": ").num(p.cycle_time).raw(",\n");
  out.raw("  \"resources\": {");
  for (std::size_t r = 0; r < p.resources.size(); ++r) {
    if (r > 0) out.raw(", ");
    out.str(p.resources[r].name, "resource class").raw(": ").num(std::int64_t{p.resources[r].limit});
  }
  out.raw("},\n  \"ops\": [");
  for (op_id i = 0; i < n; ++i) {
    out.raw(i > 0 ? ",\n    {\"name\": " : "\n    {\"name\": ").str(p.name(i), "op name");
    if (p.op_type[i] >= 0) out.raw(", \"type\": ").str(p.type_names[p.op_type[i]], "op type");
    if (p.op_resource[i] >= 0)
      out.raw(", \"unit\": ").str(p.resources[p.op_resource[i]].name, "resource class");
    out.raw(", \"latency\": ").num(std::int64_t{p.latency[i]});
    out.raw(", \"blocking\": ").num(std::int64_t{p.blocking[i]});
    out.raw(", \"weight\": ").num(p.weight[i]);
    out.raw(", \"output_size\": ").num(p.out_size[i]);
    if (p.has_delays()) {
      out.raw(", \"in_delay\": ").num(p.in_delay[i]);
      out.raw(", \"out_delay\": ").num(p.out_delay[i]);
    }
    out.raw("}");
  }
  out.raw(n > 0 ? "\n  ],\n  \"edges\": [" : "],\n  \"edges\": [");
  edge_id written = 0;
  for (edge_id e = 0; e < m; ++e) {
    if (p.flags(e) & kEdgeChainBreak) continue;  // derived again from the delays when read
    out.raw(written++ > 0 ? ",\n    {\"from\": " : "\n    {\"from\": ")
        .str(p.name(p.edge_src[e]), "op name");
    out.raw(", \"to\": ").str(p.name(p.edge_dst[e]), "op name");
    out.raw(", \"delay\": ").num(std::int64_t{p.edge_delay[e]});
    out.raw(", \"distance\": ").num(std::int64_t{p.edge_distance[e]});
    out.raw(", \"weight\": ").num(p.edge_weight[e]);
    if (!p.carries_value(e)) out.raw(", \"auxiliary\": true");
    out.raw("}");
  }
  out.raw(written > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return out.take();
}

}  // namespace gaus
