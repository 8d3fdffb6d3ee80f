// libFuzzer target: the schedule JSON that `gaus verify` reads, parsed against a small fixed
// problem (loop-carried edge, a pipelined and a non-pipelined class, an unlimited class), then
// checked by gaus::verify exactly as the tool does. parse_schedule_json may reject the input
// with InputError; a schedule it accepts has one start per op and verify must not throw.
#include <cstddef>
#include <cstdint>

#include "graphs/formats.hpp"
#include "graphs/schedule_json.hpp"
#include "host/verify/verify.hpp"
#include "tests/fuzz/fuzz_common.hpp"

namespace {

constexpr const char* kProblem = R"({"format": "gaus", "version": 1, "horizon": 8, "ii": 3,
  "resources": {"MUL": 1, "ADD": -1},
  "ops": [
    {"name": "a", "type": "mul", "unit": "MUL", "latency": 2, "blocking": 2},
    {"name": "b", "type": "mul", "unit": "MUL", "latency": 2, "blocking": 2, "weight": 2.5},
    {"name": "sum", "type": "add", "latency": 1, "output_size": 32},
    {"name": "acc", "type": "add", "unit": "ADD"},
    {"name": "out"}],
  "edges": [
    {"from": "a", "to": "sum"}, {"from": "b", "to": "sum", "delay": 3},
    {"from": "sum", "to": "acc", "weight": 4},
    {"from": "acc", "to": "acc", "delay": 1, "distance": 1},
    {"from": "acc", "to": "out", "delay": 0}]})";

const gaus::Problem& problem() {
  static const gaus::Problem p = gaus::read_native_json(kProblem, "fixed.json").build();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > gaus::fuzz::kMaxInput) return 0;
  const gaus::Problem& p = problem();
  gaus::Schedule s;
  if (!gaus::fuzz::accepted(
          [&] { s = gaus::parse_schedule_json(gaus::fuzz::as_text(data, size), "fuzz.json", p); }))
    return 0;
  if (s.start.size() != static_cast<std::size_t>(p.num_ops()) || s.horizon < 0 || s.ii < 0)
    gaus::fuzz::bug("parse_schedule_json", "accepted a schedule of the wrong shape");
  try {
    const gaus::VerifyResult r = gaus::verify(p, s);
    if (r.count < static_cast<std::int64_t>(r.violations.size()))
      gaus::fuzz::bug("verify", "reported more violations than it counted");
  } catch (const std::exception& e) {
    gaus::fuzz::bug("verify threw on an accepted schedule", e.what());
  }
  return 0;
}
