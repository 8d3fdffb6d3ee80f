// gaus generate --ops N [--layers L] [--fan-in F] [--classes K] [--limit C] [--latency MIN-MAX]
//               [--zero-delay] [--loop-carried X] [--seed S] --out G.json
// gaus generate --kind loop --ops N [--classes K] [--non-pipelined P] [--latency MIN-MAX]
//               [--target-ii T] [--recurrences R] [--fan-in F] [--seed S] --out G.json
// A seeded synthetic graph (graphs/generate.hpp) written as native JSON: a layered DAG, or a
// loop body for modulo scheduling (tight limits, non-pipelined units, recurrences). The same
// options and seed give the same file on every platform.
#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "graphs/file_io.hpp"
#include "graphs/formats.hpp"
#include "graphs/generate.hpp"
#include "tools/commands.hpp"
#include "tools/validators.hpp"

namespace gaus::cli {

namespace {

struct GenerateArgs {
  std::string kind = "layered";
  std::int64_t ops = 0;
  std::int32_t layers = 0;
  std::int32_t fan_in = 2;
  std::int32_t classes = 2;
  std::int32_t limit = 2;
  std::string latency = "1-2";
  bool zero_delay = false;
  double loop_carried = 0.0;
  std::int32_t non_pipelined = 2;
  std::int32_t target_ii = 0;
  std::int32_t recurrences = 0;
  std::uint64_t seed = 1;
  std::string out;
};

// Options that only one kind reads: naming one with the other kind is an error, not ignored.
constexpr const char* kLayeredOnly[] = {"--layers", "--limit", "--zero-delay", "--loop-carried"};
constexpr const char* kLoopOnly[] = {"--non-pipelined", "--target-ii", "--recurrences"};

constexpr std::int64_t kMaxOps = 2000000000;  // generate_layered's own bound
constexpr std::int32_t kMaxFanIn = 64;        // it silently caps fan-in there
constexpr std::int32_t kMaxLatency = 1000000;
constexpr double kMaxLoopCarried = 16.0;      // back edges per op: beyond, the graph is all cycles

[[noreturn]] void bad(const std::string& msg) { throw InputError("generate: " + msg); }

std::string shortest(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

bool parse_cycles(std::string_view s, std::int32_t& v) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size() && v >= 0 &&
         v <= kMaxLatency;
}

/// "MIN-MAX" or "N" (MIN = MAX = N).
void parse_latency(const std::string& text, std::int32_t& min_latency, std::int32_t& max_latency) {
  const std::string_view s = text;
  const std::size_t dash = s.find('-');
  const std::string_view lo = s.substr(0, dash);
  const std::string_view hi = dash == std::string_view::npos ? lo : s.substr(dash + 1);
  if (!parse_cycles(lo, min_latency) || !parse_cycles(hi, max_latency) ||
      max_latency < min_latency)
    bad("--latency '" + text + "': expected MIN-MAX or N, cycles in [0, " +
        std::to_string(kMaxLatency) + "] with MIN <= MAX");
}

GenerateOptions to_options(const GenerateArgs& a) {
  GenerateOptions o;
  if (a.ops < 1 || a.ops > kMaxOps)
    bad("--ops " + std::to_string(a.ops) + ": must be in [1, " + std::to_string(kMaxOps) + "]");
  if (a.layers < 0 || a.layers > a.ops)
    bad("--layers " + std::to_string(a.layers) + ": must be in [0, --ops] (0: about sqrt(ops))");
  if (a.fan_in < 1 || a.fan_in > kMaxFanIn)
    bad("--fan-in " + std::to_string(a.fan_in) + ": must be in [1, " +
        std::to_string(kMaxFanIn) + "]");
  if (a.classes < 0) bad("--classes " + std::to_string(a.classes) + ": must be >= 0");
  if (a.limit == 0 || a.limit < -1)
    bad("--limit " + std::to_string(a.limit) + ": must be >= 1, or -1 for unlimited units");
  if (!(a.loop_carried >= 0.0 && a.loop_carried <= kMaxLoopCarried))
    bad("--loop-carried " + shortest(a.loop_carried) + ": must be in [0, " +
        shortest(kMaxLoopCarried) + "] (back edges per op)");
  o.ops = a.ops;
  o.layers = a.layers;
  o.max_fan_in = a.fan_in;
  o.num_classes = a.classes;
  o.class_limit = a.limit;
  parse_latency(a.latency, o.min_latency, o.max_latency);
  o.zero_delay = a.zero_delay;
  o.loop_carried = a.loop_carried;
  o.seed = a.seed;
  return o;
}

LoopOptions to_loop_options(const GenerateArgs& a, const CLI::App& cmd) {
  LoopOptions o;
  if (a.ops < 2 || a.ops > 100000)
    bad("--ops " + std::to_string(a.ops) + ": a loop needs [2, 100000] ops");
  o.ops = a.ops;
  if (cmd.count("--classes") > 0) {
    if (a.classes < 1 || a.classes > 64)
      bad("--classes " + std::to_string(a.classes) + ": a loop needs [1, 64] unit classes");
    o.num_classes = a.classes;
  }
  if (a.non_pipelined < 0 || a.non_pipelined > o.num_classes)
    bad("--non-pipelined " + std::to_string(a.non_pipelined) + ": must be in [0, " +
        std::to_string(o.num_classes) + "] (the number of classes)");
  o.non_pipelined = a.non_pipelined;
  if (cmd.count("--latency") > 0) {
    parse_latency(a.latency, o.min_latency, o.max_latency);
    if (o.min_latency < 1 || o.max_latency > 1000 ||
        (o.non_pipelined > 0 && o.max_latency < 2))
      bad("--latency '" + a.latency + "': a loop's class latencies lie in [1, 1000], and reach " +
          "2 when a class is non-pipelined");
  }
  if (cmd.count("--fan-in") > 0) {
    if (a.fan_in < 1 || a.fan_in > kMaxFanIn)
      bad("--fan-in " + std::to_string(a.fan_in) + ": must be in [1, " +
          std::to_string(kMaxFanIn) + "]");
    o.max_fan_in = a.fan_in;
  }
  if (a.target_ii < 0 || a.target_ii > 1000000)
    bad("--target-ii " + std::to_string(a.target_ii) + ": must be in [0, 1000000]");
  o.target_ii = a.target_ii;
  if (a.recurrences < 0 || a.recurrences > a.ops)
    bad("--recurrences " + std::to_string(a.recurrences) + ": must be in [0, --ops]");
  o.recurrences = a.recurrences;
  o.seed = a.seed;
  return o;
}

void check_kind_options(const GenerateArgs& a, const CLI::App& cmd) {
  if (a.kind != "layered" && a.kind != "loop")
    bad("--kind '" + a.kind + "': expected layered or loop");
  const auto reject = [&](const auto& names, const char* other) {
    for (const char* name : names)
      if (cmd.count(name) > 0)
        bad(std::string(name) + " applies to --kind " + other + " only, not --kind " + a.kind);
  };
  if (a.kind == "loop") reject(kLayeredOnly, "layered");
  else reject(kLoopOnly, "loop");
}

}  // namespace

void add_generate_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "generate", "Write a seeded synthetic graph: a layered DAG or a loop body (native JSON)");
  auto a = std::make_shared<GenerateArgs>();
  cmd->add_option("--kind", a->kind,
                  "layered: a layered DAG; loop: a modulo-scheduling loop body (tight limits, "
                  "non-pipelined units, recurrences)")
      ->capture_default_str();
  cmd->add_option("--ops", a->ops, "Number of ops N (1 .. 2e9)")->required();
  cmd->add_option("--layers", a->layers, "Layers the ops are split into (0: about sqrt(N))")
      ->capture_default_str();
  cmd->add_option("--fan-in", a->fan_in, "Most predecessors per op (1 .. 64)")
      ->capture_default_str();
  cmd->add_option("--classes", a->classes,
                  "Unit classes u0 .. u{K-1}; 0: ops use no unit (loop: 1 .. 64, default 5)")
      ->capture_default_str();
  cmd->add_option("--non-pipelined", a->non_pipelined,
                  "loop: classes holding their unit B in [2, L] cycles")
      ->capture_default_str();
  cmd->add_option("--target-ii", a->target_ii,
                  "loop: limits and recurrences sized for this II (0: max(4, N / 20))")
      ->capture_default_str();
  cmd->add_option("--recurrences", a->recurrences,
                  "loop: recurrence circuits (0: max(2, N / 100))")
      ->capture_default_str();
  cmd->add_option("--limit", a->limit, "Units per class (-1: unlimited)")->capture_default_str();
  cmd->add_option("--latency", a->latency,
                  "Op latencies, uniform in MIN-MAX (or N); loop: per class, default 1-8")
      ->capture_default_str();
  cmd->add_flag("--zero-delay", a->zero_delay, "Edge delay 0 instead of the source's latency");
  cmd->add_option("--loop-carried", a->loop_carried,
                  "Extra loop-carried back edges per op (distance 1 or 2)")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "Random seed")
      ->check(whole_in(0, 9223372036854775807LL))
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Output native JSON file")->required();
  cmd->callback([a, cmd] {
    check_kind_options(*a, *cmd);
    Problem p;
    if (a->kind == "loop") {
      const LoopOptions o = to_loop_options(*a, *cmd);
      check_writable(a->out);
      p = generate_loop(o);
    } else {
      const GenerateOptions o = to_options(*a);
      check_writable(a->out);
      p = generate_layered(o);
    }
    write_file_atomic(a->out, write_native_json(p));
    std::cout << a->out << ": " << p.num_ops() << " ops, " << p.num_edges() << " edges ("
              << p.num_loop_carried() << " loop-carried), " << p.resources.size()
              << " unit classes\n";
  });
}

}  // namespace gaus::cli
