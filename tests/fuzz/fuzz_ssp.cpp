// libFuzzer target: CIRCT SSP text (graphs/ssp). read_ssp returns a Module, not a ProblemBuilder,
// so instead of check_reader: whatever read_ssp accepts must print with write_ssp, read back,
// and print to the same text again; every instance that to_problem accepts (with a cycle time)
// must validate, and its written schedule must verify without throwing.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>

#include "graphs/ssp/ssp_problem.hpp"
#include "host/verify/verify.hpp"
#include "tests/fuzz/fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  const std::string_view text = gaus::fuzz::as_text(data, size);
  std::optional<gaus::ssp::Module> m;
  if (!gaus::fuzz::accepted([&] { m.emplace(gaus::ssp::read_ssp(text, "fuzz.mlir")); }))
    return 0;
  std::string written;
  try {
    written = gaus::ssp::write_ssp(*m);
  } catch (const std::exception& e) {
    gaus::fuzz::bug("write_ssp failed on a module read_ssp accepted", e.what());
  }
  std::optional<gaus::ssp::Module> again;
  if (!gaus::fuzz::accepted([&] { again.emplace(gaus::ssp::read_ssp(written, "written.mlir")); }))
    gaus::fuzz::bug("read_ssp rejected what write_ssp printed", written.c_str());
  if (gaus::ssp::write_ssp(*again) != written)
    gaus::fuzz::bug("write_ssp(read_ssp(write_ssp(m))) != write_ssp(m)", written.c_str());
  for (const auto& inst : m->instances) {
    std::optional<gaus::Problem> p;
    if (!gaus::fuzz::accepted([&] { p.emplace(gaus::ssp::to_problem(*m, inst, 5.0)); })) continue;
    try {
      gaus::validate(*p);
      const gaus::ssp::WrittenSchedule w = gaus::ssp::written_schedule(inst);
      (void)gaus::verify(*p, w.schedule, 10);
    } catch (const std::exception& e) {
      gaus::fuzz::bug("an accepted SSP instance failed validate or verify", e.what());
    }
  }
  return 0;
}
