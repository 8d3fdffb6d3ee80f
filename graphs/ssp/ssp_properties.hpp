// SSP property lists, `[latency<1>, incDelay<1.000000e-01 : f32>, #ssp.dist<2>]`, for read_ssp:
// reading one from the token stream and checking each value (integers in [min, 2^31), floats
// finite as f32). Which property applies to which op is the parser's (graphs/ssp/read_ssp.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graphs/ssp/ssp_lexer.hpp"

namespace gaus::ssp::detail {

/// One `name<value [: type]>` (the name without a `#ssp.` prefix).
struct Property {
  std::string name;
  Token value;       // a Number
  std::string type;  // "" when none was written
  std::int64_t line = 0;
};

/// An optional `[property, ...]` (nothing when the next token is not '['). A repeated name is an
/// error.
std::vector<Property> read_properties(SspLexer& lex);

/// Throws for a property that `where` does not take: "unknown property" or "does not apply".
[[noreturn]] void reject_property(const SspLexer& lex, const Property& p, const std::string& where,
                                  const char* allowed);

/// The integer of a Number token, which must lie in [min, INT32_MAX]; `what` names it.
std::int32_t int_token(const SspLexer& lex, const Token& t, std::int32_t min,
                       const std::string& what);
/// An integer property (no type allowed) of op `where`.
std::int32_t int_property(const SspLexer& lex, const Property& p, std::int32_t min,
                          const std::string& where);
/// A float property of op `where` (type f32, f64 or none), rounded to f32 as CIRCT stores it.
double f32_property(const SspLexer& lex, const Property& p, const std::string& where);

}  // namespace gaus::ssp::detail
