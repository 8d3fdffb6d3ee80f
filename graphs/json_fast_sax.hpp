// A fast SAX driver for plain JSON: it feeds an nlohmann-style SAX handler straight from the text,
// several times faster than nlohmann's lexer on files of 10^6-10^7 ops. It handles only the plain
// subset those files are made of (ASCII strings without escapes, numbers that convert exactly)
// and gives up on anything else, syntax errors included, returning false; the caller then parses
// again with nlohmann, which decides and words every error. So this driver reports no errors of
// its own, and on any input it accepts it produces the same events as nlohmann's sax_parse.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

namespace gaus {

/// Runs `sax` over `text` when the text is plain JSON (see above); `*reached` follows the parse
/// as JsonTrackingIter's does (one past the last character of each token). Returns false, having
/// possibly fed some events, when the text is outside the subset; exceptions from the handler
/// propagate.
template <typename Sax>
bool fast_sax_parse(std::string_view text, Sax& sax, const char** reached) {
  const char* p = text.data();
  const char* const end = p + text.size();
  std::vector<char> stack;  // '{' or '[' per open container
  std::string str;
  auto skip_ws = [&] {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
  };
  // A string without escapes, control or non-ASCII bytes (nlohmann checks UTF-8 and decodes
  // escapes: leave those to it).
  auto read_string = [&]() -> bool {
    const char* s = ++p;
    while (p < end && *p != '"') {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c >= 0x80 || c == '\\') return false;
      ++p;
    }
    if (p == end) return false;
    str.assign(s, p);
    *reached = ++p;
    return true;
  };
  auto is_digit = [&](const char* q) { return q < end && *q >= '0' && *q <= '9'; };
  auto read_number = [&]() -> bool {
    const char* s = p;
    if (*p == '-') ++p;
    if (!is_digit(p)) return false;
    if (*p == '0') ++p;
    else while (is_digit(p)) ++p;
    bool is_float = false;
    if (p < end && *p == '.') {
      ++p, is_float = true;
      if (!is_digit(p)) return false;
      while (is_digit(p)) ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      ++p, is_float = true;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      if (!is_digit(p)) return false;
      while (is_digit(p)) ++p;
    }
    *reached = p;
    const std::size_t digits = static_cast<std::size_t>(p - s) - (*s == '-');
    if (!is_float && digits <= 18) {  // fits in int64 either way: nlohmann's integer events
      std::int64_t v = 0;
      std::from_chars(s, p, v);
      if (v < 0) return sax.number_integer(v), true;
      return sax.number_unsigned(static_cast<std::uint64_t>(v)), true;
    }
    if (!is_float) return false;  // long integers: nlohmann's overflow rules decide
    // from_chars and strtod (nlohmann's) both round correctly; out of range is left to nlohmann.
    double d = 0.0;
    const auto [q, ec] = std::from_chars(s, p, d);
    if (ec != std::errc() || q != p) return false;
    str.assign(s, p);
    return sax.number_float(d, str), true;
  };
  auto match = [&](std::string_view word) {
    if (static_cast<std::size_t>(end - p) < word.size() ||
        std::string_view(p, word.size()) != word)
      return false;
    p += word.size();
    *reached = p;
    return true;
  };

  skip_ws();
  bool expect_value = true;  // else a ',' or a closing bracket is due
  bool first_in_container = false;
  do {
    skip_ws();
    if (p == end) return false;
    if (!expect_value) {
      const char want_close = stack.back() == '{' ? '}' : ']';
      if (*p == ',') {
        ++p;
        *reached = p;
        expect_value = true;
        first_in_container = false;
        continue;
      }
      if (*p != want_close) return false;
      *reached = ++p;
      stack.pop_back();
      if (want_close == '}') sax.end_object();
      else sax.end_array();
      continue;
    }
    // A value is due; in an object, preceded by its key.
    if (!stack.empty() && stack.back() == '{') {
      if (*p == '}' && first_in_container) {
        *reached = ++p;
        stack.pop_back();
        sax.end_object();
        expect_value = false;
        continue;
      }
      if (*p != '"' || !read_string()) return false;
      sax.key(str);
      skip_ws();
      if (p == end || *p != ':') return false;
      *reached = ++p;
      skip_ws();
      if (p == end) return false;
    } else if (!stack.empty() && *p == ']' && first_in_container) {
      *reached = ++p;
      stack.pop_back();
      sax.end_array();
      expect_value = false;
      continue;
    }
    switch (*p) {
      case '{':
      case '[':
        if (stack.size() >= 100000) return false;
        stack.push_back(*p);
        *reached = ++p;
        if (stack.back() == '{') sax.start_object(static_cast<std::size_t>(-1));
        else sax.start_array(static_cast<std::size_t>(-1));
        first_in_container = true;
        continue;  // expect_value stays true: a key, a value or the closing bracket
      case '"':
        if (!read_string()) return false;
        sax.string(str);
        break;
      case 't':
        if (!match("true")) return false;
        sax.boolean(true);
        break;
      case 'f':
        if (!match("false")) return false;
        sax.boolean(false);
        break;
      case 'n':
        if (!match("null")) return false;
        sax.null();
        break;
      default:
        if (*p != '-' && !is_digit(p)) return false;
        if (!read_number()) return false;
        break;
    }
    expect_value = false;
  } while (!stack.empty());
  skip_ws();
  return p == end;
}

}  // namespace gaus
