// libFuzzer target: type-library JSON (graphs/library.hpp parse_library), with design "fir" for
// per-design limits. A library that parses is applied to a small fixed graph whose types it may
// name; build() may reject the combination with InputError, but whatever it builds must validate.
#include <cstddef>
#include <cstdint>

#include "graphs/builder.hpp"
#include "graphs/library.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

gaus::ProblemBuilder fixed_graph() {
  gaus::ProblemBuilder b("fixed");
  const gaus::op_id ld = b.add_op("ld", "load");
  const gaus::op_id mul = b.add_op("mul", "mul");
  const gaus::op_id add = b.add_op("add", "add");
  const gaus::op_id st = b.add_op("st", "store");
  const gaus::op_id plain = b.add_op("plain", "");
  b.add_edge({.src = ld, .dst = mul});
  b.add_edge({.src = mul, .dst = add});
  b.add_edge({.src = add, .dst = add, .distance = 1});
  b.add_edge({.src = add, .dst = st});
  b.add_edge({.src = ld, .dst = plain, .delay = 2, .adds_latency = false});
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  static const gaus::ProblemBuilder graph = fixed_graph();
  gaus::TypeLibrary lib;
  if (!gaus::fuzz::accepted(
          [&] { lib = gaus::parse_library(gaus::fuzz::as_text(data, size), "fuzz.json", "fir"); }))
    return 0;
  std::optional<gaus::Problem> p;
  if (!gaus::fuzz::accepted([&] { p.emplace(graph.build(lib)); })) return 0;
  gaus::fuzz::must_validate(*p);
  return 0;
}
