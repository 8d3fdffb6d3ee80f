// The CPU loss backend's evaluation (host/loss/cpu/cpu_backend.hpp; the engine's class is in
// host/loss/cpu/cpu_engine.hpp):
//   build_table    per op: F(d) over its window, the CDF source every windowed term reads
//   memory_spans   per op: the ranges of the memory terms, offsets of their cached products
//   op_forward     the per-op forward pass (host/loss/cpu/cpu_passes.cpp)
//   finish_steps   capacity penalties and soft maxima (core/penalties.hpp, core/soft_max.hpp)
//                  with their upstream gradients
//   op_backward    the per-op backward pass (host/loss/cpu/cpu_passes.cpp)
//   gather_and_sum per op: own + out-edge + in-edge + memory-entry gradients, in fixed order;
//                  the sums of the per-edge and per-op values
#include "host/loss/cpu/cpu_backend.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/penalties.hpp"
#include "core/soft_max.hpp"
#include "host/loss/cpu/cpu_engine.hpp"

namespace gaus::cpu_loss {

namespace {

/// soft_max of core/soft_max.hpp over one per-step vector; `grad` gets one entry per step.
double soft_max_steps(const std::vector<double>& x, double tau, double weight,
                      std::vector<double>& grad) {
  grad.assign(x.size(), 0.0);
  return soft_max(x.data(), static_cast<std::int64_t>(x.size()), tau, weight, grad.data());
}

}  // namespace

template <class T>
LossResult CpuLossEngine<T>::evaluate(bool with_grad) {
  LossResult r;
  const bool modulo = cfg_.ii > 0;
  for (int t = 0; t < kNumTerms; ++t) r.computed[t] = on(static_cast<Term>(t));
  r.computed[static_cast<int>(Term::Recurrence)] = on(Term::Recurrence) && modulo;
  r.computed[static_cast<int>(Term::ModuloMemory)] = on(Term::ModuloMemory) && modulo;
  r.tau_peak = layout_.tau_peak;
  r.tau_memory = layout_.tau_memory;
  r.tau_modulo_memory = layout_.tau_modulo_memory;
  last_ = r;  // the passes read last_.computed
  build_table();
  memory_spans();
  op_forward();
  finish_steps(r);
  if (with_grad) op_backward();
  gather_and_sum(r, with_grad);
  r.objective = 0.0;
  for (int t = 0; t < kNumTerms; ++t)
    if (r.computed[t]) r.objective += cfg_.weight[t] * r.value[t] + r.augmented[t];
  last_ = r;
  have_grads_ = with_grad;
  return r;
}

template <class T>
void CpuLossEngine<T>::build_table() {
  const auto on_ = [this](Term t) { return last_.computed[static_cast<int>(t)]; };
  const bool mem = on_(Term::Memory) || on_(Term::ModuloMemory);
  const bool needed = mem || on_(Term::Communication) || on_(Term::PeakUse) ||
                      (on_(Term::Capacity) && model_.num_limited() > 0) ||
                      (!cfg_.closed_form_dependency &&
                       (on_(Term::Dependency) || on_(Term::Recurrence)));
  if (!needed) return;
  tab_.build(mu_, sigma_, static_cast<T>(cfg_.window), threads_, parallel());
}

/// Per op: the ranges of its memory terms and an offset into one buffer that keeps G and 1 - G
/// from the forward pass for the backward pass (no recomputation of the consumer products).
template <class T>
void CpuLossEngine<T>::memory_spans() {
  const op_id n = p_.num_ops();
  for (int mode : {0, 1}) {
    const Term term = mode == 0 ? Term::Memory : Term::ModuloMemory;
    if (!last_.computed[static_cast<int>(term)]) continue;
    MemCache& mc = mcache_[mode];
    mc.span.resize(static_cast<std::size_t>(n));
    mc.off.resize(static_cast<std::size_t>(n) + 1);
    const std::int64_t end = mode == 0 ? cfg_.horizon : layout_.mod_range;
#pragma omp parallel for schedule(dynamic, 1024) num_threads(threads_) if (parallel())
    for (op_id i = 0; i < n; ++i) {
      const std::int64_t count = model_.mem_offsets[i + 1] - model_.mem_offsets[i];
      mc.span[static_cast<std::size_t>(i)] =
          count == 0 ? MemSpan{}
                     : memory_span_tab(tab_, i, static_cast<T>(p_.out_size[i]), count, 0, end,
                                       consumers(i, mode));
    }
    std::int64_t total = 0;
    for (op_id i = 0; i < n; ++i) {
      mc.off[static_cast<std::size_t>(i)] = total;
      total += mc.span[static_cast<std::size_t>(i)].len();
    }
    mc.off[static_cast<std::size_t>(n)] = total;
    if (static_cast<std::int64_t>(mc.buf.size()) < 2 * total)
      mc.buf.resize(static_cast<std::size_t>(2 * total));
  }
}

template <class T>
void CpuLossEngine<T>::finish_steps(LossResult& r) {
  const auto idx = [](Term t) { return static_cast<int>(t); };
  if (r.computed[idx(Term::Capacity)]) {
    std::fill(cap_val_.begin(), cap_val_.end(), 0.0);
    use_g_.assign(cap_val_.size(), 0.0);
    if (model_.num_limited() > 0) {
      use_.reduce(use_v_);
      double val = 0.0, aug = 0.0;
      const double rho_c = rho(Term::Capacity);
      for (std::size_t c = 0; c < cap_val_.size(); ++c) {
        const std::size_t kk = c / static_cast<std::size_t>(layout_.cap_steps);
        const CapacityPenalty<double> cp = capacity_penalty(use_v_[c], model_.cap_limit[kk]);
        if (cp.excess == 0.0) continue;  // within the limit: V = 0, no gradient
        cap_val_[c] = cp.value;
        val += cp.value;
        aug += augmented_value(lam_cap_[c], rho_c, cp.value);
        use_g_[c] = capacity_upstream(
            augmented_upstream(w(Term::Capacity), lam_cap_[c], rho_c, cp.value), cp.excess);
      }
      r.value[idx(Term::Capacity)] = val;
      r.augmented[idx(Term::Capacity)] = aug;
    }
  }
  if (r.computed[idx(Term::PeakUse)]) {
    peak_.reduce(peak_v_);
    r.value[idx(Term::PeakUse)] =
        soft_max_steps(peak_v_, layout_.tau_peak, w(Term::PeakUse), peak_g_);
  }
  if (r.computed[idx(Term::Memory)]) {
    mem_.reduce(mem_v_);
    r.value[idx(Term::Memory)] =
        soft_max_steps(mem_v_, layout_.tau_memory, w(Term::Memory), mem_g_);
  }
  if (r.computed[idx(Term::ModuloMemory)]) {
    mod_.reduce(mod_v_);
    r.value[idx(Term::ModuloMemory)] =
        soft_max_steps(mod_v_, layout_.tau_modulo_memory, w(Term::ModuloMemory), mod_g_);
  }
}

/// One parallel pass over fixed chunks of op and edge indices: each op's gradient, gathered in
/// fixed order (own + out-edge + in-edge + memory-entry terms; with_grad only), and the chunk's
/// partial sums of the per-edge and per-op values, then added chunk by chunk in order. Fixed
/// chunks keep every rounding independent of the thread count; one region instead of two keeps
/// the barriers few (each costs a time slice when the machine is oversubscribed).
template <class T>
void CpuLossEngine<T>::gather_and_sum(LossResult& r, bool with_grad) {
  constexpr std::int64_t kChunk = 1024;
  const double rho_d = rho(Term::Dependency), rho_r = rho(Term::Recurrence);
  const double rho_h = rho(Term::Horizon);
  const std::int64_t m = p_.num_edges(), n = p_.num_ops();
  const std::int64_t chunks = (std::max(m, n) + kChunk - 1) / kChunk;
  part_.resize(static_cast<std::size_t>(chunks));
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_) if (parallel())
  for (std::int64_t c = 0; c < chunks; ++c) {
    std::array<double, 7> a{};
    for (std::int64_t x = c * kChunk; x < std::min(m, (c + 1) * kChunk); ++x) {
      const double v = edge_val_[x];
      if (p_.edge_distance[x] == 0) {
        a[0] += v;
        a[1] += augmented_value(lam_edge_[x], rho_d, v);
      } else {
        a[2] += v;
        a[3] += augmented_value(lam_edge_[x], rho_r, v);
      }
      a[4] += comm_val_[x];
    }
    for (op_id j = c * kChunk; j < std::min(n, (c + 1) * kChunk); ++j) {
      a[5] += hval_[j];
      a[6] += augmented_value(lam_op_[j], rho_h, hval_[j]);
      if (!with_grad) continue;
      double gm = own_mu_[j] + gsrc_mu_[j];
      double gs = own_sigma_[j] + gsrc_sigma_[j];
      for (edge_id q = p_.pred_offsets[j]; q < p_.pred_offsets[j + 1]; ++q) {
        const edge_id e = p_.pred_edges[q];
        gm += eg_mu_[e];
        gs += eg_sigma_[e];
      }
      for (edge_id q = model_.mem_pred_offsets[j]; q < model_.mem_pred_offsets[j + 1]; ++q) {
        const edge_id x = model_.mem_pred[q];
        gm += mg_mu_[x];
        gs += mg_sigma_[x];
      }
      grad_mu_[j] = gm;
      grad_sigma_[j] = gs;
    }
    part_[static_cast<std::size_t>(c)] = a;
  }
  std::array<double, 7> e{};
  for (const auto& a : part_)
    for (int k = 0; k < 7; ++k) e[k] += a[k];
  const double h[2] = {e[5], e[6]};
  const auto set = [&r](Term t, double v, double aug) {
    if (!r.computed[static_cast<int>(t)]) return;
    r.value[static_cast<int>(t)] = v;
    r.augmented[static_cast<int>(t)] = aug;
  };
  set(Term::Dependency, e[0], e[1]);
  set(Term::Recurrence, e[2], e[3]);
  set(Term::Communication, e[4], 0.0);
  set(Term::Horizon, h[0], h[1]);
}

}  // namespace gaus::cpu_loss

namespace gaus {

std::unique_ptr<LossEngine> make_cpu_loss_engine(const Problem& p, const LossConfig& c,
                                                 Precision precision) {
  validate_loss_config(c);
  if (precision == Precision::Float) return std::make_unique<cpu_loss::CpuLossEngine<float>>(p, c);
  return std::make_unique<cpu_loss::CpuLossEngine<double>>(p, c);
}

}  // namespace gaus
