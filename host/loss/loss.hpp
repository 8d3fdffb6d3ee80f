// The Gaussian loss engine's backend-independent API (docs/design.md sections 2 and 3): a
// LossConfig (horizon, II, window, temperature, active terms, coefficients), a LossResult with
// every term's value, and LossEngine, implemented by the CPU backend
// (host/loss/cpu/cpu_backend.hpp, OpenMP, float or double) and the CUDA backend
// (host/loss/cuda/cuda_backend.hpp, float on the device). The terms are named in core/terms.hpp;
// their math (values, derivatives, penalties, soft maxima) is core/'s, which both backends call.
//
// The objective whose gradient evaluate() computes is
//   J = sum_t weight_t * value_t + sum_{constraint terms t} sum_c (lambda_c V_c + rho_t/2 V_c^2)
// where value_t is the term exactly as docs/design.md section 3 defines it, V_c the constraint
// values of a constraint term (one per edge, op, or (unit class, step)), lambda_c the engine's
// multipliers and rho_t = LossConfig::penalty[t]. Gradients are w.r.t. mu and sigma (the solver
// maps its own parameters to sigma).
//
// Soft-max temperature: the absolute temperature of a soft-max term is tau * scale with
//   peak use       scale = (sum_i w_i) / D            (the mean per-step load)
//   live memory    scale = (sum of b_i over ops with a distance-0 consumer) / D
//   modulo memory  scale = (sum of b_i over ops with any consumer) / II
// (scale 1 where that sum is 0), so tau = 0.1 resolves differences of a tenth of the mean load
// whatever the graph's size. LossResult reports the absolute temperatures used.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/problem.hpp"
#include "core/terms.hpp"

namespace gaus {

/// "dependency", "recurrence", "horizon", "capacity", "peak_use", "communication", "memory",
/// "modulo_memory".
const char* term_name(Term t);

struct LossConfig {
  std::int32_t horizon = 0;  ///< D >= 1: start steps 0..D-1
  /// Initiation interval; 0 = not modulo: recurrence and modulo memory are not computed and
  /// capacity is taken per step. With II > 0 capacity folds U_k onto d mod II.
  std::int32_t ii = 0;
  double window = 5.0;  ///< K: an op is evaluated on [floor(mu - K sigma), ceil(mu + K sigma)]
  double tau = 0.1;     ///< soft-max temperature relative to the load scale (see above)
  /// Dependency and recurrence by the O(1) closed form instead of the exact windowed sum.
  bool closed_form_dependency = false;
  /// U_k counts u_i = w_i per op instead of u_i = 1 (unit counts).
  bool weighted_capacity = false;
  /// CUDA: per-step sums by 64-bit fixed-point atomics (bitwise reproducible) instead of double
  /// atomics. The CPU backend is always deterministic (fixed-point per-thread buffers).
  bool deterministic = true;
  /// CUDA: producers with at most this many memory entries (consumer, distance) take the live
  /// and modulo memory terms one thread each (cheap when consumers are few), the others are
  /// balanced over their entries (kernels/memory_kernels.cu). 0 = every producer balanced.
  /// Fixed when the engine is made. The CPU backend ignores it.
  std::int32_t memory_split = 0;
  /// Active terms (term_bit); the others are neither computed nor differentiated.
  unsigned terms = kAllTerms;
  std::array<double, kNumTerms> weight{1, 1, 1, 1, 1, 1, 1, 1};  ///< weight_t in J
  std::array<double, kNumTerms> penalty{};  ///< rho_t of the constraint terms (>= 0)

  [[nodiscard]] bool active(Term t) const { return (terms & term_bit(t)) != 0; }
};

struct LossResult {
  std::array<double, kNumTerms> value{};      ///< each term as defined (plain sums, no weights)
  /// false: inactive, or recurrence / modulo memory without an II
  std::array<bool, kNumTerms> computed{};
  std::array<double, kNumTerms> augmented{};  ///< sum_c (lambda_c V_c + rho_t/2 V_c^2)
  double objective = 0;                       ///< J, what the gradients differentiate
  double tau_peak = 0;                        ///< absolute temperatures used
  double tau_memory = 0;
  double tau_modulo_memory = 0;
};

/// Throws InputError when the config is unusable (D < 1, II < 0, K outside (0, 40], tau <= 0,
/// a non-finite weight, a negative penalty).
void validate_loss_config(const LossConfig& c);
/// What LossEngine::set_config accepts: a valid `next` with the horizon and II of `current`
/// (buffers are sized by them). Throws InputError or Error otherwise.
void validate_config_change(const LossConfig& current, const LossConfig& next);

/// Derived data both backends need, built once per Problem.
struct LossModel {
  /// Per op: index of its limited unit class (0..num_limited-1), or -1 (none or unlimited).
  std::vector<std::int32_t> cap_class;
  std::vector<std::int32_t> cap_resource;  ///< per limited class: index into Problem::resources
  std::vector<double> cap_limit;           ///< per limited class: C_k
  /// Memory consumers: op i's distinct (consumer, distance) pairs are entries
  /// [mem_offsets[i], mem_offsets[i+1]) of mem_dst / mem_distance (parallel edges merged).
  std::vector<edge_id> mem_offsets;
  std::vector<op_id> mem_dst;
  std::vector<std::int32_t> mem_distance;
  /// Entries whose consumer is op j: mem_pred[mem_pred_offsets[j] .. mem_pred_offsets[j+1]).
  std::vector<edge_id> mem_pred_offsets;
  std::vector<edge_id> mem_pred;
  std::int32_t max_distance = 0;  ///< largest distance among the entries
  double sum_weight = 0;          ///< sum_i w_i
  double sum_out_size_local = 0;  ///< sum of b_i over ops with a distance-0 consumer
  double sum_out_size_any = 0;    ///< sum of b_i over ops with any consumer

  [[nodiscard]] std::int32_t num_limited() const {
    return static_cast<std::int32_t>(cap_limit.size());
  }
};
LossModel build_loss_model(const Problem& p);

/// Sizes and scales of a (Problem, LossConfig) pair shared by the backends.
struct LossLayout {
  std::int32_t cap_steps = 0;    ///< steps (or residues) per limited class: II if II > 0, else D
  std::int32_t mod_steps = 0;    ///< modulo-memory residues (II), 0 without II
  std::int64_t mod_range = 0;    ///< modulo memory covers steps [0, D + max_distance * II)
  double tau_peak = 0, tau_memory = 0, tau_modulo_memory = 0;  ///< absolute temperatures
  /// Fixed-point exponents: a per-step buffer stores round(x * 2^e); e leaves a factor 4 of
  /// headroom below 2^63 over the largest sum the buffer can reach.
  int fixed_use = 0, fixed_peak = 0, fixed_memory = 0, fixed_modulo = 0;
};
LossLayout make_loss_layout(const Problem& p, const LossModel& m, const LossConfig& c);

enum class Backend { Cpu, Cuda };
enum class Precision { Float, Double };

/// A loss evaluator bound to one Problem (which must outlive it) and its buffers.
class LossEngine {
 public:
  virtual ~LossEngine() = default;
  [[nodiscard]] virtual const char* backend_name() const = 0;
  [[nodiscard]] virtual const LossConfig& config() const = 0;
  /// Changes temperatures, weights, active terms, window etc.; horizon and II must stay as
  /// constructed (Error otherwise: buffers are sized by them).
  virtual void set_config(const LossConfig& c) = 0;
  /// Sets mu and sigma (one entry per op). Throws InputError naming the op when a value is not
  /// finite, |mu| > 1e9, or sigma is not in (0, 1e6].
  virtual void set_params(std::span<const double> mu, std::span<const double> sigma) = 0;
  /// Forward; with_grad also runs the backward pass (gradients then read by get_grads).
  virtual LossResult evaluate(bool with_grad = true) = 0;
  /// dJ/dmu and dJ/dsigma of the last evaluate(true), one entry per op.
  virtual void get_grads(std::span<double> grad_mu, std::span<double> grad_sigma) = 0;
  /// Constraint values V_c of the last evaluation: dependency and recurrence per edge (0 on
  /// edges of the other kind), horizon per op, capacity per (limited class kk, step r) at
  /// kk * cap_steps + r.
  virtual std::vector<double> constraint_values(Term t) = 0;
  virtual std::vector<double> multipliers(Term t) = 0;
  virtual void set_multipliers(Term t, std::span<const double> lambda) = 0;
  /// lambda_c += rho_t V_c for every constraint of every computed constraint term.
  virtual void update_multipliers() = 0;
};

/// Builds an engine. Backend::Cuda throws Error when the library was built without CUDA or no
/// device is present; it always computes in float (`precision` applies to the CPU).
std::unique_ptr<LossEngine> make_loss_engine(const Problem& p, const LossConfig& c,
                                             Backend backend = Backend::Cpu,
                                             Precision precision = Precision::Double);

/// Throws InputError naming the op when mu/sigma are unusable (see set_params).
void validate_loss_params(const Problem& p, std::span<const double> mu,
                          std::span<const double> sigma);

}  // namespace gaus
