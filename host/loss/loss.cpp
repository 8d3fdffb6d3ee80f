#include "host/loss/loss.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "host/loss/cpu/cpu_backend.hpp"
#include "host/loss/cuda/cuda_backend.hpp"

namespace gaus {

const char* term_name(Term t) {
  switch (t) {
    case Term::Dependency: return "dependency";
    case Term::Recurrence: return "recurrence";
    case Term::Horizon: return "horizon";
    case Term::Capacity: return "capacity";
    case Term::PeakUse: return "peak_use";
    case Term::Communication: return "communication";
    case Term::Memory: return "memory";
    case Term::ModuloMemory: return "modulo_memory";
  }
  return "?";
}

void validate_loss_config(const LossConfig& c) {
  auto bad = [](const std::string& msg) { throw InputError("loss config: " + msg); };
  if (c.horizon < 1) bad("horizon must be at least 1, got " + std::to_string(c.horizon));
  if (c.ii < 0) bad("initiation interval must be >= 0, got " + std::to_string(c.ii));
  if (!(c.window > 0.0 && c.window <= 40.0))
    bad("window K must be in (0, 40], got " + std::to_string(c.window));
  if (!(c.tau > 0.0 && std::isfinite(c.tau)))
    bad("temperature tau must be positive and finite, got " + std::to_string(c.tau));
  if ((c.terms & ~kAllTerms) != 0) bad("unknown term bits in terms");
  if (c.memory_split < 0) bad("memory_split must be >= 0, got " + std::to_string(c.memory_split));
  for (int t = 0; t < kNumTerms; ++t) {
    if (!std::isfinite(c.weight[t]))
      bad(std::string("weight of ") + term_name(static_cast<Term>(t)) + " is not finite");
    if (!(c.penalty[t] >= 0.0 && std::isfinite(c.penalty[t])))
      bad(std::string("penalty of ") + term_name(static_cast<Term>(t)) +
          " must be >= 0 and finite");
  }
}

void validate_config_change(const LossConfig& current, const LossConfig& next) {
  validate_loss_config(next);
  if (next.horizon != current.horizon || next.ii != current.ii)
    throw Error("LossEngine::set_config: horizon and II are fixed when the engine is made");
  if (next.memory_split != current.memory_split)
    throw Error("LossEngine::set_config: memory_split is fixed when the engine is made");
}

LossModel build_loss_model(const Problem& p) {
  LossModel m;
  const op_id n = p.num_ops();
  // ---- limited unit classes ----
  std::vector<std::int32_t> class_of_resource(p.resources.size(), -1);
  for (std::size_t r = 0; r < p.resources.size(); ++r)
    if (p.resources[r].limit >= 0) {
      class_of_resource[r] = static_cast<std::int32_t>(m.cap_limit.size());
      m.cap_resource.push_back(static_cast<std::int32_t>(r));
      m.cap_limit.push_back(static_cast<double>(p.resources[r].limit));
    }
  m.cap_class.assign(static_cast<std::size_t>(n), -1);
  for (op_id i = 0; i < n; ++i) {
    const std::int32_t r = p.op_resource[i];
    if (r >= 0) m.cap_class[i] = class_of_resource[static_cast<std::size_t>(r)];
  }
  // ---- memory consumers: distinct (dst, distance) per producer ----
  m.mem_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  m.mem_dst.reserve(p.edge_dst.size());
  m.mem_distance.reserve(p.edge_dst.size());
  std::vector<std::pair<op_id, std::int32_t>> scratch;
  for (op_id i = 0; i < n; ++i) {
    scratch.clear();
    for (edge_id e = p.succ_offsets[i]; e < p.succ_offsets[i + 1]; ++e)
      scratch.emplace_back(p.edge_dst[e], p.edge_distance[e]);
    std::sort(scratch.begin(), scratch.end());
    scratch.erase(std::unique(scratch.begin(), scratch.end()), scratch.end());
    bool local = false;
    for (const auto& [dst, dist] : scratch) {
      m.mem_dst.push_back(dst);
      m.mem_distance.push_back(dist);
      m.max_distance = std::max(m.max_distance, dist);
      local = local || dist == 0;
    }
    m.mem_offsets[i + 1] = static_cast<edge_id>(m.mem_dst.size());
    if (local) m.sum_out_size_local += p.out_size[i];
    if (!scratch.empty()) m.sum_out_size_any += p.out_size[i];
  }
  // ---- reverse index by consumer (counting sort, stable in entry order) ----
  m.mem_pred_offsets.assign(static_cast<std::size_t>(n) + 1, 0);
  for (op_id j : m.mem_dst) ++m.mem_pred_offsets[static_cast<std::size_t>(j) + 1];
  for (op_id j = 0; j < n; ++j) m.mem_pred_offsets[j + 1] += m.mem_pred_offsets[j];
  m.mem_pred.resize(m.mem_dst.size());
  std::vector<edge_id> fill(m.mem_pred_offsets.begin(), m.mem_pred_offsets.end() - 1);
  for (std::size_t q = 0; q < m.mem_dst.size(); ++q)
    m.mem_pred[static_cast<std::size_t>(fill[m.mem_dst[q]]++)] = static_cast<edge_id>(q);
  for (op_id i = 0; i < n; ++i) m.sum_weight += p.weight[i];
  return m;
}

namespace {
/// Exponent e with bound * 2^e <= 2^61 (a factor 4 of headroom below 2^63).
int fixed_exponent(double bound) {
  int x = 0;
  (void)std::frexp(std::max(bound, 1.0), &x);  // bound < 2^x
  return 61 - x;
}
double scale_or_one(double s) { return s > 0.0 && std::isfinite(s) ? s : 1.0; }
}  // namespace

LossLayout make_loss_layout(const Problem& p, const LossModel& m, const LossConfig& c) {
  LossLayout l;
  const std::int32_t d = c.horizon;
  l.cap_steps = c.ii > 0 ? c.ii : d;
  l.mod_steps = c.ii > 0 ? c.ii : 0;
  l.mod_range = static_cast<std::int64_t>(d) + static_cast<std::int64_t>(m.max_distance) * c.ii;
  l.tau_peak = c.tau * scale_or_one(m.sum_weight / d);
  l.tau_memory = c.tau * scale_or_one(m.sum_out_size_local / d);
  l.tau_modulo_memory = c.ii > 0 ? c.tau * scale_or_one(m.sum_out_size_any / c.ii) : 0.0;
  double use = 0.0;
  for (op_id i = 0; i < p.num_ops(); ++i)
    if (m.cap_class[i] >= 0 && p.blocking[i] > 0) use += c.weighted_capacity ? p.weight[i] : 1.0;
  const double cap_folds = std::ceil(static_cast<double>(d) / l.cap_steps);
  l.fixed_use = fixed_exponent(use * cap_folds);
  l.fixed_peak = fixed_exponent(m.sum_weight);
  l.fixed_memory = fixed_exponent(m.sum_out_size_local);
  const double mod_folds =
      c.ii > 0 ? std::ceil(static_cast<double>(l.mod_range) / c.ii) + 1.0 : 1.0;
  l.fixed_modulo = fixed_exponent(m.sum_out_size_any * mod_folds);
  return l;
}

void validate_loss_params(const Problem& p, std::span<const double> mu,
                          std::span<const double> sigma) {
  const auto n = static_cast<std::size_t>(p.num_ops());
  if (mu.size() != n || sigma.size() != n)
    throw InputError("loss parameters: expected " + std::to_string(n) +
                     " values of mu and sigma, got " + std::to_string(mu.size()) + " and " +
                     std::to_string(sigma.size()));
  for (std::size_t i = 0; i < n; ++i) {
    const auto name = std::string(p.name(static_cast<op_id>(i)));
    if (!std::isfinite(mu[i]) || std::fabs(mu[i]) > 1e9)
      throw InputError("op '" + name + "': mu must be finite with |mu| <= 1e9, got " +
                       std::to_string(mu[i]));
    if (!(sigma[i] > 0.0 && sigma[i] <= 1e6))
      throw InputError("op '" + name + "': sigma must be in (0, 1e6], got " +
                       std::to_string(sigma[i]));
  }
}

std::unique_ptr<LossEngine> make_loss_engine(const Problem& p, const LossConfig& c,
                                             Backend backend, Precision precision) {
  validate_loss_config(c);
  if (backend == Backend::Cpu) return make_cpu_loss_engine(p, c, precision);
#ifdef GAUS_HAS_CUDA
  return make_cuda_loss_engine(p, c);
#else
  throw Error("the CUDA loss backend is unavailable: gaus was built without CUDA "
              "(configure with -DGAUS_CUDA=ON); use the cpu backend");
#endif
}

}  // namespace gaus
