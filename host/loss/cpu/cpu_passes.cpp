// The per-op passes of the CPU loss engine (host/loss/cpu/cpu_engine.hpp), OpenMP over ops:
//   op_forward   per op: the edge terms of its out-edges (dependency / recurrence /
//                communication values; source gradients summed per op, destination gradients
//                stored per edge, no races); horizon; expected use, peak use and memory into
//                per-step sums
//   op_backward  per op: gradients of the per-step terms (memory consumers per entry)
// Every term is a core/ function read through the CPU's CDF source (the CdfTable); the loops
// here only choose what to evaluate and where its results go.
#include <algorithm>
#include <cmath>

#include "core/loss_steps.hpp"
#include "core/loss_terms.hpp"
#include "core/penalties.hpp"
#include "core/timing.hpp"
#include "host/loss/cpu/cpu_engine.hpp"
#include "host/loss/cpu/cpu_gauss.hpp"
#include "host/loss/cpu/cpu_use_sweep.hpp"

namespace gaus::cpu_loss {

/// The edge terms of op i's out-edges (run inside op_forward's loop: the successors' table rows
/// read here are then still in cache for the memory term's consumer product of the same op).
template <class T>
void CpuLossEngine<T>::edge_op(op_id i, bool dep, bool rec, bool com) {
  double s_mu = 0.0, s_sigma = 0.0;
  for (edge_id e = p_.succ_offsets[i]; e < p_.succ_offsets[i + 1]; ++e) {
    const op_id j = p_.edge_dst[e];
    const std::int32_t dist = p_.edge_distance[e];
    double v = 0.0, cv = 0.0, gj_mu = 0.0, gj_sigma = 0.0;
    if (dist == 0 ? dep : rec) {
      const Term t = dist == 0 ? Term::Dependency : Term::Recurrence;
      const std::int64_t lambda =
          p_.edge_delay[e] - static_cast<std::int64_t>(dist) * cfg_.ii;
      const EdgeGrad<T> g =
          cfg_.closed_form_dependency
              ? precedence_violation_closed(mu_[i], sigma_[i], mu_[j], sigma_[j], lambda)
              : precedence_violation_tab(tab_, i, j, lambda);
      v = g.value;
      const double up = augmented_upstream(w(t), lam_edge_[e], rho(t), v);  // dJ/dV_e
      s_mu += up * g.mu_i;
      s_sigma += up * g.sigma_i;
      gj_mu += up * g.mu_j;
      gj_sigma += up * g.sigma_j;
    }
    if (dist == 0 && com && p_.edge_weight[e] != 0.0) {
      const EdgeGrad<T> g = communication_distance<T>(tab_.source(i), tab_.source(j));
      const double c = p_.edge_weight[e];
      cv = c * g.value;
      const double up = w(Term::Communication) * c;  // dJ/dE_e
      s_mu += up * g.mu_i;
      s_sigma += up * g.sigma_i;
      gj_mu += up * g.mu_j;
      gj_sigma += up * g.sigma_j;
    }
    edge_val_[e] = v;
    comm_val_[e] = cv;
    eg_mu_[e] = gj_mu;
    eg_sigma_[e] = gj_sigma;
  }
  gsrc_mu_[i] = s_mu;
  gsrc_sigma_[i] = s_sigma;
}

/// Prefetches, while op i is processed, the OpInfo of the successors (`edges`) or memory
/// consumers of op i + 16 and the table rows of those of op i + 8 (whose OpInfo is then cached).
template <class T>
void CpuLossEngine<T>::prefetch_neighbours(op_id i, op_id n, bool edges) const {
  const auto each = [&](op_id k, auto&& f) {
    if (k >= n) return;
    if (edges) {
      for (edge_id e = p_.succ_offsets[k]; e < p_.succ_offsets[k + 1]; ++e) f(p_.edge_dst[e]);
    } else {
      for (edge_id e = model_.mem_offsets[k]; e < model_.mem_offsets[k + 1]; ++e)
        f(model_.mem_dst[e]);
    }
  };
  each(i + 16, [&](op_id j) { tab_.prefetch_info(j); });
  each(i + 8, [&](op_id j) { tab_.prefetch_row(j, edges); });
}

template <class T>
typename CpuLossEngine<T>::Active CpuLossEngine<T>::active() const {
  const auto on_ = [this](Term t) { return last_.computed[static_cast<int>(t)]; };
  return Active{on_(Term::Horizon),
                on_(Term::Capacity) && model_.num_limited() > 0,
                on_(Term::PeakUse),
                on_(Term::Memory),
                on_(Term::ModuloMemory),
                on_(Term::Dependency),
                on_(Term::Recurrence),
                on_(Term::Communication)};
}

template <class T>
void CpuLossEngine<T>::op_forward() {
  const Active a = active();
  const op_id n = p_.num_ops();
#pragma omp parallel num_threads(threads_) if (parallel())
  {
    const int t = thread_id();
    // The team can be smaller than threads_ (an engine evaluated inside another parallel
    // region gets one thread): every per-thread buffer is cleared, the absent threads' too,
    // because the reduction sums all of them.
    for (int u = t; u < threads_; u += team_size()) {
      if (a.cap) use_.clear(u);
      if (a.peak) peak_.clear(u);
      if (a.mem) mem_.clear(u);
      if (a.mod) mod_.clear(u);
    }
#pragma omp for schedule(dynamic, 256)
    for (op_id i = 0; i < n; ++i) forward_one(i, n, t, a);
  }
}

template <class T>
void CpuLossEngine<T>::forward_one(op_id i, op_id n, int t, const Active& a) {
  const std::int64_t horizon = cfg_.horizon;
  prefetch_neighbours(i, n, true);
  edge_op(i, a.dep, a.rec, a.com);
  const T mu = mu_[i];
  const T sigma = sigma_[i];
  double gm = 0.0, gs = 0.0, hv = 0.0;
  if (a.hor) {
    const OpGrad<T> g =
        horizon_violation(mu, sigma, horizon - occupancy(p_, i), FastPoint{FastErfcx::get()});
    hv = g.value;
    const double up = augmented_upstream(w(Term::Horizon), lam_op_[i], rho(Term::Horizon), hv);
    gm = up * g.mu;
    gs = up * g.sigma;
  }
  hval_[i] = hv;
  own_mu_[i] = gm;
  own_sigma_[i] = gs;
  if (a.cap && model_.cap_class[i] >= 0) {
    const std::int64_t row = model_.cap_class[i];
    const double u = cfg_.weighted_capacity ? p_.weight[i] : 1.0;
    use_sweep_tab(tab_, i, p_.blocking[i], 0, horizon,
                  [&](std::int64_t d, T x, T, T) { use_.add(t, row, d, u * x); });
  }
  if (a.peak && p_.weight[i] != 0.0) {
    const double wi = p_.weight[i];
    use_sweep_tab(tab_, i, 1, 0, horizon,
                  [&](std::int64_t d, T x, T, T) { peak_.add(t, 0, d, wi * x); });
  }
  const std::int64_t count = model_.mem_offsets[i + 1] - model_.mem_offsets[i];
  const T b = static_cast<T>(p_.out_size[i]);
  for (int mode : {0, 1}) {
    if (!(mode == 0 ? a.mem : a.mod) || count == 0) continue;
    StepSums& sums = mode == 0 ? mem_ : mod_;
    MemCache& mc = mcache_[mode];
    T* g = mc.buf.data() + 2 * mc.off[static_cast<std::size_t>(i)];
    const MemSpan& ms = mc.span[static_cast<std::size_t>(i)];
    memory_forward_span(
        tab_, i, b, ms, count, consumers(i, mode), g, g + ms.len(),
        [&](std::int64_t d, T x) { sums.add(t, 0, d, x); },
        [&](std::int64_t from, std::int64_t to, T x) { sums.add_flat(t, 0, from, to, x); });
  }
}

namespace {

/// A use_sweep_chunks consumer adding sum_d u up[d] (r_mu(d), r_sigma(d)) to (gm, gs), the
/// steps' terms summed in vector lanes.
template <class T>
auto dot_chunk(double u, const double* up, double& gm, double& gs) {
  return [u, up, &gm, &gs](std::int64_t first, std::int64_t n, const T*, const T* r_mu,
                           const T* r_sg) {
    const double* g = up + first;
    double a = 0.0, b = 0.0;
#pragma omp simd reduction(+ : a, b)
    for (std::int64_t k = 0; k < n; ++k) {
      const double x = u * g[k];
      a += x * r_mu[k];
      b += x * r_sg[k];
    }
    gm += a;
    gs += b;
  };
}

}  // namespace

template <class T>
void CpuLossEngine<T>::op_backward() {
  const Active a = active();
  const op_id n = p_.num_ops();
#pragma omp parallel for schedule(dynamic, 256) num_threads(threads_) if (parallel())
  for (op_id i = 0; i < n; ++i) backward_one(i, n, a);
}

template <class T>
void CpuLossEngine<T>::backward_one(op_id i, op_id n, const Active& a) {
  const std::int64_t horizon = cfg_.horizon;
  const std::int64_t cap_steps = layout_.cap_steps;
  const bool fold = cfg_.ii > 0;
  const std::int64_t ii = cfg_.ii;
  if (a.mem || a.mod) prefetch_neighbours(i, n, false);
  double gm = own_mu_[i], gs = own_sigma_[i];
  if (a.cap && model_.cap_class[i] >= 0) {
    const double u = cfg_.weighted_capacity ? p_.weight[i] : 1.0;
    const double* g = use_g_.data() + model_.cap_class[i] * cap_steps;
    if (fold) {
      use_sweep_tab(tab_, i, p_.blocking[i], 0, horizon, [&](std::int64_t d, T, T r_mu, T r_sg) {
        const double up = u * g[d % cap_steps];  // dJ/dR_i(d) = u_i dJ/dU_k(d)
        gm += up * r_mu;
        gs += up * r_sg;
      });
    } else {
      use_sweep_chunks(tab_, i, p_.blocking[i], 0, horizon, dot_chunk<T>(u, g, gm, gs));
    }
  }
  if (a.peak && p_.weight[i] != 0.0)  // dJ/dP_i(d) = w_i dJ/dW(d)
    use_sweep_chunks(tab_, i, 1, 0, horizon, dot_chunk<T>(p_.weight[i], peak_g_.data(), gm, gs));
  const edge_id off = model_.mem_offsets[i];
  const std::int64_t count = model_.mem_offsets[i + 1] - off;
  std::fill_n(mg_mu_.begin() + off, count, 0.0);
  std::fill_n(mg_sigma_.begin() + off, count, 0.0);
  const auto acc = [&](std::int64_t q, double g_mu, double g_sg) {
    mg_mu_[off + q] += g_mu;
    mg_sigma_[off + q] += g_sg;
  };
  const T b = static_cast<T>(p_.out_size[i]);
  for (int mode : {0, 1}) {
    if (!(mode == 0 ? a.mem : a.mod) || count == 0) continue;
    MemCache& mc = mcache_[mode];
    T* g = mc.buf.data() + 2 * mc.off[static_cast<std::size_t>(i)];
    const MemSpan& ms = mc.span[static_cast<std::size_t>(i)];
    const std::vector<double>& up = mode == 0 ? mem_g_ : mod_g_;
    const OpGrad<T> og = memory_backward_span(
        tab_, i, b, ms, count, consumers(i, mode), g, g + ms.len(),
        [&](std::int64_t d) {
          return static_cast<T>(up[static_cast<std::size_t>(mode == 0 ? d : d % ii)]);
        },
        acc);
    gm += og.mu;
    gs += og.sigma;
  }
  own_mu_[i] = gm;
  own_sigma_[i] = gs;
}

template void CpuLossEngine<float>::op_forward();
template void CpuLossEngine<double>::op_forward();
template void CpuLossEngine<float>::op_backward();
template void CpuLossEngine<double>::op_backward();

}  // namespace gaus::cpu_loss
