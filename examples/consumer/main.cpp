// Reads a problem, list-schedules it, verifies the schedule and prints its latency.
// Usage: gaus_consumer FILE
#include <cstdio>
#include <exception>

#include "graphs/formats.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/verify.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  try {
    const gaus::Problem p = gaus::read_graph_file(argv[1]).build();
    const gaus::Schedule s = gaus::list_schedule(p);
    const gaus::VerifyResult v = gaus::verify(p, s);
    std::printf("%d ops, latency %d, %s\n", p.num_ops(), gaus::schedule_latency(p, s),
                v.legal ? "legal" : "ILLEGAL");
    return v.legal ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gaus_consumer: %s\n", e.what());
    return 2;
  }
}
