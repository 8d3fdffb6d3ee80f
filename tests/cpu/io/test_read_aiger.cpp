#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"

using namespace gaus;

namespace {

std::string varint(unsigned x) {
  std::string s;
  for (; x >= 0x80; x >>= 7) s += static_cast<char>((x & 0x7f) | 0x80);
  s += static_cast<char>(x);
  return s;
}

/// Binary AND section for gates given as (lhs, rhs0, rhs1) with rhs0 >= rhs1.
std::string and_bytes(const std::vector<std::tuple<unsigned, unsigned, unsigned>>& gates) {
  std::string s;
  for (const auto& [lhs, r0, r1] : gates) s += varint(lhs - r0) + varint(r0 - r1);
  return s;
}

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no error>";
}

std::string aiger_error(const std::string& bytes) {
  return error_of([&] { (void)read_aiger(bytes, "t.aig"); });
}

using EdgeSet = std::set<std::tuple<std::string, std::string, std::int32_t, std::int32_t>>;

/// (src name, dst name, delay, distance) of every edge.
EdgeSet edge_set(const Problem& p) {
  EdgeSet s;
  for (edge_id e = 0; e < p.num_edges(); ++e)
    s.emplace(std::string(p.name(p.edge_src[e])), std::string(p.name(p.edge_dst[e])),
              p.edge_delay[e], p.edge_distance[e]);
  return s;
}

// The gates of tests/data/aiger_small.aag in topological order (binary form needs it).
const char* kOrderedAag = "aag 7 2 1 2 4\n2\n4\n6 13\n12\n15\n8 7 2\n10 9 8\n12 10 3\n14 4 1\n";
std::string ordered_aig() {
  return "aig 7 2 1 2 4\n13\n12\n15\n" +
         and_bytes({{8, 7, 2}, {10, 9, 8}, {12, 10, 3}, {14, 4, 1}}) + "i0 a\no1 y\nc\nok\n";
}
const EdgeSet kSmallEdges = {{"1", "4", 0, 0}, {"3", "4", 0, 0}, {"4", "5", 1, 0}, {"5", "6", 1, 0},
                             {"1", "6", 0, 0}, {"2", "7", 0, 0}, {"6", "3", 1, 1}};

}  // namespace

TEST_CASE("read_aiger: hand-made ASCII fixture") {
  const Problem p =
      read_aiger(read_file(GAUS_TEST_DATA_DIR "/aiger_small.aag"), "aiger_small.aag").build();
  validate(p);
  REQUIRE(p.num_ops() == 7);
  // inputs, then latches, then AND gates in file order
  const char* names[] = {"1", "2", "3", "6", "4", "5", "7"};
  const char* types[] = {"pi", "pi", "latch", "and", "and", "and", "and"};
  for (op_id i = 0; i < 7; ++i) {
    CAPTURE(i);
    CHECK(p.name(i) == names[i]);
    CHECK(p.type_names[p.op_type[i]] == types[i]);
    CHECK(p.latency[i] == (i < 3 ? 0 : 1));
    CHECK(p.weight[i] == (i < 3 ? 0.0 : 1.0));
    CHECK(p.out_size[i] == 1.0);
  }
  CHECK(p.num_edges() == 7);  // x & !x gives one edge, the constant none
  CHECK(p.num_loop_carried() == 1);
  CHECK(edge_set(p) == kSmallEdges);
}

TEST_CASE("read_aiger: binary and ASCII forms of one circuit agree") {
  const Problem a = read_aiger(kOrderedAag, "o.aag").build();
  const Problem b = read_aiger(ordered_aig(), "o.aig").build();
  validate(b);
  CHECK(edge_set(a) == kSmallEdges);
  CHECK(edge_set(b) == kSmallEdges);
  CHECK(b.num_ops() == 7);
  // AIGER 1.9 header with zero properties and a latch reset value are accepted
  CHECK(read_aiger("aag 1 1 0 1 0 0 0 0 0\n2\n3\n", "h.aag").num_ops() == 1);
  CHECK(read_aiger("aag 2 1 1 0 0\n2\n4 2 4\n", "r.aag").num_edges() == 1);
  CHECK(read_aiger("aig 0 0 0 0 0\n", "e.aig").num_ops() == 0);
  CHECK(read_aiger("aag 3 1 0 0 1\r\n2\r\n6 3 2\r\n", "crlf.aag").num_edges() == 1);
}

TEST_CASE("read_aiger: broken headers") {
  CHECK(aiger_error("") ==
        "t.aig:1: not an AIGER file: the header must start with 'aig' "
        "(binary) or 'aag' (ASCII)");
  CHECK(aiger_error("aig\n") == "t.aig:1: expected ' M I L O A' after the format tag");
  CHECK(aiger_error("hello world").find("t.aig:1: not an AIGER file") == 0);
  CHECK(aiger_error("aag 1 1 0 0\n2\n") ==
        "t.aig:1: line ends early: expected A (number of AND gates)");
  CHECK(aiger_error("aag 1 x 0 0 0\n").find("t.aig:1: expected I (number of inputs)") == 0);
  CHECK(aiger_error("aag 99999999999 0 0 0 0\n") ==
        "t.aig:1: M (maximum variable index) does "
        "not fit in 32 bits");
  CHECK(aiger_error("aag 1 1 0 0 1\n2\n4 2 2\n").find("M must be at least I + L + A") !=
        std::string::npos);
  CHECK(aiger_error("aig 5 1 0 0 1\n\x02\x02").find("binary AIGER requires M = I + L + A") !=
        std::string::npos);
  CHECK(aiger_error("aag 3000000000 0 0 0 0\n").find("M exceeds 2^31 - 1") != std::string::npos);
  CHECK(aiger_error("aag 1 1 0 0 0 1 0 0 0\n2\n") ==
        "t.aig:1: AIGER 1.9 properties are not supported (B C J F = 1 0 0 0; only 0 0 0 0 is "
        "accepted)");
  CHECK(aiger_error("aag 1 1 0 0 0 0 0 0 0 7\n2\n").find("t.aig:1: unexpected '7'") == 0);
  CHECK(aiger_error("aag 9 0 0 0 9\n2 0 0\n").find("too short") != std::string::npos);
  CHECK(aiger_error("aig 2000000000 2000000000 0 0 0\n").find("implausibly many inputs") !=
        std::string::npos);
}

TEST_CASE("read_aiger: absurd header counts are refused before reserving memory") {
  // Each would ask the builder to reserve gigabytes; the header check against the file's size
  // runs before any reservation, so these fail at once with a message.
  const std::string pad(1000, 'c');
  CHECK(aiger_error("aig 4000000000 0 0 0 4000000000\n" + pad).find("M exceeds 2^31 - 1") !=
        std::string::npos);
  CHECK(aiger_error("aig 2000000000 0 0 0 2000000000\n" + pad) ==
        "t.aig:1: header 'M I L O A' = 2000000000 0 0 0 2000000000: the file is too short (1000 "
        "bytes after the header) to hold that many entries");
  CHECK(aiger_error("aag 2000000000 2000000000 0 0 0\n2\n4\n").find("the file is too short (4 "
                                                                  "bytes after the header)") !=
        std::string::npos);
  CHECK(aiger_error("aag 0 0 0 2000000000 0\n0\n").find("the file is too short") !=
        std::string::npos);
  CHECK(aiger_error("aig 2000000000 2000000000 0 0 0\n" + pad).find("implausibly many inputs") !=
        std::string::npos);
  // inputs take no bytes in binary AIGER: a small header may still name a million of them
  const Problem p = read_aiger("aig 100000 100000 0 0 0\n", "t.aig").build();
  CHECK(p.num_ops() == 100000);
}

TEST_CASE("read_aiger: broken ASCII bodies") {
  // literal out of range, negated or constant definitions
  CHECK(aiger_error("aag 1 1 0 0 0\n10\n") == "t.aig:2: input 0: literal 10 exceeds 2M = 2");
  CHECK(aiger_error("aag 1 1 0 0 0\n3\n") == "t.aig:2: input 0: literal 3 is odd (negated)");
  CHECK(aiger_error("aag 1 1 0 0 0\n0\n") == "t.aig:2: input 0: literal 0 is a constant");
  CHECK(aiger_error("aag 2 1 0 0 1\n2\n5 2 2\n") ==
        "t.aig:3: AND gate left-hand side: literal 5 is odd (negated)");
  CHECK(aiger_error("aag 2 1 0 0 1\n2\n4 2 9\n") ==
        "t.aig:3: AND gate 2 second fan-in: literal 9 exceeds 2M+1 = 5");
  CHECK(aiger_error("aag 2 1 0 1 0\n2\n6\n") == "t.aig:3: output 0: literal 6 exceeds 2M+1 = 5");
  CHECK(aiger_error("aag 2 1 1 0 0\n2\n4 9\n") ==
        "t.aig:3: latch 2 next state: literal 9 exceeds 2M+1 = 5");
  CHECK(aiger_error("aag 2 1 1 0 0\n2\n4 2 2\n") ==
        "t.aig:3: latch 2: reset value 2 must be 0, 1 or the latch's own literal 4");
  // undefined fan-in, duplicate definitions, self use
  CHECK(aiger_error("aag 3 1 0 0 1\n2\n4 2 6\n") ==
        "t.aig:3: AND gate fan-in: variable 3 is not defined (no input, latch or AND gate has "
        "it)");
  CHECK(aiger_error("aag 3 1 1 0 0\n2\n4 6\n") ==
        "t.aig:3: latch next state: variable 3 is not defined (no input, latch or AND gate has "
        "it)");
  CHECK(aiger_error("aag 2 2 0 0 0\n2\n2\n") ==
        "t.aig:3: variable 1 is defined twice (first at line 2)");
  CHECK(aiger_error("aag 3 1 0 0 2\n2\n4 2 3\n2 4 4\n") ==
        "t.aig:4: variable 1 is defined twice (first at line 2)");
  CHECK(aiger_error("aag 2 1 0 0 1\n2\n4 5 2\n") == "t.aig:3: AND gate 2 uses itself as a fan-in");
  // truncation, garbage, stray symbols
  CHECK(aiger_error("aag 3 1 0 0 2\n2\n4 2 2\n") ==
        "t.aig:4: unexpected end of file: expected AND gate literal");
  CHECK(aiger_error("aag 2 1 0 0 1\n2\n4 2\n") ==
        "t.aig:3: line ends early: expected AND gate second fan-in literal");
  CHECK(aiger_error("aag 2 1 0 0 1\n2\n4 2 2 2\n") == "t.aig:3: unexpected '2' at end of line");
  CHECK(aiger_error("aag 1 1 0 0 0\n2\ni3 x\n") ==
        "t.aig:3: symbol i3: no such input (the file has 1)");
  CHECK(aiger_error("aag 1 1 0 0 0\n2\nzzz\n").find("t.aig:3: unexpected 'zzz' after the AND") ==
        0);
  CHECK(aiger_error("aag 1 1 0 0 0\n2\nb0 bad\n") ==
        "t.aig:3: symbol b0: no such property (the file has 0)");
}

TEST_CASE("read_aiger: a combinational cycle is reported when building") {
  const ProblemBuilder b = read_aiger("aag 3 1 0 0 2\n2\n4 6 2\n6 4 2\n", "cyc.aag");
  const std::string msg = error_of([&] { (void)b.build(); });
  CHECK(msg.find("cycle") != std::string::npos);
  CHECK(msg.find("'2'") != std::string::npos);
  CHECK(msg.find("'3'") != std::string::npos);
}

TEST_CASE("read_aiger: broken binary bodies report byte offsets") {
  const std::string head = "aig 2 1 0 0 1\n";  // the AND section starts at byte 14
  CHECK(aiger_error(head + "\x82\x80") ==
        "t.aig: byte 14: AND gate 2: truncated delta encoding (the file ends inside it)");
  CHECK(aiger_error(head + "\x01\x80") ==
        "t.aig: byte 14: AND gate 2: truncated delta encoding (the file ends inside it)");
  CHECK(aiger_error(head + "\xff\xff\xff\xff\x1f\x01") ==
        "t.aig: byte 14: AND gate 2: delta does not fit in 32 bits");
  CHECK(aiger_error(head + "\xff\xff\xff\xff\x8f\x01") ==
        "t.aig: byte 14: AND gate 2: delta does not fit in 32 bits");
  CHECK(aiger_error(head + std::string("\x00\x00", 2)) ==
        "t.aig: byte 14: AND gate 2: first delta is 0 (its first fan-in would be itself)");
  CHECK(aiger_error(head + std::string("\x05\x00", 2)) ==
        "t.aig: byte 14: AND gate 2: first delta 5 exceeds its literal 4");
  CHECK(aiger_error(head + "\x01\x04") ==
        "t.aig: byte 14: AND gate 2: second delta 4 exceeds its first fan-in literal 3");
  CHECK(aiger_error(head + std::string("\x02\x00", 2) + "\x80junk")
            .find("t.aig: byte 16: unexpected '\\x80junk' after the AND gates") == 0);
  // latch and output lines of the binary form are text with line numbers
  CHECK(aiger_error("aig 2 1 1 0 0\n9\n") ==
        "t.aig:2: latch 2 next state: literal 9 exceeds "
        "2M+1 = 5");
  CHECK(aiger_error("aig 1 1 0 1 0\nx\n") == "t.aig:2: expected output literal, found 'x'");
}

// [scale]: run by the cpu_scale CTest entry, whose TIMEOUT is the complexity guard (hyp has
// 214,591 ops: a quadratic reader takes minutes); no clock is read in a unit test.
TEST_CASE("read_aiger: every EPFL circuit loads, builds and validates [scale]") {
  const std::filesystem::path dir = GAUS_SHARED_DATA_DIR "/epfl";
  if (!std::filesystem::is_directory(dir)) {
    MESSAGE("skipped: no " << dir.string());
    return;
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".aig") continue;
    ++files;
    const std::string bytes = read_file(entry.path().string());
    CAPTURE(entry.path().string());
    // the header's I + L + A, read independently of the reader
    std::istringstream header(bytes.substr(0, bytes.find('\n')));
    std::string tag;
    long long m = 0, i = 0, l = 0, o = 0, a = 0;
    header >> tag >> m >> i >> l >> o >> a;
    const ProblemBuilder b = read_aiger(bytes, entry.path().filename().string());
    const Problem p = b.build();
    validate(p);
    CHECK(p.num_ops() == i + l + a);
    CHECK(p.num_edges() <= 2 * a + l);
    const std::string file = entry.path().filename().string();
    if (file == "adder.aig") {
      CHECK(p.num_ops() == 1276);
      CHECK(p.num_edges() == 2040);
    }
    if (file == "hyp.aig") {  // edge count from an independent decoder
      CHECK(p.num_ops() == 214591);
      CHECK(p.num_edges() == 428670);
    }
  }
  CHECK(files == 20);
}
