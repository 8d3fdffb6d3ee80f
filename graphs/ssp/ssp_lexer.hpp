// The tokenizer behind read_ssp (graphs/ssp/read_ssp.cpp documents the accepted syntax): MLIR's
// token classes as the SSP dialect uses them. Bare identifiers (`ssp.instance`, `library`,
// `latency`: letter or '_', then letters, digits, '_', '$', '.'), symbols (`@name`, `@"any
// name"`), SSA values (`%0`, `%foo`), hash identifiers (`#1` after a value, `#ssp.dist`), string
// literals (escapes \" \\ \n \t \XX), numbers (`-12`, `1.000000e-01`) and punctuation. `//`
// comments are skipped, except that a line holding only `// -----` (CIRCT's -split-input-file
// marker) is a ChunkSep token. Line-tracked and bounds-checked through TextScanner; never
// recurses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "graphs/text_scan.hpp"

namespace gaus::ssp {

enum class Tok {
  Ident,   // bare identifier
  Symbol,  // @name; text is the name (unescaped)
  Value,   // %name; text is the name without '%'
  Hash,    // #name; text is the name without '#'
  String,  // "..."; text is the value (unescaped)
  Number,  // text as written
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Less,
  Greater,
  Comma,
  Equals,
  Colon,
  ColonColon,
  ChunkSep,
  End
};
constexpr std::string_view kPunct = "{}()[]<>,=:";  // LBrace .. Colon, in Tok order

struct Token {
  Tok kind = Tok::End;
  std::string text;
  std::int64_t line = 0;
};

/// MLIR's bare-id: [a-zA-Z_][a-zA-Z0-9_$.]*.
inline bool is_bare_start(char c) { return is_alpha_char(c) || c == '_'; }
inline bool is_bare_char(char c) {
  return is_bare_start(c) || is_digit_char(c) || c == '$' || c == '.';
}
/// MLIR's suffix-id (after '%' or '#'): [0-9]+ or [a-zA-Z$._-][a-zA-Z0-9$._-]*.
inline bool is_suffix_char(char c) {
  return is_alpha_char(c) || is_digit_char(c) || c == '$' || c == '.' || c == '_' || c == '-';
}

/// open + printable(text) + close, by appends (GCC 12 warns, -Wrestrict, on a literal + string).
inline std::string wrapped(std::string_view open, std::string_view text, std::string_view close) {
  std::string s(open);
  s += printable(text);
  s += close;
  return s;
}

/// A token as an error message shows it.
inline std::string describe(const Token& t) {
  switch (t.kind) {
    case Tok::End: return "end of file";
    case Tok::ChunkSep: return "'// -----' (end of the chunk)";
    case Tok::Symbol: return wrapped("'@", t.text, "'");
    case Tok::Value: return wrapped("'%", t.text, "'");
    case Tok::Hash: return wrapped("'#", t.text, "'");
    case Tok::String: return wrapped("\"", t.text, "\"");
    default: return wrapped("'", t.text, "'");
  }
}

class SspLexer {
 public:
  SspLexer(std::string_view text, const std::string& name) : s_(text), name_(name) {}

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
  /// Consumes the next token when it is `kind`.
  bool accept(Tok kind) {
    if (peek().kind != kind) return false;
    next();
    return true;
  }
  /// Consumes the next token when it is the bare identifier `word`.
  bool accept_word(std::string_view word) {
    if (peek().kind != Tok::Ident || peek().text != word) return false;
    next();
    return true;
  }
  /// The next token, which must be `kind`; `what` names it in the message otherwise.
  Token expect(Tok kind, std::string_view what) {
    if (peek().kind != kind)
      fail(peek().line, "expected " + std::string(what) + ", found " + describe(peek()));
    return next();
  }
  [[noreturn]] void fail(std::int64_t line, const std::string& msg) const {
    input_error(name_, line, msg);
  }
  [[nodiscard]] const std::string& name() const { return name_; }

 private:
  /// Whether only blanks precede the scanner's position on its line.
  [[nodiscard]] bool at_line_start() const {
    for (std::size_t k = s_.pos(); k > 0; --k) {
      const char c = s_.text()[k - 1];
      if (c == '\n') return true;
      if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
  }

  Token lex() {
    Token t;
    for (;;) {
      s_.skip_whitespace();
      if (!s_.starts_with("//")) break;
      const bool separator = at_line_start() && s_.starts_with("// -----");
      t.line = s_.line();
      s_.skip_line();
      if (separator) {
        t.kind = Tok::ChunkSep;
        t.text = "// -----";
        return t;
      }
    }
    t.line = s_.line();
    if (s_.at_end()) return t;
    const char c = s_.peek();
    if (s_.starts_with("::")) {
      s_.skip(2);
      t.kind = Tok::ColonColon;
      t.text = "::";
    } else if (const auto k = kPunct.find(c); k != std::string_view::npos) {
      s_.get();
      t.kind = static_cast<Tok>(static_cast<int>(Tok::LBrace) + static_cast<int>(k));
      t.text = std::string(1, c);
    } else if (is_bare_start(c)) {
      t.kind = Tok::Ident;
      t.text = std::string(s_.take_while(is_bare_char));
    } else if (c == '@') {
      s_.get();
      t.kind = Tok::Symbol;
      if (s_.peek() == '"') {
        string_literal(t.text);
        if (t.text.empty()) fail(t.line, "empty symbol name '@\"\"'");
      } else if (is_bare_start(s_.peek())) {
        t.text = std::string(s_.take_while(is_bare_char));
      } else {
        fail(t.line, "expected a symbol name (a letter or '_', or a quoted string) after '@'");
      }
    } else if (c == '%' || c == '#') {
      s_.get();
      t.kind = c == '%' ? Tok::Value : Tok::Hash;
      t.text = std::string(s_.take_while(is_suffix_char));
      if (t.text.empty()) fail(t.line, std::string("expected a name after '") + c + "'");
      bool digits = true;
      for (const char d : t.text) digits = digits && is_digit_char(d);
      if (is_digit_char(t.text[0]) && !digits)
        fail(t.line, std::string("malformed name '") + c + printable(t.text) + "'");
    } else if (c == '"') {
      t.kind = Tok::String;
      string_literal(t.text);
    } else if (is_digit_char(c) || (c == '-' && is_digit_char(s_.peek(1)))) {
      t.kind = Tok::Number;
      number(t);
    } else {
      fail(t.line, "unexpected character '" + printable(std::string_view(&c, 1)) + "'");
    }
    return t;
  }

  /// [-]digits[.digits*][(e|E)[+-]digits]
  void number(Token& t) {
    const std::size_t start = s_.pos();
    if (s_.peek() == '-') s_.get();
    s_.take_while(is_digit_char);
    if (s_.peek() == '.') {
      s_.get();
      s_.take_while(is_digit_char);
      if ((s_.peek() == 'e' || s_.peek() == 'E') &&
          (is_digit_char(s_.peek(1)) ||
           ((s_.peek(1) == '-' || s_.peek(1) == '+') && is_digit_char(s_.peek(2))))) {
        s_.skip(2);
        s_.take_while(is_digit_char);
      }
    }
    t.text = std::string(s_.text().substr(start, s_.pos() - start));
    if (is_bare_char(s_.peek()))
      fail(t.line, "malformed number '" + printable(t.text + s_.peek()) + "'");
  }

  static int hex_value(char c) {
    if (is_digit_char(c)) return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  void string_literal(std::string& out) {
    const std::int64_t open = s_.line();
    s_.get();  // the opening quote
    for (;;) {
      if (s_.at_end() || s_.peek() == '\n')
        fail(open, "unterminated string (expected '\"' before the end of the line)");
      const char c = s_.get();
      if (c == '"') return;
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = s_.get();
      if (e == '"' || e == '\\') {
        out += e;
      } else if (e == 'n') {
        out += '\n';
      } else if (e == 't') {
        out += '\t';
      } else if (hex_value(e) >= 0 && hex_value(s_.peek()) >= 0) {
        out += static_cast<char>(hex_value(e) * 16 + hex_value(s_.get()));
      } else {
        fail(open, "unknown escape in string literal (use \\\" \\\\ \\n \\t or \\XX)");
      }
    }
  }

  TextScanner s_;
  std::string name_;
  Token peeked_;
  bool has_peek_ = false;
};

}  // namespace gaus::ssp
