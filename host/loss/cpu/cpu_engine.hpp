// The CPU loss engine's class, shared by its two translation units: cpu_backend.cpp (the
// evaluation's order, the table, the per-step reductions: capacity penalties and soft maxima,
// the gather of the gradients and the sums of the values) and cpu_passes.cpp (the per-op passes
// over edges and steps, forward and backward). Internal to host/loss/cpu/; the API is
// make_cpu_loss_engine (host/loss/cpu/cpu_backend.hpp).
//
// The math of every term is core/'s (core/loss_terms.hpp, core/loss_steps.hpp,
// core/penalties.hpp, core/soft_max.hpp); the CPU's CdfTable is the CDF source it reads F from
// (host/loss/cpu/cdf_table.hpp) and host/loss/cpu/cpu_terms.hpp, cpu_use_sweep.hpp lay its loops
// out for the vectorizer.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "core/error.hpp"
#include "core/problem.hpp"
#include "host/loss/cpu/cdf_table.hpp"
#include "host/loss/cpu/cpu_terms.hpp"
#include "host/loss/cpu/step_sums.hpp"
#include "host/loss/loss.hpp"

namespace gaus::cpu_loss {

inline int max_threads() {
#ifdef _OPENMP
  return omp_get_max_threads();
#else
  return 1;
#endif
}
inline int thread_id() {
#ifdef _OPENMP
  return omp_get_thread_num();
#else
  return 0;
#endif
}
/// Threads in the current team (1 outside a parallel region, or inside a nested one).
inline int team_size() {
#ifdef _OPENMP
  return omp_get_num_threads();
#else
  return 1;
#endif
}

template <class T>
class CpuLossEngine final : public LossEngine {
 public:
  CpuLossEngine(const Problem& p, const LossConfig& c)
      : p_(p), model_(build_loss_model(p)), cfg_(c), threads_(max_threads()) {
    const auto n = static_cast<std::size_t>(p.num_ops());
    const auto m = static_cast<std::size_t>(p.num_edges());
    mu_.assign(n, T(0));
    sigma_.assign(n, T(1));
    edge_val_.assign(m, 0.0);
    comm_val_.assign(m, 0.0);
    eg_mu_.assign(m, 0.0);
    eg_sigma_.assign(m, 0.0);
    lam_edge_.assign(m, 0.0);
    for (auto* v : {&hval_, &gsrc_mu_, &gsrc_sigma_, &own_mu_, &own_sigma_, &grad_mu_,
                    &grad_sigma_, &lam_op_})
      v->assign(n, 0.0);
    mg_mu_.assign(model_.mem_dst.size(), 0.0);
    mg_sigma_.assign(model_.mem_dst.size(), 0.0);
    configure(c);
  }

  const char* backend_name() const override {
    return sizeof(T) == sizeof(float) ? "cpu-float" : "cpu-double";
  }
  const LossConfig& config() const override { return cfg_; }

  void set_config(const LossConfig& c) override {
    validate_config_change(cfg_, c);
    configure(c);
  }

  void set_params(std::span<const double> mu, std::span<const double> sigma) override {
    validate_loss_params(p_, mu, sigma);
    for (std::size_t i = 0; i < mu.size(); ++i) {
      mu_[i] = static_cast<T>(mu[i]);
      sigma_[i] = static_cast<T>(sigma[i]);
    }
    have_grads_ = false;
  }

  LossResult evaluate(bool with_grad) override;

  void get_grads(std::span<double> grad_mu, std::span<double> grad_sigma) override {
    if (!have_grads_) throw Error("LossEngine::get_grads: no evaluate(true) since the last change");
    if (grad_mu.size() != grad_mu_.size() || grad_sigma.size() != grad_sigma_.size())
      throw Error("LossEngine::get_grads: output spans must have one entry per op");
    std::copy(grad_mu_.begin(), grad_mu_.end(), grad_mu.begin());
    std::copy(grad_sigma_.begin(), grad_sigma_.end(), grad_sigma.begin());
  }

  std::vector<double> constraint_values(Term t) override { return per_constraint(t, true); }
  std::vector<double> multipliers(Term t) override { return per_constraint(t, false); }

  void set_multipliers(Term t, std::span<const double> lambda) override {
    std::vector<double>& dst = multiplier_array(t);
    if (lambda.size() != dst.size())
      throw Error(std::string("LossEngine::set_multipliers: ") + term_name(t) + " has " +
                  std::to_string(dst.size()) + " constraints, got " +
                  std::to_string(lambda.size()));
    for (std::size_t c = 0; c < dst.size(); ++c)
      if (!edge_term(t) || is_mine(t, c)) dst[c] = lambda[c];
  }

  void update_multipliers() override {
    for (Term t : {Term::Dependency, Term::Recurrence, Term::Horizon, Term::Capacity}) {
      if (!last_.computed[static_cast<int>(t)]) continue;
      const double rho = cfg_.penalty[static_cast<int>(t)];
      std::vector<double>& lam = multiplier_array(t);
      const std::vector<double>& v = value_array(t);
      for (std::size_t c = 0; c < lam.size(); ++c)
        if (!edge_term(t) || is_mine(t, c)) lam[c] = updated_multiplier(lam[c], rho, v[c]);
    }
  }

 private:
  void configure(const LossConfig& c) {
    cfg_ = c;
    layout_ = make_loss_layout(p_, model_, c);
    const std::int64_t nk = model_.num_limited();
    use_.resize(threads_, nk, layout_.cap_steps, c.ii > 0, layout_.fixed_use);
    peak_.resize(threads_, 1, c.horizon, false, layout_.fixed_peak);
    mem_.resize(threads_, 1, c.horizon, false, layout_.fixed_memory);
    mod_.resize(threads_, 1, std::max(layout_.mod_steps, 1), true, layout_.fixed_modulo);
    lam_cap_.assign(static_cast<std::size_t>(nk * layout_.cap_steps), 0.0);
    cap_val_.assign(lam_cap_.size(), 0.0);
    have_grads_ = false;
  }

  static bool edge_term(Term t) { return t == Term::Dependency || t == Term::Recurrence; }
  bool is_mine(Term t, std::size_t e) const {
    return (p_.edge_distance[e] == 0) == (t == Term::Dependency);
  }
  std::vector<double>& multiplier_array(Term t) {
    switch (t) {
      case Term::Dependency:
      case Term::Recurrence: return lam_edge_;
      case Term::Horizon: return lam_op_;
      case Term::Capacity: return lam_cap_;
      default: throw Error(std::string(term_name(t)) + " is not a constraint term");
    }
  }
  const std::vector<double>& value_array(Term t) {
    switch (t) {
      case Term::Dependency:
      case Term::Recurrence: return edge_val_;
      case Term::Horizon: return hval_;
      case Term::Capacity: return cap_val_;
      default: throw Error(std::string(term_name(t)) + " is not a constraint term");
    }
  }
  std::vector<double> per_constraint(Term t, bool values) {
    std::vector<double> out = values ? value_array(t) : multiplier_array(t);
    if (edge_term(t))
      for (std::size_t e = 0; e < out.size(); ++e)
        if (!is_mine(t, e)) out[e] = 0.0;
    return out;
  }

  bool on(Term t) const { return cfg_.active(t); }
  /// Small problems run on one thread: a parallel region costs more than their whole pass.
  bool parallel() const { return p_.num_ops() + p_.num_edges() > 4096; }
  double w(Term t) const { return cfg_.weight[static_cast<int>(t)]; }
  double rho(Term t) const { return cfg_.penalty[static_cast<int>(t)]; }

  void build_table();
  void edge_op(op_id i, bool dep, bool rec, bool com);
  void memory_spans();
  void prefetch_neighbours(op_id i, op_id n, bool edges) const;
  /// The terms active in this evaluation (what the per-op bodies branch on).
  struct Active {
    bool hor, cap, peak, mem, mod, dep, rec, com;
  };
  Active active() const;
  void op_forward();
  /// op_forward's and op_backward's work for one op (t: the calling thread's buffers), compiled
  /// for AVX2 + FMA and the baseline (GAUS_CPU_CLONES).
  GAUS_CPU_CLONES void forward_one(op_id i, op_id n, int t, const Active& a);
  GAUS_CPU_CLONES void backward_one(op_id i, op_id n, const Active& a);
  void finish_steps(LossResult& r);
  void op_backward();
  void gather_and_sum(LossResult& r, bool with_grad);

  /// Memory consumers of op i: mode 0 = live memory (distance-0 only, no shift), 1 = modulo.
  auto consumers(op_id i, int mode) const {
    const edge_id off = model_.mem_offsets[i];
    return [this, off, mode](std::int64_t q, TabConsumer& c) {
      const auto e = static_cast<std::size_t>(off + q);
      const std::int32_t dist = model_.mem_distance[e];
      if (mode == 0 && dist != 0) return false;
      c.op = model_.mem_dst[e];
      c.shift = mode == 0 ? 0 : static_cast<std::int64_t>(dist) * cfg_.ii;
      return true;
    };
  }

  const Problem& p_;
  LossModel model_;
  LossConfig cfg_;
  LossLayout layout_;
  int threads_;
  std::vector<T> mu_, sigma_;
  std::vector<double> edge_val_, comm_val_, eg_mu_, eg_sigma_, lam_edge_;
  std::vector<double> hval_, gsrc_mu_, gsrc_sigma_, own_mu_, own_sigma_, grad_mu_, grad_sigma_;
  std::vector<double> lam_op_, mg_mu_, mg_sigma_, lam_cap_, cap_val_;
  StepSums use_, peak_, mem_, mod_;
  CdfTable<T> tab_;                     // every op's F(d) over its window, per evaluate()
  /// Live memory (0) and modulo memory (1): per op its ranges and the offset of its G, 1 - G.
  struct MemCache {
    std::vector<MemSpan> span;
    std::vector<std::int64_t> off;
    std::vector<T> buf;
  };
  MemCache mcache_[2];
  std::vector<std::array<double, 7>> part_;             // per chunk: sums of the values
  std::vector<double> use_v_, peak_v_, mem_v_, mod_v_;  // per-step values
  std::vector<double> use_g_, peak_g_, mem_g_, mod_g_;  // dJ/d(per-step value)
  LossResult last_;
  bool have_grads_ = false;
};

}  // namespace gaus::cpu_loss
