// SSP property lists for read_ssp (graphs/ssp/ssp_properties.hpp documents them).
#include "graphs/ssp/ssp_properties.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "graphs/text_scan.hpp"

namespace gaus::ssp::detail {

std::vector<Property> read_properties(SspLexer& lex) {
  std::vector<Property> out;
  if (!lex.accept(Tok::LBracket)) return out;
  std::set<std::string> seen;
  while (!lex.accept(Tok::RBracket)) {
    if (!out.empty()) lex.expect(Tok::Comma, "',' or ']' in a property list");
    const Token t = lex.next();
    Property p;
    p.line = t.line;
    if (t.kind == Tok::Ident)
      p.name = t.text;
    else if (t.kind == Tok::Hash && t.text.starts_with("ssp.") && t.text.size() > 4)
      p.name = t.text.substr(4);
    else
      lex.fail(t.line, "expected a property (such as latency<1>), found " + describe(t));
    if (!seen.insert(p.name).second)
      lex.fail(t.line, "duplicate property '" + printable(p.name) + "'");
    lex.expect(Tok::Less, "'<' after property '" + printable(p.name) + "'");
    p.value = lex.expect(Tok::Number, "a number in property '" + printable(p.name) + "'");
    if (lex.accept(Tok::Colon)) p.type = lex.expect(Tok::Ident, "a type after ':'").text;
    lex.expect(Tok::Greater, "'>' to close property '" + printable(p.name) + "'");
    out.push_back(std::move(p));
  }
  return out;
}

void reject_property(const SspLexer& lex, const Property& p, const std::string& where,
                     const char* allowed) {
  static const std::set<std::string> known = {"latency", "incDelay", "outDelay", "limit",
                                              "t",       "z",        "dist",     "II", "ii"};
  if (known.contains(p.name))
    lex.fail(p.line, "property '" + p.name + "' does not apply to " + where + " (allowed: " +
                         allowed + ")");
  lex.fail(p.line, "unknown property '" + printable(p.name) + "' on " + where + " (allowed: " +
                       allowed + ")");
}

std::int32_t int_token(const SspLexer& lex, const Token& t, std::int32_t min,
                       const std::string& what) {
  std::int32_t v = 0;
  if (!parse_int32(t.text, v) || v < min)
    lex.fail(t.line, what + ": expected an integer in [" + std::to_string(min) + ", " +
                         std::to_string(std::numeric_limits<std::int32_t>::max()) + "], found '" +
                         printable(t.text) + "'");
  return v;
}

std::int32_t int_property(const SspLexer& lex, const Property& p, std::int32_t min,
                          const std::string& where) {
  if (!p.type.empty())
    lex.fail(p.line, p.name + "<...> on " + where + " takes an integer without a type");
  return int_token(lex, p.value, min, p.name + "<...> on " + where);
}

double f32_property(const SspLexer& lex, const Property& p, const std::string& where) {
  if (!p.type.empty() && p.type != "f32" && p.type != "f64")
    lex.fail(p.line, p.name + "<...> on " + where + ": expected type f32, found '" +
                         printable(p.type) + "'");
  const std::string& s = p.value.text;
  float v = 0.0F;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !(v - v == 0.0F))
    lex.fail(p.line, p.name + "<...> on " + where + ": '" + printable(s) +
                         "' is not a finite f32 number");
  return static_cast<double>(v);
}

}  // namespace gaus::ssp::detail
