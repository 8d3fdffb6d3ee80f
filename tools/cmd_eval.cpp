// gaus eval FILE --params P.json [--horizon D] [--ii N] [--tau T] [--window K] [--backend B]:
// evaluates every loss term of docs/design.md section 3 at the given Gaussian parameters and prints
// one JSON object: per term its value exactly as defined (plain sums, no weights or multipliers)
// and its gradient w.r.t. each op's mu and sigma, keyed by op name. Terms that need an II
// (recurrence, modulo memory) are null without one.
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/timing.hpp"
#include "graphs/file_io.hpp"
#include "host/loss/loss.hpp"
#include "tools/commands.hpp"
#include "tools/problem_options.hpp"
#include "tools/validators.hpp"

namespace gaus::cli {

namespace {

struct EvalOptions {
  std::string params;
  std::int32_t horizon = 0;
  std::int32_t ii = -1;
  double tau = 0.1;
  double window = 5.0;
  std::string backend = "cpu";
  bool closed_form = false;
  bool weighted_capacity = false;
};

/// Reads {"mu": {"<op>": x}, "sigma": {"<op>": x}}: every op exactly once, numbers only,
/// sigma > 0. Errors name the file, the key and the op.
void read_params(const std::string& path, const Problem& p, std::vector<double>& mu,
                 std::vector<double>& sigma) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_file(path));
  } catch (const nlohmann::json::parse_error& e) {
    input_error(path, 0, std::string("malformed JSON: ") + e.what());
  }
  if (!doc.is_object())
    input_error(path, 0, "expected a JSON object {\"mu\": {...}, \"sigma\": {...}}");
  std::unordered_map<std::string_view, op_id> index;
  index.reserve(static_cast<std::size_t>(p.num_ops()));
  for (op_id i = 0; i < p.num_ops(); ++i) index.emplace(p.name(i), i);
  const std::string problem = p.source.empty() ? std::string("the problem") : p.source;
  for (const char* key : {"mu", "sigma"}) {
    std::vector<double>& out = key[0] == 'm' ? mu : sigma;
    const auto it = doc.find(key);
    if (it == doc.end() || !it->is_object())
      input_error(path, 0, std::string("missing \"") + key + "\" object {\"<op name>\": number}");
    out.assign(static_cast<std::size_t>(p.num_ops()), std::nan(""));
    std::vector<char> seen(static_cast<std::size_t>(p.num_ops()), 0);
    for (const auto& [name, value] : it->items()) {
      const auto found = index.find(name);
      if (found == index.end())
        input_error(path, 0, std::string(key) + ": op '" + name + "' is not in " + problem);
      if (!value.is_number())
        input_error(path, 0, std::string(key) + ": op '" + name + "': expected a number, got " +
                                 value.type_name());
      const double x = value.get<double>();
      if (key[0] == 's' && !(x > 0.0))
        input_error(path, 0, "sigma: op '" + name + "': sigma must be positive, got " +
                                 value.dump());
      out[found->second] = x;
      seen[found->second] = 1;
    }
    for (op_id i = 0; i < p.num_ops(); ++i)
      if (!seen[i])
        input_error(path, 0, std::string(key) + ": op '" + std::string(p.name(i)) +
                                 "' has no value");
  }
  try {
    validate_loss_params(p, mu, sigma);
  } catch (const InputError& e) {
    input_error(path, 0, e.what());
  }
}

nlohmann::ordered_json evaluate_all(const Problem& p, const LossConfig& base, Backend backend,
                            const std::vector<double>& mu, const std::vector<double>& sigma) {
  auto eng = make_loss_engine(p, base, backend);
  eng->set_params(mu, sigma);
  const LossResult all = eng->evaluate(false);
  nlohmann::ordered_json out;  // config first, then the terms in docs/design.md section 3's order
  out["config"] = {{"horizon", base.horizon},
                   {"ii", base.ii},
                   {"window", base.window},
                   {"tau", base.tau},
                   {"tau_absolute",
                    {{"peak_use", all.tau_peak},
                     {"memory", all.tau_memory},
                     {"modulo_memory", all.tau_modulo_memory}}},
                   {"closed_form_dependency", base.closed_form_dependency},
                   {"weighted_capacity", base.weighted_capacity},
                   {"backend", eng->backend_name()}};
  std::vector<double> gm(mu.size()), gs(mu.size());
  for (int t = 0; t < kNumTerms; ++t) {
    const char* name = term_name(static_cast<Term>(t));
    if (!all.computed[t]) {
      out[name] = nullptr;
      continue;
    }
    LossConfig one = base;
    one.terms = 1u << t;
    eng->set_config(one);
    (void)eng->evaluate(true);
    eng->get_grads(gm, gs);
    nlohmann::ordered_json g_mu = nlohmann::ordered_json::object();
    nlohmann::ordered_json g_sigma = nlohmann::ordered_json::object();
    for (op_id i = 0; i < p.num_ops(); ++i) {
      const std::string op(p.name(i));
      g_mu[op] = gm[i];
      g_sigma[op] = gs[i];
    }
    out[name] = {{"value", all.value[t]}, {"grad_mu", std::move(g_mu)},
                 {"grad_sigma", std::move(g_sigma)}};
  }
  return out;
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "eval", "Evaluate every loss term and its gradient at given Gaussian parameters (JSON)");
  auto opts = std::make_shared<ProblemOptions>();
  auto eo = std::make_shared<EvalOptions>();
  add_problem_options(cmd, *opts);
  cmd->add_option("--params", eo->params, "Parameters {\"mu\": {op: x}, \"sigma\": {op: x}}")
      ->required();
  cmd->add_option("--horizon", eo->horizon,
                  "Horizon D (default: the file's, else the critical path)")
      ->check(whole_in(1));
  cmd->add_option("--ii", eo->ii, "Initiation interval (default: the file's; 0 = none)")
      ->check(whole_in(0));
  cmd->add_option("--tau", eo->tau, "Soft-max temperature, relative to the load scale")
      ->check(number_above(0, true))
      ->capture_default_str();
  cmd->add_option("--window", eo->window, "Window K in standard deviations (0 < K <= 40)")
      ->check(number_in(0, 40))
      ->capture_default_str();
  cmd->add_option("--backend", eo->backend, "cpu or cuda")
      ->check(CLI::IsMember({"cpu", "cuda"}))
      ->capture_default_str();
  cmd->add_flag("--closed-form", eo->closed_form, "Dependency and recurrence in closed form");
  cmd->add_flag("--weighted-capacity", eo->weighted_capacity,
                "Expected use counts op weights instead of 1 per op");
  cmd->callback([opts, eo] {
    const Problem p = load_problem(*opts);
    std::vector<double> mu, sigma;
    read_params(eo->params, p, mu, sigma);
    LossConfig c;
    c.horizon = eo->horizon > 0 ? eo->horizon : (p.horizon > 0 ? p.horizon : critical_path(p));
    c.ii = eo->ii >= 0 ? eo->ii : p.ii;
    c.tau = eo->tau;
    c.window = eo->window;
    c.closed_form_dependency = eo->closed_form;
    c.weighted_capacity = eo->weighted_capacity;
    const Backend backend = eo->backend == "cuda" ? Backend::Cuda : Backend::Cpu;
    std::cout << evaluate_all(p, c, backend, mu, sigma).dump(2) << "\n";
  });
}

}  // namespace gaus::cli
