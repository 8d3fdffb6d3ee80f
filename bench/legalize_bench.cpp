// Legalization-checkpoint benchmark: the host work the solver does every E Adam steps, split
// into its parts (list scheduling, improve_memory, verify, exact scoring) and timed whole
// (detail::legalize), on EPFL div / hyp / sqrt (formulations B and rcs) and a MachSuite graph
// (formulation C at its II). mu is the ASAP/ALAP midpoint plus seeded Gaussian noise, as a
// descent's means look between checkpoints. Prints per-part CPU milliseconds (least of --reps) and
// a digest of each result (objective, schedule hash) so two builds can be checked to agree.
// Run by hand, never as a test:
//   build/bench/gaus_legalize_bench --data-dir ../shared/data --reps 10
#include <CLI/CLI.hpp>

#include <algorithm>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/formats.hpp"
#include "host/heuristics/heuristics.hpp"
#include "host/verify/objectives.hpp"
#include "host/solver/solver_detail.hpp"
#include "host/verify/verify.hpp"

using namespace gaus;

namespace {

/// This thread's CPU time in ms: the machines these runs share are often oversubscribed, and
/// wall time would mostly measure the neighbours.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return 1e3 * static_cast<double>(ts.tv_sec) + 1e-6 * static_cast<double>(ts.tv_nsec);
}

/// Least CPU time of `reps` calls of fn, in ms.
double time_ms(int reps, const std::function<void()>& fn) {
  double best = 0;
  for (int r = 0; r < reps; ++r) {
    const double a = cpu_ms();
    fn();
    const double t = cpu_ms() - a;
    best = r == 0 ? t : std::min(best, t);
  }
  return best;
}

/// FNV-1a over the starts: equal digests across builds mean equal schedules.
std::uint64_t digest(const Schedule& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::int32_t v : s.start) h = (h ^ static_cast<std::uint32_t>(v)) * 1099511628211ull;
  return (h ^ static_cast<std::uint32_t>(s.horizon)) * 1099511628211ull;
}

std::vector<double> noisy_mu(const Problem& p, std::int32_t horizon, double noise,
                             std::uint64_t seed) {
  const auto asap = asap_starts(p);
  const auto alap = alap_starts(p, horizon);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01(0.0, noise);
  std::vector<double> mu(asap.size());
  for (std::size_t i = 0; i < mu.size(); ++i)
    mu[i] = 0.5 * (asap[i] + std::max(alap[i], asap[i])) + n01(rng);
  return mu;
}

/// Releases as legalize() makes them: round(mu) clamped to [0, ALAP_i(D)].
ListOptions legalize_options(const detail::LegalizeFrame& fr, const std::vector<double>& mu) {
  ListOptions lo;
  lo.horizon = fr.horizon;
  lo.priority = mu;
  lo.release.resize(mu.size());
  for (std::size_t i = 0; i < mu.size(); ++i)
    lo.release[i] = static_cast<std::int32_t>(std::clamp(
        std::nearbyint(mu[i]), 0.0, static_cast<double>(std::max(fr.alap[i], 0))));
  return lo;
}

void bench_case(const std::string& name, const Problem& p, Formulation f, std::int32_t horizon,
                std::int32_t ii, int reps) {
  const detail::LegalizeFrame fr = detail::make_legalize_frame(p, f, horizon, ii);
  const std::vector<double> mu = noisy_mu(p, horizon, 1.0, 42);
  const ListOptions lo = legalize_options(fr, mu);
  Schedule s;
  const double t_list = time_ms(reps, [&] {
    if (ii > 0) {
      auto r = modulo_list_schedule(p, ii, lo);
      s = r ? *r : Schedule{};
    } else {
      s = list_schedule(p, lo);
    }
  });
  // As the solver sees it with a workspace kept across checkpoints: the tie-break order and the
  // packed arcs cached, the priorities new each time (two noise draws alternate).
  double t_ws = 0;
  if (ii == 0) {
    ListWorkspace ws;
    const ListOptions lo2 = legalize_options(fr, noisy_mu(p, horizon, 1.0, 43));
    (void)list_schedule(p, lo2, ws);
    int flip = 0;
    t_ws = time_ms(reps, [&] { (void)list_schedule(p, ++flip % 2 ? lo : lo2, ws); });
  }
  double t_mem = 0;
  if (f == Formulation::B && ii == 0 && !s.start.empty()) {
    std::vector<std::int32_t> improved;
    t_mem = time_ms(reps, [&] {
      improved = s.start;
      (void)detail::improve_memory(p, horizon, improved);
    });
  }
  VerifyResult v;
  double obj = 0;
  double t_verify = 0, t_obj = 0;
  if (!s.start.empty()) {
    t_verify = time_ms(reps, [&] { v = verify(p, s, 20); });
    t_obj = time_ms(reps, [&] { obj = detail::exact_objective(p, f, s); });
  }
  detail::Candidate c;
  const double t_all = time_ms(reps, [&] { c = detail::legalize(p, fr, mu); });
  std::printf("%-8s %-4s %8d %6d %5d | %8.2f %8.2f %8.2f %8.2f %8.2f | %9.2f | %s %12.6g %016llx\n",
              name.c_str(), to_string(f), p.num_ops(), horizon, ii, t_list, t_ws, t_mem, t_verify,
              t_obj, t_all, c.exists ? (c.verification.legal ? "legal  " : "illegal") : "none   ",
              c.objective, static_cast<unsigned long long>(c.exists ? digest(c.schedule) : 0));
  std::fflush(stdout);
}

/// The unit class holding the most ops gets `limit` units (EPFL graphs come unlimited).
void limit_busiest_class(Problem& p, std::int32_t limit) {
  std::vector<std::int64_t> count(p.resources.size(), 0);
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (p.op_resource[i] >= 0) ++count[p.op_resource[i]];
  if (count.empty()) return;
  const auto k = std::max_element(count.begin(), count.end()) - count.begin();
  p.resources[k].limit = limit;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gaus legalization-checkpoint benchmark"};
  std::string data_dir = "../shared/data";
  std::vector<std::string> epfl{"div", "hyp", "sqrt"};
  std::string machsuite = "hatschet/MachSuite/md_knn/graph1.graphml";
  int reps = 5;
  std::int32_t rcs_limit = 64;
  app.add_option("--data-dir", data_dir, "the shared data folder")->capture_default_str();
  app.add_option("--epfl", epfl, "EPFL arithmetic graphs (names)")->capture_default_str();
  app.add_option("--machsuite", machsuite, "GraphML (under --data-dir) for formulation C")
      ->capture_default_str();
  app.add_option("--reps", reps, "repetitions per timing (least CPU time)")->capture_default_str();
  app.add_option("--rcs-limit", rcs_limit, "units of the busiest class for rcs")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  reps = std::max(reps, 1);

  std::printf("%-8s %-4s %8s %6s %5s | %8s %8s %8s %8s %8s | %9s | result (objective, digest)\n",
              "graph", "f", "ops", "D", "II", "list ms", "list ws", "mem ms", "verif ms",
              "obj ms", "legalize");
  try {
    for (const auto& name : epfl) {
      Problem p = read_graph_file(data_dir + "/epfl/arithmetic/" + name + ".aig").build();
      const std::int32_t cp = critical_path(p);
      bench_case(name, p, Formulation::B, cp, 0, reps);
      limit_busiest_class(p, rcs_limit);
      // rcs legalizes at a target below the list latency: the retry without releases runs too.
      bench_case(name, p, Formulation::Rcs, cp, 0, reps);
    }
    if (!machsuite.empty()) {
      ReadOptions ro;
      const Problem p = read_graph_file(data_dir + "/" + machsuite, ro).build();
      const ModuloResult m = find_min_ii_schedule(p);
      const std::int32_t d = std::max(critical_path(p), m.schedule.horizon);
      bench_case("machsuite", p, Formulation::C, d, m.schedule.ii, reps);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gaus_legalize_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
