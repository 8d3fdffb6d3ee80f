// Scale-oriented input paths: the fast JSON SAX driver (it must give nlohmann's events exactly on
// what it accepts, and decline everything else), the builder's name index, and the native JSON
// reader on a generated graph read back through both paths.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "graphs/builder.hpp"
#include "graphs/formats.hpp"
#include "graphs/json_fast_sax.hpp"

namespace {

using json = nlohmann::json;

// Records SAX events as text, so two parses can be compared.
struct EventLog {
  std::vector<std::string> ev;
  bool null() { return ev.emplace_back("null"), true; }
  bool boolean(bool b) { return ev.emplace_back(b ? "true" : "false"), true; }
  bool number_integer(json::number_integer_t v) {
    return ev.push_back("i" + std::to_string(v)), true;
  }
  bool number_unsigned(json::number_unsigned_t v) {
    return ev.push_back("i" + std::to_string(v)), true;  // nlohmann: non-negative integers
  }
  bool number_float(json::number_float_t v, const json::string_t&) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "f%a", v);
    return ev.emplace_back(buf), true;
  }
  bool string(json::string_t& s) { return ev.push_back("s:" + s), true; }
  bool binary(json::binary_t&) { return ev.emplace_back("bin"), true; }
  bool start_object(std::size_t) { return ev.emplace_back("{"), true; }
  bool start_array(std::size_t) { return ev.emplace_back("["), true; }
  bool end_object() { return ev.emplace_back("}"), true; }
  bool end_array() { return ev.emplace_back("]"), true; }
  bool key(json::string_t& k) { return ev.push_back("k:" + k), true; }
  bool parse_error(std::size_t, const std::string&, const json::exception&) { return false; }
};

// True when the fast driver declined, or accepted with nlohmann's very events.
bool agrees(const std::string& text) {
  EventLog fast;
  const char* reached = text.data();
  if (!gaus::fast_sax_parse(text, fast, &reached)) return true;
  EventLog ref;
  if (!json::sax_parse(text, &ref)) return false;  // accepted what nlohmann rejects
  return fast.ev == ref.ev;
}

const char* const kDoc = R"({"format": "gaus", "version": 1, "resources": {"alu": 2, "m": -1},
 "ops": [{"name": "a", "type": "add", "unit": "alu", "latency": 2, "weight": 1.5e0},
         {"name": "bb", "type": null, "blocking": 0, "output_size": 0.25, "x": [true, false]}],
 "edges": [{"from": "a", "to": "bb", "delay": 3, "distance": 0, "weight": 123456789012}],
 "comment": {}, "note": []})";

}  // namespace

TEST_CASE("scale_io: fast JSON driver gives nlohmann's events or declines") {
  const std::string doc = kDoc;
  CHECK(agrees(doc));
  EventLog fast;
  const char* reached = doc.data();
  CHECK(gaus::fast_sax_parse(doc, fast, &reached));  // the plain document is taken fast
  // Every single-byte mutation (deleted, or replaced by a JSON-significant byte) must either be
  // declined or parse exactly as nlohmann parses it.
  const std::string repl = "{}[]\",:0-.eE+ 9tfn\\\n\x01\xc3";
  int failures = 0;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    std::string del = doc;
    del.erase(i, 1);
    failures += !agrees(del);
    for (const char c : repl) {
      std::string m = doc;
      m[i] = c;
      failures += !agrees(m);
    }
  }
  CHECK(failures == 0);
  for (const char* s : {"1", "-0", "[]", "{}", "[1,]", "{\"a\":1,}", "[1 2]", "01", "1.", ".5",
                        "1e", "1e400", "-", "123456789012345678901", "1E+2", "[1e-400]",
                        "[-12, -1.5e-3]",
                        "\"\\u0041\"", "{\"a\" 1}", "[[[]]]", "{} x", " \t\r\n{}\n", "nul", "tru"})
    CHECK_MESSAGE(agrees(s), s);
}

TEST_CASE("scale_io: native JSON reads the same through the fast and the nlohmann path") {
  // An escape in the last name makes the fast driver decline only at the very end.
  std::string plain = kDoc;
  plain.erase(plain.find(", \"x\""), std::string(", \"x\": [true, false]").size());
  std::string escaped = plain;
  escaped.replace(escaped.find("\"bb\", \"type\""), 4, "\"b\\u0062\"");
  const auto pos = escaped.find("\"to\": \"bb\"");
  escaped.replace(pos, 10, "\"to\": \"\\u0062b\"");
  const gaus::Problem a = gaus::read_native_json(plain, "a.json").build();
  const gaus::Problem b = gaus::read_native_json(escaped, "b.json").build();
  REQUIRE(a.num_ops() == 2);
  REQUIRE(b.num_ops() == 2);
  CHECK(a.name(1) == "bb");
  CHECK(b.name(1) == "bb");
  CHECK(a.latency == b.latency);
  CHECK(a.weight == b.weight);
  CHECK(a.out_size == b.out_size);
  CHECK(a.edge_delay == b.edge_delay);
  CHECK(a.edge_weight == b.edge_weight);
  CHECK(a.edge_weight[0] == 123456789012.0);
  CHECK(a.out_size[1] == 0.25);
}

TEST_CASE("scale_io: errors keep their nlohmann-path messages and lines") {
  // Semantic error in a plain file (the fast driver reads it, the handler throws): same message
  // and line as when the slow path finds it.
  const std::string dup = "{\"format\": \"gaus\", \"version\": 1,\n\"ops\": [{\"name\": \"a\"},\n"
                          "{\"name\": \"a\"}]}";
  CHECK_THROWS_WITH_AS(
      gaus::read_native_json(dup, "d.json"),
      doctest::Contains("d.json:3: duplicate op name 'a' (first defined at line 2)"),
      gaus::InputError);
  const std::string syntax = "{\"ops\": [\n{\"name\": \"a\",}]}";
  CHECK_THROWS_WITH_AS(gaus::read_native_json(syntax, "s.json"),
                       doctest::Contains("s.json:2: JSON syntax error"), gaus::InputError);
}

TEST_CASE("scale_io: name index finds short, long and colliding-prefix names") {
  gaus::ProblemBuilder b("n");
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) {
    names.push_back("n" + std::to_string(i));                       // short: inline in the slot
    names.push_back("a_rather_long_op_name_" + std::to_string(i));  // long: compared in the pool
  }
  names.push_back(std::string("x\0", 2));  // a NUL inside a short name differs from "x"
  names.push_back("x");
  names.push_back("");
  for (const auto& n : names) b.add_op(n, "t");
  for (std::size_t i = 0; i < names.size(); ++i)
    CHECK_MESSAGE(b.find_op(names[i]) == static_cast<gaus::op_id>(i), names[i]);
  CHECK(b.find_op("n5000") == -1);
  CHECK(b.find_op("a_rather_long_op_name_5000") == -1);
  CHECK(b.find_op(std::string("x\0\0", 3)) == -1);
  CHECK_THROWS_AS(b.add_op("a_rather_long_op_name_17", "t"), gaus::InputError);
  CHECK_THROWS_AS(b.add_op("n17", "t"), gaus::InputError);
}
