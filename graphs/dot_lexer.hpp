// The DOT tokenizer behind read_dot (graphs/read_dot.cpp documents the accepted subset): IDs
// (identifiers, numerals, quoted strings with escapes and '+' concatenation, HTML strings),
// punctuation, edge operators; comments and '#' lines skipped. Line-tracked and bounds-checked
// through TextScanner; it never recurses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "graphs/text_scan.hpp"

namespace gaus::dot {

enum class Tok {
  Id,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Semi,
  Comma,
  Equals,
  Colon,
  Plus,
  Arrow,
  Line,
  End
};
constexpr std::string_view kPunct = "{}[];,=:+";  // LBrace .. Plus, in Tok order

struct Token {
  Tok kind = Tok::End;
  std::string text;     // the ID's value (unescaped), or the punctuation as written
  bool quoted = false;  // a quoted or HTML string is never a keyword
  std::int64_t line = 0;
};

inline bool is_id_start(char c) {
  return is_alpha_char(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
inline bool is_id_char(char c) { return is_id_start(c) || is_digit_char(c); }

/// An unquoted ID equal to `kw` (lower case) ignoring case.
inline bool is_keyword(const Token& t, std::string_view kw) {
  if (t.kind != Tok::Id || t.quoted || t.text.size() != kw.size()) return false;
  for (std::size_t k = 0; k < kw.size(); ++k) {
    const char c = t.text[k];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kw[k]) return false;
  }
  return true;
}

inline std::string describe(const Token& t) {
  if (t.kind == Tok::End) return "end of file";
  const char quote = t.kind == Tok::Id && t.quoted ? '"' : '\'';
  std::string out(1, quote);
  out += t.kind == Tok::Id ? printable(t.text) : t.text;
  out += quote;
  return out;
}

class DotLexer {
 public:
  DotLexer(std::string_view text, const std::string& name) : s_(text), name_(name) {}

  const Token& peek() {
    if (!has_peek_) {
      peeked_ = lex();
      has_peek_ = true;
    }
    return peeked_;
  }
  Token next() {
    peek();
    has_peek_ = false;
    return std::move(peeked_);
  }
  [[noreturn]] void fail(std::int64_t line, const std::string& msg) const {
    input_error(name_, line, msg);
  }

 private:
  void skip_trivia() {
    for (;;) {
      s_.skip_whitespace();
      const bool line_start = s_.pos() == 0 || s_.text()[s_.pos() - 1] == '\n';
      if (s_.peek() == '#' && line_start) {
        s_.skip_line();
      } else if (s_.starts_with("//")) {
        s_.skip_line();
      } else if (s_.starts_with("/*")) {
        const std::int64_t open = s_.line();
        s_.skip(2);
        while (!s_.at_end() && !s_.starts_with("*/")) s_.get();
        if (s_.at_end()) fail(open, "unterminated comment '/*'");
        s_.skip(2);
      } else {
        return;
      }
    }
  }

  Token lex() {
    skip_trivia();
    Token t;
    t.line = s_.line();
    const char c = s_.peek();
    auto punct = [&](Tok kind, std::size_t len) {
      t.kind = kind;
      t.text = std::string(s_.text().substr(s_.pos(), len));
      s_.skip(len);
      return t;
    };
    if (s_.at_end()) return t;
    if (const auto k = kPunct.find(c); k != std::string_view::npos)
      return punct(static_cast<Tok>(k + 1), 1);
    if (s_.starts_with("->")) return punct(Tok::Arrow, 2);
    if (s_.starts_with("--")) return punct(Tok::Line, 2);
    t.kind = Tok::Id;
    if (c == '"') {
      t.quoted = true;
      quoted_string(t.text);
      concatenations(t.text);
    } else if (c == '<') {
      t.quoted = true;
      html_string(t.text);
    } else if (is_id_start(c)) {
      t.text = std::string(s_.take_while(is_id_char));
    } else if (is_digit_char(c) || c == '.' ||
               (c == '-' && (is_digit_char(s_.peek(1)) || s_.peek(1) == '.'))) {
      numeral(t);
    } else {
      fail(t.line, "unexpected character '" + printable(std::string_view(&c, 1)) + "'");
    }
    return t;
  }

  void numeral(Token& t) {
    const std::size_t start = s_.pos();
    if (s_.peek() == '-') s_.get();
    const std::size_t int_digits = s_.take_while(is_digit_char).size();
    std::size_t frac_digits = 0;
    if (s_.peek() == '.') {
      s_.get();
      frac_digits = s_.take_while(is_digit_char).size();
    }
    t.text = std::string(s_.text().substr(start, s_.pos() - start));
    if (int_digits + frac_digits == 0) fail(t.line, "malformed number '" + t.text + "'");
    if (is_id_char(s_.peek()) || s_.peek() == '.' || s_.peek() == '"')
      fail(t.line, "badly delimited number '" + printable(t.text) + "' (put a space or quotes)");
  }

  void quoted_string(std::string& out) {
    const std::int64_t open = s_.line();
    s_.get();  // the opening quote
    for (;;) {
      if (s_.at_end()) fail(open, "unterminated string (no closing '\"')");
      const char c = s_.get();
      if (c == '"') return;
      if (c == '\\' && (s_.peek() == '"' || s_.peek() == '\\')) {
        out += s_.get();
      } else if (c == '\\' && s_.peek() == '\n') {
        s_.get();  // line continuation
      } else if (c == '\\' && s_.peek() == '\r' && s_.peek(1) == '\n') {
        s_.skip(2);
      } else {
        out += c;
      }
    }
  }

  /// "a" + "b" + ... is one ID.
  void concatenations(std::string& out) {
    for (;;) {
      const TextScanner saved = s_;
      skip_trivia();
      if (s_.peek() != '+') {
        s_ = saved;
        return;
      }
      s_.get();
      skip_trivia();
      if (s_.peek() != '"') fail(s_.line(), "expected a quoted string after '+'");
      quoted_string(out);
    }
  }

  void html_string(std::string& out) {
    const std::int64_t open = s_.line();
    s_.get();  // the opening '<'
    std::size_t depth = 1;
    for (;;) {
      if (s_.at_end()) fail(open, "unterminated HTML string (no closing '>')");
      const char c = s_.get();
      if (c == '<') ++depth;
      if (c == '>' && --depth == 0) return;
      out += c;
    }
  }

  TextScanner s_;
  const std::string& name_;
  Token peeked_;
  bool has_peek_ = false;
};

}  // namespace gaus::dot
