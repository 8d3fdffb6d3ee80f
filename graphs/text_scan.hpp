// A line-tracking cursor over an in-memory text and strict number parsing, shared by the text
// readers (DOT, GML, ...). Every access is bounds-checked: peeking past the end yields '\0', so a
// reader can never read outside its buffer, whatever the input.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>

namespace gaus {

// Character classes on the raw byte (no locale; safe for bytes >= 0x80).
inline bool is_space_char(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_digit_char(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

class TextScanner {
 public:
  explicit TextScanner(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  /// The character `ahead` positions on, or '\0' past the end.
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return ahead < text_.size() - pos_ ? text_[pos_ + ahead] : '\0';
  }
  /// Consumes one character ('\0' at the end), counting lines.
  char get() {
    if (at_end()) return '\0';
    const char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  /// Consumes up to `n` characters, counting lines.
  void skip(std::size_t n) {
    while (n-- > 0 && !at_end()) get();
  }
  [[nodiscard]] bool starts_with(std::string_view s) const {
    return text_.substr(pos_).starts_with(s);
  }
  /// Consumes `s` when the text continues with it.
  bool consume(std::string_view s) {
    if (!starts_with(s)) return false;
    skip(s.size());
    return true;
  }
  void skip_whitespace() {
    while (!at_end() && is_space_char(text_[pos_])) get();
  }
  /// Consumes the rest of the current line, its '\n' included.
  void skip_line() {
    while (!at_end() && get() != '\n') {
    }
  }
  /// Consumes and returns the longest run of characters satisfying `pred`.
  template <class Pred>
  std::string_view take_while(Pred pred) {
    const std::size_t start = pos_;
    while (!at_end() && pred(text_[pos_])) get();
    return text_.substr(start, pos_ - start);
  }

  [[nodiscard]] std::size_t pos() const { return pos_; }
  [[nodiscard]] std::int64_t line() const { return line_; }
  [[nodiscard]] std::string_view text() const { return text_; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
};

/// Parses all of `s` as a decimal integer (optional leading '-'); false on anything else,
/// including overflow.
inline bool parse_int64(std::string_view s, std::int64_t& out) {
  if (s.empty()) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

/// As parse_int64, for values that must fit in 32 bits.
inline bool parse_int32(std::string_view s, std::int32_t& out) {
  std::int64_t v = 0;
  if (!parse_int64(s, v) || v < std::numeric_limits<std::int32_t>::min() ||
      v > std::numeric_limits<std::int32_t>::max())
    return false;
  out = static_cast<std::int32_t>(v);
  return true;
}

/// Parses all of `s` as a finite decimal number (integer, fraction, exponent; optional leading
/// '-' or '+'); false on anything else, infinities and NaN included.
inline bool parse_finite_double(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || !(is_digit_char(s.front()) || s.front() == '-' || s.front() == '.'))
    return false;
  const auto [end, ec] =
      std::from_chars(s.data(), s.data() + s.size(), out, std::chars_format::general);
  if (ec != std::errc() || end != s.data() + s.size()) return false;
  return out - out == 0.0;  // finite
}

/// A piece of input fit for an error message: at most `max_chars` characters (then "..."),
/// control characters and non-ASCII bytes written as \xHH.
inline std::string printable(std::string_view s, std::size_t max_chars = 40) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (k == max_chars) {
      out += "...";
      break;
    }
    const auto c = static_cast<unsigned char>(s[k]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace gaus
