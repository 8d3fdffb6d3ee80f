// AIGER reader (binary "aig" and ASCII "aag", format 1.9 without properties). Binary AND gates
// are decoded straight from the delta-encoded bytes into builder calls; ASCII gates may come in
// any order, so their fan-ins are resolved after every definition has been seen.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "graphs/formats.hpp"
#include "graphs/text_scan.hpp"

namespace gaus {

namespace {

constexpr std::uint64_t kMaxNumber = 0xFFFFFFFFull;  // AIGER numbers are 32-bit unsigned
constexpr std::uint64_t kMaxVar = 0x7FFFFFFFull;     // so that 2M+1 fits in 32 bits
// Binary inputs are implicit (they take no bytes), so their count is the one header number the
// file size does not bound; cap it so that a few hostile bytes cannot ask for billions of ops.
constexpr std::uint64_t kFreeInputs = 1ull << 20;
constexpr std::uint64_t kInputsPerByte = 64;

struct Header {
  bool binary = false;
  std::uint64_t m = 0, i = 0, l = 0, o = 0, a = 0;
};

/// A variable's defining op, for the ASCII form's resolution of fan-ins.
struct Definition {
  std::uint32_t var;
  op_id op;
  std::int64_t line;
};

/// A fan-in (or next-state) variable still to be resolved to an op (ASCII form).
struct PendingEdge {
  std::uint32_t var;
  op_id dst;
  std::int32_t distance;
  std::int64_t line;
};

class AigerParser {
 public:
  AigerParser(std::string_view bytes, const std::string& name)
      : s_(bytes), name_(name), b_(name, /*index_names=*/false) {}

  ProblemBuilder parse() {
    read_header();
    if (h_.binary)
      read_binary_body();
    else
      read_ascii_body();
    read_trailer();
    return std::move(b_);
  }

 private:
  // ---- errors ----
  [[noreturn]] void fail(const std::string& msg) const { input_error(name_, s_.line(), msg); }
  [[noreturn]] void fail_byte(std::size_t at, const std::string& msg) const {
    throw InputError((name_.empty() ? std::string("<input>") : name_) + ": byte " +
                     std::to_string(at) + ": " + msg);
  }

  // ---- line-oriented lexing (header, ASCII sections, latch and output lines of binary) ----
  std::uint64_t number(const char* what) {
    if (!is_digit_char(s_.peek())) {
      if (s_.at_end()) fail(std::string("unexpected end of file: expected ") + what);
      fail(std::string("expected ") + what + ", found '" + printable(rest_of_line()) + "'");
    }
    std::uint64_t v = 0;
    while (is_digit_char(s_.peek())) {
      v = v * 10 + static_cast<std::uint64_t>(s_.get() - '0');
      if (v > kMaxNumber) fail(std::string(what) + " does not fit in 32 bits");
    }
    return v;
  }
  /// True when another number follows on this line (after one or more blanks).
  bool more_on_line() {
    if (s_.peek() != ' ' && s_.peek() != '\t') return false;
    while (s_.peek() == ' ' || s_.peek() == '\t') s_.get();
    return s_.peek() != '\n' && s_.peek() != '\r' && !s_.at_end();
  }
  void separator(const char* next_what) {
    if (!more_on_line()) fail(std::string("line ends early: expected ") + next_what);
  }
  void end_of_line() {
    while (s_.peek() == ' ' || s_.peek() == '\t') s_.get();
    if (s_.at_end()) return;
    if (s_.peek() == '\r' && s_.peek(1) == '\n') s_.get();
    if (s_.peek() != '\n') fail("unexpected '" + printable(rest_of_line()) + "' at end of line");
    s_.get();
  }
  std::string_view rest_of_line() const {
    std::string_view r = s_.text().substr(s_.pos());
    return r.substr(0, std::min(r.find('\n'), r.size()));
  }

  // ---- header ----
  void read_header() {
    if (s_.consume("aig"))
      h_.binary = true;
    else if (!s_.consume("aag"))
      fail("not an AIGER file: the header must start with 'aig' (binary) or 'aag' (ASCII)");
    if (s_.peek() != ' ') fail("expected ' M I L O A' after the format tag");
    std::uint64_t* fields[] = {&h_.m, &h_.i, &h_.l, &h_.o, &h_.a};
    const char* names[] = {"M (maximum variable index)", "I (number of inputs)",
                           "L (number of latches)", "O (number of outputs)",
                           "A (number of AND gates)"};
    for (int k = 0; k < 5; ++k) {
      separator(names[k]);
      *fields[k] = number(names[k]);
    }
    // AIGER 1.9 adds B C J F (bad states, invariant constraints, justice, fairness).
    std::uint64_t extra[4] = {0, 0, 0, 0};
    int n_extra = 0;
    while (n_extra < 4 && more_on_line()) {
      extra[n_extra] = number("header number");
      ++n_extra;
    }
    end_of_line();
    if (extra[0] + extra[1] + extra[2] + extra[3] != 0)
      input_error(name_, 1,
                  "AIGER 1.9 properties are not supported (B C J F = " + std::to_string(extra[0]) +
                      " " + std::to_string(extra[1]) + " " + std::to_string(extra[2]) + " " +
                      std::to_string(extra[3]) + "; only 0 0 0 0 is accepted)");
    const Header& h = h_;
    const std::string hdr = "header 'M I L O A' = " + std::to_string(h.m) + " " +
                            std::to_string(h.i) + " " + std::to_string(h.l) + " " +
                            std::to_string(h.o) + " " + std::to_string(h.a) + ": ";
    if (h.m > kMaxVar) input_error(name_, 1, hdr + "M exceeds 2^31 - 1 (literals are 32-bit)");
    if (h.m < h.i + h.l + h.a) input_error(name_, 1, hdr + "M must be at least I + L + A");
    if (h.binary && h.m != h.i + h.l + h.a)
      input_error(name_, 1, hdr + "binary AIGER requires M = I + L + A");
    // Every entry other than a binary input takes at least one byte: bound the counts by the
    // file size before reserving anything.
    const std::uint64_t left = s_.text().size() - s_.pos();
    const std::uint64_t lines = (h.binary ? 0 : h.i) + h.l + h.o;
    const std::uint64_t and_bytes = h.binary ? 2 : 1;
    if (lines > left || h.a > left / and_bytes || lines + h.a * and_bytes > left)
      input_error(name_, 1,
                  hdr + "the file is too short (" + std::to_string(left) +
                      " bytes after the header) to hold that many entries");
    if (h.binary && h.i > kFreeInputs + kInputsPerByte * left)
      input_error(name_, 1,
                  hdr + "implausibly many inputs for a file of " +
                      std::to_string(s_.text().size()) + " bytes");
  }

  // ---- helpers shared by both forms ----
  op_id add_var_op(std::uint64_t var, const char* type, std::int32_t latency, double weight) {
    char buf[16];
    const auto res = std::to_chars(buf, buf + sizeof buf, var);
    const op_id op = b_.add_op(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)), type,
                               line_or_zero());
    b_.set_latency(op, latency);
    b_.set_weight(op, weight);
    b_.set_out_size(op, 1.0);
    return op;
  }
  std::int64_t line_or_zero() const { return h_.binary ? 0 : s_.line(); }
  void check_literal(std::uint64_t lit, const std::string& what) {
    if (lit > 2 * h_.m + 1)
      fail(what + ": literal " + std::to_string(lit) +
           " exceeds 2M+1 = " + std::to_string(2 * h_.m + 1));
  }
  void check_defining_literal(std::uint64_t lit, const std::string& what) {
    if (lit & 1) fail(what + ": literal " + std::to_string(lit) + " is odd (negated)");
    if (lit < 2) fail(what + ": literal " + std::to_string(lit) + " is a constant");
    if (lit > 2 * h_.m)
      fail(what + ": literal " + std::to_string(lit) + " exceeds 2M = " + std::to_string(2 * h_.m));
  }
  /// Latch line after its (explicit or implicit) lhs: next-state literal and optional reset.
  std::uint64_t latch_rest(std::uint64_t lhs, const std::string& what) {
    const std::uint64_t next = number("latch next-state literal");
    check_literal(next, what + " next state");
    if (more_on_line()) {
      const std::uint64_t reset = number("latch reset value");
      if (reset != 0 && reset != 1 && reset != lhs)
        fail(what + ": reset value " + std::to_string(reset) + " must be 0, 1 or the latch's " +
             "own literal " + std::to_string(lhs));
    }
    end_of_line();
    return next;
  }
  void read_outputs() {
    for (std::uint64_t k = 0; k < h_.o; ++k) {
      const std::uint64_t lit = number("output literal");
      check_literal(lit, "output " + std::to_string(k));
      end_of_line();
    }
  }

  // ---- binary body ----
  void read_binary_body() {
    const std::uint64_t first_latch = h_.i + 1, first_and = h_.i + h_.l + 1;
    b_.reserve(h_.m, 2 * h_.a + h_.l);
    for (std::uint64_t v = 1; v < first_latch; ++v) add_var_op(v, "pi", 0, 0.0);
    for (std::uint64_t v = first_latch; v < first_and; ++v) add_var_op(v, "latch", 0, 0.0);
    for (std::uint64_t v = first_and; v <= h_.m; ++v) add_var_op(v, "and", 1, 1.0);
    // Ops are created in variable order: variable v is op v - 1.
    for (std::uint64_t k = 0; k < h_.l; ++k) {
      const std::uint64_t lhs = 2 * (first_latch + k);
      const std::uint64_t next = latch_rest(lhs, "latch " + std::to_string(lhs / 2));
      if (next >= 2)
        b_.add_edge({.src = static_cast<op_id>(next / 2 - 1),
                     .dst = static_cast<op_id>(first_latch + k - 1),
                     .distance = 1});
    }
    read_outputs();
    const unsigned char* p = reinterpret_cast<const unsigned char*>(s_.text().data());
    const std::size_t size = s_.text().size();
    std::size_t pos = s_.pos();
    auto varint = [&](std::size_t start, std::uint64_t var) {
      std::uint64_t x = 0;
      for (int shift = 0;; shift += 7) {
        if (pos >= size)
          fail_byte(start, "AND gate " + std::to_string(var) + ": truncated delta encoding " +
                               "(the file ends inside it)");
        const unsigned c = p[pos++];
        if (shift == 28 && (c & 0xF0u) != 0)
          fail_byte(start, "AND gate " + std::to_string(var) + ": delta does not fit in 32 bits");
        x |= static_cast<std::uint64_t>(c & 0x7Fu) << shift;
        if ((c & 0x80u) == 0) return x;
      }
    };
    for (std::uint64_t var = first_and; var <= h_.m; ++var) {
      const std::size_t start = pos;
      const std::uint64_t lhs = 2 * var;
      const std::uint64_t d0 = varint(start, var);
      const std::uint64_t d1 = varint(start, var);
      if (d0 == 0)
        fail_byte(start, "AND gate " + std::to_string(var) + ": first delta is 0 (its first " +
                             "fan-in would be itself)");
      if (d0 > lhs)
        fail_byte(start, "AND gate " + std::to_string(var) + ": first delta " + std::to_string(d0) +
                             " exceeds its literal " + std::to_string(lhs));
      const std::uint64_t r0 = lhs - d0;
      if (d1 > r0)
        fail_byte(start, "AND gate " + std::to_string(var) + ": second delta " +
                             std::to_string(d1) + " exceeds its first fan-in literal " +
                             std::to_string(r0));
      const std::uint64_t r1 = r0 - d1;
      // rhs0 < lhs and rhs1 <= rhs0, so both fan-ins are defined before this gate.
      const auto dst = static_cast<op_id>(var - 1);
      if (r0 >= 2) b_.add_edge({.src = static_cast<op_id>(r0 / 2 - 1), .dst = dst});
      if (r1 >= 2 && r1 / 2 != r0 / 2)
        b_.add_edge({.src = static_cast<op_id>(r1 / 2 - 1), .dst = dst});
    }
    binary_end_ = pos;
  }

  // ---- ASCII body ----
  void read_ascii_body() {
    defs_.reserve(h_.i + h_.l + h_.a);
    pending_.reserve(h_.l + 2 * h_.a);
    b_.reserve(h_.i + h_.l + h_.a, 2 * h_.a + h_.l);
    for (std::uint64_t k = 0; k < h_.i; ++k) {
      const std::uint64_t lit = number("input literal");
      check_defining_literal(lit, "input " + std::to_string(k));
      define(lit, add_var_op(lit / 2, "pi", 0, 0.0));
      end_of_line();
    }
    for (std::uint64_t k = 0; k < h_.l; ++k) {
      const std::uint64_t lhs = number("latch literal");
      check_defining_literal(lhs, "latch " + std::to_string(k));
      const op_id op = add_var_op(lhs / 2, "latch", 0, 0.0);
      define(lhs, op);
      separator("latch next-state literal");
      const std::int64_t line = s_.line();
      const std::uint64_t next = latch_rest(lhs, "latch " + std::to_string(lhs / 2));
      if (next >= 2) pending_.push_back({static_cast<std::uint32_t>(next / 2), op, 1, line});
    }
    read_outputs();
    for (std::uint64_t k = 0; k < h_.a; ++k) {
      const std::uint64_t lhs = number("AND gate literal");
      check_defining_literal(lhs, "AND gate left-hand side");
      const std::string what = "AND gate " + std::to_string(lhs / 2);
      separator("AND gate fan-in literals");
      const std::uint64_t r0 = number("AND gate fan-in literal");
      separator("AND gate second fan-in literal");
      const std::uint64_t r1 = number("AND gate fan-in literal");
      check_literal(r0, what + " first fan-in");
      check_literal(r1, what + " second fan-in");
      if (r0 / 2 == lhs / 2 || r1 / 2 == lhs / 2) fail(what + " uses itself as a fan-in");
      const op_id op = add_var_op(lhs / 2, "and", 1, 1.0);
      define(lhs, op);
      const std::int64_t line = s_.line();
      if (r0 >= 2) pending_.push_back({static_cast<std::uint32_t>(r0 / 2), op, 0, line});
      if (r1 >= 2 && r1 / 2 != r0 / 2)
        pending_.push_back({static_cast<std::uint32_t>(r1 / 2), op, 0, line});
      end_of_line();
    }
    resolve_ascii_edges();
  }
  void define(std::uint64_t lit, op_id op) {
    defs_.push_back({static_cast<std::uint32_t>(lit / 2), op, s_.line()});
  }
  void resolve_ascii_edges() {
    // Stable: equal variables keep file order, so a duplicate names its second definition.
    std::stable_sort(defs_.begin(), defs_.end(),
                     [](const Definition& x, const Definition& y) { return x.var < y.var; });
    for (std::size_t k = 1; k < defs_.size(); ++k)
      if (defs_[k].var == defs_[k - 1].var)
        input_error(name_, defs_[k].line,
                    "variable " + std::to_string(defs_[k].var) + " is defined twice (first at " +
                        "line " + std::to_string(defs_[k - 1].line) + ")");
    for (const PendingEdge& e : pending_) {
      const auto it =
          std::lower_bound(defs_.begin(), defs_.end(), e.var,
                           [](const Definition& d, std::uint32_t v) { return d.var < v; });
      if (it == defs_.end() || it->var != e.var)
        input_error(name_, e.line,
                    std::string(e.distance > 0 ? "latch next state" : "AND gate fan-in") +
                        ": variable " + std::to_string(e.var) +
                        " is not defined (no input, latch or AND gate has it)");
      b_.add_edge({.src = it->op, .dst = e.dst, .distance = e.distance, .line = e.line});
    }
  }

  // ---- symbol table and comment section (both forms) ----
  void read_trailer() {
    // Binary errors from here on give byte offsets, as lines mean nothing past the AND bytes.
    if (h_.binary) s_.skip(binary_end_ - s_.pos());
    while (!s_.at_end()) {
      const std::size_t at = s_.pos();
      const char c = s_.peek();
      if (c == 'c') return;  // the comment section runs to the end of the file
      if (c == '\n' || (c == '\r' && s_.peek(1) == '\n')) {
        s_.skip_line();
        continue;
      }
      std::uint64_t count = 0;
      const char* kind = nullptr;
      switch (c) {
        case 'i': count = h_.i; kind = "input"; break;
        case 'l': count = h_.l; kind = "latch"; break;
        case 'o': count = h_.o; kind = "output"; break;
        case 'b': case 'j': case 'f': kind = "property"; break;  // B J F are 0 here
        default: break;
      }
      if (kind == nullptr || !is_digit_char(s_.peek(1)))
        trailer_fail(at, "unexpected '" + printable(rest_of_line()) + "' after the AND gates " +
                             "(expected a symbol such as 'i0 name' or a 'c' comment line)");
      s_.get();
      std::uint64_t index = 0;
      while (is_digit_char(s_.peek())) {
        index = index * 10 + static_cast<std::uint64_t>(s_.get() - '0');
        if (index > kMaxNumber) trailer_fail(at, "symbol index does not fit in 32 bits");
      }
      if (index >= count)
        trailer_fail(at, std::string("symbol ") + c + std::to_string(index) + ": no such " + kind +
                             " (the file has " + std::to_string(count) + ")");
      if (s_.peek() != ' ') trailer_fail(at, "expected ' name' after the symbol index");
      s_.skip_line();  // the name itself is ignored
    }
  }
  [[noreturn]] void trailer_fail(std::size_t at, const std::string& msg) const {
    if (h_.binary) fail_byte(at, msg);
    fail(msg);
  }

  TextScanner s_;
  const std::string& name_;
  ProblemBuilder b_;
  Header h_;
  std::size_t binary_end_ = 0;
  std::vector<Definition> defs_;
  std::vector<PendingEdge> pending_;
};

}  // namespace

ProblemBuilder read_aiger(std::string_view bytes, const std::string& name) {
  return AigerParser(bytes, name).parse();
}

}  // namespace gaus
