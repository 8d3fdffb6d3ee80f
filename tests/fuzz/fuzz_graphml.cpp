// libFuzzer target: HatScheT GraphML plus its resource model. The input is the graph XML, a NUL
// byte, then the resource-model XML (no NUL: an empty resource model).
#include <cstddef>
#include <cstdint>

#include "graphs/formats.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  // Plain variables: clang 14 cannot capture structured bindings in a lambda.
  const auto parts = gaus::fuzz::split_two(gaus::fuzz::as_text(data, size));
  const std::string_view graph = parts.first, rm = parts.second;
  return gaus::fuzz::check_reader(
      [&] { return gaus::read_graphml(graph, "fuzz.graphml", rm, "fuzz_RM.xml"); });
}
