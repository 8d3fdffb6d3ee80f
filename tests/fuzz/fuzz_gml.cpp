// libFuzzer target: GML (ICML 2024 random workloads).
#include <cstddef>
#include <cstdint>

#include "graphs/formats.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  const std::string_view text = gaus::fuzz::as_text(data, size);
  return gaus::fuzz::check_reader([&] { return gaus::read_gml(text, "fuzz.gml"); });
}
