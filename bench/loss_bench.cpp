// Loss-engine benchmark: forward + backward time per iteration on the CPU backend and (when
// built with CUDA and a device is present) the CUDA backend, on EPFL sqrt / div / hyp (read from
// --data-dir) and synthetic layered graphs of 10^5, 10^6 and 10^7 ops. Reports term evaluations
// per second and writes JSON with the device name and commit. Run by hand, never as a test:
//   build/bench/gaus_loss_bench --data-dir ../shared/data --out bench/out/loss.json
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"
#include "host/loss/cuda/device.hpp"
#include "host/loss/loss.hpp"

using namespace gaus;

namespace {

std::string git_commit() {
  if (const char* env = std::getenv("GAUS_COMMIT"); env != nullptr && *env != '\0') return env;
  std::string out;
  if (FILE* f = popen("git -C \"" GAUS_SOURCE_DIR "\" rev-parse HEAD 2>/dev/null", "r")) {
    char buf[128];
    while (fgets(buf, sizeof buf, f) != nullptr) out += buf;
    pclose(f);
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

struct Graph {
  std::string name;
  Problem problem;
};

/// mu at the ASAP/ALAP midpoint, sigma from the mobility (floor 0.5, cap 4).
void init_params(const Problem& p, std::int32_t horizon, std::vector<double>& mu,
                 std::vector<double>& sigma) {
  const auto asap = asap_starts(p);
  const auto alap = alap_starts(p, horizon);
  mu.resize(asap.size());
  sigma.resize(asap.size());
  for (std::size_t i = 0; i < asap.size(); ++i) {
    mu[i] = 0.5 * (asap[i] + std::max(alap[i], asap[i]));
    sigma[i] = std::clamp(0.25 * (alap[i] - asap[i]), 0.5, 4.0);
  }
}

nlohmann::json bench_one(const Graph& g, Backend backend, Precision precision, int max_iters,
                         double min_seconds, unsigned terms, bool profile,
                         std::int32_t memory_split) {
  const Problem& p = g.problem;
  LossConfig c;
  c.terms = terms;
  c.memory_split = memory_split;
  c.horizon = critical_path(p) + std::max(2, critical_path(p) / 10);
  c.ii = 0;
  std::vector<double> mu, sigma;
  init_params(p, c.horizon, mu, sigma);
  auto eng = make_loss_engine(p, c, backend, precision);
  eng->set_params(mu, sigma);
  using clock = std::chrono::steady_clock;
  (void)eng->evaluate(true);  // warm-up
  int iters = 0;
  LossResult r;
  // --profile: only the timed iterations (not setup or warm-up) are captured by Nsight.
  const ProfileRegion region(("gaus_loss_bench " + g.name).c_str(), profile);
  const auto start = clock::now();
  double elapsed = 0.0;
  while (iters < max_iters && (iters < 2 || elapsed < min_seconds)) {
    r = eng->evaluate(true);
    ++iters;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  const double per_iter = elapsed / iters;
  // Term evaluations per iteration: each active edge term on each edge, each op term per op.
  std::int64_t edge_terms = 0, op_terms = 0;
  for (int t = 0; t < kNumTerms; ++t) {
    if (!r.computed[t]) continue;
    const auto term = static_cast<Term>(t);
    const bool edge = term == Term::Dependency || term == Term::Recurrence ||
                      term == Term::Communication;
    (edge ? edge_terms : op_terms) += 1;
  }
  const double evals = static_cast<double>(p.num_edges()) * edge_terms +
                       static_cast<double>(p.num_ops()) * op_terms;
  nlohmann::json j{{"graph", g.name},
                   {"ops", p.num_ops()},
                   {"edges", p.num_edges()},
                   {"horizon", c.horizon},
                   {"backend", eng->backend_name()},
                   {"memory_split", memory_split},
                   {"iterations", iters},
                   {"ms_per_iteration", per_iter * 1e3},
                   {"term_evaluations_per_s", evals / per_iter},
                   {"objective", r.objective}};
  for (int t = 0; t < kNumTerms; ++t)
    if (r.computed[t]) j["values"][term_name(static_cast<Term>(t))] = r.value[t];
  std::cerr << g.name << " [" << eng->backend_name() << "]: " << per_iter * 1e3 << " ms/iter, "
            << evals / per_iter << " term evaluations/s\n";
  return j;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"gaus loss-engine benchmark (forward + backward per iteration)"};
  std::string data_dir = "../shared/data", out_path;
  std::vector<std::int64_t> sizes{100000, 1000000, 10000000};
  std::vector<std::string> epfl{"sqrt", "div", "hyp"};
  std::string backends = "all";
  int max_iters = 20;
  double min_seconds = 2.0;
  bool use_float = false;
  std::int32_t memory_split = 0;
  std::vector<std::string> term_list;
  app.add_option("--data-dir", data_dir, "benchmark graphs (epfl/arithmetic/*.aig)");
  app.add_option("--sizes", sizes, "synthetic graph sizes (ops); 0 = none");
  app.add_option("--epfl", epfl, "EPFL arithmetic circuits; 'none' = none");
  app.add_option("--backend", backends, "cpu, cuda or all")
      ->check(CLI::IsMember({"cpu", "cuda", "all"}));
  app.add_option("--iters", max_iters, "iterations per measurement (at most)");
  app.add_option("--min-seconds", min_seconds, "keep iterating until this much time has passed");
  app.add_flag("--float", use_float, "CPU backend in float (default double)");
  app.add_option("--memory-split", memory_split,
                 "CUDA: producers with at most N memory consumers on the one-thread path "
                 "(LossConfig::memory_split; 0 = all balanced)")
      ->check(CLI::NonNegativeNumber);
  bool profile = false;
  app.add_flag("--profile", profile,
               "bracket the timed iterations with cudaProfilerStart/Stop and an NVTX range "
               "(ncu --profile-from-start off, nsys --capture-range=cudaProfilerApi)");
  app.add_option("--out", out_path, "JSON output file");
  std::string save_dir;
  app.add_option("--save-graphs", save_dir,
                 "write each graph benchmarked as native JSON DIR/<name>.json (for the "
                 "PyTorch reference)");
  app.add_option("--terms", term_list, "terms to evaluate (default: all; II = 0)");
  CLI11_PARSE(app, argc, argv);
  try {
    unsigned terms = term_list.empty() ? kAllTerms : 0u;
    for (const auto& name : term_list) {
      int t = 0;
      while (t < kNumTerms && name != term_name(static_cast<Term>(t))) ++t;
      if (t == kNumTerms) throw InputError("--terms: unknown term '" + name + "'");
      terms |= 1u << t;
    }
    std::vector<Graph> graphs;
    for (const auto& name : epfl) {
      if (name == "none") continue;
      const std::string path = data_dir + "/epfl/arithmetic/" + name + ".aig";
      try {
        graphs.push_back({name, read_graph_file(path).build()});
      } catch (const InputError& e) {
        std::cerr << "skipping " << name << ": " << e.what() << "\n";
      }
    }
    for (std::int64_t n : sizes) {
      if (n <= 0) continue;
      GenerateOptions g;
      g.ops = n;
      g.layers = static_cast<std::int32_t>(std::max<std::int64_t>(8, n / 2000));
      g.max_fan_in = 3;
      g.num_classes = 4;
      g.class_limit = 64;
      g.seed = 42;
      graphs.push_back({"synthetic_" + std::to_string(n), generate_layered(g)});
    }
    if (!save_dir.empty())
      for (const auto& g : graphs)
        write_file_atomic(save_dir + "/" + g.name + ".json", write_native_json(g.problem));
    const bool cuda = cuda_compiled() && cuda_device_count() > 0;
    nlohmann::json results = nlohmann::json::array();
    for (const auto& g : graphs) {
      if (backends != "cuda")
        results.push_back(bench_one(g, Backend::Cpu,
                                    use_float ? Precision::Float : Precision::Double, max_iters,
                                    min_seconds, terms, profile, memory_split));
      if (backends != "cpu" && cuda)
        results.push_back(bench_one(g, Backend::Cuda, Precision::Float, max_iters, min_seconds,
                                    terms, profile, memory_split));
    }
    int threads = 1;
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    const nlohmann::json doc{{"benchmark", "loss"},
                             {"commit", git_commit()},
                             {"device", cuda ? cuda_device_name(0) : std::string("none")},
                             {"cpu_threads", threads},
                             {"results", results}};
    if (!out_path.empty())
      write_file_atomic(out_path, doc.dump(2) + "\n");
    else
      std::cout << doc.dump(2) << "\n";
  } catch (const std::exception& e) {
    std::cerr << "gaus_loss_bench: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
