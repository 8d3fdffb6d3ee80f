// libFuzzer target: HeuriGym operator scheduling. The input is the JSON, a NUL byte, then the DOT
// graph (no NUL: an empty DOT, which only the combined JSON form with "nodes"/"edges" accepts).
#include <cstddef>
#include <cstdint>

#include "graphs/formats.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  // Plain variables: clang 14 cannot capture structured bindings in a lambda.
  const auto parts = gaus::fuzz::split_two(gaus::fuzz::as_text(data, size));
  const std::string_view json = parts.first, dot = parts.second;
  return gaus::fuzz::check_reader(
      [&] { return gaus::read_heurigym(json, "fuzz.json", dot, "fuzz.dot"); });
}
